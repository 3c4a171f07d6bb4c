package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
	"github.com/scimconform/scimconform/runner/scimclient"
)

const (
	residueToken = "residue-token"
	residueRunID = "scimc-aaaaaa"
)

// residueTarget serves the reference server behind wrap (when not nil)
// and a request counter, and returns the run's guarded client and an
// unguarded one for setting the tenant up.
func residueTarget(t *testing.T, wrap func(http.Handler) http.Handler) (run, admin *scimclient.Client, requests *methodCounter) {
	t.Helper()
	requests = &methodCounter{}
	ts := refservertest.Start(t, refserver.Options{Token: residueToken, MaxResults: 2}, func(h http.Handler) http.Handler {
		if wrap != nil {
			h = wrap(h)
		}
		return requests.wrap(h)
	})
	newClient := func(runID string) *scimclient.Client {
		c, err := scimclient.New(scimclient.Config{Target: ts.URL, Token: residueToken, RunID: runID, Retry: scimclient.RetryPolicy{Disabled: true}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return newClient(residueRunID), newClient(""), requests
}

// methodCounter counts the requests that reach the target by method.
type methodCounter struct{ get, del atomic.Int64 }

func (m *methodCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			m.get.Add(1)
		case http.MethodDelete:
			m.del.Add(1)
		}
		next.ServeHTTP(w, r)
	})
}

// seed creates users and groups through c and returns their paths.
func seed(t *testing.T, c *scimclient.Client, users, groups []string) []string {
	t.Helper()
	var paths []string
	post := func(path, schema, attr, name string) {
		body := fmt.Sprintf(`{"schemas":[%q],%q:%q}`, schema, attr, name)
		x := c.Do(context.Background(), scimclient.Request{Method: "POST", Path: path, Body: []byte(body)})
		var doc struct{ ID string }
		if x.Status != 201 || json.Unmarshal(x.RespBody, &doc) != nil {
			t.Fatalf("POST %s: %s %s", path, x.StatusLine(), x.RespBody)
		}
		paths = append(paths, path+"/"+doc.ID)
	}
	for _, u := range users {
		post("/Users", UserSchema, "userName", u)
	}
	for _, g := range groups {
		post("/Groups", GroupSchema, "displayName", g)
	}
	return paths
}

// present counts the paths that still answer 200.
func present(t *testing.T, c *scimclient.Client, paths []string) int {
	t.Helper()
	n := 0
	for _, p := range paths {
		if c.Do(context.Background(), scimclient.Request{Path: p}).Status == 200 {
			n++
		}
	}
	return n
}

// foreignPage answers every filtered listing with n users of other
// tenants in one page, and returns its size.
func foreignPage(n int) (func(http.Handler) http.Handler, int) {
	var b strings.Builder
	fmt.Fprintf(&b, `{"schemas":[%q],"totalResults":%d,"Resources":[`, ListResponseSchema, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"f-%d","userName":"employee.%d@example.com","displayName":"Employee %d"}`, i, i, i)
	}
	b.WriteString("]}")
	page := []byte(b.String())
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Query().Has("filter") {
				_, _ = w.Write(page)
				return
			}
			next.ServeHTTP(w, r)
		})
	}, len(page)
}

func TestCheckResidue(t *testing.T) {
	t.Parallel()
	ours := []string{residueRunID + "-user-1@example.com", residueRunID + "-user-2@example.com", residueRunID + "-user-3@example.com"}
	foreign := []string{"ada@example.com", "grace@example.com", "scimc-bbbbbb-user-1@example.com"}
	answer := func(status int) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && r.URL.Query().Has("filter") {
					w.WriteHeader(status)
					return
				}
				next.ServeHTTP(w, r)
			})
		}
	}
	fiveMB, size := foreignPage(66_000)
	if size < 5<<20 {
		t.Fatalf("the foreign page is %d bytes, want 5 MB", size)
	}
	cases := []struct {
		name        string
		wrap        func(http.Handler) http.Handler
		spc         *SPC
		leftovers   []string // users named with the run prefix that cleanup missed
		wantFailure []string
		wantWarning string
		wantGone    int // of the leftovers
		wantGETs    bool
	}{
		{"clean", nil, &SPC{Filter: true}, nil, nil, "", 0, true},
		{"leftovers are deleted and fail the run", nil, nil, ours,
			[]string{"the run left 3 resource(s) on the target that cleanup did not delete", "they have now been deleted"}, "", 3, true},
		{"a target ignoring the filter is the target's fault, and nothing is deleted", refservertest.IgnoreFilter, &SPC{Filter: true}, ours,
			[]string{"the target does not apply filters", `userName sw "scimc-aaaaaa-"`, "none of them was deleted"}, "", 0, true},
		{"a 5 MB listing of other tenants' users deletes nothing", fiveMB, nil, ours,
			[]string{"the target does not apply filters", "66000 of them without the run prefix"}, "", 0, true},
		{"a refused filter is a warning", answer(400), nil, ours, nil, "could not verify that the run left nothing behind", 0, true},
		{"a failing listing is a failure", answer(500), nil, nil, []string{"could not verify that the run left nothing behind", "HTTP 500"}, "", 0, true},
		{"a target without filter is not searched", nil, &SPC{Filter: false}, ours, nil, "filter is not supported", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			run, admin, requests := residueTarget(t, tc.wrap)
			others := seed(t, admin, foreign, []string{"Payroll"})
			left := seed(t, admin, tc.leftovers, nil)
			gets := requests.get.Load()
			v := CheckResidue(context.Background(), run, residueRunID, tc.spc)
			if (requests.get.Load() > gets) != tc.wantGETs {
				t.Errorf("listings sent: %d, want some: %v", requests.get.Load()-gets, tc.wantGETs)
			}
			for _, want := range tc.wantFailure {
				if !strings.Contains(v.Failure, want) {
					t.Errorf("failure lacks %q:\n%s", want, v.Failure)
				}
			}
			if len(tc.wantFailure) == 0 && v.Failure != "" {
				t.Errorf("unexpected failure:\n%s", v.Failure)
			}
			if !strings.Contains(v.Warning, tc.wantWarning) || (tc.wantWarning == "") != (v.Warning == "") {
				t.Errorf("warning %q, want %q", v.Warning, tc.wantWarning)
			}
			for _, name := range foreign {
				if strings.Contains(v.Failure+v.Warning, name) {
					t.Errorf("the report names another tenant's user %q", name)
				}
			}
			if n := present(t, admin, others); n != len(others) {
				t.Errorf("%d of %d foreign resources survived", n, len(others))
			}
			if gone := len(left) - present(t, admin, left); gone != tc.wantGone {
				t.Errorf("%d leftovers deleted, want %d", gone, tc.wantGone)
			}
			if d := requests.del.Load(); d != int64(tc.wantGone) {
				t.Errorf("%d DELETEs sent, want %d", d, tc.wantGone)
			}
		})
	}
}
