package runner

import (
	"fmt"
	"strings"
	"time"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// Verdict is a step's or a sequence's outcome.
type Verdict string

const (
	Pass Verdict = "pass"
	Fail Verdict = "fail"
	Skip Verdict = "skip"
)

// Kinds of violations.
const (
	ViolationStatus    = "status"    // status code not among the accepted ones
	ViolationSchema    = "schema"    // body missing, not JSON, or against its JSON Schema
	ViolationMatch     = "match"     // body does not contain the expected subset
	ViolationAbsent    = "absent"    // a value that must be absent is present
	ViolationCapture   = "capture"   // a value to capture is missing
	ViolationTransport = "transport" // no complete response (timeout, reset, too large)
	ViolationTemplate  = "template"  // the request could not be built (sequence or variable error)
	ViolationHeader    = "header"    // a response header differs from what the IdP expects (warning)
)

// Violation is one reason a step failed (or, among warnings, one thing a
// target should fix though the step passes).
type Violation struct {
	Kind     string `json:"kind"`
	Path     string `json:"path,omitempty"` // JSON Pointer into the response, when about the body
	Message  string `json:"message"`
	Expected string `json:"expected,omitempty"` // JSON text, for match violations
	Actual   string `json:"actual,omitempty"`
}

func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(v.Kind)
	if v.Path != "" {
		b.WriteString(" " + v.Path)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(v.Message)
	if v.Expected != "" || v.Actual != "" {
		fmt.Fprintf(&b, " (expected %s, actual %s)", v.Expected, v.Actual)
	}
	return b.String()
}

// StepResult is the outcome of one step, with the redacted exchanges that
// led to it.
type StepResult struct {
	Name    string  `json:"name"`
	Rule    string  `json:"rule"`
	Verdict Verdict `json:"verdict"`
	Reason  string  `json:"reason,omitempty"` // why the step was skipped or could not run
	// Notes say what was done for the step before its own request, such as
	// a setup request establishing a capture a failed step did not.
	Notes      []string            `json:"notes,omitempty"`
	Violations []Violation         `json:"violations,omitempty"`
	Warnings   []Violation         `json:"warnings,omitempty"`
	Records    []scimclient.Record `json:"records,omitempty"`
	// Duration is the wall time of the step's request, retries included
	// (Exchange.Duration); zero when nothing was sent. Unlike Records it is
	// kept under every RecordPolicy.
	Duration time.Duration `json:"-"`
}

// SequenceResult is the outcome of a sequence run.
type SequenceResult struct {
	Name        string           `json:"name"`
	Description string           `json:"description"`
	App         string           `json:"app,omitempty"`
	Dialect     sequence.Dialect `json:"dialect"`
	RunID       string           `json:"runId"`
	Verdict     Verdict          `json:"verdict"`
	Steps       []StepResult     `json:"steps"`
}

// Failed returns the failed steps.
func (r *SequenceResult) Failed() []StepResult {
	var out []StepResult
	for _, s := range r.Steps {
		if s.Verdict == Fail {
			out = append(out, s)
		}
	}
	return out
}

// Report renders a failed step for a person: the rule, every violation and
// the redacted transcript.
func (s StepResult) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %q: %s\n", s.Name, s.Verdict)
	if s.Rule != "" {
		fmt.Fprintf(&b, "rule: %s\n", s.Rule)
	}
	if s.Reason != "" {
		fmt.Fprintf(&b, "reason: %s\n", s.Reason)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	for _, v := range s.Violations {
		fmt.Fprintf(&b, "violation: %s\n", v)
	}
	for _, v := range s.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", v)
	}
	for _, r := range s.Records {
		b.WriteString(r.String())
		if !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
