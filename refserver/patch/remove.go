package patch

import (
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// removePath applies a remove. Removing an absent attribute is a no-op; a
// value filter that selects nothing is noTarget. For a multi-valued attribute
// a value lists the elements to remove (Entra's
// {"op":"Remove","path":"members","value":[{"value":"id"}]}): only those go,
// never the whole attribute.
func removePath(rt *schema.ResourceType, doc map[string]any, path string, v any) error {
	t, err := resolveTarget(rt, path)
	if err != nil {
		return err
	}
	if t.ext != nil {
		if !isExtension(rt, t.ext) {
			return scimerr.BadRequest(scimerr.InvalidPath, "path %q: the core schema object cannot be removed", path)
		}
		delete(doc, t.ext.ID)
		return nil
	}
	if err := t.writable(); err != nil {
		return err
	}
	cont := t.container(rt, doc, false)
	switch {
	case t.expr != nil:
		return removeFiltered(cont, t)
	case t.sub != nil:
		return removeSub(cont, t.attr, t.sub)
	case v != nil && t.attr.MultiValued:
		return removeValues(cont, t.attr, v)
	default:
		return clearAttr(cont, t.attr)
	}
}

// removeFiltered removes the elements attr[filter] selects, or their
// sub-attribute for attr[filter].sub.
func removeFiltered(cont map[string]any, t *target) error {
	list, _ := cont[t.attr.Name].([]any)
	hits := matching(t, list)
	if len(hits) == 0 {
		return noMatch(t)
	}
	if t.sub == nil {
		storeList(cont, t.attr.Name, without(list, hits))
		return nil
	}
	return setSubOf(cont, t.attr, t.sub, list, hits, nil)
}

// removeSub removes sub-attribute s from the value of a, or from every
// element of a multi-valued a.
func removeSub(cont map[string]any, a, s *schema.Attribute) error {
	if a.MultiValued {
		list, _ := cont[a.Name].([]any)
		if len(list) == 0 {
			return nil
		}
		return setSubOf(cont, a, s, list, indexRange(0, len(list)), nil)
	}
	m, ok := cont[a.Name].(map[string]any)
	if !ok {
		return nil
	}
	if err := setSubIn(s, m, nil); err != nil {
		return err
	}
	if len(m) == 0 {
		delete(cont, a.Name)
	}
	return nil
}

// removeValues removes the elements of a equal to one of the given values;
// values that are not present are ignored.
func removeValues(cont map[string]any, a *schema.Attribute, v any) error {
	nv, err := attrValue(a, v)
	if err != nil || nv == nil {
		return err
	}
	valueKey := valueKeyer(a)
	gone := make(map[string]bool)
	var others []any
	for _, g := range asList(nv) {
		if k, ok := valueKey(g); ok {
			gone[k] = true
		} else {
			others = append(others, g)
		}
	}
	list, _ := cont[a.Name].([]any)
	var hits []int
	for i, e := range list {
		if k, ok := valueKey(e); (ok && gone[k]) || indexOf(a, others, e) >= 0 {
			hits = append(hits, i)
		}
	}
	if len(hits) > 0 {
		storeList(cont, a.Name, without(list, hits))
	}
	return nil
}
