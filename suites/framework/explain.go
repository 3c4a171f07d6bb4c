package framework

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2"
)

// GomegaFail is the Gomega fail handler of the suites (the suite entry
// registers it with gomega.RegisterFailHandler). It restates the failure
// without Gomega's type dumps (see Explain), names the rule the spec
// enforces, and fails the spec at the assertion that failed.
func GomegaFail(message string, callerSkip ...int) {
	skip := 0
	if len(callerSkip) > 0 {
		skip = callerSkip[0]
	}
	ginkgo.Fail(WithRules(Explain(message), CurrentRules()), skip+1)
}

// fail fails the current spec with message and the rules it enforces;
// skip counts the frames above fail's caller to report (as in ginkgo.Fail).
func fail(message string, skip int) {
	ginkgo.Fail(WithRules(Explain(message), CurrentRules()), skip+1)
}

// CurrentRules returns the rules the running spec declared with Rule (none
// before its body starts).
func CurrentRules() []string {
	var out []string
	for _, e := range ginkgo.CurrentSpecReport().ReportEntries {
		if e.Name != EntryRule {
			continue
		}
		if s, ok := e.GetRawValue().(string); ok {
			out = append(out, s)
		} else {
			out = append(out, e.StringRepresentation())
		}
	}
	return out
}

// WithRules adds a "rule: ..." line after the first line of message for
// every rule the message does not state yet.
func WithRules(message string, rules []string) string {
	var add []string
	for _, r := range rules {
		if r != "" && !strings.Contains(message, r) {
			add = append(add, "rule: "+r)
		}
	}
	if len(add) == 0 {
		return message
	}
	head, rest, found := strings.Cut(message, "\n")
	out := head + "\n" + strings.Join(add, "\n")
	if found {
		out += "\n" + rest
	}
	return out
}

// Explain restates a failure message built by a Gomega matcher in plain
// words. Gomega writes
//
//	Expected
//	    <[]string | len:0, cap:0>: []
//	to consist of
//	    <[]string | len:1, cap:1>: ["alpha"]
//
// which Explain turns into `got []; expected it to consist of ["alpha"]`,
// joined to the first line of the description the spec gave, if any.
// Values lose their Go type annotations wherever they appear. A message
// without Gomega's layout is returned as it is.
func Explain(message string) string {
	lines := strings.Split(message, "\n")
	i, prefix, ok := findExpected(lines)
	if !ok {
		return stripTypes(message)
	}
	actual, expectations := parseExpectation(lines[i+1:])
	explained := "got " + actual
	if len(expectations) > 0 {
		explained += "; " + strings.Join(expectations, "; ")
	}
	if prefix != "" {
		explained = prefix + " " + explained
	}
	return joinDescription(stripTypes(strings.Join(lines[:i], "\n")), explained)
}

// ExplainParts splits a Gomega failure message into the value it got and
// what was expected of it ("expected it to be true"); ok is false when
// the message is not in Gomega's layout.
func ExplainParts(message string) (actual string, expectations []string, ok bool) {
	lines := strings.Split(message, "\n")
	i, _, ok := findExpected(lines)
	if !ok {
		return "", nil, false
	}
	actual, expectations = parseExpectation(lines[i+1:])
	return actual, expectations, true
}

// findExpected finds the line "Expected" (possibly after some text on the
// same line) that Gomega puts above the actual value.
func findExpected(lines []string) (index int, prefix string, ok bool) {
	for i := 0; i+1 < len(lines); i++ {
		before, found := strings.CutSuffix(strings.TrimRight(lines[i], " "), "Expected")
		if found && isValueLine(lines[i+1]) {
			return i, strings.TrimSpace(before), true
		}
	}
	return 0, "", false
}

// joinDescription puts the explanation after the first line of the
// spec's description ("users matching X: got ..."), or first when the
// description starts with an exchange (a request line).
func joinDescription(description, explained string) string {
	description = strings.TrimRight(description, "\n ")
	if description == "" {
		return explained
	}
	head, rest, _ := strings.Cut(description, "\n")
	if requestLine.MatchString(head) {
		return explained + "\n" + description
	}
	out := strings.TrimSuffix(strings.TrimRight(head, " "), ":") + ": " + explained
	if rest != "" {
		out += "\n" + rest
	}
	return out
}

// requestLine matches the first line of DescribeRecord's rendering.
var requestLine = regexp.MustCompile(`^[A-Z]+ (https?://|/)`)

// gomegaIndent is the indentation of a value in Gomega's messages.
const gomegaIndent = "    "

// isValueLine reports whether line starts a value in Gomega's layout:
// four spaces, then the type in angle brackets and a colon.
func isValueLine(line string) bool {
	_, _, ok := splitValueLine(line)
	return ok
}

// splitValueLine returns the type and the rest of a value line.
func splitValueLine(line string) (typ, rest string, ok bool) {
	body, found := strings.CutPrefix(line, gomegaIndent+"<")
	if !found {
		return "", "", false
	}
	end := strings.Index(body, ">:")
	if end < 0 {
		return "", "", false
	}
	return body[:end], strings.TrimPrefix(body[end+2:], " "), true
}

// parseExpectation reads Gomega's value blocks and the phrases between
// them, starting at the actual value. It returns the rendered actual value,
// the expectations ("expected it to equal 1", "the missing elements were
// [...]").
func parseExpectation(lines []string) (string, []string) {
	var actual string
	var expectations []string
	phrase := ""
	first := true
	i := 0
	for i < len(lines) {
		line := lines[i]
		if typ, rest, ok := splitValueLine(line); ok {
			block := []string{rest}
			i++
			for i < len(lines) && strings.HasPrefix(lines[i], gomegaIndent) && !isValueLine(lines[i]) {
				block = append(block, strings.TrimPrefix(lines[i], gomegaIndent))
				i++
			}
			value := renderValue(typ, block)
			switch {
			case first:
				actual, first = value, false
			case phrase != "":
				expectations = append(expectations, expectation(phrase)+" "+value)
				phrase = ""
			default:
				expectations = append(expectations, value)
			}
			continue
		}
		if strings.TrimSpace(line) == "" {
			i++
			continue
		}
		if phrase != "" {
			expectations = append(expectations, expectation(phrase))
		}
		phrase = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line), "|"))
		i++
	}
	if phrase != "" {
		expectations = append(expectations, expectation(phrase))
	}
	return actual, expectations
}

// expectation turns Gomega's phrase into a clause: "to equal" becomes
// "expected it to equal"; other phrases ("the missing elements were")
// stay as they are.
func expectation(phrase string) string {
	if strings.HasPrefix(phrase, "to ") || strings.HasPrefix(phrase, "not to ") {
		return "expected it " + phrase
	}
	return phrase
}

// maxInlineValue is the longest value written on the line of its sentence.
const maxInlineValue = 300

// renderValue writes a value without its Go types: strings quoted, short
// multi-line values (slices, maps) folded onto one line.
func renderValue(typ string, block []string) string {
	for len(block) > 1 && strings.TrimSpace(block[len(block)-1]) == "" {
		block = block[:len(block)-1]
	}
	if typ == "string" {
		if len(block) > 1 {
			return strconv.Quote(strings.Join(block, "\n"))
		}
		if v := block[0]; len(v) >= 2 && strings.HasPrefix(v, `"`) && strings.HasSuffix(v, `"`) {
			return v // Gomega quoted it already (a long string cut around a difference)
		}
		return `"` + block[0] + `"`
	}
	for i, l := range block {
		block[i] = innerType.ReplaceAllString(l, "")
	}
	if len(block) == 1 {
		if block[0] == "" {
			return "(empty)"
		}
		return block[0]
	}
	parts := make([]string, 0, len(block))
	for _, l := range block {
		if t := strings.TrimSpace(l); t != "" {
			parts = append(parts, t)
		}
	}
	folded := strings.Join(parts, " ")
	for _, r := range []struct{ old, new string }{{"[ ", "["}, {", ]", "]"}, {"{ ", "{"}, {", }", "}"}} {
		folded = strings.ReplaceAll(folded, r.old, r.new)
	}
	if len(folded) <= maxInlineValue {
		return folded
	}
	return "\n" + indent(strings.Join(block, "\n"))
}

// innerType matches the type Gomega writes before each value held in an
// interface inside a slice or map: {"a": <int>1}.
// Only Go type names match: HTML in a value (["<b>"]) stays.
var innerType = regexp.MustCompile(`<(?:bool|string|u?int\d*|float\d+|complex\d+|nil|interface \{\}|map\[[^<>\n]*|\[\][^<>\n]*|\*[^<>\n]*|[a-z]\w*\.[A-Z]\w*)(?: \| [^<>\n]*)?>`)

// stripTypes removes Gomega's type annotations from value lines left in a
// message: "    <int>: 3" becomes "    3".
func stripTypes(message string) string {
	if !strings.Contains(message, gomegaIndent+"<") {
		return message
	}
	lines := strings.Split(message, "\n")
	for i, l := range lines {
		if _, rest, ok := splitValueLine(l); ok {
			lines[i] = gomegaIndent + rest
		}
	}
	return strings.Join(lines, "\n")
}
