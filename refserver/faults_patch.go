package refserver

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/patch"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// perOperation reports whether a fault needs the operations of a PATCH
// applied one at a time.
func (f faultSet) perOperation() bool {
	return f.has(fPatchNotAtomic) || f.has(fPatchComplexClears)
}

// parsePatch parses a PATCH body. Under patch-op-case-sensitive op names
// that are not lower case are refused, under patch-bool-strings-rejected
// "True"/"False" strings anywhere in a value; under patch-no-target-ignored
// removes without a path are dropped before the parser can refuse them.
func (s *Server) parsePatch(body []byte) ([]patch.Operation, error) {
	if err := s.checkPatchBody(body); err != nil {
		return nil, err
	}
	if s.faults.has(fPatchNoTargetIgnored) {
		var req map[string]any
		if json.Unmarshal(body, &req) == nil {
			ops, _ := req["Operations"].([]any)
			kept := []any{}
			for _, op := range ops {
				m, _ := op.(map[string]any)
				name, _ := m["op"].(string)
				if path, _ := m["path"].(string); strings.EqualFold(name, "remove") && path == "" {
					continue
				}
				kept = append(kept, op)
			}
			if len(kept) == 0 && len(ops) > 0 {
				return nil, nil // nothing left to do: answered as done
			}
			req["Operations"] = kept
			if b, err := json.Marshal(req); err == nil {
				body = b
			}
		}
	}
	return patch.ParseRequest(body)
}

// checkPatchBody applies patch-op-case-sensitive and
// patch-bool-strings-rejected to the raw body.
func (s *Server) checkPatchBody(body []byte) error {
	if !s.faults.has(fPatchOpCase) && !s.faults.has(fPatchBoolStrings) {
		return nil
	}
	var req struct {
		Operations []struct {
			Op    string `json:"op"`
			Value any    `json:"value"`
		} `json:"Operations"`
	}
	if json.Unmarshal(body, &req) != nil {
		return nil // the parser reports it
	}
	for _, op := range req.Operations {
		if s.faults.has(fPatchOpCase) && op.Op != strings.ToLower(op.Op) {
			return scimerr.BadRequest(scimerr.InvalidSyntax, "unknown op %s: want add, replace or remove", scimerr.Quote(op.Op))
		}
		if s.faults.has(fPatchBoolStrings) && hasBoolString(op.Value) {
			return scimerr.BadRequest(scimerr.InvalidValue, "a boolean must be true or false, not a string")
		}
	}
	return nil
}

func hasBoolString(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.EqualFold(x, "true") || strings.EqualFold(x, "false")
	case []any:
		for _, e := range x {
			if hasBoolString(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if hasBoolString(e) {
				return true
			}
		}
	}
	return false
}

// opTarget is what an operation's path names.
type opTarget struct {
	path  filter.AttrPath
	attr  *schema.Attribute // nil when the path does not resolve
	sub   *schema.Attribute
	whole bool // a multi-valued attribute as a whole: no filter, no sub-attribute
}

func targetOf(rt *schema.ResourceType, path string) opTarget {
	var t opTarget
	if path == "" {
		return t
	}
	p, err := filter.ParsePath(path)
	if err != nil {
		return t
	}
	_, a, sub, err := rt.Resolve(p.URN, p.Name, p.Sub)
	if err != nil {
		return t
	}
	t.path, t.attr, t.sub = p, a, sub
	t.whole = a.MultiValued && p.Filter == nil && sub == nil
	return t
}

// rewritePatch changes the operations of a PATCH the way the PATCH faults
// misread them. Without such faults it returns ops as they are.
func (s *Server) rewritePatch(k resourceKind, id string, ops []patch.Operation) ([]patch.Operation, error) {
	if s.faults.has(fPatchEmptyOpsRejected) && len(ops) == 0 {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "Operations must hold at least one operation")
	}
	rt := k.resourceType()
	out := make([]patch.Operation, 0, len(ops))
	for _, op := range ops {
		t := targetOf(rt, op.Path)
		switch {
		case s.faults.has(fManagerClearRejected) && op.Op == "replace" && isManagerPath(op.Path) && emptyValue(op.Value):
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "manager needs a value; remove it to clear it")
		case s.faults.has(fPatchValuePathReject) && strings.Contains(op.Path, "["):
			return nil, scimerr.BadRequest(scimerr.InvalidPath, "value-filter paths are not supported: %s", scimerr.Quote(op.Path))
		case s.faults.has(fPatchURNPathRejected) && strings.HasPrefix(strings.ToLower(op.Path), "urn:"):
			return nil, scimerr.BadRequest(scimerr.InvalidPath, "URN-qualified paths are not supported: %s", scimerr.Quote(op.Path))
		case s.faults.has(fPatchPathlessRejected) && op.Path == "" && op.Op != "remove":
			return nil, scimerr.BadRequest(scimerr.InvalidPath, "%s requires a path", op.Op)
		case s.faults.has(fPatchRemoveValueReject) && op.Op == "remove" && len(op.Value) > 0:
			return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "remove takes no value; name the values in the path")
		case s.faults.has(fPatchOneMemberPerOp) && strings.EqualFold(op.Path, "members") && arrayLen(op.Value) > 1:
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "one member per operation")
		case s.faults.has(fPatchActiveIgnored) && strings.EqualFold(op.Path, "active"),
			s.faults.has(fPatchPathlessIgnored) && op.Path == "" && op.Op != "remove",
			s.faults.has(fPatchReadOnlyIgnored) && strings.EqualFold(op.Path, "id"),
			s.faults.has(fPatchNoTargetIgnored) && op.Path == "" && op.Op == "remove",
			s.faults.has(fPatchRemoveAllIgnored) && op.Op == "remove" && t.whole && len(op.Value) == 0:
			continue // answered as done, never applied
		}
		if s.faults.has(fPatchActiveIgnored) && op.Path == "" {
			op.Value = withoutKey(op.Value, "active")
		}
		switch {
		case s.faults.has(fPatchAddReplaces) && op.Op == "add" && t.whole:
			op.Op = "replace"
		case s.faults.has(fPatchReplaceAppends) && op.Op == "replace" && t.whole:
			op.Op = "add"
		}
		if s.faults.has(fPatchRemoveMembersAll) && op.Op == "remove" && strings.EqualFold(op.Path, "members") {
			op.Value = nil
		}
		if s.faults.has(fPatchRemoveFilterAll) && op.Op == "remove" && t.path.Filter != nil {
			op.Path = attrName(t.path)
		}
		if s.faults.has(fPatchSubRemovesParent) && op.Op == "remove" && t.sub != nil && t.path.Filter == nil && !t.attr.MultiValued {
			op.Path = t.path.Name
			if t.path.URN != "" {
				op.Path = t.path.URN + ":" + t.path.Name
			}
		}
		if err := s.faults.memberTombstones(k, id, op); err != nil {
			return nil, err
		}
		if s.faults.has(fPatchMemberDupReject) && k == kindGroup && op.Op == "add" && strings.EqualFold(op.Path, "members") {
			if ids, ok := memberValues(op.Value); ok {
				for _, m := range ids {
					if s.store.hasMember(id, m) {
						return nil, scimerr.New(http.StatusConflict, scimerr.Uniqueness, "%s is already a member", scimerr.Quote(m))
					}
				}
			}
		}
		out = append(out, op)
	}
	if s.faults.has(fPatchRemovesLast) {
		var removes []patch.Operation
		kept := out[:0:0]
		for _, op := range out {
			if op.Op == "remove" {
				removes = append(removes, op)
			} else {
				kept = append(kept, op)
			}
		}
		out = append(kept, removes...)
	}
	return out, nil
}

// attrName is the path of the attribute itself, its filter and
// sub-attribute left out (URN-qualified when the path was).
func attrName(p filter.AttrPath) string {
	if p.URN != "" {
		return p.URN + ":" + p.Name
	}
	return p.Name
}

// isManagerPath reports whether a PATCH path names the enterprise manager.
func isManagerPath(path string) bool {
	p := strings.ToLower(path)
	return p == "manager" || p == strings.ToLower(schema.EnterpriseUserURN)+":manager"
}

// emptyValue reports whether a PATCH value is "" or {"value": ""}.
func emptyValue(raw json.RawMessage) bool {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return false
	}
	switch x := v.(type) {
	case string:
		return x == ""
	case map[string]any:
		inner, ok := x["value"].(string)
		return len(x) == 1 && ok && inner == ""
	}
	return false
}

// refuseUnmatchedValuePath is patch-valuepath-no-create: an add or
// replace through a value filter that no element of doc matches is
// refused with noTarget, the way remove with such a filter is, instead of
// creating the element.
func refuseUnmatchedValuePath(rt *schema.ResourceType, doc map[string]any, op patch.Operation) error {
	end := strings.IndexByte(op.Path, ']')
	if op.Op == "remove" || end < 0 {
		return nil
	}
	probe := patch.Operation{Op: "remove", Path: op.Path[:end+1]}
	if err := patch.Apply(rt, cloneJSON(doc).(map[string]any), []patch.Operation{probe}); err != nil && scimerr.As(err).ScimType == scimerr.NoTarget {
		return scimerr.BadRequest(scimerr.NoTarget, "no value matches %q", op.Path)
	}
	return nil
}

// withoutKey drops key (case-insensitively) from a JSON object value.
func withoutKey(raw json.RawMessage, key string) json.RawMessage {
	var obj map[string]any
	if json.Unmarshal(raw, &obj) != nil {
		return raw
	}
	for k := range obj {
		if strings.EqualFold(k, key) {
			delete(obj, k)
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return raw
	}
	return b
}

// patchOutcome is what the PATCH faults carry from applying the operations
// to the answer.
type patchOutcome struct {
	partial error          // patch-not-atomic: the failure after earlier operations were stored
	shown   map[string]any // patch-not-persisted: the document answered but not stored
	before  *view          // patch-response-stale: the resource before the PATCH
}

func (s *Server) newPatchOutcome(k resourceKind, id, base string) *patchOutcome {
	out := &patchOutcome{}
	if s.faults.has(fPatchResponseStale) {
		if v, err := s.store.find(k, id, base); err == nil {
			out.before = &v
		}
	}
	return out
}

// view is the resource the PATCH answer shows.
func (o *patchOutcome) view(v view) view {
	switch {
	case o.before != nil:
		return *o.before
	case o.shown != nil:
		doc := maps.Clone(o.shown)
		for _, key := range []string{"id", "meta", "groups"} {
			if x, ok := v.doc[key]; ok {
				doc[key] = x
			}
		}
		v.doc = doc
	}
	return v
}

// applyPatch applies ops to doc: all at once, or under the per-operation
// faults one at a time, where patch-replace-complex-clears empties a
// complex attribute before replacing it and patch-not-atomic keeps what the
// operations before a failing one did (recording the failure in out).
func (s *Server) applyPatch(rt *schema.ResourceType, doc map[string]any, ops []patch.Operation, out *patchOutcome) error {
	if s.faults.has(fPatchValuePathNoCreate) {
		work := cloneJSON(doc).(map[string]any)
		for _, op := range ops {
			if err := refuseUnmatchedValuePath(rt, work, op); err != nil {
				return err
			}
			if err := patch.Apply(rt, work, []patch.Operation{op}); err != nil {
				return err
			}
		}
		clear(doc)
		maps.Copy(doc, work)
		return nil
	}
	if !s.faults.perOperation() {
		return patch.Apply(rt, doc, ops)
	}
	for _, op := range ops {
		if s.faults.has(fPatchComplexClears) && op.Op == "replace" {
			clearComplex(rt, doc, op.Path)
		}
		work := cloneJSON(doc).(map[string]any)
		err := patch.Apply(rt, work, []patch.Operation{op})
		if err == nil {
			clear(doc)
			maps.Copy(doc, work)
			continue
		}
		if s.faults.has(fPatchNotAtomic) {
			out.partial = err
			return nil
		}
		return err
	}
	return nil
}

// clearComplex removes the single-valued complex attribute path names.
func clearComplex(rt *schema.ResourceType, doc map[string]any, path string) {
	t := targetOf(rt, path)
	if t.attr == nil || t.attr.Type != schema.Complex || t.attr.MultiValued || t.sub != nil || t.path.Filter != nil {
		return
	}
	container := doc
	if owner, _, _, err := rt.Resolve(t.path.URN, t.path.Name, ""); err == nil && owner != nil && owner != rt.Schema {
		container, _ = doc[owner.ID].(map[string]any)
	}
	delete(container, t.attr.Name)
}

// cloneJSON deep-copies a decoded JSON value.
func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneJSON(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = cloneJSON(e)
		}
		return l
	}
	return v
}

// arrayLen is the number of elements of a JSON array value (0 otherwise).
func arrayLen(raw json.RawMessage) int {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return 0
	}
	return len(list)
}

// memberTombstones is member-readd-conflict: it remembers the members an
// operation removes from group id and refuses to add them back.
func (f faultSet) memberTombstones(k resourceKind, id string, op patch.Operation) error {
	if !f.has(fMemberReaddConflict) || k != kindGroup {
		return nil
	}
	var ids []string
	switch {
	case strings.EqualFold(op.Path, "members"):
		ids, _ = memberValues(op.Value)
	case op.Op == "remove":
		if m, ok := memberFilterID(op.Path); ok {
			ids = []string{m}
		}
	}
	f.state.mu.Lock()
	defer f.state.mu.Unlock()
	for _, m := range ids {
		key := id + " " + m
		switch op.Op {
		case "remove":
			f.state.removed[key] = true
		case "add":
			if f.state.removed[key] {
				return scimerr.New(http.StatusConflict, scimerr.Uniqueness, "member %s was removed from this group and cannot be added again", scimerr.Quote(m))
			}
		}
	}
	return nil
}

// memberValues decodes a non-empty array of {"value": id} objects, optionally
// with "$ref": null or a string, the member values Microsoft Entra ID sends;
// ok is false for any other value.
func memberValues(raw json.RawMessage) ([]string, bool) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, false
	}
	var items []map[string]any
	if err := json.Unmarshal(raw, &items); err != nil || len(items) == 0 {
		return nil, false
	}
	ids := make([]string, 0, len(items))
	for _, item := range items {
		var id string
		for k, v := range item {
			switch {
			case k == "value":
				id, _ = v.(string)
			case k == "$ref":
				if _, isString := v.(string); v != nil && !isString {
					return nil, false
				}
			default:
				return nil, false
			}
		}
		if id == "" {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// memberFilterID recognises members[value eq "<id>"], the path Microsoft
// Entra ID removes one member with.
func memberFilterID(path string) (string, bool) {
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(path)), "members[") {
		return "", false
	}
	p, err := filter.ParsePath(path)
	if err != nil || p.URN != "" || p.Sub != "" || !strings.EqualFold(p.Name, "members") {
		return "", false
	}
	c, ok := p.Filter.(*filter.Compare)
	if !ok || c.Op != filter.Eq || c.Attr.URN != "" || c.Attr.Sub != "" || c.Attr.Filter != nil || !strings.EqualFold(c.Attr.Name, "value") {
		return "", false
	}
	id, ok := c.Value.(string)
	return id, ok && id != ""
}

// memberOpsOnly reports whether every operation names the members
// attribute (members, members[...], members.sub), for
// member-add-lost-update.
func memberOpsOnly(ops []patch.Operation) bool {
	for _, op := range ops {
		p := strings.ToLower(strings.TrimSpace(op.Path))
		if p != "members" && !strings.HasPrefix(p, "members[") && !strings.HasPrefix(p, "members.") {
			return false
		}
	}
	return len(ops) > 0
}
