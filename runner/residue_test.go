package runner

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
	"github.com/scimconform/scimconform/runner/scimclient"
)

// residueTarget serves the reference server (page size 2), behind wrap
// when not nil, and returns a client guarding guardRunID, an unguarded
// one and the request counter.
func residueTarget(t *testing.T, wrap func(http.Handler) http.Handler) (guarded, other *scimclient.Client, cc *changeCounter) {
	t.Helper()
	cc = &changeCounter{}
	ts := refservertest.Start(t, refserver.Options{Token: guardToken, MaxResults: 2}, func(h http.Handler) http.Handler {
		if wrap != nil {
			h = wrap(h)
		}
		return cc.wrap(h)
	})
	guarded = newTestClient(t, ts, scimclient.Config{Token: guardToken, RunID: guardRunID})
	other = newTestClient(t, ts, scimclient.Config{Token: guardToken})
	return guarded, other, cc
}

func residueNames(rs []Residue) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Kind)
	}
	return out
}

func TestFindResidueFindsOnlyTheRunsResourcesAndDeletesThem(t *testing.T) {
	t.Parallel()
	c, other, cc := residueTarget(t, nil)
	for i := range 3 { // more than one page of 2
		create(t, other, "/Users", "userName", fmt.Sprintf("%suser-%d@example.com", guardPrefix, i))
	}
	create(t, other, "/Users", "userName", "someone-else@example.com")
	create(t, other, "/Users", "userName", "scimc-ffffff-user@example.com")
	create(t, other, "/Groups", "displayName", guardPrefix+"group-1")
	create(t, other, "/Groups", "displayName", "scimc-ffffff-group-1")
	ctx := context.Background()

	scan := FindResidue(ctx, c.Do, guardPrefix, ResidueLimits{})
	if !scan.Verified() || scan.Problem() != "" || scan.Over != 0 {
		t.Fatalf("scan not verified: %s (over %d)", scan.Problem(), scan.Over)
	}
	if got := residueNames(scan.Found); !slices.Equal(got, []string{"Group", "User", "User", "User"}) {
		t.Fatalf("found %v, want the group first, then the three users", scan.Found)
	}
	// The listing made them the run's own: the guarded client deletes them.
	deleted, errs := DeleteResidue(ctx, c.Do, append(scan.Found, Residue{Kind: "User", Path: "/Users/" + guardPrefix + "gone"}))
	if deleted != 5 || len(errs) != 0 {
		t.Fatalf("DeleteResidue: %d deleted, %v (404 counts as deleted)", deleted, errs)
	}
	if again := FindResidue(ctx, c.Do, guardPrefix, ResidueLimits{}); !again.Clean() {
		t.Errorf("after deleting: %+v", again)
	}
	others := FindResidue(ctx, other.Do, "scimc-ffffff-", ResidueLimits{})
	if len(others.Found) != 2 || !others.Verified() {
		t.Errorf("another run's resources: %+v; want its user and group untouched", others)
	}
	if n := cc.count("DELETE"); n != 5 {
		t.Errorf("%d DELETEs sent, want 5", n)
	}
}

// A target that ignores the filter lists the whole tenant: the pass says
// so with ids only, and nothing it listed is returned for deletion.
func TestFindResidueTreatsAnIgnoredFilterAsEvidenceNotResidue(t *testing.T) {
	t.Parallel()
	c, other, cc := residueTarget(t, refservertest.IgnoreFilter)
	ours := create(t, other, "/Users", "userName", guardPrefix+"left@example.com")
	var foreign []string
	for i := range 7 {
		foreign = append(foreign, create(t, other, "/Users", "userName", fmt.Sprintf("person.%d@example.com", i)))
	}
	create(t, other, "/Groups", "displayName", "Finance")
	scan := FindResidue(context.Background(), c.Do, guardPrefix, ResidueLimits{})
	if len(scan.Found) != 0 || scan.Verified() || len(scan.Ignored) != 2 {
		t.Fatalf("scan %+v: want two collections shown to ignore the filter and nothing found", scan)
	}
	problem := scan.Problem()
	for _, want := range []string{"could not verify: ", "did not apply the filter", `userName sw "` + guardPrefix + `"`, "none of them was deleted"} {
		if !strings.Contains(problem, want) {
			t.Errorf("problem lacks %q: %s", want, problem)
		}
	}
	if strings.Contains(problem, "person.") || strings.Contains(problem, "Finance") {
		t.Errorf("the evidence names people or groups: %s", problem)
	}
	if scan.OnlyFilterRefused() {
		t.Error("an ignored filter is not a refused one")
	}
	// Even a caller that tried to delete every listed id sends nothing
	// but the DELETE of its own user.
	for _, id := range append(foreign, ours) {
		c.Do(context.Background(), scimclient.Request{Method: "DELETE", Path: "/Users/" + id})
	}
	if n := cc.count("DELETE"); n != 1 {
		t.Errorf("%d DELETEs reached the target, want only the run's own", n)
	}
}

// listingTarget answers every GET of a collection with body(path, start,
// count) and counts DELETEs.
func listingTarget(t *testing.T, body func(path string, start, count int) []byte) (*scimclient.Client, *atomic.Int64) {
	t.Helper()
	var deletes atomic.Int64
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
			count, _ := strconv.Atoi(r.URL.Query().Get("count"))
			w.Header().Set("Content-Type", scimclient.ScimContentType)
			_, _ = w.Write(body(r.URL.Path, start, count))
		case http.MethodDelete:
			deletes.Add(1)
			w.WriteHeader(http.StatusNoContent)
		}
	})
	return newTestClient(t, srv, scimclient.Config{RunID: guardRunID}), &deletes
}

// listOf renders a ListResponse of users (or groups) named name(i) for
// i in [from, to), claiming total.
func listOf(path string, from, to, total int, name func(i int) string) []byte {
	attr := "userName"
	if path == "/Groups" {
		attr = "displayName"
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":%d,"Resources":[`, total)
	for i := from; i < to; i++ {
		if i > from {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%s-%d",%q:%q,"emails":[{"value":"someone.%d@example.com"}]}`, strings.Trim(path, "/"), i, attr, name(i), i)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

func TestFindResidueSendsNoDeleteForA5MBPageOfForeignResources(t *testing.T) {
	t.Parallel()
	page := listOf("/Users", 0, 48_000, 48_000, func(i int) string { return fmt.Sprintf("employee.%d@example.com", i) })
	if len(page) < 5<<20 {
		t.Fatalf("the page is %d bytes, want 5 MB", len(page))
	}
	c, deletes := listingTarget(t, func(string, int, int) []byte { return page })
	scan := FindResidue(context.Background(), c.Do, guardPrefix, ResidueLimits{})
	if len(scan.Found) != 0 || len(scan.Ignored) != 2 || scan.Ignored[0].Foreign != 48_000 || len(scan.Ignored[0].IDs) != maxEvidenceIDs {
		t.Fatalf("scan found %d, evidence %+v", len(scan.Found), scan.Ignored)
	}
	if _, errs := DeleteResidue(context.Background(), c.Do, scan.Found); len(errs) != 0 || deletes.Load() != 0 {
		t.Errorf("%d DELETEs sent (%v), want none", deletes.Load(), errs)
	}
}

func TestFindResidueCapsWhatOnePassDeletes(t *testing.T) {
	t.Parallel()
	const held = 500 // per collection, all carrying the prefix
	prefixed := func(i int) string { return fmt.Sprintf("%s%d", guardPrefix, i) }
	cases := []struct {
		name      string
		body      func(path string, start, count int) []byte
		lim       ResidueLimits
		wantFound int
	}{
		{"paged honestly: the deletion cap", func(path string, start, count int) []byte {
			return listOf(path, start-1, min(start-1+count, held), held, prefixed)
		}, ResidueLimits{PageSize: 10, MaxPages: 5, MaxDeletes: 30}, 30},
		{"paged honestly: the page cap", func(path string, start, count int) []byte {
			return listOf(path, start-1, min(start-1+count, held), held, prefixed)
		}, ResidueLimits{PageSize: 10, MaxPages: 2}, 40},
		{"count and startIndex ignored: the per-page cap", func(path string, _, _ int) []byte {
			return listOf(path, 0, held, held, prefixed)
		}, ResidueLimits{}, 2 * DefaultResiduePageSize},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, deletes := listingTarget(t, tc.body)
			scan := FindResidue(context.Background(), c.Do, guardPrefix, tc.lim)
			if !scan.Verified() || len(scan.Found) != tc.wantFound || scan.Over != 2*held-tc.wantFound {
				t.Fatalf("found %d, over %d, problem %q; want %d found and %d over", len(scan.Found), scan.Over, scan.Problem(), tc.wantFound, 2*held-tc.wantFound)
			}
			deleted, errs := DeleteResidue(context.Background(), c.Do, scan.Found)
			if deleted != tc.wantFound || len(errs) != 0 || deletes.Load() != int64(tc.wantFound) {
				t.Errorf("%d deleted, %d DELETEs sent, errors %v; want %d", deleted, deletes.Load(), errs, tc.wantFound)
			}
		})
	}
}

func TestFindResidueSaysWhyItCouldNotVerify(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	gone, err := scimclient.New(scimclient.Config{Target: closed.URL, Retry: scimclient.RetryPolicy{Disabled: true}, Warn: nil})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		status  int
		body    string
		send    SendFunc // instead of a target answering status and body
		want    string
		refused bool
	}{
		{"filter unsupported (400)", 400, `{"scimType":"invalidFilter"}`, nil, "answered HTTP 400 Bad Request: the target does not support this filter", true},
		{"filter not implemented (501)", 501, ``, nil, "answered HTTP 501 Not Implemented", true},
		{"server error", 500, ``, nil, "answered HTTP 500 Internal Server Error, not 200", false},
		{"no match as 404", 404, `{"status":"404"}`, nil, "answered HTTP 404 Not Found, not 200", false},
		{"not JSON", 200, `<html>`, nil, "the answer is not a ListResponse: the body is not valid JSON", false},
		{"Resources not an array", 200, `{"totalResults":1,"Resources":{"id":"x"}}`, nil, "Resources is not an array", false},
		{"a bare array", 200, `[]`, nil, "the answer is not a ListResponse: the body is not a JSON object", false},
		{"totalResults as a string", 200, `{"totalResults":"7","Resources":[]}`, nil, "the answer is not a ListResponse: totalResults is not an integer", false},
		{"no totalResults", 200, `{"Resources":[]}`, nil, "it has no totalResults", false},
		{"no connection", 0, ``, gone.Do, "could not connect", false},
		{"not sent", 0, ``, func(context.Context, scimclient.Request) *scimclient.Exchange { return nil }, "not sent", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			send := tc.send
			if send == nil {
				srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
					w.WriteHeader(tc.status)
					fmt.Fprint(w, tc.body)
				})
				send = newTestClient(t, srv, scimclient.Config{RunID: guardRunID}).Do
			}
			scan := FindResidue(context.Background(), send, guardPrefix, ResidueLimits{})
			p := scan.Problem()
			if scan.Verified() || len(scan.Found) != 0 || !strings.HasPrefix(p, "could not verify: GET /Groups with filter displayName sw") || !strings.Contains(p, tc.want) {
				t.Errorf("problem %q; want it to say %q", p, tc.want)
			}
			if scan.OnlyFilterRefused() != tc.refused {
				t.Errorf("OnlyFilterRefused = %v, want %v", scan.OnlyFilterRefused(), tc.refused)
			}
		})
	}
}

func FuzzFindResidue(f *testing.F) {
	f.Add([]byte(listOf("/Users", 0, 3, 3, func(i int) string { return guardPrefix + strconv.Itoa(i) })))
	f.Add([]byte(listOf("/Users", 0, 3, 9, func(i int) string { return "x" + strconv.Itoa(i) })))
	f.Add([]byte(`{"totalResults":1,"Resources":[{"id":"","userName":"SCIMC-0A1B2C-x"}]}`))
	f.Add([]byte(`{"totalResults":-5,"Resources":[{"ID":"a","DisplayName":"scimc-0a1b2c-g","userName":"scimc-0a1b2c-u"}]}`))
	f.Add([]byte(`{"totalResults":1e9,"Resources":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		send := func(_ context.Context, r scimclient.Request) *scimclient.Exchange {
			return &scimclient.Exchange{Method: r.Method, URL: r.Path, Status: 200, RespBody: body}
		}
		lim := ResidueLimits{PageSize: 3, MaxPages: 3, MaxDeletes: 4}
		scan := FindResidue(context.Background(), send, guardPrefix, lim)
		if len(scan.Found) > lim.MaxDeletes || scan.Over < 0 {
			t.Fatalf("found %d, over %d", len(scan.Found), scan.Over)
		}
		if len(scan.Found) > 0 && !bytes.Contains(bytes.ToLower(body), []byte(guardPrefix)) {
			t.Fatalf("found %v in a body without the prefix", scan.Found)
		}
		// Every residue is a listed resource that carries the prefix.
		carrying := map[string]bool{}
		if _, _, err := scimclient.ReadList(body, func(r *scimclient.Names) {
			if r.HasUserName && hasPrefixFold(r.UserName, guardPrefix) || r.HasDisplayName && hasPrefixFold(r.DisplayName, guardPrefix) {
				carrying[r.ID] = true
			}
		}); err != nil && len(scan.Found) > 0 {
			t.Fatalf("found %v in a body that is not a ListResponse: %v", scan.Found, err)
		}
		for _, r := range scan.Found {
			if !carrying[r.ID] {
				t.Fatalf("residue %v does not carry the prefix in %s", r, body)
			}
		}
	})
}
