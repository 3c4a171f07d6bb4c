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
func (ap *applier) removePath(path string, v any) error {
	t, err := resolveTarget(ap.rt, path)
	if err != nil {
		return err
	}
	if t.ext != nil {
		if !isExtension(ap.rt, t.ext) {
			return scimerr.BadRequest(scimerr.InvalidPath, "path %s: the core schema object cannot be removed", scimerr.Quote(path))
		}
		ap.forget(t.ext)
		delete(ap.doc, t.ext.ID)
		return nil
	}
	if err := t.writable(); err != nil {
		return err
	}
	cont := t.container(ap.rt, ap.doc, false)
	switch {
	case t.attr.MultiValued && (t.expr != nil || t.sub != nil || v != nil):
		return ap.removeFromList(cont, t, v)
	case t.sub != nil:
		return removeSub(cont, t.attr, t.sub)
	default:
		ap.settle(t.attr)
		return clearAttr(cont, t.attr)
	}
}

// removeFromList removes elements, or a sub-attribute of elements, of a
// multi-valued attribute: those a value filter selects, all of them for a
// sub-attribute path, or those equal to the given values.
func (ap *applier) removeFromList(cont map[string]any, t *target, v any) error {
	if cont == nil { // its extension object is absent: nothing to remove
		switch {
		case t.expr != nil:
			return noMatch(t)
		case t.sub == nil:
			_, err := attrValue(t.attr, v)
			return err
		}
		return nil
	}
	l, err := ap.list(cont, t)
	if err != nil {
		return err
	}
	switch {
	case t.expr != nil:
		return l.removeFiltered(t)
	case t.sub != nil:
		return l.removeSubAll(t.sub)
	default:
		return l.removeValues(v)
	}
}

// removeSub removes sub-attribute s from the value of single-valued
// complex a.
func removeSub(cont map[string]any, a, s *schema.Attribute) error {
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
