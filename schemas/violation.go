package schemas

import (
	"slices"
	"strconv"
	"strings"
)

// Violation is one way a document breaks its schema.
type Violation struct {
	// Path is a JSON Pointer (RFC 6901) to the offending value, "" for the
	// document itself. For a missing attribute it points where it belongs.
	Path string
	// Message says what is wrong in words a service provider's developer
	// can act on, e.g. "expected boolean, got string \"true\"".
	Message string
}

// String renders the violation as "<path>: <message>", with "/" for the root.
func (v Violation) String() string {
	path := v.Path
	if path == "" {
		path = "/"
	}
	return path + ": " + v.Message
}

// pointer builds a JSON Pointer from unescaped reference tokens.
func pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapeToken(t))
	}
	return b.String()
}

// escapeToken escapes one reference token as RFC 6901 §3 requires.
func escapeToken(t string) string {
	return strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
}

// sortViolations orders violations by path (array indexes numerically) then
// message, and removes exact duplicates.
func sortViolations(vs []Violation) []Violation {
	slices.SortFunc(vs, func(a, b Violation) int {
		if c := comparePointers(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
	return slices.Compact(vs)
}

// comparePointers compares JSON Pointers token by token so that "/a/2"
// sorts before "/a/10" and a parent before its children.
func comparePointers(a, b string) int {
	if a == b {
		return 0
	}
	ta, tb := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if c := compareTokens(ta[i], tb[i]); c != 0 {
			return c
		}
	}
	return len(ta) - len(tb)
}

func compareTokens(a, b string) int {
	na, errA := strconv.Atoi(a)
	nb, errB := strconv.Atoi(b)
	if errA == nil && errB == nil && na != nb {
		return na - nb
	}
	return strings.Compare(a, b)
}
