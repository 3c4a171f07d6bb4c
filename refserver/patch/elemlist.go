package patch

import (
	"slices"

	"github.com/scimconform/scimconform/refserver/schema"
)

// elemList is a multi-valued attribute opened for the rest of one request:
// every operation on the attribute goes through it, and the document sees
// the result once, when the request has been applied. Removed elements are
// only marked, and from the second lookup by value on, sub-attribute
// indexes let a value filter such as emails[value eq "x"] (or an added
// value's duplicate check) find its elements without a scan, so many
// operations on one large attribute cost time in proportion to the
// operations, not to their number times the attribute's size.
type elemList struct {
	attr      *schema.Attribute
	owner     *schema.Schema // schema holding attr
	cont      map[string]any // the object holding attr
	elems     []any          // in order; nil marks a removed element
	live      int
	indexes   []*subIndex
	primary   *schema.Attribute // boolean primary sub-attribute, nil if none
	primaries map[int]bool      // positions of live elements with primary true
	scanned   bool              // a lookup by value has scanned the list
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

// indexFor returns the index of sub-attribute s for a lookup by value, or
// nil when the lookup should scan the list instead. A list's first lookup
// scans, so a request naming one element costs one pass over the list as
// it always did; the next builds the index, and every later one uses it.
func (l *elemList) indexFor(s *schema.Attribute) (*subIndex, error) {
	for _, x := range l.indexes {
		if x.sub == s {
			return x, nil
		}
	}
	if !l.scanned {
		l.scanned = true
		return nil, nil
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
// the elements filed under its value once the list is indexed.
func (l *elemList) hits(t *target) ([]int, error) {
	var x *subIndex
	sub, value, indexable := indexedEquality(l.attr, t.expr)
	if indexable {
		var err error
		if x, err = l.indexFor(sub); err != nil {
			return nil, err
		}
	}
	var hits []int
	if x == nil {
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
	if l.live == len(l.elems) { // nothing removed: no gaps to close
		storeList(l.cont, l.attr.Name, l.elems)
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
