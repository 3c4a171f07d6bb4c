package framework

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"
)

// gomegaDump matches what Explain must never leave in a message: a value
// in Gomega's layout with its Go type ("    <[]string | len:0, cap:0>: "),
// and fmt's marks of a misused format string.
var gomegaDump = regexp.MustCompile(`(?m)^\s*<[^>\n]*>: |Expected\n\s+<|%!`)

// gomegaMessage returns the failure message Gomega builds for actual and
// the matcher, with the description given.
func gomegaMessage(t *testing.T, actual any, m types.GomegaMatcher, description ...any) string {
	t.Helper()
	var msg string
	g := gomega.NewGomega(func(message string, _ ...int) { msg = message })
	g.Expect(actual).To(m, description...)
	if msg == "" {
		t.Fatalf("the matcher did not fail for %v", actual)
	}
	return msg
}

func TestExplain(t *testing.T) {
	t.Parallel()
	exchange := "GET http://127.0.0.1/Users?filter=userName%20eq%20%22a%22\nstatus: 200 OK, Content-Type: \"application/scim+json\"\n"
	tests := []struct {
		name        string
		actual      any
		matcher     types.GomegaMatcher
		description []any
		want        []string // lines or parts of the explained message, in order
	}{
		{"consist of", []string{}, gomega.ConsistOf("alpha"), []any{"users matching %s\n%s", `title eq "x"`, exchange},
			[]string{`users matching title eq "x": got []; expected it to consist of ["alpha"]; the missing elements were ["alpha"]`, "GET http://127.0.0.1/Users?filter=userName%20eq%20%22a%22"}},
		{"consist of, extra elements", []string{"a", "b"}, gomega.ConsistOf("b"), nil,
			[]string{`got ["a", "b"]; expected it to consist of ["b"]; the extra elements were ["a"]`}},
		{"be true", false, gomega.BeTrue(), []any{"the 401 answer shows the user"}, []string{"the 401 answer shows the user: got false; expected it to be true"}},
		{"equal numbers", 10, gomega.Equal(1), nil, []string{"got 10; expected it to equal 1"}},
		{"not empty", "", gomega.Not(gomega.BeEmpty()), []any{"no ETag header\n%s", exchange}, []string{`no ETag header: got ""; expected it not to be empty`, "GET http://127.0.0.1"}},
		{"numerically", 500, gomega.BeNumerically("<", 300), []any{"%s", exchange}, []string{"got 500; expected it to be < 300", "GET http://127.0.0.1/Users"}},
		{"long strings", strings.Repeat("a", 60) + "b", gomega.Equal(strings.Repeat("a", 60) + "c"), nil, []string{`got "...aaaaab"; expected it to equal "...aaaaac"`}},
		{"multi-line string", "line one\nline two", gomega.Equal("x"), nil, []string{`got "line one\nline two"; expected it to equal "x"`}},
		{"map key", map[string]any{"a": 1}, gomega.HaveKey("b"), nil, []string{`got {"a": 1}; expected it to have key "b"`}},
		{"markup in values", []any{"<b>bold</b>", 2.5}, gomega.BeEmpty(), nil, []string{`got ["<b>bold</b>", 2.5]; expected it to be empty`}},
		{"error", errors.New("boom"), gomega.Not(gomega.HaveOccurred()), nil, []string{"boom"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			raw := gomegaMessage(t, tc.actual, tc.matcher, tc.description...)
			got := Explain(raw)
			if gomegaDump.MatchString(got) {
				t.Errorf("Explain left a Gomega dump:\n%s\nfrom:\n%s", got, raw)
			}
			rest := got
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("Explain lacks %q (in order):\n%s\nfrom:\n%s", w, got, raw)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

func TestExplainLeavesOtherMessages(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"Expected the response to have status 201 Created\n  - the status is 400 Bad Request, expected 201 Created\nPOST http://x/Users\n",
		"the created User has no \"id\"",
		"",
	} {
		if got := Explain(msg); got != msg {
			t.Errorf("Explain changed a message with no Gomega layout:\n%q\n->\n%q", msg, got)
		}
	}
}

func TestWithRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		msg   string
		rules []string
		want  string
	}{
		{"status is 400\nPOST /Users", []string{"RFC 7644 §3.3: 201"}, "status is 400\nrule: RFC 7644 §3.3: 201\nPOST /Users"},
		{"one line", []string{"R1", "R2"}, "one line\nrule: R1\nrule: R2"},
		{"already says R1\nmore", []string{"R1"}, "already says R1\nmore"},
		{"no rules", nil, "no rules"},
	}
	for _, tc := range tests {
		if got := WithRules(tc.msg, tc.rules); got != tc.want {
			t.Errorf("WithRules(%q, %q) = %q, want %q", tc.msg, tc.rules, got, tc.want)
		}
	}
}
