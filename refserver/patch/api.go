// Package patch applies SCIM PATCH requests (RFC 7644 §3.5.2) to resources
// held as canonical JSON documents, including the Microsoft Entra ID dialect.
package patch

import (
	"encoding/json"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Operation is one decoded PATCH operation.
type Operation struct {
	Op    string          // "add", "replace" or "remove", lower-cased
	Path  string          // raw path, "" when absent
	Value json.RawMessage // raw value, nil when absent
}

// ParseRequest decodes and checks a PatchOp body. Errors are *scimerr.Error.
func ParseRequest(body []byte) ([]Operation, error) {
	return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "patch not implemented yet")
}

// Apply applies ops in order to doc (a canonical document the caller owns and
// discards on error, which makes a request all-or-nothing).
func Apply(rt *schema.ResourceType, doc map[string]any, ops []Operation) error {
	return scimerr.BadRequest(scimerr.InvalidSyntax, "patch not implemented yet")
}
