package schema

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Resolve finds the attribute named by an optional schema URN, a name and an
// optional sub-attribute, all matched case-insensitively. owner is the schema
// the attribute belongs to (nil for the common attributes id, externalId, meta).
//
// Without a URN the core schema is searched first, then the common
// attributes, then the extensions: Microsoft Entra ID writes the enterprise
// extension's "manager" without its URN. With the core URN the core schema
// and the common attributes are searched; with an extension URN, only that
// extension. Errors are *scimerr.Error 400 invalidPath naming what was not found.
func (rt *ResourceType) Resolve(urn, name, sub string) (owner *Schema, a, subAttr *Attribute, err error) {
	owner, a, err = rt.resolveAttr(urn, name)
	if err != nil {
		return nil, nil, nil, err
	}
	if sub == "" {
		return owner, a, nil, nil
	}
	if a.Type != Complex {
		return nil, nil, nil, scimerr.BadRequest(scimerr.InvalidPath,
			"attribute %q is not complex and has no sub-attribute %q", a.Name, sub)
	}
	if subAttr = a.Sub(sub); subAttr == nil {
		return nil, nil, nil, scimerr.BadRequest(scimerr.InvalidPath,
			"attribute %q has no sub-attribute %q", a.Name, sub)
	}
	return owner, a, subAttr, nil
}

func (rt *ResourceType) resolveAttr(urn, name string) (*Schema, *Attribute, error) {
	switch {
	case urn == "":
		if a := rt.Schema.Attr(name); a != nil {
			return rt.Schema, a, nil
		}
		if a := find(CommonAttributes, name); a != nil {
			return nil, a, nil
		}
		for _, e := range rt.Extensions {
			if a := e.Schema.Attr(name); a != nil {
				return e.Schema, a, nil
			}
		}
		return nil, nil, scimerr.BadRequest(scimerr.InvalidPath, "unknown attribute %s for resource type %s", scimerr.Quote(name), rt.Name)
	case strings.EqualFold(urn, rt.Schema.ID):
		if a := rt.Schema.Attr(name); a != nil {
			return rt.Schema, a, nil
		}
		if a := find(CommonAttributes, name); a != nil {
			return nil, a, nil
		}
		return nil, nil, scimerr.BadRequest(scimerr.InvalidPath, "unknown attribute %s in schema %s", scimerr.Quote(name), rt.Schema.ID)
	}
	ext := rt.Extension(urn)
	if ext == nil {
		return nil, nil, scimerr.BadRequest(scimerr.InvalidPath, "unknown schema %s for resource type %s", scimerr.Quote(urn), rt.Name)
	}
	if a := ext.Attr(name); a != nil {
		return ext, a, nil
	}
	return nil, nil, scimerr.BadRequest(scimerr.InvalidPath, "unknown attribute %s in schema %s", scimerr.Quote(name), ext.ID)
}
