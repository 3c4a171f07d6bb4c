package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scimconform/scimconform/refserver/refservertest"
	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/scimclient"
)

// sweeps counts the sweep's listings (a GET with an "sw" filter) and every
// DELETE that reaches the target, and answers the listings itself when
// answer is not nil.
type sweeps struct {
	listings, deletes atomic.Int64
	answer            http.HandlerFunc
}

func (s *sweeps) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodDelete:
			s.deletes.Add(1)
		case r.Method == http.MethodGet && strings.Contains(r.URL.Query().Get("filter"), " sw "):
			s.listings.Add(1)
			if s.answer != nil {
				s.answer(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// seedUsers creates users named names through an unguarded client and
// returns their paths.
func seedUsers(t *testing.T, target string, names ...string) []string {
	t.Helper()
	c := testClient(t, target)
	var paths []string
	for _, n := range names {
		body := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":%q}`, n)
		x := c.Do(context.Background(), scimclient.Request{Method: "POST", Path: "/Users", Body: []byte(body)})
		var doc struct{ ID string }
		if x.Status != http.StatusCreated || json.Unmarshal(x.RespBody, &doc) != nil {
			t.Fatalf("seed %s: %s %s", n, x.StatusLine(), x.RespBody)
		}
		paths = append(paths, "/Users/"+doc.ID)
	}
	return paths
}

func surviving(t *testing.T, target string, paths []string) int {
	t.Helper()
	c := testClient(t, target)
	n := 0
	for _, p := range paths {
		if c.Do(context.Background(), scimclient.Request{Path: p}).Status == http.StatusOK {
			n++
		}
	}
	return n
}

func TestSweepOfATargetIgnoringTheFilterDeletesNothingForeign(t *testing.T) {
	t.Parallel()
	var sw sweeps
	target := refTarget(t, func(h http.Handler) http.Handler { return sw.wrap(refservertest.IgnoreFilter(h)) })
	foreign := seedUsers(t, target, "ada@example.com", "grace@example.com", "linus@example.com", "scimc-ffffff-u1@example.com")
	var progress bytes.Buffer
	s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t), Users: 5, Concurrency: 2, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if n := surviving(t, target, foreign); n != len(foreign) {
		t.Fatalf("%d of %d foreign users survived the run", n, len(foreign))
	}
	if s.OK() || !strings.HasPrefix(s.Residue.Unverified, "could not verify: ") || !strings.Contains(s.Residue.Unverified, "the target did not apply the filter") {
		t.Errorf("OK %v, residue %+v; want the ignored filter reported and the run not OK", s.OK(), s.Residue)
	}
	if s.Residue.Rounds != 1 || sw.listings.Load() != 2 {
		t.Errorf("%d rounds, %d listings: an ignored filter ends the sweep at once", s.Residue.Rounds, sw.listings.Load())
	}
	var table bytes.Buffer
	if err := s.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if out := table.String(); strings.Contains(out, "0 found after cleanup") || !strings.Contains(out, "could not verify") {
		t.Errorf("the table claims a clean sweep:\n%s", out)
	}
	if !strings.Contains(progress.String(), "load: sweep round 1: ") {
		t.Errorf("no progress line for the sweep:\n%s", progress.String())
	}
}

func TestSweepStopsWhenListingsKeepFailing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		status     int
		body       string
		rounds     int
		wantReason string
	}{
		{"server error", http.StatusInternalServerError, ``, maxFailedRounds, "answered HTTP 500 Internal Server Error"},
		{"not a ListResponse", http.StatusOK, `[]`, maxFailedRounds, "not a ListResponse"},
		{"filter refused", http.StatusBadRequest, `{"scimType":"invalidFilter"}`, 1, "does not support this filter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sw := sweeps{answer: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}}
			target := refTarget(t, sw.wrap)
			var progress bytes.Buffer
			s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t), Users: 5, Concurrency: 2, Progress: &progress})
			if err != nil {
				t.Fatal(err)
			}
			if s.OK() || !strings.HasPrefix(s.Residue.Unverified, "could not verify: ") || !strings.Contains(s.Residue.Unverified, tc.wantReason) {
				t.Errorf("OK %v, unverified %q; want not OK and %q", s.OK(), s.Residue.Unverified, tc.wantReason)
			}
			if s.Residue.Rounds != tc.rounds || sw.listings.Load() != int64(2*tc.rounds) {
				t.Errorf("%d rounds and %d listings, want %d and %d", s.Residue.Rounds, sw.listings.Load(), tc.rounds, 2*tc.rounds)
			}
			if got := strings.Count(progress.String(), "load: sweep round "); got != tc.rounds {
				t.Errorf("%d sweep progress lines, want %d:\n%s", got, tc.rounds, progress.String())
			}
			var js bytes.Buffer
			if err := s.WriteJSON(&js); err != nil || !strings.Contains(js.String(), `"unverified": "could not verify: `) {
				t.Errorf("JSON summary (%v):\n%s", err, js.String())
			}
		})
	}
}

func TestSweepOfA5MBForeignPageSendsNoDelete(t *testing.T) {
	t.Parallel()
	var page bytes.Buffer
	page.WriteString(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":45000,"Resources":[`)
	for i := range 45_000 {
		if i > 0 {
			page.WriteByte(',')
		}
		fmt.Fprintf(&page, `{"id":"ffffffff-0000-4000-8000-%012d","userName":"employee.%d@example.com","displayName":"Employee %d"}`, i, i, i)
	}
	page.WriteString(`]}`)
	if page.Len() < 5<<20 {
		t.Fatalf("page of %d bytes, want 5 MB", page.Len())
	}
	sw := sweeps{answer: func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(page.Bytes()) }}
	target := refTarget(t, sw.wrap)
	s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t), Users: 5, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The five DELETEs of deprovisioning are the run's own users; the
	// sweep sends none.
	if d := sw.deletes.Load(); d != 5 || s.OK() || !strings.Contains(s.Residue.Unverified, "45000 of them without the run prefix") {
		t.Errorf("%d DELETEs (want 5), OK %v, residue %+v", d, s.OK(), s.Residue)
	}
}

// Residue beyond one round's cap is deleted over several rounds, each
// reported, until a listing finds nothing.
func TestSweepDeletesManyLeftoversInCappedRounds(t *testing.T) {
	t.Parallel()
	const runID = "scimc-5eed00"
	const leftovers = 2*runner.DefaultResidueMaxDeletes + 150
	var sw sweeps
	target := refTarget(t, sw.wrap)
	names := make([]string, leftovers)
	for i := range names {
		names[i] = fmt.Sprintf("%s-lost-%d@example.com", runID, i)
	}
	seedUsers(t, target, names...)
	foreign := seedUsers(t, target, "ada@example.com")
	var progress bytes.Buffer
	s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t), RunID: runID, Users: 3, Concurrency: 2, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	want := Residue{Found: leftovers, Deleted: leftovers, Rounds: 4}
	if s.Residue != want || !s.OK() {
		t.Fatalf("residue %+v (OK %v), want %+v\n%s", s.Residue, s.OK(), want, progress.String())
	}
	if d := sw.deletes.Load(); d != leftovers+3 {
		t.Errorf("%d DELETEs, want %d leftovers and the run's 3 users", d, leftovers+3)
	}
	if surviving(t, target, foreign) != 1 {
		t.Error("the foreign user was deleted")
	}
	for _, line := range []string{"sweep round 1: 2150 found under scimc-5eed00-, 1000 deleted, 1150 left", "sweep round 4: 0 found"} {
		if !strings.Contains(progress.String(), line) {
			t.Errorf("progress lacks %q:\n%s", line, progress.String())
		}
	}
}

func TestRunGuardsItsClient(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	base := testClient(t, target)
	guarded, err := base.WithRunID("scimc-abcdef")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), Config{Client: guarded, App: testApp(t), RunID: "scimc-012345", Users: 1, Concurrency: 1}); err == nil || !strings.Contains(err.Error(), "differs from the client's") {
		t.Errorf("a client guarding another run: %v", err)
	}
	s, err := Run(context.Background(), Config{Client: guarded, App: testApp(t), Users: 2, Concurrency: 1})
	if err != nil || s.RunPrefix != "scimc-abcdef-" || !s.OK() {
		t.Errorf("run with the client's run id: prefix %q, err %v", s.RunPrefix, err)
	}
}
