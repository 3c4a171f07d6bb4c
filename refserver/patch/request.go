package patch

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// PatchOpURN is the schema URN every PatchOp request body must list.
const PatchOpURN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

// Operation names, as stored in Operation.Op.
const (
	opAdd     = "add"
	opReplace = "replace"
	opRemove  = "remove"
)

// ParseRequest decodes and checks a PatchOp body. Member names are matched
// case-insensitively and their order does not matter; unknown members (Entra
// sends a top-level "id") are ignored. An empty Operations array is a valid
// no-op. Errors are 400 *scimerr.Error.
func ParseRequest(body []byte) ([]Operation, error) {
	top, err := decodeObject(body, "PatchOp body")
	if err != nil {
		return nil, err
	}
	if err := checkSchemas(top); err != nil {
		return nil, err
	}
	rawOps, found, err := member(top, "Operations")
	if err != nil {
		return nil, err
	}
	if !found || isNull(rawOps) {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "PatchOp body has no \"Operations\" array")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(rawOps, &items); err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "\"Operations\" must be an array of operations")
	}
	ops := make([]Operation, 0, len(items))
	for i, item := range items {
		op, err := parseOperation(item)
		if err != nil {
			se := scimerr.As(err)
			return nil, scimerr.BadRequest(se.ScimType, "Operations[%d]: %s", i, se.Detail)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// checkSchemas requires the PatchOp URN in the body's "schemas" array.
func checkSchemas(top map[string]json.RawMessage) error {
	raw, found, err := member(top, "schemas")
	if err != nil {
		return err
	}
	if !found {
		return scimerr.BadRequest(scimerr.InvalidSyntax, "PatchOp body has no \"schemas\"; it must list %s", PatchOpURN)
	}
	var urns []string
	if err := json.Unmarshal(raw, &urns); err != nil {
		return scimerr.BadRequest(scimerr.InvalidSyntax, "\"schemas\" must be an array of strings")
	}
	for _, u := range urns {
		if strings.EqualFold(u, PatchOpURN) {
			return nil
		}
	}
	return scimerr.BadRequest(scimerr.InvalidSyntax, "\"schemas\" must contain %s", PatchOpURN)
}

// parseOperation decodes one element of Operations.
func parseOperation(item json.RawMessage) (Operation, error) {
	m, err := decodeObject(item, "operation")
	if err != nil {
		return Operation{}, err
	}
	var op Operation
	rawOp, found, err := member(m, "op")
	if err != nil {
		return op, err
	}
	var name string
	if !found || json.Unmarshal(rawOp, &name) != nil {
		return op, scimerr.BadRequest(scimerr.InvalidSyntax, "\"op\" must be a string: add, replace or remove")
	}
	op.Op = strings.ToLower(name)
	if op.Op != opAdd && op.Op != opReplace && op.Op != opRemove {
		return op, scimerr.BadRequest(scimerr.InvalidSyntax, "unknown op %s: want add, replace or remove", scimerr.Quote(name))
	}
	rawPath, found, err := member(m, "path")
	if err != nil {
		return op, err
	}
	if found && !isNull(rawPath) {
		if json.Unmarshal(rawPath, &op.Path) != nil {
			return op, scimerr.BadRequest(scimerr.InvalidPath, "\"path\" must be a string")
		}
	}
	rawValue, found, err := member(m, "value")
	if err != nil {
		return op, err
	}
	if found && !isNull(rawValue) {
		op.Value = rawValue
	}
	switch {
	case op.Op == opRemove && op.Path == "":
		return op, scimerr.BadRequest(scimerr.NoTarget, "remove requires a path")
	case op.Op != opRemove && op.Value == nil:
		return op, scimerr.BadRequest(scimerr.InvalidSyntax, "%s requires a value", op.Op)
	}
	return op, nil
}

// decodeObject decodes a JSON object into its raw members.
func decodeObject(data []byte, what string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "%s is not a JSON object: %v", what, err)
	}
	if m == nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "%s is not a JSON object", what)
	}
	return m, nil
}

// member finds an object member by case-insensitive name. Two members whose
// names differ only in case are ambiguous and rejected.
func member(m map[string]json.RawMessage, name string) (json.RawMessage, bool, error) {
	var (
		raw   json.RawMessage
		found string
	)
	for k, v := range m {
		if !strings.EqualFold(k, name) {
			continue
		}
		if found != "" {
			return nil, false, scimerr.BadRequest(scimerr.InvalidSyntax, "members %s and %s are ambiguous", scimerr.Quote(found), scimerr.Quote(k))
		}
		raw, found = v, k
	}
	return raw, found != "", nil
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}
