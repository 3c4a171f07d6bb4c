package patch

import (
	"reflect"
	"strings"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
)

// Helpers for the elements of multi-valued attributes.

// matching returns the indexes of the elements of list that t's filter selects.
func matching(t *target, list []any) []int {
	var hits []int
	for i, e := range list {
		if t.match(e) {
			hits = append(hits, i)
		}
	}
	return hits
}

// appendNew appends each item not already present in list. Elements with a
// string `value` are looked up through a set of the (few) new values in one
// pass over list, so adding members to a large group stays linear.
func appendNew(a *schema.Attribute, list, items []any) []any {
	valueKey := valueKeyer(a)
	present := make(map[string]bool, len(items))
	for _, it := range items {
		if k, ok := valueKey(it); ok {
			present[k] = false
		}
	}
	if len(present) > 0 {
		for _, e := range list {
			if k, ok := valueKey(e); ok {
				if _, wanted := present[k]; wanted {
					present[k] = true
				}
			}
		}
	}
	for _, it := range items {
		if k, ok := valueKey(it); ok {
			if !present[k] {
				present[k] = true
				list = append(list, it)
			}
			continue
		}
		if indexOf(a, list, it) < 0 {
			list = append(list, it)
		}
	}
	return list
}

// valueKeyer returns the identity function for elements of a: for a complex
// element with a string `value` sub-attribute, that value, folded unless it
// is caseExact. ok is false for any other element, which is then compared
// as a whole.
func valueKeyer(a *schema.Attribute) func(e any) (key string, ok bool) {
	var vs *schema.Attribute
	if a.Type == schema.Complex {
		vs = a.Sub("value")
	}
	return func(e any) (string, bool) {
		m, isMap := e.(map[string]any)
		if vs == nil || !isMap {
			return "", false
		}
		s, ok := m[vs.Name].(string)
		if !ok {
			return "", false
		}
		if !vs.CaseExact {
			s = strings.ToLower(s)
		}
		return s, true
	}
}

// indexOf returns the index of the first element of list equal to x, or -1.
// Complex elements with a `value` sub-attribute are equal when their values
// are (adding an existing group member is a no-op); other elements must be
// equal as a whole.
func indexOf(a *schema.Attribute, list []any, x any) int {
	for i, e := range list {
		if sameElement(a, e, x) {
			return i
		}
	}
	return -1
}

func sameElement(a *schema.Attribute, x, y any) bool {
	if a.Type != schema.Complex {
		return sameScalar(a, x, y)
	}
	if vs := a.Sub("value"); vs != nil {
		xm, okx := x.(map[string]any)
		ym, oky := y.(map[string]any)
		if okx && oky {
			xv, hasX := xm[vs.Name]
			yv, hasY := ym[vs.Name]
			if hasX && hasY {
				return sameScalar(vs, xv, yv)
			}
		}
	}
	return reflect.DeepEqual(x, y)
}

// sameScalar compares two simple values of a; strings honour caseExact.
func sameScalar(a *schema.Attribute, x, y any) bool {
	xs, okx := x.(string)
	ys, oky := y.(string)
	if okx && oky {
		if a.CaseExact {
			return xs == ys
		}
		return strings.EqualFold(xs, ys)
	}
	return reflect.DeepEqual(x, y)
}

// demotePrimaries sets primary to false on every element outside touched
// when a touched element is primary (RFC 7644 §3.5.2: at most one primary).
func demotePrimaries(a *schema.Attribute, list []any, touched []int) {
	p := a.Sub("primary")
	if p == nil || p.Type != schema.Boolean {
		return
	}
	promoted := false
	in := make(map[int]bool, len(touched))
	for _, i := range touched {
		in[i] = true
		if m, ok := list[i].(map[string]any); ok && m[p.Name] == true {
			promoted = true
		}
	}
	if !promoted {
		return
	}
	for i, e := range list {
		if m, ok := e.(map[string]any); ok && !in[i] && m[p.Name] == true {
			m[p.Name] = false
		}
	}
}

// elementFromFilter builds the element a value filter describes when it is
// made only of equalities joined by and: emails[type eq "work"] gives
// {"type": "work"}. ok is false for any other filter.
func elementFromFilter(a *schema.Attribute, e filter.Expr) (elem map[string]any, ok bool) {
	elem = map[string]any{}
	if !collectEqualities(a, e, elem) || len(elem) == 0 {
		return nil, false
	}
	return elem, true
}

func collectEqualities(a *schema.Attribute, e filter.Expr, elem map[string]any) bool {
	switch x := e.(type) {
	case *filter.And:
		return collectEqualities(a, x.L, elem) && collectEqualities(a, x.R, elem)
	case *filter.Compare:
		if x.Op != filter.Eq || x.Value == nil || x.Attr.Filter != nil || x.Attr.Sub != "" || x.Attr.URN != "" {
			return false
		}
		s := a.Sub(x.Attr.Name)
		if s == nil || s.Mutability == schema.ReadOnly {
			return false
		}
		v, err := schema.NormalizeValue(s, x.Value)
		if err != nil || v == nil {
			return false
		}
		if old, dup := elem[s.Name]; dup && !sameScalar(s, old, v) {
			return false
		}
		elem[s.Name] = v
		return true
	}
	return false
}

// without returns list minus the elements at the (ascending) indexes drop.
func without(list []any, drop []int) []any {
	out := make([]any, 0, len(list)-len(drop))
	j := 0
	for i, e := range list {
		if j < len(drop) && drop[j] == i {
			j++
			continue
		}
		out = append(out, e)
	}
	return out
}

// compact drops elements left empty by sub-attribute removal.
func compact(list []any) []any {
	out := list[:0]
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && len(m) == 0 {
			continue
		}
		out = append(out, e)
	}
	return out
}

// storeList stores list as attribute name, or removes the attribute when the
// list is empty (an empty multi-valued attribute is absent).
func storeList(cont map[string]any, name string, list []any) {
	if len(list) == 0 {
		delete(cont, name)
		return
	}
	cont[name] = list
}

// asList returns v as a list.
func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

// indexRange returns the indexes from..to-1.
func indexRange(from, to int) []int {
	idx := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		idx = append(idx, i)
	}
	return idx
}

// clone deep-copies a decoded JSON value, so one value stored in several
// elements never aliases.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = clone(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = clone(e)
		}
		return l
	}
	return v
}
