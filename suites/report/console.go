package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// WriteConsole prints the summary by area, then every failed spec's name
// as a ready-to-paste -ginkgo.focus argument.
func WriteConsole(w io.Writer, s Summary) error {
	var b strings.Builder
	verdict := "PASSED"
	if !s.Succeeded {
		verdict = "FAILED"
	}
	fmt.Fprintf(&b, "\nscimconform: %s in %s\n\n", verdict, s.RunTime.Round(timeUnit))
	row := func(name string, a Area) {
		fmt.Fprintf(&b, "  %-12s %7d %7d %8d %9d\n", name, a.Passed, a.Failed, a.Skipped, a.Warnings)
	}
	fmt.Fprintf(&b, "  %-12s %7s %7s %8s %9s\n", "area", "passed", "failed", "skipped", "warnings")
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
	if warned := warnedSpecs(s); len(warned) > 0 {
		b.WriteString("\nWarnings (SHOULD-level requirements not met; the run does not fail for them):\n")
		for _, name := range warned {
			fmt.Fprintf(&b, "  %s\n", name)
		}
	}
	if len(s.Failed) > 0 {
		b.WriteString("\nFailed specs; rerun one with -ginkgo.focus='<name>':\n")
		for _, name := range s.Failed {
			fmt.Fprintf(&b, "  %s\n", FocusPattern(name))
		}
		if len(s.Failed) > 1 {
			fmt.Fprintf(&b, "\nRerun all failed specs:\n  -ginkgo.focus='%s'\n", FocusAll(s.Failed))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
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

func warnedSpecs(s Summary) []string {
	var out []string
	for _, a := range s.Areas {
		for _, sp := range a.Specs {
			if sp.Verdict == Warning {
				out = append(out, sp.Name)
			}
		}
	}
	return out
}
