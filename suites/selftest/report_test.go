package selftest

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// warningEntry is the name of the report entry the framework records for a
// SHOULD-level spec that failed (framework.EntryWarning).
const warningEntry = "scimconform.warning"

// outcome is how a spec ended.
type outcome int

const (
	passed outcome = iota
	warned         // passed with a SHOULD-level warning
	failed
	skipped
)

// specResult is one spec of a run: its full name and outcome.
type specResult struct {
	Name     string
	Outcome  outcome
	It       bool     // an It (not a suite-level node such as the residue check)
	Message  string   // the failure message, for diagnostics
	Warnings []string // the texts of its SHOULD-level warnings
}

// runResult is what one run of the suites showed.
type runResult struct {
	Specs []specResult
}

// names returns the sorted names of the specs with outcome o.
func (r runResult) names(o outcome) []string {
	var out []string
	for _, s := range r.Specs {
		if s.Outcome == o {
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out
}

// message returns the failure message of the named spec.
func (r runResult) message(name string) string {
	for _, s := range r.Specs {
		if s.Name == name {
			return s.Message
		}
	}
	return ""
}

// jsonReport is the part of Ginkgo's report.json the matrix reads.
type jsonReport []struct {
	SpecReports []struct {
		ContainerHierarchyTexts []string
		LeafNodeType            string
		LeafNodeText            string
		State                   string
		Failure                 struct {
			Message string
		}
		ReportEntries []struct {
			Name  string
			Value struct {
				AsJSON string
			}
		}
	}
}

// readReport parses the report.json of one run.
func readReport(path string) (runResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return runResult{}, fmt.Errorf("read the suite report: %w", err)
	}
	var rep jsonReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return runResult{}, fmt.Errorf("parse the suite report %s: %w", path, err)
	}
	var res runResult
	for _, suite := range rep {
		for _, s := range suite.SpecReports {
			r := specResult{Name: specName(s.ContainerHierarchyTexts, s.LeafNodeType, s.LeafNodeText),
				It: s.LeafNodeType == "It", Message: s.Failure.Message}
			switch s.State {
			case "passed":
				r.Outcome = passed
				for _, e := range s.ReportEntries {
					if e.Name == warningEntry {
						r.Outcome = warned
						var text string
						if json.Unmarshal([]byte(e.Value.AsJSON), &text) == nil {
							r.Warnings = append(r.Warnings, text)
						}
					}
				}
			case "skipped", "pending":
				r.Outcome = skipped
			default: // failed, panicked, timedout, interrupted, aborted
				r.Outcome = failed
			}
			res.Specs = append(res.Specs, r)
		}
	}
	if len(res.Specs) == 0 {
		return res, fmt.Errorf("the suite report %s holds no specs", path)
	}
	return res, nil
}

// specName is a spec's full text as Ginkgo prints it (containers and leaf
// joined by spaces); suite-level nodes are named by their type, e.g.
// "[SynchronizedAfterSuite]".
func specName(containers []string, nodeType, text string) string {
	if nodeType != "It" {
		return strings.TrimSpace("[" + nodeType + "] " + text)
	}
	return strings.Join(append(append([]string{}, containers...), text), " ")
}
