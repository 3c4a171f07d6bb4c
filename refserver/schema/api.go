package schema

import "github.com/scimconform/scimconform/refserver/scimerr"

// Mode says which request a body comes from, for Normalize.
type Mode int

const (
	// Create is a POST body.
	Create Mode = iota
	// Replace is a PUT body.
	Replace
)

// Normalize validates a client-supplied resource body for rt and returns it in
// canonical form. Errors are *scimerr.Error (invalidValue, invalidSyntax).
func Normalize(rt *ResourceType, body map[string]any, mode Mode) (map[string]any, error) {
	return nil, scimerr.BadRequest(scimerr.InvalidValue, "normalize not implemented yet")
}

// NormalizeValue validates and canonicalises v as a value of a (for PATCH).
func NormalizeValue(a *Attribute, v any) (any, error) {
	return nil, scimerr.BadRequest(scimerr.InvalidValue, "normalize not implemented yet")
}

// Resolve finds the attribute named by an optional schema URN, a name and an
// optional sub-attribute, all matched case-insensitively. owner is the schema
// the attribute belongs to (nil for the common attributes id, externalId, meta).
func (rt *ResourceType) Resolve(urn, name, sub string) (owner *Schema, a, subAttr *Attribute, err error) {
	return nil, nil, nil, scimerr.BadRequest(scimerr.InvalidPath, "resolve not implemented yet")
}

// Project applies returned characteristics and the attributes /
// excludedAttributes query parameters (comma-separated lists already split)
// to a canonical document, returning a new document.
func Project(rt *ResourceType, doc map[string]any, attributes, excluded []string) (map[string]any, error) {
	return nil, scimerr.BadRequest(scimerr.InvalidValue, "projection not implemented yet")
}

// CompareValues orders two values of attribute a for sortBy (strings per
// caseExact, dateTimes as instants, numbers numerically, booleans false<true).
func CompareValues(a *Attribute, x, y any) int { return 0 }
