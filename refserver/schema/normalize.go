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
