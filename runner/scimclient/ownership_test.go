package scimclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/scimconform/scimconform/refserver"
)

const (
	guardRunID  = "scimc-0a1b2c"
	guardPrefix = guardRunID + "-"
	guardToken  = "guard-token"
)

// changeCounter counts the requests that reached the target by method and
// path, so a test can tell a refused request (never sent) from a sent one.
type changeCounter struct {
	mu   sync.Mutex
	seen map[string]int
}

func (cc *changeCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cc.mu.Lock()
		if cc.seen == nil {
			cc.seen = map[string]int{}
		}
		cc.seen[r.Method+" "+r.URL.EscapedPath()]++
		cc.seen[r.Method]++
		cc.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (cc *changeCounter) count(key string) int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.seen[key]
}

// guardedTarget serves the reference server under basePath behind a
// counter, and returns a client guarding guardRunID and an unguarded one
// (the "other administrator" of the shared tenant).
func guardedTarget(t *testing.T, basePath string) (guarded, other *Client, cc *changeCounter, srvURL string) {
	t.Helper()
	srv, err := refserver.New(refserver.Options{Token: guardToken, BasePath: basePath})
	if err != nil {
		t.Fatal(err)
	}
	cc = &changeCounter{}
	ts := httptest.NewServer(cc.wrap(srv))
	t.Cleanup(ts.Close)
	guarded = newTestClient(t, ts, Config{Target: ts.URL + basePath, Token: guardToken, RunID: guardRunID})
	other = newTestClient(t, ts, Config{Target: ts.URL + basePath, Token: guardToken})
	return guarded, other, cc, ts.URL
}

// create POSTs a resource through c and returns its id.
func create(t *testing.T, c *Client, path, attr, name string) string {
	t.Helper()
	schema := "urn:ietf:params:scim:schemas:core:2.0:User"
	if strings.HasSuffix(path, "Groups") {
		schema = "urn:ietf:params:scim:schemas:core:2.0:Group"
	}
	body := fmt.Sprintf(`{"schemas":[%q],%q:%q}`, schema, attr, name)
	x, _ := doBounded(t, c, Request{Method: http.MethodPost, Path: path, Body: []byte(body)})
	var doc struct{ ID string }
	if x.Status != http.StatusCreated || json.Unmarshal(x.RespBody, &doc) != nil || doc.ID == "" {
		t.Fatalf("POST %s %s: %s %s", path, name, x.StatusLine(), x.RespBody)
	}
	return doc.ID
}

// wantRefused checks that x was refused before sending and says why.
func wantRefused(t *testing.T, x *Exchange, method, path string) {
	t.Helper()
	if !errors.Is(x.Err, ErrNotOwned) || x.Status != 0 || x.Attempts != 0 {
		t.Fatalf("%s %s: err %v, status %d, attempts %d; want refused before sending", method, path, x.Err, x.Status, x.Attempts)
	}
	if msg := x.Err.Error(); !strings.HasPrefix(msg, "refused to "+method+" ") {
		t.Errorf("refusal message %q does not name the request", msg)
	}
}

func TestGuardLetsTheRunChangeWhatItCreated(t *testing.T) {
	t.Parallel()
	c, other, cc, _ := guardedTarget(t, "")
	cases := []struct {
		name       string
		path, attr string
		value      string
		by         *Client
	}{
		{"user created by the run", "/Users", "userName", guardPrefix + "alice@example.com", c},
		{"prefix in another case", "/Users", "userName", strings.ToUpper(guardPrefix) + "bob@example.com", c},
		{"group created by the run", "/Groups", "displayName", guardPrefix + "team", c},
		{"resource named with the prefix by someone else, then listed", "/Users", "userName", guardPrefix + "listed@example.com", other},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := create(t, tc.by, tc.path, tc.attr, tc.value)
			if tc.by == other { // the run sees it only through a listing
				q := "filter=" + url.QueryEscape(tc.attr+` eq "`+tc.value+`"`)
				if x, _ := doBounded(t, c, Request{Path: tc.path, RawQuery: q}); x.Status != 200 {
					t.Fatalf("list: %s", x.StatusLine())
				}
			}
			path := tc.path + "/" + id
			patch := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"externalId","value":"x"}]}`
			for _, r := range []Request{{Method: "PATCH", Path: path, Body: []byte(patch)}, {Method: "DELETE", Path: path}} {
				x, _ := doBounded(t, c, r)
				if x.Err != nil || x.Status/100 != 2 {
					t.Errorf("%s %s: %s %v", r.Method, r.Path, x.StatusLine(), x.Err)
				}
			}
			if n := cc.count("DELETE /" + strings.TrimPrefix(path, "/")); n != 1 {
				t.Errorf("the target saw %d DELETEs of %s, want 1", n, path)
			}
		})
	}
}

func TestGuardRefusesWhatTheRunDidNotCreate(t *testing.T) {
	t.Parallel()
	c, other, cc, _ := guardedTarget(t, "")
	foreignUser := create(t, other, "/Users", "userName", "real.person@example.com")
	foreignGroup := create(t, other, "/Groups", "displayName", "Payroll")
	otherRun := create(t, other, "/Users", "userName", "scimc-ffffff-u1@example.com")
	ours := create(t, c, "/Users", "userName", guardPrefix+"u1@example.com")
	// The run lists everything (as a target ignoring the filter answers)
	// and reads the foreign user: neither makes it the run's own.
	for _, p := range []string{"/Users", "/Groups", "/Users/" + foreignUser} {
		if x, _ := doBounded(t, c, Request{Path: p}); x.Status != 200 {
			t.Fatalf("GET %s: %s", p, x.StatusLine())
		}
	}
	if x, _ := doBounded(t, c, Request{Method: "POST", Path: "/Users/.search", Body: []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}`)}); x.Status != 200 {
		t.Fatalf("POST /Users/.search: %s", x.StatusLine())
	}
	put := []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"hijacked"}`)
	cases := []struct {
		name string
		req  Request
	}{
		{"DELETE a foreign user", Request{Method: "DELETE", Path: "/Users/" + foreignUser}},
		{"PUT a foreign user", Request{Method: "PUT", Path: "/Users/" + foreignUser, Body: put}},
		{"PATCH a foreign group", Request{Method: "PATCH", Path: "/Groups/" + foreignGroup, Body: []byte(`{}`)}},
		{"DELETE another run's user", Request{Method: "DELETE", Path: "/Users/" + otherRun}},
		{"DELETE the run's user id as a group", Request{Method: "DELETE", Path: "/Groups/" + ours}},
		{"POST onto a foreign user", Request{Method: "POST", Path: "/Users/" + foreignUser, Body: put}},
		{"method override on a GET", Request{Method: "GET", Path: "/Users/" + foreignUser, Header: http.Header{"X-HTTP-Method-Override": {"DELETE"}}}},
		{"DELETE the whole collection", Request{Method: "DELETE", Path: "/Users"}},
		{"dot segments around a run's id", Request{Method: "DELETE", Path: "/Users/" + ours + "/../" + foreignUser}},
		{"lower-case collection", Request{Method: "DELETE", Path: "/users/" + foreignUser}},
	}
	for _, tc := range cases {
		x, _ := doBounded(t, c, tc.req)
		method := tc.req.Method
		if o := tc.req.Header["X-HTTP-Method-Override"]; len(o) > 0 {
			method = o[0] // the refusal names what the target would have done
		}
		t.Run(tc.name, func(t *testing.T) { wantRefused(t, x, method, tc.req.Path) })
	}
	x, _ := doBounded(t, c, Request{Method: "DELETE", Path: "/Users/" + foreignUser})
	want := "refused to DELETE /Users/" + foreignUser + ": this run did not create it (no answer from the target showed it carrying the run prefix " + guardPrefix + ")"
	if x.Err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", x.Err, want)
	}
	for _, m := range []string{"DELETE", "PUT", "PATCH"} {
		if n := cc.count(m); n != 0 {
			t.Errorf("the target saw %d %s requests; every one should have been refused", n, m)
		}
	}
	for _, id := range []string{foreignUser, otherRun} {
		if x, _ := doBounded(t, other, Request{Path: "/Users/" + id}); x.Status != 200 {
			t.Errorf("foreign user %s: %s after the run", id, x.StatusLine())
		}
	}
}

// A created answer decides by its name; one that leaves the name out, by
// the request's.
func TestGuardLearnsCreatesFromTheAnswerOrTheRequest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		sent        string // userName in the request
		answer      string // the created answer's body
		status      int
		id          string // the id the run then deletes
		wantRefused bool
	}{
		{"answer carries the prefix", guardPrefix + "a", `{"id":"a1","userName":"` + guardPrefix + `a"}`, 201, "a1", false},
		{"answer leaves the name out", guardPrefix + "b", `{"id":"b1"}`, 201, "b1", false},
		{"answer names someone else", guardPrefix + "c", `{"id":"c1","userName":"ceo@example.com"}`, 201, "c1", true},
		{"answer without the name, request without the prefix", "d@example.com", `{"id":"d1"}`, 201, "d1", true},
		{"answer is 200 with the name in another case", guardPrefix + "e", `{"id":"e1","UserName":"` + guardPrefix + `e"}`, 200, "e1", false},
		{"answer is an error", guardPrefix + "f", `{"id":"f1","userName":"` + guardPrefix + `f"}`, 409, "f1", true},
		{"answer is not JSON", guardPrefix + "g", `<html>`, 201, "g1", true},
		{"answer has a number for an id", guardPrefix + "h", `{"id":7,"userName":"` + guardPrefix + `h"}`, 201, "7", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var deletes atomic.Int32
			srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
				switch r.Method {
				case http.MethodPost:
					w.WriteHeader(tc.status)
					fmt.Fprint(w, tc.answer)
				case http.MethodDelete:
					deletes.Add(1)
					w.WriteHeader(http.StatusNoContent)
				}
			})
			c := newTestClient(t, srv, Config{RunID: guardRunID})
			doBounded(t, c, Request{Method: "POST", Path: "/Users", Body: []byte(`{"userName":"` + tc.sent + `"}`)})
			x, _ := doBounded(t, c, Request{Method: "DELETE", Path: "/Users/" + tc.id})
			if tc.wantRefused {
				wantRefused(t, x, "DELETE", "/Users/"+tc.id)
				if n := deletes.Load(); n != 0 {
					t.Errorf("%d DELETEs reached the target", n)
				}
			} else if x.Err != nil || deletes.Load() != 1 {
				t.Errorf("DELETE: %v, %d sent; want it sent", x.Err, deletes.Load())
			}
		})
	}
}

// The guard reads the path the client sends, however the caller wrote it.
func TestGuardResolvesPathsAsTheClientSendsThem(t *testing.T) {
	t.Parallel()
	c, other, cc, srvURL := guardedTarget(t, "/scim/v2")
	ours := create(t, c, "/Users", "userName", guardPrefix+"paths@example.com")
	foreign := create(t, other, "/Users", "userName", "paths@example.com")
	cases := []struct {
		name    string
		path    string
		allowed bool
	}{
		{"relative without a slash", "Users/" + ours, true},
		{"trailing slash", "/Users/" + ours + "/", true},
		{"doubled slash", "//Users//" + ours, true},
		{"absolute meta.location", srvURL + "/scim/v2/Users/" + ours, true},
		{"absolute URL of a foreign user", srvURL + "/scim/v2/Users/" + foreign, false},
		{"absolute URL outside the base path", srvURL + "/Users/" + foreign, false},
		{"made-up id with the run prefix", "/Users/" + url.PathEscape(guardPrefix+"no such user"), true},
		{"made-up id, prefix escaped", "/Users/%73cimc-0a1b2c-none", true},
		{"escaped foreign id", "/Users/" + url.PathEscape(foreign), false},
		{"foreign id with a query", "/Users/" + foreign + "?attributes=id", false},
	}
	for _, tc := range cases {
		x, _ := doBounded(t, c, Request{Method: "DELETE", Path: tc.path})
		if tc.allowed {
			if x.Err != nil || (x.Status/100 != 2 && x.Status != 404) {
				t.Errorf("%s: DELETE %s: %s %v; want it sent", tc.name, tc.path, x.StatusLine(), x.Err)
			}
			continue
		}
		wantRefused(t, x, "DELETE", tc.path)
	}
	if n := cc.count("DELETE /scim/v2/Users/" + foreign); n != 0 {
		t.Errorf("the foreign user got %d DELETEs", n)
	}
}

func TestGuardIsOffWithoutRunID(t *testing.T) {
	t.Parallel()
	_, other, cc, _ := guardedTarget(t, "")
	id := create(t, other, "/Users", "userName", "someone@example.com")
	if x, _ := doBounded(t, other, Request{Method: "DELETE", Path: "/Users/" + id}); x.Err != nil || x.Status != 204 {
		t.Fatalf("unguarded DELETE: %s %v", x.StatusLine(), x.Err)
	}
	if other.RunPrefix() != "" || cc.count("DELETE") != 1 {
		t.Errorf("prefix %q, %d DELETEs", other.RunPrefix(), cc.count("DELETE"))
	}
}

func TestWithRunIDGuardsACopy(t *testing.T) {
	t.Parallel()
	_, other, _, _ := guardedTarget(t, "")
	id := create(t, other, "/Users", "userName", "copy@example.com")
	g, err := other.WithRunID(guardRunID)
	if err != nil {
		t.Fatal(err)
	}
	if g.RunPrefix() != guardPrefix || g.Config().RunID != guardRunID || other.Config().RunID != "" {
		t.Errorf("prefix %q, run ids %q and %q", g.RunPrefix(), g.Config().RunID, other.Config().RunID)
	}
	x, _ := doBounded(t, g, Request{Method: "DELETE", Path: "/Users/" + id})
	wantRefused(t, x, "DELETE", "/Users/"+id)
	for _, bad := range []string{"", "scimc-", "scimc x", `scimc"1`, strings.Repeat("a", maxRunID+1)} {
		if _, err := other.WithRunID(bad); err == nil {
			t.Errorf("WithRunID(%q): no error", bad)
		}
		if _, err := New(Config{Target: "http://127.0.0.1:9", RunID: bad}); bad != "" && (err == nil || !strings.Contains(err.Error(), "run id")) {
			t.Errorf("New with RunID %q: %v", bad, err)
		}
	}
}

func TestMentioned(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body string
		want bool
	}{
		{"", false},
		{"scimc-0a1b", false},
		{`{"userName":"SCIMC-0A1B2C-x"}`, true},
		{`sssss scimc-0a1b2c`, false},
		{`Sx sX scimc-0a1b2c-`, true},
		{`\u0073cimc-0a1b2c-`, false},
		{"\u017fcimc-0a1b2c-", false}, // ſ folds to s, but not as ASCII
	}
	o := newOwnership(guardRunID)
	for _, tc := range cases {
		if got := o.mentioned([]byte(tc.body)); got != tc.want {
			t.Errorf("mentioned(%q) = %v, want %v", tc.body, got, tc.want)
		}
	}
}

func FuzzSplitTargetPath(f *testing.F) {
	for _, s := range []string{"http://h/scim/Users/abc", "http://h/scim/Users/%2e%2e/x", "http://h//Users//a%2Fb/", "http://h", "http://h/scim?x=/Users/y", "http://h/%zz"} {
		f.Add(s, "/scim")
	}
	f.Fuzz(func(t *testing.T, u, base string) {
		tp, err := splitTargetPath(u, base)
		if err != nil {
			return
		}
		for _, seg := range tp.segs {
			if seg == "" {
				t.Fatalf("%q: empty segment in %q", u, tp.segs)
			}
			if (seg == "." || seg == "..") && !tp.dotted {
				t.Fatalf("%q: dot segment not flagged", u)
			}
		}
		// Whatever the path, a guarded DELETE is sent only when every
		// collection segment is followed by an id the run owns.
		o := newOwnership(guardRunID)
		if o.check(http.MethodDelete, tp) == nil {
			for i, seg := range tp.segs {
				if collectionOf(seg) != noCollection && (i+1 == len(tp.segs) || !hasPrefixFold(tp.segs[i+1], guardPrefix)) {
					t.Fatalf("%q: DELETE allowed on %q", u, tp.segs)
				}
			}
		}
	})
}

func TestUnusedIDMayBeAddressedAndIsFresh(t *testing.T) {
	t.Parallel()
	c, _, cc, _ := guardedTarget(t, "")
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for _, coll := range []string{"/Users", "/Groups"} {
		id := c.UnusedID()
		if !uuid.MatchString(id) || seen[id] {
			t.Fatalf("UnusedID() = %q: want a fresh version-4 UUID", id)
		}
		seen[id] = true
		x, _ := doBounded(t, c, Request{Method: http.MethodDelete, Path: coll + "/" + id})
		if x.Err != nil || x.Status != http.StatusNotFound {
			t.Fatalf("DELETE %s/%s: %s %v; want it sent and answered 404", coll, id, x.StatusLine(), x.Err)
		}
		if n := cc.count("DELETE " + coll + "/" + id); n != 1 {
			t.Errorf("the target saw %d DELETEs of %s/%s, want 1", n, coll, id)
		}
	}
	// Any other id of the same shape is still refused.
	x, _ := doBounded(t, c, Request{Method: http.MethodDelete, Path: "/Users/8f0c2a53-1d9e-4b7a-9c3e-5a1f2b3c4d5e"})
	wantRefused(t, x, http.MethodDelete, "/Users/8f0c2a53-1d9e-4b7a-9c3e-5a1f2b3c4d5e")
}
