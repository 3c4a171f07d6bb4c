package framework

import (
	"context"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
)

// Rule is a decorator for It naming the requirement a spec enforces, e.g.
// Rule("RFC 7644 §3.3: the response to a successful POST is 201 Created").
// Reports show it next to the spec's verdict.
type Rule string

// It declares a spec, like ginkgo.It, with the level semantics of the
// suite: a spec labelled "should" (on itself or on a container) that fails a
// Gomega assertion does not fail the run; the failure is recorded as a
// warning (report entry EntryWarning, printed on the console and counted in
// reports) and the spec ends as passed. Skips, panics and "must" specs
// behave as usual. A request the server fails on (no response, a 5xx)
// fails the spec whatever its level (see Record).
//
// args are Ginkgo decorators (Label, SpecTimeout, ...), optional Rule
// values, and the body last: func(ctx context.Context) or func().
func It(text string, args ...any) bool {
	if len(args) == 0 {
		return ginkgo.It(text, func() { ginkgo.Fail("framework.It needs a body as its last argument") })
	}
	var rules []string
	var decorators []any
	for _, a := range args[:len(args)-1] {
		if r, ok := a.(Rule); ok {
			rules = append(rules, string(r))
			continue
		}
		decorators = append(decorators, a)
	}
	run, err := bodyFunc(args[len(args)-1])
	if err != nil {
		return ginkgo.It(text, func() { ginkgo.Fail(err.Error()) })
	}
	spec := func(ctx ginkgo.SpecContext) {
		for _, r := range rules {
			ginkgo.AddReportEntry(EntryRule, r, ginkgo.ReportEntryVisibilityNever)
		}
		if !IsShould(ginkgo.CurrentSpecReport().Labels()) {
			run(ctx)
			return
		}
		if err := gomega.InterceptGomegaFailure(func() { run(ctx) }); err != nil {
			Warn(Explain(err.Error()))
		}
	}
	// Offset(1): Ginkgo reports the spec at the caller of framework.It.
	return ginkgo.It(text, append(append([]any{ginkgo.Offset(1)}, decorators...), spec)...)
}

func bodyFunc(b any) (func(context.Context), error) {
	switch fn := b.(type) {
	case func(context.Context):
		return fn, nil
	case func(ginkgo.SpecContext):
		return func(ctx context.Context) { fn(ctx.(ginkgo.SpecContext)) }, nil
	case func():
		return func(context.Context) { fn() }, nil
	}
	return nil, fmt.Errorf("framework.It: the last argument must be func(ctx context.Context) or func(), got %T", b)
}

// IsShould reports whether labels make a spec SHOULD-level. Put the level
// label on the It; "should" wins over a "must" inherited from a container.
func IsShould(labels []string) bool {
	return slices.Contains(labels, LabelShould)
}

// Warn records a warning on the current spec without failing it.
func Warn(message string) {
	ginkgo.AddReportEntry(EntryWarning, message, ginkgo.ReportEntryVisibilityAlways)
}

// Notice records something about the whole run that every report shows
// prominently (from a suite-level node such as the setup).
func Notice(message string) {
	ginkgo.AddReportEntry(EntryNotice, message, ginkgo.ReportEntryVisibilityAlways)
}

// Should runs check inside a spec of any level; a Gomega failure in it is
// recorded as a warning named by description instead of failing the spec.
// Use it for a SHOULD-level detail of a MUST-level spec.
func (f *F) Should(description string, check func()) {
	if err := gomega.InterceptGomegaFailure(check); err != nil {
		Warn(description + ": " + Explain(err.Error()))
	}
}
