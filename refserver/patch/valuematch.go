package patch

import (
	"slices"

	"github.com/scimconform/scimconform/refserver/schema"
)

// valueMatcher finds, for the values of one add or remove operation on a
// multi-valued attribute, the live elements equal to each (sameElement).
// Values with a string `value` are looked up in the list's index of
// `value`; when the list should not be indexed yet (its first lookup), the
// values are indexed instead and the list is scanned once for all of them.
// Other values are compared with every element.
type valueMatcher struct {
	l     *elemList
	vs    *schema.Attribute // the `value` sub-attribute, nil when none
	list  *subIndex         // the list's index of vs, nil when scanning
	items []any
	// Scanning: the items' index of vs, what the scan found for each item,
	// and where items the operation added went (-1 when not added).
	byItem  *subIndex
	found   [][]int
	addedAt []int
}

// matchValues prepares the lookups of items.
func (l *elemList) matchValues(items []any) (*valueMatcher, error) {
	m := &valueMatcher{l: l, items: items}
	if l.attr.Type == schema.Complex {
		m.vs = l.attr.Sub("value")
	}
	if m.vs == nil || !slices.ContainsFunc(items, m.keyed) {
		m.vs = nil // every item is compared with every element
		return m, nil
	}
	var err error
	if m.list, err = l.indexFor(m.vs); err != nil || m.list != nil {
		return m, err
	}
	return m, m.scan()
}

// keyed reports whether item it has a string value.
func (m *valueMatcher) keyed(it any) bool {
	v, ok := it.(map[string]any)
	if ok {
		_, ok = v[m.vs.Name].(string)
	}
	return ok
}

// scan finds the elements equal to each item with a value in one pass.
func (m *valueMatcher) scan() error {
	if err := m.l.budget.spend(len(m.l.elems)); err != nil {
		return err
	}
	m.byItem = newSubIndex(m.vs, len(m.items))
	m.found = make([][]int, len(m.items))
	m.addedAt = make([]int, len(m.items))
	for i, it := range m.items {
		m.byItem.file(i, it)
		m.addedAt[i] = -1
	}
	for pos, e := range m.l.elems {
		if v, ok := m.byItem.valueOf(e); ok {
			for _, i := range m.sameItems(v) {
				m.found[i] = append(m.found[i], pos)
			}
		}
	}
	return nil
}

// sameItems returns the indexes of the items whose value is the same as v.
func (m *valueMatcher) sameItems(v string) []int {
	var same []int
	for _, i := range m.byItem.lookup(v) {
		if w, _ := m.byItem.valueOf(m.items[i]); sameScalar(m.vs, v, w) {
			same = append(same, i)
		}
	}
	return same
}

// added records that item i was added at position pos.
func (m *valueMatcher) added(i, pos int) {
	if m.addedAt != nil {
		m.addedAt[i] = pos
	}
}

// same returns the positions, ascending, of the live elements equal to
// item i, those the operation added before it included.
func (m *valueMatcher) same(i int) ([]int, error) {
	it := m.items[i]
	if m.vs == nil {
		return m.l.equalTo(it)
	}
	if m.list != nil {
		return m.inIndex(it)
	}
	v, keyed := m.byItem.valueOf(it)
	if !keyed {
		return m.l.equalTo(it)
	}
	same := slices.Clone(m.found[i])
	for _, j := range m.sameItems(v) {
		if m.addedAt[j] >= 0 {
			same = append(same, m.addedAt[j])
		}
	}
	slices.Sort(same)
	return same, nil
}

// inIndex looks item it up in the list's index.
func (m *valueMatcher) inIndex(it any) ([]int, error) {
	want, keyed := m.list.valueOf(it)
	if !keyed {
		return m.l.equalTo(it)
	}
	filed := m.list.lookup(want)
	if err := m.l.budget.spend(len(filed)); err != nil {
		return nil, err
	}
	same := filed[:0]
	for _, i := range filed {
		if v, _ := m.list.valueOf(m.l.elems[i]); sameScalar(m.vs, v, want) {
			same = append(same, i)
		}
	}
	slices.Sort(same)
	return same, nil
}
