package filter

// location says where a compiled attribute path finds its values in a
// document (or, inside a value filter, in one complex value).
type location struct {
	ext   string  // extension URN key holding the attribute, "" for the top level
	name  string  // canonical attribute name
	multi bool    // values are a []any, any one of which may match
	sub   string  // key inside each complex value to compare, "" for the value itself
	elem  Matcher // value filter each complex value must pass, nil for none
}

// any reports whether some value at the location satisfies p. A value
// receiver lets a matcher's closure hold the location it was built with.
func (l location) any(m map[string]any, p predicate) bool {
	if l.ext != "" {
		if m, _ = m[l.ext].(map[string]any); m == nil {
			return false
		}
	}
	v := m[l.name]
	if v == nil {
		return false
	}
	if arr, ok := v.([]any); ok && l.multi {
		for _, e := range arr {
			if l.one(e, p) {
				return true
			}
		}
		return false
	}
	return l.one(v, p)
}

// one applies the value filter and sub-attribute selection to a single value.
func (l *location) one(v any, p predicate) bool {
	if l.elem == nil && l.sub == "" {
		return v != nil && p.match(v)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	if l.elem != nil && !l.elem(m) {
		return false
	}
	if l.sub == "" {
		return p.match(m)
	}
	v = m[l.sub]
	return v != nil && p.match(v)
}

// anyValue matches every value: a value path `emails[type eq "work"]` asks
// only whether some element passes its filter.
type anyValue struct{}

func (anyValue) match(any) bool { return true }
