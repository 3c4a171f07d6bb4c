// Package report turns a Ginkgo suite report into scimconform's reports:
// junit.xml, report.json and a self-contained report.html in a report
// directory, and a console summary by area ending with the failed spec
// names ready for -ginkgo.focus, each with its rule and why it failed.
// With a baseline of accepted deviations (-accept), the failures it
// accepts are counted and listed apart and do not fail the run.
package report

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// Verdicts of a spec as reports show them.
const (
	Pass    = "pass"
	Fail    = "fail"
	Skip    = "skip"
	Warning = "warning" // passed, but a SHOULD-level check did not hold
	// Accepted is a failure that the -accept baseline accepts: reported
	// apart, it does not fail the run.
	Accepted = "accepted"
)

// Spec is one spec's outcome with everything needed to explain it.
type Spec struct {
	Name       string // full text: containers and leaf, as -ginkgo.focus matches it
	Container  string // the outermost container's text: reports group specs by it
	Area       string
	Labels     []string
	Verdict    string
	State      string // Ginkgo's state: passed, failed, skipped, panicked, ...
	Rules      []string
	Message    string // failure or skip message
	Location   string // where it failed, file:line
	Warnings   []string
	Violations []framework.Violation
	Exchanges  []scimclient.Record
	Cleanup    string
	Duration   time.Duration
	// AcceptedBy is the baseline entry that accepts this failure (verdict
	// Accepted), or an expired entry that no longer does (verdict Fail).
	AcceptedBy *framework.AcceptEntry

	index int // position in the Ginkgo report's SpecReports
}

// Area groups the specs of one area with their counts.
type Area struct {
	Name                                        string
	Passed, Failed, Accepted, Skipped, Warnings int
	Specs                                       []Spec
}

// Total is the number of specs that ran or were skipped in the area.
func (a Area) Total() int { return a.Passed + a.Failed + a.Accepted + a.Skipped + a.Warnings }

// Summary is the whole run, grouped by area in framework.Areas order.
type Summary struct {
	Suite      string
	Succeeded  bool
	StartTime  time.Time
	RunTime    time.Duration
	Areas      []Area
	Total      Area     // counts over every area
	Failed     []string // full names of failed specs (not suite nodes), in report order
	SuiteNotes []string // failures of suite-level nodes and special reasons
	Info       []Info   // the run's redacted configuration, if known
	// Notices are what the run's setup found that every report must show
	// prominently (framework.Notice), e.g. no usable /ServiceProviderConfig.
	Notices []string
	// UnknownFeature counts the specs skipped because nothing said whether
	// the target supports the optional feature they need.
	UnknownFeature int
	// Baseline is what the -accept file did in this run; nil without one.
	Baseline *BaselineOutcome
}

// suiteArea collects failed suite-level nodes (setup, residue check).
const suiteArea = "suite"

// Build summarises a Ginkgo report. Specs filtered out by labels or focus
// are left out; suite-level nodes appear only when they failed.
func Build(r types.Report) Summary {
	s := Summary{Suite: r.SuiteDescription, Succeeded: r.SuiteSucceeded, StartTime: r.StartTime, RunTime: r.RunTime}
	s.SuiteNotes = append(s.SuiteNotes, r.SpecialSuiteFailureReasons...)
	byArea := map[string]*Area{}
	for i, sr := range r.SpecReports {
		for _, e := range sr.ReportEntries {
			if note := entryString(e, entryJSON(e)); e.Name == framework.EntryNotice && !slices.Contains(s.Notices, note) {
				s.Notices = append(s.Notices, note)
			}
		}
		spec, ok := buildSpec(sr)
		if !ok {
			continue
		}
		spec.index = i
		a := byArea[spec.Area]
		if a == nil {
			a = &Area{Name: spec.Area}
			byArea[spec.Area] = a
		}
		a.Specs = append(a.Specs, spec)
		count(a, spec.Verdict)
		count(&s.Total, spec.Verdict)
		switch {
		case spec.Verdict == Fail && spec.Area == suiteArea:
			s.SuiteNotes = append(s.SuiteNotes, spec.Name+" failed: "+firstLine(spec.Message))
		case spec.Verdict == Fail:
			s.Failed = append(s.Failed, spec.Name)
		case spec.Verdict == Skip && strings.HasPrefix(spec.Message, framework.SkipFeatureUnknown):
			s.UnknownFeature++
		}
	}
	for _, name := range areaOrder(byArea) {
		a := byArea[name]
		// Group by container, keeping the run order inside each one (the
		// order of an Ordered container's steps).
		slices.SortStableFunc(a.Specs, func(x, y Spec) int { return strings.Compare(x.Container, y.Container) })
		s.Areas = append(s.Areas, *a)
	}
	return s
}

func count(a *Area, verdict string) {
	switch verdict {
	case Pass:
		a.Passed++
	case Fail:
		a.Failed++
	case Accepted:
		a.Accepted++
	case Skip:
		a.Skipped++
	case Warning:
		a.Warnings++
	}
}

func areaOrder(byArea map[string]*Area) []string {
	var names []string
	for _, a := range framework.Areas {
		if byArea[a] != nil {
			names = append(names, a)
		}
	}
	var rest []string
	for name := range byArea {
		if !slices.Contains(names, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(names, rest...)
}

func buildSpec(sr types.SpecReport) (Spec, bool) {
	isSpec := sr.LeafNodeType == types.NodeTypeIt
	if !isSpec && !sr.State.Is(types.SpecStateFailureStates) {
		return Spec{}, false
	}
	if sr.State == types.SpecStatePending || (sr.State == types.SpecStateSkipped && sr.Failure.Message == "" && isFilteredOut(sr)) {
		return Spec{}, false
	}
	spec := Spec{
		Name:     specName(sr),
		Labels:   sr.Labels(),
		State:    sr.State.String(),
		Duration: sr.RunTime,
	}
	if len(sr.ContainerHierarchyTexts) > 0 {
		spec.Container = sr.ContainerHierarchyTexts[0]
	}
	spec.Area = framework.AreaOf(spec.Labels)
	if !isSpec {
		spec.Area = suiteArea
	}
	for _, e := range sr.ReportEntries {
		readEntry(&spec, e)
	}
	switch {
	case sr.State.Is(types.SpecStateFailureStates):
		spec.Verdict = Fail
		spec.Message = failureText(sr.Failure)
		spec.Location = sr.Failure.Location.String()
	case sr.State == types.SpecStateSkipped:
		spec.Verdict = Skip
		spec.Message = sr.Failure.Message
	case len(spec.Warnings) > 0:
		spec.Verdict = Warning
	default:
		spec.Verdict = Pass
	}
	return spec, true
}

// isFilteredOut tells specs skipped because a filter excluded them (Ginkgo
// reports them as skipped without running anything) from specs that
// skipped themselves (which always carry a message).
func isFilteredOut(sr types.SpecReport) bool {
	return sr.RunTime == 0 && len(sr.ReportEntries) == 0
}

func specName(sr types.SpecReport) string {
	if sr.LeafNodeType == types.NodeTypeIt {
		return sr.FullText()
	}
	name := sr.LeafNodeType.String()
	if sr.LeafNodeText != "" {
		name += " " + sr.LeafNodeText
	}
	return name
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

func failureText(f types.Failure) string {
	msg := f.Message
	if f.ForwardedPanic != "" {
		msg = strings.TrimSpace(msg + "\npanic: " + f.ForwardedPanic)
	}
	return msg
}

// readEntry decodes one of the framework's report entries. In the process
// that ran the spec the raw value is at hand; after a parallel run only its
// JSON is, so both go through JSON.
func readEntry(spec *Spec, e types.ReportEntry) {
	raw := entryJSON(e)
	switch e.Name {
	case framework.EntryExchange:
		var rec scimclient.Record
		if json.Unmarshal(raw, &rec) == nil {
			spec.Exchanges = append(spec.Exchanges, rec)
		}
	case framework.EntryViolations:
		var vs []framework.Violation
		if json.Unmarshal(raw, &vs) == nil {
			spec.Violations = append(spec.Violations, vs...)
		}
	case framework.EntryRule:
		spec.Rules = append(spec.Rules, entryString(e, raw))
	case framework.EntryWarning:
		spec.Warnings = append(spec.Warnings, entryString(e, raw))
	case framework.EntryCleanup:
		spec.Cleanup = entryString(e, raw)
	}
}

func entryJSON(e types.ReportEntry) []byte {
	if v := e.GetRawValue(); v != nil {
		if b, err := json.Marshal(v); err == nil {
			return b
		}
	}
	return []byte(e.Value.AsJSON)
}

func entryString(e types.ReportEntry, raw []byte) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return e.StringRepresentation()
}
