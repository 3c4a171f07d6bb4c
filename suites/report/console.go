package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/scimconform/scimconform/suites/framework"
)

// WriteConsole prints the summary: notices about the run first, the counts
// by area, the warnings, the failures a baseline accepted and what its
// entries did, then every failed spec with the rule it enforces and why it
// failed, its name ready to paste into -ginkgo.focus.
func WriteConsole(w io.Writer, s Summary) error {
	var b strings.Builder
	verdict := "PASSED"
	if !s.Succeeded {
		verdict = "FAILED"
	}
	fmt.Fprintf(&b, "\nscimconform: %s in %s", verdict, s.RunTime.Round(timeUnit))
	if s.Total.Accepted > 0 {
		fmt.Fprintf(&b, " (%d accepted failure%s)", s.Total.Accepted, plural(s.Total.Accepted))
	}
	b.WriteString("\n\n")
	if lines := noticeLines(s); len(lines) > 0 {
		for _, l := range lines {
			fmt.Fprintf(&b, "!! %s\n", l)
		}
		b.WriteString("\n")
	}
	row := func(name string, a Area) {
		fmt.Fprintf(&b, "  %-12s %7d %7d %9d %8d %9d\n", name, a.Passed, a.Failed, a.Accepted, a.Skipped, a.Warnings)
	}
	fmt.Fprintf(&b, "  %-12s %7s %7s %9s %8s %9s\n", "area", "passed", "failed", "accepted", "skipped", "warnings")
	for _, a := range s.Areas {
		row(a.Name, a)
	}
	row("total", s.Total)
	if len(s.SuiteNotes) > 0 {
		b.WriteString("\n")
	}
	for _, note := range s.SuiteNotes {
		fmt.Fprintf(&b, "suite: %s\n", note)
	}
	if warned := specsWith(s, Warning); len(warned) > 0 {
		b.WriteString("\nWarnings (SHOULD-level requirements not met; the run does not fail for them):\n")
		for _, sp := range warned {
			fmt.Fprintf(&b, "  %s\n", sp.Name)
		}
	}
	writeBaseline(&b, s)
	if failed := failedSpecs(s); len(failed) > 0 {
		b.WriteString("\nFailed specs; rerun one with -ginkgo.focus='<name>':\n")
		for _, sp := range failed {
			fmt.Fprintf(&b, "  %s\n", FocusPattern(sp.Name))
			for _, r := range sp.Rules {
				fmt.Fprintf(&b, "      rule: %s\n", r)
			}
			for i, l := range reasonLines(sp.Message) {
				label := "why: "
				if i > 0 {
					label = "     "
				}
				fmt.Fprintf(&b, "      %s%s\n", label, l)
			}
			if e := sp.AcceptedBy; e != nil {
				fmt.Fprintf(&b, "      the -accept entry at line %d accepted this until %s; it has expired\n", e.Line, e.Expires.Format(time.DateOnly))
			}
		}
		if len(s.Failed) > 1 {
			fmt.Fprintf(&b, "\nRerun all failed specs:\n  -ginkgo.focus='%s'\n", FocusAll(s.Failed))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// noticeLines are the run's notices, and how many specs the lack of
// feature information skipped.
func noticeLines(s Summary) []string {
	lines := append([]string{}, s.Notices...)
	if s.UnknownFeature > 0 {
		lines = append(lines, fmt.Sprintf("%d spec%s skipped because nothing said whether the target supports the optional feature %s: this run says nothing about %s.",
			s.UnknownFeature, pluralWas(s.UnknownFeature), pick(s.UnknownFeature, "it needs", "they need"), pick(s.UnknownFeature, "it", "them")))
	}
	return lines
}

// writeBaseline lists the accepted failures and the entries of the -accept
// file that accepted nothing or have expired.
func writeBaseline(b *strings.Builder, s Summary) {
	o := s.Baseline
	if o == nil {
		return
	}
	if accepted := specsWith(s, Accepted); len(accepted) > 0 {
		fmt.Fprintf(b, "\nAccepted failures (listed in %s; the run does not fail for them):\n", o.File)
		for _, sp := range accepted {
			fmt.Fprintf(b, "  %s\n      accepted by line %d%s: %s\n", sp.Name, sp.AcceptedBy.Line, entryDetail(*sp.AcceptedBy, o.Now), sp.AcceptedBy.Reason)
		}
	}
	if len(o.Unused) > 0 {
		fmt.Fprintf(b, "\nEntries of %s that accepted nothing in this run; remove them so the file shrinks:\n", o.File)
		for _, u := range o.Unused {
			fmt.Fprintf(b, "  line %d, %s: %s\n", u.Entry.Line, u.Entry.What(), u.Why)
		}
	}
	if len(o.Expired) > 0 {
		fmt.Fprintf(b, "\nExpired entries of %s (they accept nothing any more):\n", o.File)
		for _, e := range o.Expired {
			what := "no spec it names failed"
			if n := len(e.Specs); n > 0 {
				what = fmt.Sprintf("%d failure%s it named count%s again", n, plural(n), pick(n, "s", ""))
			}
			fmt.Fprintf(b, "  line %d, %s, %s: %s\n", e.Entry.Line, e.Entry.What(), e.Entry.ExpiryText(o.Now), what)
		}
	}
}

// entryDetail says, after the line of an entry that accepted a spec,
// what else there is to know: the label it names (a spec entry names the
// spec at hand) and its expiry, as ` (label "etag", expires 2026-09-30)`.
func entryDetail(e framework.AcceptEntry, now time.Time) string {
	var parts []string
	if e.Label != "" {
		parts = append(parts, e.What())
	}
	if x := e.ExpiryText(now); x != "" {
		parts = append(parts, x)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// reasonLines is the start of a failure message: its lines up to the
// rendered exchange or a blank line, without the rule lines (printed
// apart), at most maxReasonLines.
func reasonLines(message string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(message), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || requestLine.MatchString(t) || len(out) == maxReasonLines {
			break
		}
		if strings.HasPrefix(t, "rule: ") {
			continue
		}
		out = append(out, t)
	}
	return out
}

const maxReasonLines = 4

// requestLine matches the first line of a rendered exchange.
var requestLine = regexp.MustCompile(`^[A-Z]+ (https?://|/)`)

func plural(n int) string { return pick(n, "", "s") }

func pluralWas(n int) string { return pick(n, " was", "s were") }

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// FocusPattern is a regular expression matching exactly one spec name,
// safe inside single quotes in a POSIX shell.
func FocusPattern(name string) string {
	return shellSafe("^" + regexp.QuoteMeta(name) + "$")
}

// FocusAll matches any of the names.
func FocusAll(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = regexp.QuoteMeta(n)
	}
	return shellSafe("^(" + strings.Join(parts, "|") + ")$")
}

// shellSafe replaces single quotes, which cannot appear inside a
// single-quoted shell word, by the regexp wildcard.
func shellSafe(pattern string) string {
	return strings.ReplaceAll(pattern, "'", ".")
}

// specsWith returns the specs with the verdict, in report order.
func specsWith(s Summary, verdict string) []Spec {
	var out []Spec
	for _, a := range s.Areas {
		for _, sp := range a.Specs {
			if sp.Verdict == verdict {
				out = append(out, sp)
			}
		}
	}
	return out
}

// failedSpecs returns the failed specs (not suite nodes) in the order of
// Summary.Failed.
func failedSpecs(s Summary) []Spec {
	byName := map[string]Spec{}
	for _, sp := range specsWith(s, Fail) {
		if sp.Area != suiteArea {
			byName[sp.Name] = sp
		}
	}
	out := make([]Spec, 0, len(s.Failed))
	for _, name := range s.Failed {
		if sp, ok := byName[name]; ok {
			out = append(out, sp)
		}
	}
	return out
}
