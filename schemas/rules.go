package schemas

import (
	"fmt"
	"strconv"
	"strings"
)

// A rule checks a decoded document for what draft-07 cannot express.
type rule func(doc any) []Violation

// rules lists the extra checks per kind.
var rules = map[Kind][]rule{
	User:           {primaryAtMostOnce},
	EnterpriseUser: {primaryAtMostOnce},
	Group:          {primaryAtMostOnce},
}

// applyRules runs kind's rules on a decoded document.
func applyRules(kind Kind, doc any) []Violation {
	var out []Violation
	for _, r := range rules[kind] {
		out = append(out, r(doc)...)
	}
	return out
}

// primaryAtMostOnce enforces RFC 7643 §2.4: in a multi-valued attribute, the
// primary value "true" MUST appear no more than once. Microsoft Entra ID
// picks "the" primary email from this, so two are ambiguous.
func primaryAtMostOnce(doc any) []Violation {
	var out []Violation
	walkArrays(doc, func(path []string, arr []any) {
		var primaries []int
		for i, item := range arr {
			if m, ok := item.(map[string]any); ok && m["primary"] == true {
				primaries = append(primaries, i)
			}
		}
		if len(primaries) > 1 {
			out = append(out, Violation{
				Path:    pointer(path...),
				Message: fmt.Sprintf("primary is true on %s; at most one value may be primary", listIndexes(primaries)),
			})
		}
	})
	return out
}

// maxListedIndexes bounds how many item indexes a message spells out.
const maxListedIndexes = 5

// listIndexes renders "items 0, 1" or "items 0, 1, 2, 3, 4 and 95 more".
func listIndexes(idx []int) string {
	shown := idx[:min(len(idx), maxListedIndexes)]
	parts := make([]string, len(shown))
	for i, n := range shown {
		parts[i] = strconv.Itoa(n)
	}
	s := "items " + strings.Join(parts, ", ")
	if rest := len(idx) - len(shown); rest > 0 {
		s += fmt.Sprintf(" and %d more", rest)
	}
	return s
}

// walkArrays calls visit for every array in v with the tokens of its path.
// The path slice is reused between calls: visit must not keep it.
func walkArrays(v any, visit func(path []string, arr []any)) {
	var path []string
	var rec func(v any)
	rec = func(v any) {
		switch n := v.(type) {
		case map[string]any:
			for k, c := range n {
				path = append(path, k)
				rec(c)
				path = path[:len(path)-1]
			}
		case []any:
			visit(path, n)
			for i, c := range n {
				path = append(path, strconv.Itoa(i))
				rec(c)
				path = path[:len(path)-1]
			}
		}
	}
	rec(v)
}
