package framework

// Names of the Ginkgo report entries the framework attaches to specs. The
// report package reads them back from the suite report (raw values in the
// same process, JSON after a parallel run).
const (
	// EntryExchange holds one redacted scimclient.Record per HTTP exchange.
	EntryExchange = "scimconform.exchange"
	// EntryRule holds the requirement a spec enforces (a string).
	EntryRule = "scimconform.rule"
	// EntryWarning holds the failure text of a SHOULD-level check (a string).
	EntryWarning = "scimconform.warning"
	// EntryViolations holds the violations a step found ([]Violation).
	EntryViolations = "scimconform.violations"
	// EntryCleanup holds the outcome of the spec's cleanup (a string).
	EntryCleanup = "scimconform.cleanup"
	// EntryNotice holds something about the whole run every report must
	// show prominently (a string), e.g. that the target has no usable
	// /ServiceProviderConfig. The suite setup records it.
	EntryNotice = "scimconform.notice"
	// EntryAccepted marks, in the written reports, a failed spec that a
	// -accept baseline accepts (a string: the entry and its reason).
	EntryAccepted = "scimconform.accepted"
)

// Violation is one broken rule found in a response, as shown in reports.
// Its JSON form is that of runner.Violation, so either can be recorded.
type Violation struct {
	Kind     string `json:"kind,omitempty"` // status, schema, match, absent, capture, transport
	Path     string `json:"path,omitempty"` // JSON path or pointer in the response
	Message  string `json:"message"`
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
}

func (v Violation) String() string {
	s := v.Message
	if v.Path != "" {
		s = v.Path + ": " + s
	}
	if v.Kind != "" {
		s = v.Kind + " " + s
	}
	if v.Expected != "" || v.Actual != "" {
		s += " (expected " + v.Expected + ", got " + v.Actual + ")"
	}
	return s
}
