package load

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixedSummary is a summary with every part filled in, as a run against
// a failing target would produce.
func fixedSummary() *Summary {
	return &Summary{
		RunPrefix: "scimc-1a2b3c-", App: "entra-default", Dialect: "aadOptscim062020",
		Users: 20000, Groups: 10, MembersPerGroup: 50, Concurrency: 16, Rate: 500,
		Started: "2026-11-27T01:00:00Z", ElapsedMS: 41234.5,
		Phases: []PhaseSummary{
			{Name: "initial-users", Unit: "users", Units: 20000, Done: 20000, ElapsedMS: 12500, PerSec: 1600, Complete: true},
			{Name: "initial-groups", Unit: "groups", Units: 10, Done: 10, ElapsedMS: 80.25, PerSec: 124.6, Complete: true},
			{Name: "incremental", Unit: "users", Units: 20000, Done: 7311, ElapsedMS: 9000, PerSec: 812.3},
		},
		Ops: []OpSummary{
			{Op: OpQueryUser, Count: 20000, PerSec: 1600, P50MS: 3.25, P90MS: 8.5, P99MS: 21.75, MaxMS: 130.2},
			{Op: OpCreateUser, Count: 19990, Errors: 12, ErrorsByStatus: map[string]uint64{"500": 9, "transport": 1, "verify": 2},
				PerSec: 1599.2, P50MS: 4.5, P90MS: 11.25, P99MS: 40.5, MaxMS: 1250},
			{Op: OpPatchMembers, Count: 50, Errors: 1, ErrorsByStatus: map[string]uint64{"429": 1}, PerSec: 623, P50MS: 0.52, P90MS: 1.5, P99MS: 2.25, MaxMS: 2.25},
		},
		Requests: 40040, Errors: 13,
		Stopped: "duration cap 10s reached",
		Residue: Residue{Found: 3, Deleted: 3},
		Failures: []Failure{{
			Op: OpCreateUser, Status: "500", Step: "initial cycle creates the user",
			Problems: []string{"status: got HTTP 500, want 201"},
			Record: scimclient.Record{Method: "POST", URL: "http://127.0.0.1:8080/Users",
				ReqHeader: map[string][]string{"Authorization": {"[REDACTED]"}, "Content-Type": {"application/scim+json"}},
				ReqBody:   `{"userName":"scimc-1a2b3c-u7-main-0a1b@example.com"}`, Status: 500,
				RespHeader: map[string][]string{"Content-Type": {"application/scim+json"}},
				RespBody:   `{"status":"500","detail":"injected"}`, DurationMS: 2.5, Attempts: 1},
		}},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestSummaryTableGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := fixedSummary().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.golden.txt", b.Bytes())
}

func TestSummaryJSONGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := fixedSummary().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "summary.golden.json", b.Bytes())
}

func TestSummaryOK(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		edit func(s *Summary)
		want bool
	}{
		{"clean", func(s *Summary) {}, true},
		{"errors", func(s *Summary) { s.Errors = 1 }, false},
		{"stopped", func(s *Summary) { s.Stopped = "interrupted" }, false},
		{"residue left", func(s *Summary) { s.Residue.Left = 2 }, false},
		{"kept on purpose", func(s *Summary) { s.Residue = Residue{Skipped: true} }, true},
	}
	for _, c := range cases {
		s := &Summary{}
		c.edit(s)
		if s.OK() != c.want {
			t.Errorf("%s: OK() = %v, want %v", c.name, s.OK(), c.want)
		}
	}
}

func TestSummaryFromTallies(t *testing.T) {
	t.Parallel()
	app := testApp(t)
	e := &engine{cfg: Config{RunID: "scimc-000000", App: app, Dialect: sequence.DialectDefault, Users: 4},
		tally: tally{}, active: map[Op]time.Duration{}, fails: &failures{max: 1}}
	w1, w2 := tally{}, tally{}
	w1.add(OpQueryUser, 2*time.Millisecond, "")
	w1.add(OpQueryUser, 4*time.Millisecond, "503")
	w2.add(OpQueryUser, 6*time.Millisecond, "")
	w2.add(OpCreateUser, 10*time.Millisecond, "verify")
	e.tally.merge(w1)
	e.tally.merge(w2)
	e.active[OpQueryUser], e.active[OpCreateUser] = 2*time.Second, time.Second
	s := e.summary(time.Now(), "", Residue{})
	if len(s.Ops) != 2 || s.Ops[0].Op != OpQueryUser || s.Ops[1].Op != OpCreateUser {
		t.Fatalf("ops %+v, want query-user then create-user", s.Ops)
	}
	q := s.Ops[0]
	if q.Count != 3 || q.Errors != 1 || q.ErrorsByStatus["503"] != 1 || q.PerSec != 1.5 || math.Abs(q.P50MS-4)/4 > relErr || q.MaxMS != 6 {
		t.Errorf("query-user %+v", q)
	}
	if s.Requests != 4 || s.Errors != 2 || s.OK() {
		t.Errorf("totals: %d requests, %d errors, OK %v", s.Requests, s.Errors, s.OK())
	}
	if s.RunPrefix != "scimc-000000-" || s.App != app.Name {
		t.Errorf("prefix %q, app %q", s.RunPrefix, s.App)
	}
}
