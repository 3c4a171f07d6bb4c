package runner

import (
	"slices"
	"sync"
	"sync/atomic"
)

// userShape is what follows from a profile's mapping table alone, so it is
// built once per profile instead of once per request: the order values are
// generated in, and the layout of Entra's create body with a slot where
// each value goes.
type userShape struct {
	attrs  []*MappedAttribute // the table it was built from
	values []*MappedAttribute // valueAttributes' order; slot i holds values[i]
	create layout             // appCreateUser's body
	keys   sync.Map           // persona -> []string, the state key of each value
}

// layout is a JSON value with slots, and how many Members and array
// elements a filled copy needs, so filling allocates two slices.
type layout struct {
	v        any
	members  int
	elements int
}

func newLayout(v any) layout {
	l := layout{v: v}
	var count func(v any)
	count = func(v any) {
		switch t := v.(type) {
		case Object:
			l.members += len(t)
			for _, m := range t {
				count(m.Value)
			}
		case []any:
			l.elements += len(t)
			for _, e := range t {
				count(e)
			}
		}
	}
	count(v)
	return l
}

// fill copies the layout with slot i replaced by vals[i].
func (l layout) fill(vals []any) any {
	f := filler{vals: vals, members: make([]Member, l.members), elements: make([]any, l.elements)}
	return f.fill(l.v)
}

type filler struct {
	vals     []any
	members  []Member // unused backing store, carved from the front
	elements []any
}

func (f *filler) fill(v any) any {
	switch t := v.(type) {
	case slot:
		return f.vals[t]
	case Object:
		out := Object(f.members[:len(t):len(t)])
		f.members = f.members[len(t):]
		for i, m := range t {
			out[i] = Member{m.Key, f.fill(m.Value)}
		}
		return out
	case []any:
		if t == nil {
			return t
		}
		out := f.elements[:len(t):len(t)]
		f.elements = f.elements[len(t):]
		for i, e := range t {
			out[i] = f.fill(e)
		}
		return out
	}
	return v
}

// stateKeys returns userKey(persona, a) for each value attribute, built
// once per persona.
func (s *userShape) stateKeys(persona string) []string {
	if k, ok := s.keys.Load(persona); ok {
		return k.([]string)
	}
	keys := make([]string, len(s.values))
	for i, a := range s.values {
		keys[i] = userKey(persona, a)
	}
	s.keys.Store(persona, keys)
	return keys
}

// slot marks where the i-th value goes in a layout.
type slot int

// shapeCache holds a profile's userShape. It sits behind a pointer so that
// copies of a profile (withMatching) share or replace it explicitly.
type shapeCache struct{ p atomic.Pointer[userShape] }

// shape returns the profile's userShape, building it when the mapping
// table is new or was changed since.
func (a *AppProfile) shape() *userShape {
	if a.shapes != nil {
		if s := a.shapes.p.Load(); s != nil && slices.Equal(s.attrs, a.Attributes) {
			return s
		}
	}
	s := newUserShape(a.Attributes)
	if a.shapes != nil {
		a.shapes.p.Store(s)
	}
	return s
}

func newUserShape(attrs []*MappedAttribute) *userShape {
	s := &userShape{attrs: slices.Clone(attrs)}
	var last []*MappedAttribute
	for _, a := range attrs {
		switch {
		case a.Generate == genReference:
		case a.Generate == "formatted":
			last = append(last, a)
		default:
			s.values = append(s.values, a)
		}
	}
	s.values = append(s.values, last...)
	d := newUserDoc()
	for i, a := range s.values {
		d.put(a.Target, slot(i))
	}
	d.top["meta"] = Object{{"resourceType", "User"}}
	d.top["roles"] = []any{}
	s.create = newLayout(d.object(Object{{"schemas", []any{urnUser, urnEnterprise}}}, true))
	return s
}
