package patch

import (
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// MaxElementVisits bounds the work of one PATCH request: how many elements
// of multi-valued attributes its operations may examine in total. Opening
// an attribute, its first lookup by value and indexing one of its
// sub-attributes (at the second), applying a value filter with no
// `sub eq "value"` term, a sub-attribute path without a filter
// (emails.type) and each added or removed value without a string `value`
// examine every element; later lookups by value (a value filter with such
// a term, an added or removed value with one) examine only the elements
// with that value. A
// request beyond the bound is refused as a whole with 400 tooMany. Requests
// within the 1 MiB default body limit stay well within it unless most of
// their operations scan a large attribute; the bound keeps those from
// costing more than a fraction of a second each.
const MaxElementVisits = 1 << 20

// budget counts down the element visits a request has left.
type budget struct{ left int }

// spend charges n visits; the error is tooMany once the budget is spent.
func (b *budget) spend(n int) error {
	if b.left -= n; b.left < 0 {
		return scimerr.BadRequest(scimerr.TooMany,
			"the request examines more than %d elements of multi-valued attributes; send its operations in several requests", MaxElementVisits)
	}
	return nil
}

// applier applies the operations of one request to one document. The
// multi-valued attributes they touch stay open (lists) until apply ends.
type applier struct {
	rt     *schema.ResourceType
	doc    map[string]any
	lists  map[*schema.Attribute]*elemList
	budget budget
}

func newApplier(rt *schema.ResourceType, doc map[string]any) *applier {
	return &applier{rt: rt, doc: doc, budget: budget{left: MaxElementVisits}}
}

// list returns the open list of multi-valued attribute t.attr held by
// cont, opening it on first use. An open list stays valid because every
// change to its attribute goes through it, and a list is closed (settle,
// forget) before anything replaces the attribute or its object.
func (ap *applier) list(cont map[string]any, t *target) (*elemList, error) {
	if l := ap.lists[t.attr]; l != nil {
		return l, nil
	}
	l, err := openList(cont, t, &ap.budget)
	if err != nil {
		return nil, err
	}
	if ap.lists == nil {
		ap.lists = map[*schema.Attribute]*elemList{}
	}
	ap.lists[t.attr] = l
	return l, nil
}

// settle stores the open list of a, if any, and closes it.
func (ap *applier) settle(a *schema.Attribute) {
	if l := ap.lists[a]; l != nil {
		l.store()
		delete(ap.lists, a)
	}
}

// forget closes the open lists of the attributes of schema s unstored: its
// object is being removed.
func (ap *applier) forget(s *schema.Schema) {
	for a, l := range ap.lists {
		if l.owner == s {
			delete(ap.lists, a)
		}
	}
}

// finish stores every open list.
func (ap *applier) finish() {
	for a := range ap.lists {
		ap.settle(a)
	}
}
