package patch

import (
	"slices"

	"github.com/scimconform/scimconform/refserver/schema"
)

// elemList is a multi-valued attribute opened for the rest of one request:
// every operation on the attribute goes through it, and the document sees
// the result once, when the request has been applied. Removed elements are
// only marked, and sub-attribute indexes built on first use let a value
// filter such as emails[value eq "x"] (or an added value's duplicate check)
// find its elements without a scan, so many operations on one large
// attribute cost time in proportion to the operations, not to their number
// times the attribute's size.
type elemList struct {
	attr      *schema.Attribute
	owner     *schema.Schema // schema holding attr
	cont      map[string]any // the object holding attr
	elems     []any          // in order; nil marks a removed element
	live      int
	indexes   []*subIndex
	primary   *schema.Attribute // boolean primary sub-attribute, nil if none
	primaries map[int]bool      // positions of live elements with primary true
	changed   bool
	budget    *budget
}

// openList opens attribute t.attr of cont.
func openList(cont map[string]any, t *target, b *budget) (*elemList, error) {
	list, _ := cont[t.attr.Name].([]any)
	if err := b.spend(len(list)); err != nil {
		return nil, err
	}
	l := &elemList{attr: t.attr, owner: t.owner, cont: cont, elems: list, budget: b}
	if p := t.attr.Sub("primary"); p != nil && p.Type == schema.Boolean {
		l.primary, l.primaries = p, map[int]bool{}
	}
	for i, e := range l.elems {
		if e != nil {
			l.live++
			l.track(i)
		}
	}
	return l, nil
}

// index returns the index of sub-attribute s, building it on first use.
func (l *elemList) index(s *schema.Attribute) (*subIndex, error) {
	for _, x := range l.indexes {
		if x.sub == s {
			return x, nil
		}
	}
	if err := l.budget.spend(len(l.elems)); err != nil {
		return nil, err
	}
	x := newSubIndex(s, len(l.elems))
	for i, e := range l.elems {
		if e != nil {
			x.file(i, e)
		}
	}
	l.indexes = append(l.indexes, x)
	return x, nil
}

// hits returns the positions, ascending, of the live elements that t's
// value filter selects. A filter with an indexable equality examines only
// the elements filed under its value.
func (l *elemList) hits(t *target) ([]int, error) {
	var hits []int
	sub, value, indexed := indexedEquality(l.attr, t.expr)
	if !indexed {
		if err := l.budget.spend(len(l.elems)); err != nil {
			return nil, err
		}
		for i, e := range l.elems {
			if e != nil && t.match(e) {
				hits = append(hits, i)
			}
		}
		return hits, nil
	}
	x, err := l.index(sub)
	if err != nil {
		return nil, err
	}
	filed := x.lookup(value)
	if err := l.budget.spend(len(filed)); err != nil {
		return nil, err
	}
	for _, i := range filed {
		if t.match(l.elems[i]) {
			hits = append(hits, i)
		}
	}
	slices.Sort(hits)
	return hits, nil
}

// withValue returns the positions, ascending, of the live elements whose
// value sub-attribute has the same key as element e's; ok is false when e
// has no string value to look up.
func (l *elemList) withValue(e any) (_ []int, ok bool, err error) {
	vs := l.attr.Sub("value")
	if vs == nil || l.attr.Type != schema.Complex {
		return nil, false, nil
	}
	x, err := l.index(vs)
	if err != nil {
		return nil, false, err
	}
	key, ok := x.keyOf(e)
	if !ok {
		return nil, false, nil
	}
	same := slices.Clone(x.keys[key])
	slices.Sort(same)
	return same, true, l.budget.spend(len(same))
}

// equalTo returns the positions, ascending, of the live elements
// sameElement finds equal to e, by a scan.
func (l *elemList) equalTo(e any) ([]int, error) {
	if err := l.budget.spend(len(l.elems)); err != nil {
		return nil, err
	}
	var same []int
	for i, el := range l.elems {
		if el != nil && sameElement(l.attr, e, el) {
			same = append(same, i)
		}
	}
	return same, nil
}

// each calls fn with the position of every live element, in order.
func (l *elemList) each(fn func(i int) error) error {
	if err := l.budget.spend(len(l.elems)); err != nil {
		return err
	}
	for i, e := range l.elems {
		if e == nil {
			continue
		}
		if err := fn(i); err != nil {
			return err
		}
	}
	return nil
}

// add appends e and returns its position.
func (l *elemList) add(e any) int {
	i := len(l.elems)
	l.elems = append(l.elems, e)
	l.live++
	l.changed = true
	l.file(i)
	return i
}

// remove removes the elements at positions idx.
func (l *elemList) remove(idx []int) {
	for _, i := range idx {
		if l.elems[i] == nil {
			continue
		}
		l.unfile(i)
		l.elems[i] = nil
		l.live--
		l.changed = true
	}
}

// update replaces the element at i by what edit makes of it, keeping the
// indexes current; an element edited down to an empty object is removed.
func (l *elemList) update(i int, edit func(e any) (any, error)) error {
	l.unfile(i)
	e, err := edit(l.elems[i])
	if err != nil {
		return err
	}
	if m, ok := e.(map[string]any); ok && len(m) == 0 {
		e = nil
		l.live--
	}
	l.elems[i] = e
	l.changed = true
	l.file(i)
	return nil
}

// demote sets primary to false on every element outside touched (ascending)
// when a touched element is primary (RFC 7644 §3.5.2: at most one primary).
func (l *elemList) demote(touched []int) {
	if l.primary == nil {
		return
	}
	promoted := false
	for i := range l.primaries {
		if _, in := slices.BinarySearch(touched, i); in {
			promoted = true
			break
		}
	}
	if !promoted {
		return
	}
	for i := range l.primaries {
		if _, in := slices.BinarySearch(touched, i); !in {
			l.elems[i].(map[string]any)[l.primary.Name] = false
			delete(l.primaries, i)
			l.changed = true
		}
	}
}

// file adds the element at i to the indexes and the primaries.
func (l *elemList) file(i int) {
	if l.elems[i] == nil {
		return
	}
	for _, x := range l.indexes {
		x.file(i, l.elems[i])
	}
	l.track(i)
}

// unfile removes the element at i from the indexes and the primaries.
func (l *elemList) unfile(i int) {
	for _, x := range l.indexes {
		x.unfile(i)
	}
	if l.primaries != nil {
		delete(l.primaries, i)
	}
}

// track records whether the element at i is primary.
func (l *elemList) track(i int) {
	if l.primary == nil {
		return
	}
	if m, ok := l.elems[i].(map[string]any); ok && m[l.primary.Name] == true {
		l.primaries[i] = true
	}
}

// store writes the list back to its object if it changed; an empty list
// removes the attribute.
func (l *elemList) store() {
	if !l.changed {
		return
	}
	out := make([]any, 0, l.live)
	for _, e := range l.elems {
		if e != nil {
			out = append(out, e)
		}
	}
	storeList(l.cont, l.attr.Name, out)
}
