package entra

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/sequence"
)

// createShape is the layout of a profile's create body, which follows from
// its mapping table alone: the body as a tree with a slot where each value
// goes, built once per table rather than once per user (load mode sends
// one create per user).
type createShape struct {
	attrs    []*mapping.Attribute // the table it was built from
	values   []*mapping.Attribute // the order values are generated in; slot i holds values[i]
	tree     any
	members  int // Members and array elements a filled copy needs
	elements int
}

// slot marks where the i-th value goes in a createShape's tree.
type slot int

// shapes holds the create shapes of the profiles one table of functions
// has served (see Funcs), at most maxShapes of them.
type shapes struct {
	m sync.Map // *mapping.Profile -> *createShape
	n atomic.Int32
}

// maxShapes bounds shapes: a sequence with its own matching attribute
// derives a profile per step, whose shape is then built each time.
const maxShapes = 64

// of returns the create shape of app, building it when the table is new
// or was changed since.
func (s *shapes) of(app *mapping.Profile) *createShape {
	if v, ok := s.m.Load(app); ok {
		if sh := v.(*createShape); slices.Equal(sh.attrs, app.Attributes) {
			return sh
		}
	}
	sh := newCreateShape(app)
	if _, loaded := s.m.Load(app); loaded || s.n.Load() < maxShapes {
		if _, loaded := s.m.Swap(app, sh); !loaded {
			s.n.Add(1)
		}
	}
	return sh
}

func newCreateShape(app *mapping.Profile) *createShape {
	sh := &createShape{attrs: slices.Clone(app.Attributes), values: app.Values()}
	d := newUserDoc()
	for i, a := range sh.values {
		d.put(a.Target, slot(i))
	}
	d.top["meta"] = obj("resourceType", "User")
	d.top["roles"] = []any{}
	sh.tree = d.object(obj("schemas", []any{mapping.URNUser, mapping.URNEnterprise}), true)
	var count func(v any)
	count = func(v any) {
		switch t := v.(type) {
		case sequence.Object:
			sh.members += len(t)
			for _, m := range t {
				count(m.Value)
			}
		case []any:
			sh.elements += len(t)
			for _, e := range t {
				count(e)
			}
		}
	}
	count(sh.tree)
	return sh
}

// fill copies the tree with slot i replaced by vals[i]: two allocations
// for its Members and elements.
func (sh *createShape) fill(vals []any) any {
	members, elements := make([]sequence.Member, sh.members), make([]any, sh.elements)
	var fill func(v any) any
	fill = func(v any) any {
		switch t := v.(type) {
		case slot:
			return vals[t]
		case sequence.Object:
			out := sequence.Object(members[:len(t):len(t)])
			members = members[len(t):]
			for i, m := range t {
				out[i] = sequence.Member{Key: m.Key, Value: fill(m.Value)}
			}
			return out
		case []any:
			out := elements[:len(t):len(t)]
			elements = elements[len(t):]
			for i, e := range t {
				out[i] = fill(e)
			}
			return out
		}
		return v
	}
	return fill(sh.tree)
}
