package schema

import "github.com/scimconform/scimconform/refserver/scimerr"

// Resolve finds the attribute named by an optional schema URN, a name and an
// optional sub-attribute, all matched case-insensitively. owner is the schema
// the attribute belongs to (nil for the common attributes id, externalId, meta).
func (rt *ResourceType) Resolve(urn, name, sub string) (owner *Schema, a, subAttr *Attribute, err error) {
	return nil, nil, nil, scimerr.BadRequest(scimerr.InvalidPath, "resolve not implemented yet")
}
