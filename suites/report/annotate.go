package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/suites/framework"
)

// annotate returns the Ginkgo reports that junit.xml and report.json are
// written from. In both, every failure message states the rules its spec
// enforces, a failure whose baseline entry expired says so, and
// SuiteSucceeded is the run's verdict once the baseline is applied. In
// report.json an accepted failure keeps its state and carries an
// EntryAccepted entry; in junit.xml it is a skipped test case whose message
// starts "accepted deviation", so that CI counts it apart from failures.
// What the baseline's other entries did is recorded as notices on the
// suite's setup node.
func annotate(r types.Report, s Summary) (forJSON, forJUnit types.Report) {
	forJSON, forJUnit = r, r
	forJSON.SpecReports = slices.Clone(r.SpecReports)
	forJUnit.SpecReports = slices.Clone(r.SpecReports)
	forJSON.SuiteSucceeded, forJUnit.SuiteSucceeded = s.Succeeded, s.Succeeded
	for _, a := range s.Areas {
		for _, sp := range a.Specs {
			if sp.Verdict != Fail && sp.Verdict != Accepted {
				continue
			}
			j, u := &forJSON.SpecReports[sp.index], &forJUnit.SpecReports[sp.index]
			msg := framework.WithRules(j.Failure.Message, sp.Rules)
			if e := sp.AcceptedBy; e != nil && sp.Verdict == Fail {
				msg += fmt.Sprintf("\nthe -accept entry at line %d of %s accepted this failure until %s; it has expired, so the failure counts again",
					e.Line, s.Baseline.File, e.Expires.Format(time.DateOnly))
			}
			j.Failure.Message, u.Failure.Message = msg, msg
			if sp.Verdict != Accepted {
				continue
			}
			note := fmt.Sprintf("accepted deviation: line %d of %s%s: %s", sp.AcceptedBy.Line, s.Baseline.File, entryDetail(*sp.AcceptedBy, s.Baseline.Now), sp.AcceptedBy.Reason)
			j.ReportEntries = append(slices.Clone(j.ReportEntries), reportEntry(framework.EntryAccepted, note))
			u.State = types.SpecStateSkipped
			u.Failure.Message = note + "\n\n" + msg
		}
	}
	if notes := baselineNotices(s); len(notes) > 0 {
		for _, rep := range []*types.Report{&forJSON, &forJUnit} {
			i := slices.IndexFunc(rep.SpecReports, func(sr types.SpecReport) bool {
				return sr.LeafNodeType.Is(types.NodeTypeSynchronizedBeforeSuite | types.NodeTypeBeforeSuite)
			})
			if i < 0 {
				continue
			}
			setup := &rep.SpecReports[i]
			setup.ReportEntries = slices.Clone(setup.ReportEntries)
			for _, n := range notes {
				setup.ReportEntries = append(setup.ReportEntries, reportEntry(framework.EntryNotice, n))
			}
		}
	}
	return forJSON, forJUnit
}

// baselineNotices describe the entries of the -accept file that accepted
// nothing or have expired.
func baselineNotices(s Summary) []string {
	o := s.Baseline
	if o == nil {
		return nil
	}
	var out []string
	for _, u := range o.Unused {
		out = append(out, fmt.Sprintf("%s line %d, %s, accepted nothing: %s; remove it so the file shrinks", o.File, u.Entry.Line, u.Entry.What(), u.Why))
	}
	for _, e := range o.Expired {
		specs := "no spec it names failed"
		if len(e.Specs) > 0 {
			specs = "these failures count again: " + strings.Join(e.Specs, "; ")
		}
		out = append(out, fmt.Sprintf("%s line %d, %s, %s and accepts nothing: %s", o.File, e.Entry.Line, e.Entry.What(), e.Entry.ExpiryText(o.Now), specs))
	}
	return out
}

// reportEntry builds a report entry as Ginkgo records one.
func reportEntry(name, value string) types.ReportEntry {
	return types.ReportEntry{Name: name, Value: types.WrapEntryValue(value), Visibility: types.ReportEntryVisibilityNever}
}
