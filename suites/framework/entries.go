package framework

// Names of the Ginkgo report entries the framework attaches to specs. The
// report package reads them back from the suite report (raw values in the
// same process, JSON after a parallel run).
const (
	// EntryExchange holds one redacted runner.Record per HTTP exchange.
	EntryExchange = "scimconform.exchange"
	// EntryRule holds the requirement a spec enforces (a string).
	EntryRule = "scimconform.rule"
	// EntryWarning holds the failure text of a SHOULD-level check (a string).
	EntryWarning = "scimconform.warning"
	// EntryViolations holds the violations a step found ([]Violation).
	EntryViolations = "scimconform.violations"
	// EntryCleanup holds the outcome of the spec's cleanup (a string).
	EntryCleanup = "scimconform.cleanup"
)

// Violation is one broken rule found in a response, as shown in reports.
type Violation struct {
	Kind    string `json:"kind,omitempty"` // status, schema, match, absent, capture, transport
	Path    string `json:"path,omitempty"` // JSON path or pointer in the response
	Message string `json:"message"`
}
