package selftest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadReport(t *testing.T) {
	t.Parallel()
	res, err := readReport("testdata/report-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		outcome outcome
		want    []string
	}{
		{passed, []string{"Users POST /Users with a valid user returns 201 with the user, its id and meta", "[SynchronizedBeforeSuite]"}},
		{warned, []string{"Users POST /Users with a valid user returns the attributes that were sent"}},
		{failed, []string{"Concurrent requests keep every member", "Groups DELETE /Groups/{id} returns 204 with no body", "[SynchronizedAfterSuite]"}},
		{skipped, []string{"Entra user-lifecycle (default) deletes the user with 204"}},
	} {
		got := res.names(tc.outcome)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("outcome %d: got %q, want %q", tc.outcome, got, tc.want)
		}
	}
	if msg := res.message("Groups DELETE /Groups/{id} returns 204 with no body"); !strings.HasPrefix(msg, "Expected status 204") {
		t.Errorf("failure message = %q", msg)
	}
}

func TestReadReportRejectsBrokenReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"not-json.json": "{",
		"empty.json":    "[]",
		"no-specs.json": `[{"SpecReports": []}]`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := readReport(path); err == nil {
			t.Errorf("readReport(%s): no error", name)
		}
	}
	if _, err := readReport(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("readReport of a missing file: no error")
	}
}

func TestMismatchNamesEveryDifference(t *testing.T) {
	t.Parallel()
	got := runResult{Specs: []specResult{
		{Name: "A fails as declared", Outcome: failed},
		{Name: "B fails undeclared", Outcome: failed, Message: "why B failed\nline 2"},
		{Name: "C warns undeclared", Outcome: warned},
		{Name: "D passes", Outcome: passed},
		{Name: "F skipped undeclared", Outcome: skipped, Message: "needs ${userId}"},
	}}
	want := declared{Fails: []string{"A fails as declared", "D passes"}, Warns: []string{"E declared warning"},
		Skips: []string{"G declared skipped"}}
	msg := mismatch("some-fault", want, got)
	for _, part := range []string{
		"fault some-fault",
		"failing, not declared (1):\n    - B fails undeclared\n        why B failed\n        line 2",
		"declared failing, but did not fail (1):\n    - D passes",
		"warning, not declared (1):\n    - C warns undeclared",
		"declared warning, but did not warn (1):\n    - E declared warning",
		"skipped, not declared (1):\n    - F skipped undeclared\n        needs ${userId}",
		"declared skipped, but was judged (1):\n    - G declared skipped",
		"-update",
	} {
		if !strings.Contains(msg, part) {
			t.Errorf("the mismatch message lacks %q:\n%s", part, msg)
		}
	}
	same := declared{Fails: []string{"A fails as declared", "B fails undeclared"}, Warns: []string{"C warns undeclared"},
		Skips: []string{"F skipped undeclared"}}
	if msg := mismatch("some-fault", same, got); msg != "" {
		t.Errorf("matching sets gave a mismatch:\n%s", msg)
	}
}

func TestWithoutSCIMEnv(t *testing.T) {
	t.Parallel()
	got := withoutSCIMEnv([]string{"HOME=/h", "SCIM_TARGET=https://x", "SCIM_TOKEN=t", "PATH=/bin", "XSCIM_A=1"})
	want := []string{"HOME=/h", "PATH=/bin", "XSCIM_A=1"}
	if !slices.Equal(got, want) {
		t.Errorf("withoutSCIMEnv = %q, want %q", got, want)
	}
}

// The committed matrix is sorted and names only faults the server has.
func TestMatrixFileIsTidy(t *testing.T) {
	t.Parallel()
	m, err := loadMatrix()
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range m.Faults {
		if !slices.IsSorted(d.Fails) || !slices.IsSorted(d.Warns) {
			t.Errorf("%s: the sets of %s are not sorted; run with -update", matrixFile, name)
		}
		if len(d.Fails)+len(d.Warns) == 0 {
			t.Errorf("%s: fault %s is declared to trip nothing", matrixFile, name)
		}
	}
}
