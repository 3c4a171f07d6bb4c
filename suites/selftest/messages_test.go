package selftest

import (
	"fmt"
	"regexp"
	"testing"
)

// gomegaDump matches what no failure or warning may show: a value in
// Gomega's layout with its Go type ("Expected\n    <[]string | len:0,
// cap:0>: []"), and fmt's marks of a misused format string ("%!s(MISSING)").
// A failure says what SCIM expects in words.
var gomegaDump = regexp.MustCompile(`Expected\n\s+<|(?m)^\s*<(string|bool|int|float64|nil|map\[|\[\]|\*)[^>\n]*>: |\| len:\d+|%!`)

// messageProblems lists the failures and warnings of a run that hold a
// Gomega dump or a garbled format string.
func messageProblems(res runResult) []string {
	var out []string
	for _, s := range res.Specs {
		for _, text := range append([]string{s.Message}, s.Warnings...) {
			if m := gomegaDump.FindString(text); m != "" {
				out = append(out, fmt.Sprintf("%s: the message shows %q instead of saying what SCIM expects:\n%s", s.Name, m, firstLines(text, 12)))
			}
		}
	}
	return out
}

func TestMessageProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		message string
		bad     bool
	}{
		{"users matching x: got []; expected it to consist of [\"alpha\"]", false},
		{"Expected the response to have status 201 Created\n  - the status is 400 Bad Request, expected 201 Created", false},
		{"Expected\n    <[]string | len:0, cap:0>: []\nto consist of\n    <[]string | len:1, cap:1>: [\"alpha\"]", true},
		{"got 1\n    <int>: 3", true},
		{"GET http://x/Users?filter=a%!s(MISSING)", true},
	}
	for _, tc := range tests {
		got := messageProblems(runResult{Specs: []specResult{{Name: "S", Message: tc.message}, {Name: "W", Warnings: []string{tc.message}}}})
		if want := map[bool]int{false: 0, true: 2}[tc.bad]; len(got) != want {
			t.Errorf("messageProblems(%q) = %q, want %d problems", tc.message, got, want)
		}
	}
}
