// Package patch applies SCIM PATCH requests (RFC 7644 §3.5.2) to resources
// held as canonical JSON documents, including the Microsoft Entra ID dialect:
// capitalised op names, "True"/"False" strings, path-less values with dotted
// or URN-qualified keys, value-path operations that create missing elements,
// member removal by value array, and the several shapes of `manager`.
package patch

import (
	"encoding/json"
	"net/http"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Operation is one decoded PATCH operation.
type Operation struct {
	Op    string          // "add", "replace" or "remove", lower-cased
	Path  string          // raw path, "" when absent
	Value json.RawMessage // raw value, nil when absent
}

// Apply applies ops in order to doc (a canonical document the caller owns and
// discards on error, which makes a request all-or-nothing). Every error is a
// 400 *scimerr.Error naming the operation that failed; a request that would
// examine more than MaxElementVisits elements of multi-valued attributes is
// tooMany. Required attributes are not checked here: the caller re-normalises
// the document afterwards.
func Apply(rt *schema.ResourceType, doc map[string]any, ops []Operation) error {
	if rt == nil || doc == nil {
		return scimerr.New(http.StatusInternalServerError, "", "patch: nil resource type or document")
	}
	ap := newApplier(rt, doc)
	for i, op := range ops {
		if err := ap.apply(op); err != nil {
			return inOperation(i, op, err)
		}
	}
	ap.finish()
	syncSchemas(rt, doc)
	return nil
}

// apply dispatches one operation.
func (ap *applier) apply(op Operation) error {
	v, err := decodeValue(op.Value)
	if err != nil {
		return err
	}
	switch op.Op {
	case opAdd, opReplace:
		if v == nil {
			return scimerr.BadRequest(scimerr.InvalidSyntax, "%s requires a value", op.Op)
		}
		if op.Path == "" {
			return ap.setPathless(op.Op, v)
		}
		return ap.setPath(op.Op, op.Path, v)
	case opRemove:
		if op.Path == "" {
			return scimerr.BadRequest(scimerr.NoTarget, "remove requires a path")
		}
		return ap.removePath(op.Path, v)
	default:
		return scimerr.BadRequest(scimerr.InvalidSyntax, "unknown op %s: want add, replace or remove", scimerr.Quote(op.Op))
	}
}
