package patch

import (
	"slices"

	"github.com/scimconform/scimconform/refserver/schema"
)

// PATCH operations on an open multi-valued attribute (RFC 7644 §3.5.2).

// setFiltered applies an add or replace on attr[filter] or attr[filter].sub.
// With a sub-attribute and no matching element, a filter made only of
// equalities creates the element it describes (Entra's
// `emails[type eq "work"].value` relies on this); otherwise no match is
// noTarget.
func (l *elemList) setFiltered(t *target, op string, v any) error {
	hits, err := l.hits(t)
	if err != nil {
		return err
	}
	if t.sub != nil {
		nv, err := normalize(t.sub, v)
		if err != nil {
			return err
		}
		if len(hits) > 0 {
			return l.setSubOf(hits, t.sub, nv)
		}
		elem, ok := elementFromFilter(l.attr, t.expr)
		if !ok {
			return noMatch(t)
		}
		if nv == nil {
			return nil
		}
		elem[t.sub.Name] = nv
		l.demote([]int{l.add(elem)})
		return nil
	}
	nv, err := elementValue(l.attr, v)
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		return noMatch(t)
	}
	if nv == nil {
		if op == opReplace {
			l.remove(hits)
		}
		return nil
	}
	for _, i := range hits {
		if err := l.update(i, func(e any) (any, error) { return merged(l.attr, e, nv) }); err != nil {
			return err
		}
	}
	l.demote(hits)
	return nil
}

// merged is element e with the sub-attributes of nv merged in, or a copy
// of nv when either is not an object.
func merged(a *schema.Attribute, e, nv any) (any, error) {
	dst, ok := e.(map[string]any)
	src, isMap := nv.(map[string]any)
	if !ok || !isMap {
		return clone(nv), nil
	}
	return dst, mergeInto(a, dst, src)
}

// setSubAll sets sub-attribute s of every element (creating one element
// when there is none).
func (l *elemList) setSubAll(s *schema.Attribute, v any) error {
	nv, err := normalize(s, v)
	if err != nil {
		return err
	}
	if l.live == 0 {
		if nv != nil {
			l.add(map[string]any{s.Name: nv})
		}
		return nil
	}
	// Every element is touched, so none is left to demote.
	return l.each(func(i int) error { return l.setSubAt(i, s, nv) })
}

// setSubOf sets (or, for nil, removes) sub-attribute s on the elements at
// idx (ascending).
func (l *elemList) setSubOf(idx []int, s *schema.Attribute, nv any) error {
	for _, i := range idx {
		if err := l.setSubAt(i, s, nv); err != nil {
			return err
		}
	}
	l.demote(idx)
	return nil
}

// setSubAt sets (or, for nil, removes) sub-attribute s on the element at
// i; an element left empty is removed.
func (l *elemList) setSubAt(i int, s *schema.Attribute, nv any) error {
	return l.update(i, func(e any) (any, error) {
		m, ok := e.(map[string]any)
		if !ok {
			return e, nil
		}
		return m, setSubIn(s, m, nv)
	})
}

// addValues adds each value of v not already present (sameElement).
func (l *elemList) addValues(v any) error {
	nv, err := attrValue(l.attr, v)
	if err != nil || nv == nil {
		return err
	}
	items := asList(nv)
	m, err := l.matchValues(items)
	if err != nil {
		return err
	}
	var added []int
	for i, it := range items {
		same, err := m.same(i)
		if err != nil {
			return err
		}
		if len(same) == 0 {
			pos := l.add(it)
			m.added(i, pos)
			added = append(added, pos)
		}
	}
	l.demote(added)
	return nil
}

// removeFiltered removes the elements attr[filter] selects, or their
// sub-attribute for attr[filter].sub.
func (l *elemList) removeFiltered(t *target) error {
	hits, err := l.hits(t)
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		return noMatch(t)
	}
	if t.sub == nil {
		l.remove(hits)
		return nil
	}
	return l.setSubOf(hits, t.sub, nil)
}

// removeSubAll removes sub-attribute s from every element.
func (l *elemList) removeSubAll(s *schema.Attribute) error {
	return l.each(func(i int) error { return l.setSubAt(i, s, nil) })
}

// removeValues removes the elements equal to one of the values of v;
// values that are not present are ignored.
func (l *elemList) removeValues(v any) error {
	nv, err := attrValue(l.attr, v)
	if err != nil || nv == nil {
		return err
	}
	items := asList(nv)
	m, err := l.matchValues(items)
	if err != nil {
		return err
	}
	var gone []int
	for i := range items {
		same, err := m.same(i)
		if err != nil {
			return err
		}
		gone = append(gone, same...)
	}
	slices.Sort(gone)
	l.remove(slices.Compact(gone))
	return nil
}
