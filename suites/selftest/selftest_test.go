package selftest

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/scimconform/scimconform/refserver"
)

var update = flag.Bool("update", false, "rewrite "+matrixFile+" from the observed results")

// maxParallelRuns bounds the suite runs in flight (runSlots).
const maxParallelRuns = 3

// suiteBinary is the conformance suites compiled once by TestMain.
var suiteBinary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "scimconform-selftest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "selftest:", err)
		os.Exit(1)
	}
	suiteBinary, err = buildSuites(dir)
	code := 1
	if err != nil {
		fmt.Fprintln(os.Stderr, "selftest:", err)
	} else {
		code = m.Run()
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// TestFaultMatrix runs the suites without faults (everything passes), then
// once per fault (exactly the declared specs fail or warn), and checks that
// every spec is caught by some fault or listed as uncovered with a reason.
func TestFaultMatrix(t *testing.T) {
	m, err := loadMatrix()
	if err != nil && !*update {
		t.Fatal(err)
	}
	baseline := runAgainst(t)
	if bad := append(baseline.names(failed), baseline.names(warned)...); len(bad) > 0 {
		t.Fatalf("without faults every spec must pass; these failed or warned:\n  %s", strings.Join(bad, "\n  "))
	}
	faults := refserver.FaultNames()
	if !*update {
		for name := range m.Faults {
			if !slices.Contains(faults, name) {
				t.Errorf("%s declares %q, which is not a fault of the reference server", matrixFile, name)
			}
		}
	}

	var mu sync.Mutex
	observed := map[string]runResult{}
	t.Run("fault", func(t *testing.T) {
		for _, name := range faults {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				res := runAgainst(t, name)
				mu.Lock()
				observed[name] = res
				mu.Unlock()
				if *update {
					return
				}
				want, ok := m.Faults[name]
				if !ok {
					t.Errorf("fault %s has no entry in %s; run with -update and review it", name, matrixFile)
					return
				}
				if len(res.names(failed)) == 0 && len(res.names(warned)) == 0 {
					t.Errorf("fault %s: no spec failed or warned: the suites cannot tell this server from a correct one", name)
				}
				if msg := mismatch(name, want, res); msg != "" {
					t.Error(msg)
				}
			})
		}
	})

	summary, uncovered := summarize(faults, observed, baseline)
	t.Log("\n" + summary)
	complete := len(observed) == len(faults)
	if *update {
		updateMatrix(t, m, observed, uncovered, complete)
		return
	}
	if !complete {
		return // -run selected some faults: coverage needs them all
	}
	stale, missing := setDiff(slices.Sorted(maps.Keys(m.Uncovered)), uncovered)
	for _, s := range missing {
		t.Errorf("no fault catches the spec %q; add a fault that does, or list it under \"uncovered\" in %s with the reason", s, matrixFile)
	}
	for _, s := range stale {
		t.Errorf("%s lists %q as uncovered, but a fault catches it (or it no longer exists); remove it", matrixFile, s)
	}
	for s, reason := range m.Uncovered {
		if strings.TrimSpace(reason) == "" || strings.HasPrefix(reason, "TODO") {
			t.Errorf("%s lists %q as uncovered without a reason", matrixFile, s)
		}
	}
}

// summarize renders the matrix (fault, specs failing, warning) and the
// coverage of the run's It specs, and returns the specs no fault caught.
func summarize(faults []string, observed map[string]runResult, baseline runResult) (string, []string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-40s %6s %6s %6s  %s\n", "fault", "fails", "warns", "skips", "caught")
	caught := map[string]bool{}
	for _, name := range faults {
		res, ok := observed[name]
		if !ok {
			fmt.Fprintf(&b, "%-40s %6s %6s %6s  %s\n", name, "-", "-", "-", "not run")
			continue
		}
		f, w := res.names(failed), res.names(warned)
		for _, s := range append(f, w...) {
			caught[s] = true
		}
		verdict := "yes"
		if len(f)+len(w) == 0 {
			verdict = "NO"
		}
		fmt.Fprintf(&b, "%-40s %6d %6d %6d  %s\n", name, len(f), len(w), len(res.names(skipped)), verdict)
	}
	var specs, uncovered []string
	for _, s := range baseline.Specs {
		if s.It && s.Outcome == passed {
			specs = append(specs, s.Name)
			if !caught[s.Name] {
				uncovered = append(uncovered, s.Name)
			}
		}
	}
	sort.Strings(uncovered)
	if len(observed) < len(faults) {
		fmt.Fprintf(&b, "\n%d of %d faults ran: coverage is judged on full runs only\n", len(observed), len(faults))
		return b.String(), uncovered
	}
	pct := 0.0
	if len(specs) > 0 {
		pct = 100 * float64(len(specs)-len(uncovered)) / float64(len(specs))
	}
	fmt.Fprintf(&b, "\n%d faults; %d specs; caught by at least one fault: %d (%.1f%%); uncovered: %d\n",
		len(faults), len(specs), len(specs)-len(uncovered), pct, len(uncovered))
	for _, s := range uncovered {
		fmt.Fprintf(&b, "  uncovered: %s\n", s)
	}
	return b.String(), uncovered
}

// updateMatrix writes the observed sets, keeping the reasons given for
// specs that stay uncovered. After a partial run (-run) only the faults
// that ran are rewritten; the rest of the file stays as it was.
func updateMatrix(t *testing.T, old matrix, observed map[string]runResult, uncovered []string, complete bool) {
	t.Helper()
	m := matrix{Faults: map[string]declared{}, Uncovered: map[string]string{}}
	if !complete {
		m = old
		if m.Faults == nil {
			m.Faults = map[string]declared{}
		}
	}
	for name, res := range observed {
		m.Faults[name] = declared{Fails: res.names(failed), Warns: res.names(warned), Skips: res.names(skipped)}
	}
	if !complete {
		if err := writeMatrix(m); err != nil {
			t.Fatalf("write %s: %v", matrixFile, err)
		}
		t.Logf("rewrote the entries of %d faults in %s; review the diff before committing", len(observed), matrixFile)
		return
	}
	for _, s := range uncovered {
		reason := old.Uncovered[s]
		if reason == "" {
			reason = "TODO: say why no fault catches this spec"
		}
		m.Uncovered[s] = reason
	}
	if err := writeMatrix(m); err != nil {
		t.Fatalf("write %s: %v", matrixFile, err)
	}
	t.Logf("wrote %s; review the diff before committing", matrixFile)
}
