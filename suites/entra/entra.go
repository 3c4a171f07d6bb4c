package entra

import (
	"context"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/idp/entra"
	"github.com/scimconform/scimconform/runner/sequence"
	"github.com/scimconform/scimconform/suites/framework"
)

var _ = declareAll()

// declareAll declares one container per sequence and dialect. A sequence
// file that does not load becomes one failing spec saying why, so a broken
// fixture can never make the area silently empty.
func declareAll() bool {
	seqs, err := sequence.Load("entra", entra.Funcs())
	if err != nil {
		return framework.Describe("Entra sequences", ginkgo.Label(framework.LabelEntra, framework.LabelSourceEntra, framework.LabelMust),
			func(*framework.F) {
				framework.It("load from fixtures/sequences/entra", func() {
					ginkgo.Fail(fmt.Sprintf("load the Entra sequences: %v", err))
				})
			})
	}
	for _, s := range seqs {
		for _, d := range sequence.Dialects() {
			if s.AppliesTo(d) {
				declare(s, d)
			}
		}
	}
	return true
}

// ContainerName is the name of the container replaying s in dialect d.
func ContainerName(s *sequence.Sequence, d sequence.Dialect) string {
	return fmt.Sprintf("Entra %s (%s)", s.Name, d)
}

// declare replays s in dialect d as one Ordered container that goes on
// after a failed spec (ContinueOnFailure): the replay itself skips, with
// the reason, only the steps whose dependencies a failed step left unmet
// (runner.Replay), so every other step is judged.
func declare(s *sequence.Sequence, d sequence.Dialect) {
	steps := s.For(d).Steps
	framework.Describe(ContainerName(s, d), ginkgo.Ordered, ginkgo.ContinueOnFailure, ginkgo.Label(labels(s, d)...), func(f *framework.F) {
		var replay *runner.Replay
		ginkgo.BeforeAll(func() {
			run := &runner.Run{Client: f.Client, App: f.App, Dialect: d, RunID: f.RunID, Tracker: f.Tracker}
			replay = run.Replay(s)
		})
		for i, st := range steps {
			framework.It(st.Name, framework.Rule(st.Rule), func(ctx context.Context) {
				judge(replay.Step(ctx, i))
			})
		}
	})
}

// labels are the area and source, the dialect, the level and the
// sequence's own labels (those Ginkgo accepts).
func labels(s *sequence.Sequence, d sequence.Dialect) []string {
	out := []string{framework.LabelEntra, framework.LabelSourceEntra, framework.DialectLabel(string(d)), framework.LabelMust}
	for _, l := range s.Labels {
		if clean, err := types.ValidateAndCleanupLabel(l, types.CodeLocation{}); err == nil {
			out = append(out, clean)
		}
	}
	return out
}

// judge records the step's transcript, violations and warnings on the
// spec, then passes, skips or fails it.
func judge(res runner.StepResult) {
	ginkgo.GinkgoHelper()
	for _, rec := range res.Records {
		framework.Record(rec)
	}
	if len(res.Violations) > 0 {
		ginkgo.AddReportEntry(framework.EntryViolations, res.Violations, ginkgo.ReportEntryVisibilityNever)
	}
	for _, n := range res.Notes {
		ginkgo.By(n)
	}
	for _, w := range res.Warnings {
		framework.Warn(w.String())
	}
	switch res.Verdict {
	case runner.Skip:
		ginkgo.Skip(res.Reason)
	case runner.Fail:
		ginkgo.Fail(FailureMessage(res))
	}
}

// FailureMessage explains a failed step: the rule, every violation, then
// the redacted transcript.
func FailureMessage(res runner.StepResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %q failed", res.Name)
	if res.Reason != "" {
		fmt.Fprintf(&b, ": %s", res.Reason)
	}
	b.WriteString("\n")
	if res.Rule != "" {
		fmt.Fprintf(&b, "rule: %s\n", res.Rule)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if len(res.Violations) > 0 {
		b.WriteString("violations:\n") // the last may count those left out
		for _, v := range res.Violations {
			fmt.Fprintf(&b, "  - %s\n", v.String())
		}
	}
	for _, rec := range res.Records {
		b.WriteString("\n")
		b.WriteString(framework.DescribeRecord(rec))
	}
	return b.String()
}
