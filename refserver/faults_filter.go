package refserver

import (
	"strings"
	"unicode"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// parseFilter parses a list request's filter, as the filter faults read
// it: filter-operators-case-sensitive refuses upper-case operators,
// filter-nested-parentheses-rejected a group inside a group,
// filter-malformed-matches-nothing answers a parse error with nothing, and
// rewriteFilter changes what the other faults misread.
func (s *Server) parseFilter(text string) (filter.Expr, error) {
	if s.faults.has(fFilterOpsCase) {
		if err := lowerCaseOperators(text); err != nil {
			return nil, err
		}
	}
	if s.faults.has(fFilterNestedRejected) && nestedGroup(text) {
		return nil, scimerr.BadRequest(scimerr.InvalidFilter, "a group in parentheses inside another group is not supported")
	}
	e, err := filter.Parse(text)
	if err != nil {
		if s.faults.has(fFilterMalformedEmpty) {
			return matchNothing(), nil
		}
		return nil, err
	}
	return s.rewriteFilter(e, false)
}

// filterWords are the operators of the filter grammar.
var filterWords = map[string]bool{"eq": true, "ne": true, "co": true, "sw": true, "ew": true, "pr": true,
	"gt": true, "ge": true, "lt": true, "le": true, "and": true, "or": true, "not": true}

// lowerCaseOperators refuses operators that are not lower case, outside
// string literals.
func lowerCaseOperators(text string) error {
	inString, escaped := false, false
	word := strings.Builder{}
	check := func() error {
		w := word.String()
		word.Reset()
		if filterWords[strings.ToLower(w)] && w != strings.ToLower(w) {
			return scimerr.BadRequest(scimerr.InvalidFilter, "unknown operator %s", scimerr.Quote(w))
		}
		return nil
	}
	for _, r := range text {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '"':
				inString = false
			}
		case r == '"':
			inString = true
		case unicode.IsSpace(r) || strings.ContainsRune("()[]", r):
			if err := check(); err != nil {
				return err
			}
		default:
			word.WriteRune(r)
		}
	}
	return check()
}

// matchNothing is an expression no resource matches: every resource has an id.
func matchNothing() filter.Expr {
	return &filter.Not{X: &filter.Compare{Attr: filter.AttrPath{Name: "id"}, Op: filter.Pr}}
}

// matchAll is an expression every resource matches.
func matchAll() filter.Expr {
	return &filter.Compare{Attr: filter.AttrPath{Name: "id"}, Op: filter.Pr}
}

// rewriteFilter returns e as the kind-independent filter faults misread it;
// inValue is true inside the brackets of a value path.
func (s *Server) rewriteFilter(e filter.Expr, inValue bool) (filter.Expr, error) {
	switch x := e.(type) {
	case *filter.And:
		l, r, err := s.rewritePair(x.L, x.R, inValue)
		if err != nil {
			return nil, err
		}
		return &filter.And{L: l, R: r}, nil
	case *filter.Or:
		if s.faults.has(fFilterOrRejected) {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter, "the logical operator or is not supported")
		}
		if and, ok := x.R.(*filter.And); ok && s.faults.has(fFilterNoPrecedence) {
			// a or b and c read left to right: (a or b) and c.
			return s.rewriteFilter(&filter.And{L: &filter.Or{L: x.L, R: and.L}, R: and.R}, inValue)
		}
		l, r, err := s.rewritePair(x.L, x.R, inValue)
		if err != nil {
			return nil, err
		}
		return &filter.Or{L: l, R: r}, nil
	case *filter.Not:
		inner, err := s.rewriteFilter(x.X, inValue)
		if err != nil || s.faults.has(fFilterNotIgnored) {
			return inner, err
		}
		return &filter.Not{X: inner}, nil
	case *filter.ValuePath:
		switch {
		case s.faults.has(fFilterValuePathNever):
			return matchNothing(), nil
		case s.faults.has(fFilterValuePathFlat):
			return s.rewriteFilter(flatten(x.Attr, x.Filter), inValue)
		}
		inner, err := s.rewriteFilter(x.Filter, true)
		if err != nil {
			return nil, err
		}
		return &filter.ValuePath{Attr: x.Attr, Filter: inner}, nil
	case *filter.Compare:
		return s.rewriteCompare(*x, inValue)
	}
	return e, nil
}

func (s *Server) rewritePair(l, r filter.Expr, inValue bool) (filter.Expr, filter.Expr, error) {
	l, err := s.rewriteFilter(l, inValue)
	if err != nil {
		return nil, nil, err
	}
	r, err = s.rewriteFilter(r, inValue)
	return l, r, err
}

// rewriteCompare is one comparison as the operator faults misread it.
func (s *Server) rewriteCompare(c filter.Compare, inValue bool) (filter.Expr, error) {
	refuse := func(what string) (filter.Expr, error) {
		return nil, scimerr.BadRequest(scimerr.InvalidFilter, "%s in filters is not supported", what)
	}
	switch {
	case s.faults.has(fFilterEwRejected) && c.Op == filter.Ew:
		return refuse("the operator ew")
	case s.faults.has(fFilterNeRejected) && c.Op == filter.Ne:
		return refuse("the operator ne")
	case s.faults.has(fFilterURNRejected) && c.Attr.URN != "":
		return refuse("a URN-qualified attribute name")
	case s.faults.has(fFilterSubAttrRejected) && c.Attr.Sub != "" && !inValue:
		return refuse("a sub-attribute (" + c.Attr.Name + "." + c.Attr.Sub + ")")
	case s.faults.has(fFilterMetaRejected) && strings.EqualFold(c.Attr.Name, "meta"):
		return refuse("filtering on meta")
	case s.faults.has(fFilterValuePathNever) && c.Attr.Filter != nil:
		return matchNothing(), nil
	case s.faults.has(fFilterPrMatchesAll) && c.Op == filter.Pr && !inValue:
		return matchAll(), nil
	}
	if _, isBool := c.Value.(bool); isBool {
		switch {
		case s.faults.has(fFilterBoolAsString):
			return matchNothing(), nil // "true" the string never equals true the boolean
		case s.faults.has(fFilterBoolOrdering) && (c.Op == filter.Gt || c.Op == filter.Ge || c.Op == filter.Lt || c.Op == filter.Le):
			c.Op = filter.Eq
		}
	}
	swap := map[filter.Op]filter.Op{}
	if s.faults.has(fFilterCoAsEq) {
		swap[filter.Co] = filter.Eq
	}
	if s.faults.has(fFilterSwAsCo) {
		swap[filter.Sw] = filter.Co
	}
	if s.faults.has(fFilterGtInclusive) {
		swap[filter.Gt], swap[filter.Lt] = filter.Ge, filter.Le
	}
	if s.faults.has(fFilterGeExclusive) {
		swap[filter.Ge], swap[filter.Le] = filter.Gt, filter.Lt
	}
	if op, ok := swap[c.Op]; ok {
		c.Op = op
	}
	return &c, nil
}

// flatten turns attr[filter] into the same conditions on attr.sub, which
// may then hold on different values (filter-valuepath-flattened).
func flatten(attr filter.AttrPath, e filter.Expr) filter.Expr {
	switch x := e.(type) {
	case *filter.And:
		return &filter.And{L: flatten(attr, x.L), R: flatten(attr, x.R)}
	case *filter.Or:
		return &filter.Or{L: flatten(attr, x.L), R: flatten(attr, x.R)}
	case *filter.Not:
		return &filter.Not{X: flatten(attr, x.X)}
	case *filter.Compare:
		c := *x
		c.Attr = filter.AttrPath{URN: attr.URN, Name: attr.Name, Sub: x.Attr.Name}
		return &c
	}
	return e
}

// compileFilter compiles e for kind k, with the faults that need the
// resource type or change how documents are read: unknown attributes
// dropped, names only in their schema spelling, values compared
// case-sensitively or externalId case-insensitively, multi-valued
// attributes read at their first value, a bare name lookup compared
// case-sensitively. It returns the expression the index lookup sees and
// the matcher.
func (s *Server) compileFilter(k resourceKind, e filter.Expr) (filter.Expr, filter.Matcher, error) {
	rt := k.resourceType()
	if s.faults.has(fFilterUnknownIgnored) {
		e = mapCompares(e, false, func(c *filter.Compare) filter.Expr {
			if _, _, _, err := rt.Resolve(c.Attr.URN, c.Attr.Name, c.Attr.Sub); err != nil {
				return matchAll()
			}
			return c
		})
	}
	e, m, err := s.compileFaulty(k, e)
	if err != nil || !s.faults.has(fFilterLookupCase) {
		return e, m, err
	}
	if name, ok := nameLookup(k, e); ok {
		// The stored name must also be spelled as asked: the index folds case.
		return e, func(doc map[string]any) bool { return m(doc) && doc[k.nameAttr()] == name }, nil
	}
	return e, m, nil
}

// nameLookup reports the value of a filter that is one comparison and
// nothing else, `userName eq "<value>"` (`displayName eq` for groups): the
// lookup Entra sends, answered case-sensitively under
// filter-lookup-case-sensitive.
func nameLookup(k resourceKind, e filter.Expr) (string, bool) {
	c, ok := e.(*filter.Compare)
	if !ok || c.Op != filter.Eq || c.Attr.Sub != "" || c.Attr.Filter != nil || !strings.EqualFold(c.Attr.Name, k.nameAttr()) {
		return "", false
	}
	v, ok := c.Value.(string)
	return v, ok
}

// nestedGroup reports whether a filter has a group in parentheses inside
// another group (outside string literals): refused under
// filter-nested-parentheses-rejected.
func nestedGroup(text string) bool {
	depth, inString, escaped := 0, false, false
	for _, r := range text {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '"':
				inString = false
			}
		case r == '"':
			inString = true
		case r == '(':
			depth++
			if depth > 1 {
				return true
			}
		case r == ')':
			depth--
		}
	}
	return false
}

// compileFaulty compiles e with the faults that change how names and
// values compare.
func (s *Server) compileFaulty(k resourceKind, e filter.Expr) (filter.Expr, filter.Matcher, error) {
	rt := k.resourceType()
	var view func(map[string]any) map[string]any
	switch {
	case s.faults.has(fFilterNamesCase):
		e = mapCompares(e, false, func(c *filter.Compare) filter.Expr {
			if !schemaSpelledPath(rt, c.Attr) {
				return matchNothing()
			}
			return c
		})
	case s.faults.has(fFilterValuesCase):
		e = mapCompares(e, true, func(c *filter.Compare) filter.Expr {
			if v, ok := c.Value.(string); ok && !isDateTime(rt, c.Attr) {
				d := *c
				d.Value = caseMarked(v)
				return &d
			}
			return c
		})
		e = &filter.Not{X: &filter.Not{X: e}} // not indexable: the index folds case
		view = func(doc map[string]any) map[string]any { return markStrings(doc).(map[string]any) }
	case s.faults.has(fFilterExactIgnored):
		e = mapCompares(e, false, func(c *filter.Compare) filter.Expr {
			if v, ok := c.Value.(string); ok && strings.EqualFold(c.Attr.Name, "externalId") {
				d := *c
				d.Value = strings.ToLower(v)
				return &d
			}
			return c
		})
		e = &filter.Not{X: &filter.Not{X: e}} // not indexable: the index compares exactly
		view = func(doc map[string]any) map[string]any {
			if v, ok := doc["externalId"].(string); ok {
				doc = shallowWith(doc, "externalId", strings.ToLower(v))
			}
			return doc
		}
	case s.faults.has(fFilterFirstValueOnly):
		e = &filter.Not{X: &filter.Not{X: e}}
		view = firstValues
	}
	m, err := filter.Compile(rt, e)
	if err != nil || view == nil {
		return e, m, err
	}
	return e, func(doc map[string]any) bool { return m(view(doc)) }, nil
}

// schemaSpelledPath reports whether a filter attribute path is spelled as
// in the schema (the URN, when given, compared case-insensitively).
func schemaSpelledPath(rt *schema.ResourceType, p filter.AttrPath) bool {
	_, a, sub, err := rt.Resolve(p.URN, p.Name, p.Sub)
	return err == nil && a.Name == p.Name && (sub == nil || sub.Name == p.Sub)
}

// mapCompares applies f to every comparison of e, and with inValues also
// to those inside the brackets of value paths.
func mapCompares(e filter.Expr, inValues bool, f func(*filter.Compare) filter.Expr) filter.Expr {
	switch x := e.(type) {
	case *filter.And:
		return &filter.And{L: mapCompares(x.L, inValues, f), R: mapCompares(x.R, inValues, f)}
	case *filter.Or:
		return &filter.Or{L: mapCompares(x.L, inValues, f), R: mapCompares(x.R, inValues, f)}
	case *filter.Not:
		return &filter.Not{X: mapCompares(x.X, inValues, f)}
	case *filter.ValuePath:
		if inValues {
			return &filter.ValuePath{Attr: x.Attr, Filter: mapCompares(x.Filter, inValues, f)}
		}
	case *filter.Compare:
		if inValues && x.Attr.Filter != nil {
			d := *x
			d.Attr.Filter = mapCompares(x.Attr.Filter, inValues, f)
			x = &d
		}
		return f(x)
	}
	return e
}

func isDateTime(rt *schema.ResourceType, p filter.AttrPath) bool {
	_, a, sub, err := rt.Resolve(p.URN, p.Name, p.Sub)
	if err != nil {
		return false
	}
	if sub != nil {
		a = sub
	}
	return a.Type == schema.DateTime
}

// caseMarked encodes s so that comparing encodings case-insensitively
// compares the originals case-sensitively: each upper-case letter becomes
// "^" and its lower case, "^" itself "^^".
func caseMarked(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '^':
			b.WriteString("^^")
		case unicode.IsUpper(r):
			b.WriteRune('^')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// markStrings applies caseMarked to every string of a document but meta.
func markStrings(v any) any {
	switch x := v.(type) {
	case string:
		return caseMarked(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = markStrings(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if k == "meta" {
				out[k] = e
				continue
			}
			out[k] = markStrings(e)
		}
		return out
	}
	return v
}

// firstValues keeps the first value of every multi-valued attribute.
func firstValues(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		switch x := v.(type) {
		case []any:
			if k != "schemas" && len(x) > 1 {
				v = x[:1]
			}
		case map[string]any:
			if strings.HasPrefix(k, "urn:") {
				v = firstValues(x)
			}
		}
		out[k] = v
	}
	return out
}

func shallowWith(doc map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, e := range doc {
		out[k] = e
	}
	out[key] = v
	return out
}
