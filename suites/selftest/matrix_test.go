package selftest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// matrixFile holds the declared sets: per fault the specs it makes fail,
// the SHOULD-level specs it makes warn and the specs it leaves unjudged
// (skipped), and the specs no fault catches with the reason.
const matrixFile = "testdata/matrix.json"

// matrix is the content of matrixFile.
type matrix struct {
	Faults    map[string]declared `json:"faults"`
	Uncovered map[string]string   `json:"uncovered"` // spec -> why no fault catches it
}

// declared is what one fault is declared to trip. Skips are not failures,
// but a spec a fault leaves unjudged is a verdict the run does not give:
// they are declared so that a change that skips more is seen in review.
type declared struct {
	Fails []string `json:"fails"`
	Warns []string `json:"warns,omitempty"`
	Skips []string `json:"skips,omitempty"`
}

func loadMatrix() (matrix, error) {
	var m matrix
	data, err := os.ReadFile(matrixFile)
	if err != nil {
		return m, fmt.Errorf("read the declared matrix: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("parse %s: %w", matrixFile, err)
	}
	return m, nil
}

// writeMatrix rewrites matrixFile, sorted, for -update.
func writeMatrix(m matrix) error {
	for name, d := range m.Faults {
		sort.Strings(d.Fails)
		sort.Strings(d.Warns)
		sort.Strings(d.Skips)
		if d.Fails == nil {
			d.Fails = []string{}
		}
		m.Faults[name] = d
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(matrixFile), 0o755); err != nil {
		return err
	}
	return os.WriteFile(matrixFile, append(data, '\n'), 0o644)
}

// setDiff returns the elements of a not in b and of b not in a.
func setDiff(a, b []string) (onlyA, onlyB []string) {
	for _, x := range a {
		if !slices.Contains(b, x) {
			onlyA = append(onlyA, x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			onlyB = append(onlyB, x)
		}
	}
	return onlyA, onlyB
}

// mismatch explains how a fault's observed sets differ from its declared
// ones, or returns "" when they agree.
func mismatch(fault string, want declared, got runResult) string {
	var b strings.Builder
	section := func(title string, names []string, withMessage bool) {
		if len(names) == 0 {
			return
		}
		fmt.Fprintf(&b, "  %s (%d):\n", title, len(names))
		for _, n := range names {
			fmt.Fprintf(&b, "    - %s\n", n)
			if withMessage {
				if msg := firstLines(got.message(n), 3); msg != "" {
					fmt.Fprintf(&b, "        %s\n", strings.ReplaceAll(msg, "\n", "\n        "))
				}
			}
		}
	}
	extraFail, missingFail := setDiff(got.names(failed), want.Fails)
	extraWarn, missingWarn := setDiff(got.names(warned), want.Warns)
	extraSkip, missingSkip := setDiff(got.names(skipped), want.Skips)
	section("failing, not declared", extraFail, true)
	section("declared failing, but did not fail", missingFail, false)
	section("warning, not declared", extraWarn, false)
	section("declared warning, but did not warn", missingWarn, false)
	section("skipped, not declared", extraSkip, true)
	section("declared skipped, but was judged", missingSkip, false)
	if b.Len() == 0 {
		return ""
	}
	return fmt.Sprintf("fault %s: the specs it trips differ from %s:\n%s"+
		"if the new sets are right, run `go test ./suites/selftest -update` and review the diff of %s",
		fault, matrixFile, b.String(), matrixFile)
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}
