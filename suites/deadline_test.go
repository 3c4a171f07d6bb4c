package suites

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/suites/framework"
)

// afterDeadline is the time a run may need once its deadline has passed:
// the cleanup of the spec the deadline interrupted, the residue check, and
// Ginkgo's grace periods and the reports. Under go test at most half of
// go test's -timeout is kept for it.
const afterDeadline = framework.CleanupBudget + residueBudget + time.Minute

// runBound is how long the specs may run: Ginkgo's suite timeout.
type runBound struct {
	timeout time.Duration
	flag    time.Duration // -deadline as configured
	// cut: timeout is below flag so that the run, and the cleanup after
	// it (reserve), end before go test's -timeout would end the process.
	cut     bool
	reserve time.Duration
}

// runDeadline turns -deadline into Ginkgo's suite timeout, lowered when
// go test's -timeout (testEnd, zero when there is none) would otherwise
// end the process, with a panic, before the run and its cleanup end.
func runDeadline(flag time.Duration, testEnd, now time.Time) (runBound, error) {
	b := runBound{timeout: flag, flag: flag}
	if testEnd.IsZero() {
		return b, nil
	}
	left := testEnd.Sub(now)
	if left <= 0 {
		return b, errors.New("go test's -timeout has already passed: raise it, e.g. go test -timeout=60m ./suites")
	}
	b.reserve = min(afterDeadline, left/2)
	if room := left - b.reserve; room < flag {
		b.timeout, b.cut = room, true
	}
	return b, nil
}

// String is the configuration note for the run's bound.
func (b runBound) String() string {
	if b.cut {
		return fmt.Sprintf("-deadline lowered to %v so that the run and its cleanup end before go test's -timeout", b.timeout.Round(time.Second))
	}
	return "-deadline " + b.timeout.String()
}

// passed says that the run stopped at its bound, and what to change.
func (b runBound) passed() string {
	if b.cut {
		return fmt.Sprintf("scimconform: the run stopped after %v, before go test's -timeout, keeping %v of it for cleanup (-deadline %v is longer): the specs not yet run were skipped; raise go test's -timeout, e.g. go test -timeout=60m ./suites",
			b.timeout.Round(time.Second), b.reserve.Round(time.Second), b.flag)
	}
	return fmt.Sprintf("scimconform: the run passed its -deadline of %v (SCIM_DEADLINE) and stopped: the specs not yet run were skipped and cleanup ran after it within its own budget; raise -deadline to run them all",
		b.flag)
}

// stopMessage is the last word of a run that stopped early: because the
// client gave up on the target, or because the run passed its deadline.
func (s *suiteState) stopMessage(now time.Time) string {
	switch {
	case s.aborted != "":
		return "scimconform: " + s.aborted
	case now.After(s.deadlineAt):
		return s.deadline.passed()
	}
	return ""
}

func TestRunDeadline(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		flag    time.Duration
		testEnd time.Time
		want    time.Duration
		cut     bool
		errHas  string
	}{
		{"no go test -timeout", 30 * time.Minute, time.Time{}, 30 * time.Minute, false, ""},
		{"go test leaves room", 30 * time.Minute, now.Add(time.Hour), 30 * time.Minute, false, ""},
		{"go test's default 10m: 5m are kept for cleanup", 30 * time.Minute, now.Add(10 * time.Minute), 10*time.Minute - afterDeadline, true, ""},
		{"a short go test -timeout: half is kept", 30 * time.Minute, now.Add(4 * time.Minute), 2 * time.Minute, true, ""},
		{"a short -deadline within go test's", time.Minute, now.Add(4 * time.Minute), time.Minute, false, ""},
		{"go test's -timeout already passed", 30 * time.Minute, now, 0, false, "raise it, e.g. go test -timeout=60m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := runDeadline(tt.flag, tt.testEnd, now)
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("runDeadline = %+v, %v; want an error saying %q", b, err, tt.errHas)
				}
				return
			}
			if err != nil || b.timeout != tt.want || b.cut != tt.cut {
				t.Fatalf("runDeadline = %+v, %v; want timeout %v, cut %v", b, err, tt.want, tt.cut)
			}
			msg := b.passed()
			for _, want := range []string{"scimconform: the run", "-deadline"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if tt.cut != strings.Contains(msg, "go test's -timeout") {
				t.Errorf("message %q: want go test's -timeout named exactly when it lowered the deadline", msg)
			}
		})
	}
}
