package patch

import (
	"maps"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// setPathless applies an add or replace without a path: each member of the
// value object is applied as if it were the path of its own operation, which
// covers both the RFC form ({"name": {"givenName": …}}, {"urn:…:User": {…}})
// and Entra's dotted and URN-qualified keys ("name.givenName",
// "urn:…:User:employeeNumber").
func (ap *applier) setPathless(op string, v any) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return scimerr.BadRequest(scimerr.InvalidValue, "%s without a path needs an object of attributes as its value", op)
	}
	return ap.setMembers(op, "", obj)
}

// setMembers applies every member of obj; prefix is the schema URN when obj
// is the object of one schema. Members are applied in name order so the
// outcome never depends on map order. Members naming no known attribute are
// ignored, as unknown attributes are in POST and PUT bodies.
func (ap *applier) setMembers(op, prefix string, obj map[string]any) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.EqualFold(k, "schemas") {
			continue
		}
		path := k
		if prefix != "" {
			path = prefix + ":" + k
		}
		t, err := resolveTarget(ap.rt, path)
		if err != nil {
			continue
		}
		if err := ap.setTarget(op, t, obj[k]); err != nil {
			return err
		}
	}
	return nil
}

// setPath applies an add or replace with a path.
func (ap *applier) setPath(op, path string, v any) error {
	t, err := resolveTarget(ap.rt, path)
	if err != nil {
		return err
	}
	return ap.setTarget(op, t, v)
}

// setTarget applies an add or replace of v at t.
func (ap *applier) setTarget(op string, t *target, v any) error {
	if t.ext != nil {
		obj, ok := v.(map[string]any)
		if !ok {
			return scimerr.BadRequest(scimerr.InvalidValue, "value for %s must be an object of its attributes", t.ext.ID)
		}
		return ap.setMembers(op, t.ext.ID, obj)
	}
	if err := t.writable(); err != nil {
		return err
	}
	cont := t.container(ap.rt, ap.doc, true)
	switch {
	case t.attr.MultiValued:
		return ap.setMulti(cont, op, t, v)
	case t.sub != nil:
		return setSub(cont, t.attr, t.sub, v)
	default:
		return setAttr(cont, t.attr, op, v)
	}
}

// setMulti applies an add or replace to a multi-valued attribute. Adding
// to it appends values not already present; replacing it swaps the whole
// list (RFC 7644 §3.5.2.1, §3.5.2.3).
func (ap *applier) setMulti(cont map[string]any, op string, t *target, v any) error {
	if t.expr == nil && t.sub == nil && op == opReplace {
		ap.settle(t.attr)
		return setAttr(cont, t.attr, op, v)
	}
	l, err := ap.list(cont, t)
	if err != nil {
		return err
	}
	switch {
	case t.expr != nil:
		return l.setFiltered(t, op, v)
	case t.sub != nil:
		return l.setSubAll(t.sub, v)
	default:
		return l.addValues(v)
	}
}

// setAttr adds or replaces a whole attribute; a multi-valued one is only
// replaced here. Complex values are merged sub-attribute by sub-attribute
// (RFC 7644 §3.5.2.1, §3.5.2.3). An empty value clears the attribute.
func setAttr(cont map[string]any, a *schema.Attribute, op string, v any) error {
	nv, err := attrValue(a, v)
	if err != nil {
		return err
	}
	if nv == nil {
		return clearAttr(cont, a)
	}
	old, present := cont[a.Name]
	switch {
	case a.MultiValued:
		cont[a.Name] = nv
	case a.Type == schema.Complex:
		m, ok := old.(map[string]any)
		src, isMap := nv.(map[string]any)
		if !ok || !isMap {
			cont[a.Name] = nv
			return nil
		}
		return mergeInto(a, m, src)
	default:
		if err := checkImmutable(a, old, present, nv); err != nil {
			return err
		}
		cont[a.Name] = nv
	}
	return nil
}

// setSub sets a sub-attribute of the value of single-valued complex a.
func setSub(cont map[string]any, a, s *schema.Attribute, v any) error {
	nv, err := normalize(s, v)
	if err != nil {
		return err
	}
	m, ok := cont[a.Name].(map[string]any)
	if !ok {
		if nv == nil {
			return nil
		}
		m = map[string]any{}
		cont[a.Name] = m
	}
	if err := setSubIn(s, m, nv); err != nil {
		return err
	}
	if cleared(a, m) {
		delete(cont, a.Name)
	}
	return nil
}

// setSubIn sets s in the complex value m, or removes it when nv is nil.
func setSubIn(s *schema.Attribute, m map[string]any, nv any) error {
	old, present := m[s.Name]
	if err := checkImmutable(s, old, present, nv); err != nil {
		return err
	}
	if nv == nil {
		delete(m, s.Name)
		return nil
	}
	m[s.Name] = nv
	return nil
}

// mergeInto copies the sub-attributes of src into dst. A new `value` that
// comes without a `$ref` drops the old `$ref`: both name the same resource,
// and a manager replaced by id alone must not keep pointing at the old one.
func mergeInto(a *schema.Attribute, dst, src map[string]any) error {
	if nv, ok := src["value"]; ok && a.Sub("$ref") != nil {
		if _, hasRef := src["$ref"]; !hasRef && !sameScalar(a.Sub("value"), dst["value"], nv) {
			delete(dst, "$ref")
		}
	}
	// Checked in schema order, so a refusal always names the same attribute.
	for _, s := range a.SubAttributes {
		if v, ok := src[s.Name]; ok {
			old, present := dst[s.Name]
			if err := checkImmutable(s, old, present, v); err != nil {
				return err
			}
		}
	}
	maps.Copy(dst, src)
	return nil
}

// checkImmutable refuses to change or remove an immutable value once set
// (RFC 7643 §7: it may be set at creation or when first included, never
// updated).
func checkImmutable(a *schema.Attribute, old any, present bool, nv any) error {
	if a.Mutability != schema.Immutable || !present || (nv != nil && sameScalar(a, old, nv)) {
		return nil
	}
	return scimerr.BadRequest(scimerr.Mutability, "attribute %s is immutable", a.Name)
}

// clearAttr removes attribute a from cont.
func clearAttr(cont map[string]any, a *schema.Attribute) error {
	old, present := cont[a.Name]
	if err := checkImmutable(a, old, present, nil); err != nil {
		return err
	}
	delete(cont, a.Name)
	return nil
}

// noMatch is the error for a value filter that selects nothing.
func noMatch(t *target) error {
	return scimerr.BadRequest(scimerr.NoTarget, "no value of %s matches the filter in %s", t.attr.Name, scimerr.Quote(t.path))
}
