package runner

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// userShape is what follows from a profile's mapping table alone, so it is
// built once per profile instead of once per request: the order values are
// generated in, and the layout of Entra's create body with a slot where
// each value goes.
type userShape struct {
	attrs   []*MappedAttribute // the table it was built from
	values  []*MappedAttribute // valueAttributes' order; slot i holds values[i]
	boolean []bool             // slot i holds a JSON boolean
	create  layout             // appCreateUser's body
	encoded encodedLayout      // the same body as JSON text with gaps
	keys    sync.Map           // persona -> []string, the state key of each value
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
	s.boolean = make([]bool, len(s.values))
	for i, a := range s.values {
		s.boolean[i] = generators[a.Generate].boolean
	}
	s.encoded, _ = encodeLayout(s.create, len(s.values))
	return s
}

// encodedLayout is a layout written as JSON text with a gap where each
// slot goes, so that a body is written straight from its values instead of
// being built as a tree and then encoded.
type encodedLayout struct {
	text    []string // len(slots)+1 pieces of JSON text, around the gaps
	slots   []int    // the slot that fills each gap
	textLen int      // the pieces' length in all
}

// slotMark starts the stand-in string a slot is encoded as: appendJSON
// writes the NUL as \u0000, which no literal of a layout contains.
const slotMark = "\x00"

// encodeLayout encodes l with stand-ins for its n slots and cuts the text
// at them, so the JSON text is the one appendJSON writes for the tree. It
// reports false when l cannot be encoded (a layout holds only strings,
// booleans, objects and arrays, so never): the tree is then built instead.
func encodeLayout(l layout, n int) (encodedLayout, bool) {
	marks := make([]any, n)
	for i := range marks {
		marks[i] = slotMark + strconv.Itoa(i)
	}
	b, err := appendJSON(nil, l.fill(marks))
	if err != nil {
		return encodedLayout{}, false
	}
	var e encodedLayout
	rest := string(b)
	const open = `"\u0000`
	for {
		i := strings.Index(rest, open)
		if i < 0 {
			break
		}
		e.text = append(e.text, rest[:i])
		rest = rest[i+len(open):]
		end := strings.IndexByte(rest, '"')
		slot, err := strconv.Atoi(rest[:max(end, 0)])
		if err != nil || slot < 0 || slot >= n {
			return encodedLayout{}, false
		}
		e.slots = append(e.slots, slot)
		rest = rest[end+1:]
	}
	e.text = append(e.text, rest)
	for _, t := range e.text {
		e.textLen += len(t)
	}
	return e, true
}

// appendFilled writes the body with the values in its gaps, as appendJSON
// writes the tree that fill builds from the same values.
func (s *userShape) appendFilled(b []byte, e *encodedLayout, vals []string) []byte {
	n := e.textLen
	for _, slot := range e.slots {
		n += len(vals[slot]) + len(`""`) // escapes may add more
	}
	b = slices.Grow(b, n)
	for i, slot := range e.slots {
		b = append(b, e.text[i]...)
		if s.boolean[slot] {
			b = strconv.AppendBool(b, vals[slot] == "true")
		} else {
			b = appendJSONString(b, vals[slot])
		}
	}
	return append(b, e.text[len(e.text)-1]...)
}
