package patch

import (
	"encoding/json"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// decodeValue decodes an operation's raw value. Absence and JSON null are
// nil; nulls inside the value ("$ref": null) are dropped as absent.
func decodeValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "value is not valid JSON: %v", err)
	}
	return dropNulls(v), nil
}

// dropNulls removes null object members and null array items at any depth.
func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(e)
		}
	case []any:
		out := x[:0]
		for _, e := range x {
			if e != nil {
				out = append(out, dropNulls(e))
			}
		}
		return out
	}
	return v
}

// attrValue validates v as the whole value of a and returns it in canonical
// form; nil means the value is empty and clears the attribute.
func attrValue(a *schema.Attribute, v any) (any, error) {
	dropReadOnlySubs(a, v)
	switch {
	case a.MultiValued:
		return listValue(a, v)
	case a.Type == schema.Complex:
		return complexValue(a, v)
	default:
		return normalize(a, v)
	}
}

// listValue validates the value of a multi-valued attribute. A single item
// stands for a one-item list.
func listValue(a *schema.Attribute, v any) (any, error) {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	if len(items) == 0 {
		return nil, nil
	}
	if a.Type == schema.Complex {
		for i, it := range items {
			items[i] = wrapBare(a, it)
		}
	}
	nv, err := normalize(a, items)
	if list, ok := nv.([]any); ok && len(list) == 0 {
		return nil, nil
	}
	return nv, err
}

// complexValue validates the value of a single-valued complex attribute,
// accepting Entra's shapes: a one-item array (manager on path "manager"), a
// bare string for the value sub-attribute, and "" or {"value": ""} to clear.
func complexValue(a *schema.Attribute, v any) (any, error) {
	if items, ok := v.([]any); ok {
		switch len(items) {
		case 0:
			return nil, nil
		case 1:
			v = items[0]
		default:
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "%s is single-valued but %d values were given", a.Name, len(items))
		}
	}
	nv, err := normalize(a, wrapBare(a, v))
	if err != nil {
		return nil, err
	}
	if m, ok := nv.(map[string]any); ok && cleared(a, m) {
		return nil, nil
	}
	return nv, nil
}

// elementValue validates v as one element of the multi-valued attribute a.
func elementValue(a *schema.Attribute, v any) (any, error) {
	one := *a
	one.MultiValued = false
	return attrValue(&one, v)
}

// wrapBare turns a bare string given for a complex attribute with a `value`
// sub-attribute into {"value": s}.
func wrapBare(a *schema.Attribute, v any) any {
	if s, ok := v.(string); ok && a.Type == schema.Complex && a.Sub("value") != nil {
		return map[string]any{"value": s}
	}
	return v
}

// cleared reports whether a complex value carries nothing: empty, or with an
// empty `value` sub-attribute, which is how clients clear a manager.
func cleared(a *schema.Attribute, m map[string]any) bool {
	if len(m) == 0 {
		return true
	}
	if a.Sub("value") == nil {
		return false
	}
	s, ok := m["value"].(string)
	return ok && s == ""
}

// normalize validates v against a with the schema's rules (types, "True" and
// "False" for booleans, canonical sub-attribute names).
func normalize(a *schema.Attribute, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	nv, err := schema.NormalizeValue(a, v)
	if err != nil {
		return nil, valueError(a.Name, err)
	}
	return nv, nil
}

// dropReadOnlySubs removes readOnly sub-attributes (members.display,
// manager.displayName) from a complex value or from each of its elements:
// client-supplied readOnly values are ignored (RFC 7643 §2.2).
func dropReadOnlySubs(a *schema.Attribute, v any) {
	if a.Type != schema.Complex {
		return
	}
	for _, e := range asList(v) {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		for k := range m {
			if s := a.Sub(k); s != nil && s.Mutability == schema.ReadOnly {
				delete(m, k)
			}
		}
	}
}
