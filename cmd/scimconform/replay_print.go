package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/runner"
)

// printer writes replay results for a person; every line goes through the
// redactor, so nothing printed can carry the credential.
type printer struct {
	w       io.Writer
	red     func(string) string
	verbose bool
}

func (p *printer) linef(format string, args ...any) {
	fmt.Fprintln(p.w, p.red(fmt.Sprintf(format, args...)))
}

func (p *printer) sequence(res *runner.SequenceResult) {
	p.linef("")
	p.linef("== %s [%s] (%s)", res.Name, res.Dialect, strings.ToUpper(string(res.Verdict)))
	for _, st := range res.Steps {
		line := fmt.Sprintf("%-4s %s", strings.ToUpper(string(st.Verdict)), st.Name)
		if st.Verdict == runner.Skip && st.Reason != "" {
			line += " (" + st.Reason + ")"
		}
		p.linef("%s", line)
		for _, n := range st.Notes {
			p.linef("     note: %s", n)
		}
		for _, w := range st.Warnings {
			p.linef("     warning: %s", w)
		}
		if st.Verdict == runner.Fail || (p.verbose && st.Verdict == runner.Pass) {
			p.details(st)
		}
	}
}

// details prints a step's rule, violations and transcript, indented.
func (p *printer) details(st runner.StepResult) {
	if st.Verdict == runner.Fail {
		p.linef("     rule: %s", st.Rule)
		if st.Reason != "" {
			p.linef("     reason: %s", st.Reason)
		}
		for _, v := range st.Violations {
			p.linef("     violation: %s", v)
		}
	}
	for _, r := range st.Records {
		for _, l := range strings.Split(r.String(), "\n") {
			p.linef("     %s", l)
		}
	}
}

// tally counts outcomes across sequences.
type tally struct {
	sequences, seqFailed    int
	passed, failed, skipped int
	unreachable             int // failed steps that got no response at all
	refused                 int // failed steps answered 401: the credential is wrong
}

func (t *tally) add(res *runner.SequenceResult) {
	t.sequences++
	if res.Verdict == runner.Fail {
		t.seqFailed++
	}
	for _, st := range res.Steps {
		switch st.Verdict {
		case runner.Pass:
			t.passed++
		case runner.Skip:
			t.skipped++
		case runner.Fail:
			t.failed++
			switch {
			case noResponse(st):
				t.unreachable++
			case unauthorized(st):
				t.refused++
			}
		}
	}
}

func noResponse(st runner.StepResult) bool {
	if len(st.Records) == 0 {
		return false
	}
	for _, r := range st.Records {
		if r.Status != 0 {
			return false
		}
	}
	for _, v := range st.Violations {
		if v.Kind != runner.ViolationTransport {
			return false
		}
	}
	return true
}

func unauthorized(st runner.StepResult) bool {
	n := len(st.Records)
	return n > 0 && st.Records[n-1].Status == http.StatusUnauthorized
}

func (t *tally) summary() string {
	return fmt.Sprintf("\n%d sequence run(s): %d passed, %d failed; steps: %d passed, %d failed, %d skipped",
		t.sequences, t.sequences-t.seqFailed, t.seqFailed, t.passed, t.failed, t.skipped)
}
