package patch

import (
	"reflect"
	"strings"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
)

// Helpers for the elements of multi-valued attributes.

// sameElement reports whether x and y are the same element of a: complex
// elements with a `value` sub-attribute are when their values are (adding
// an existing group member is a no-op); other elements must be equal as a
// whole.
func sameElement(a *schema.Attribute, x, y any) bool {
	if a.Type != schema.Complex {
		return sameScalar(a, x, y)
	}
	xm, okx := x.(map[string]any)
	ym, oky := y.(map[string]any)
	if okx && oky {
		if vs := a.Sub("value"); vs != nil {
			xv, hasX := xm[vs.Name]
			yv, hasY := ym[vs.Name]
			if hasX && hasY {
				return sameScalar(vs, xv, yv)
			}
		}
		if len(xm) != len(ym) {
			return false
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
