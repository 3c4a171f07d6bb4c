package schema

import "github.com/scimconform/scimconform/refserver/scimerr"

// Project applies returned characteristics and the attributes /
// excludedAttributes query parameters (comma-separated lists already split)
// to a canonical document, returning a new document.
func Project(rt *ResourceType, doc map[string]any, attributes, excluded []string) (map[string]any, error) {
	return nil, scimerr.BadRequest(scimerr.InvalidValue, "projection not implemented yet")
}
