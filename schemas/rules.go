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
	walk(doc, nil, func(tokens []string, arr []any) {
		var primaries []string
		for i, item := range arr {
			if m, ok := item.(map[string]any); ok && m["primary"] == true {
				primaries = append(primaries, strconv.Itoa(i))
			}
		}
		if len(primaries) > 1 {
			out = append(out, Violation{
				Path:    pointer(tokens...),
				Message: fmt.Sprintf("primary is true on items %s; at most one value may be primary", strings.Join(primaries, ", ")),
			})
		}
	})
	return out
}

// walk calls visit for every array in v, with the tokens of its path.
func walk(v any, tokens []string, visit func(tokens []string, arr []any)) {
	switch n := v.(type) {
	case map[string]any:
		for k, c := range n {
			walk(c, append(tokens[:len(tokens):len(tokens)], k), visit)
		}
	case []any:
		visit(tokens, n)
		for i, c := range n {
			walk(c, append(tokens[:len(tokens):len(tokens)], strconv.Itoa(i)), visit)
		}
	}
}
