package refserver

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/patch"
)

// memberOp is a PATCH operation that only adds or removes group members by
// id, in the shapes Microsoft Entra ID sends:
//
//	{"op":"Add","path":"members","value":[{"value":"<id>"}]}
//	{"op":"Remove","path":"members","value":[{"value":"<id>","$ref":null}]}
//	{"op":"remove","path":"members[value eq \"<id>\"]"}
//
// Such requests are applied to the group's member set directly, so their cost
// does not grow with the size of the group. Anything else, and any case the
// fast path cannot decide exactly, goes through the general PATCH engine.
type memberOp struct {
	add      bool
	ids      []string
	filtered bool // the members[value eq "<id>"] form
}

// memberOps returns ops as member operations, or ok=false when any of them
// is of another shape.
func memberOps(ops []patch.Operation) (out []memberOp, ok bool) {
	for _, op := range ops {
		switch {
		case op.Op == "add" && strings.EqualFold(op.Path, "members"):
			ids, ok := memberValues(op.Value)
			if !ok {
				return nil, false
			}
			out = append(out, memberOp{add: true, ids: ids})
		case op.Op == "remove" && strings.EqualFold(op.Path, "members"):
			ids, ok := memberValues(op.Value)
			if !ok {
				return nil, false
			}
			out = append(out, memberOp{ids: ids})
		case op.Op == "remove" && len(op.Value) == 0:
			id, ok := memberFilterID(op.Path)
			if !ok {
				return nil, false
			}
			out = append(out, memberOp{ids: []string{id}, filtered: true})
		default:
			return nil, false
		}
	}
	return out, true
}

// memberValues decodes a non-empty array of {"value": id} objects, optionally
// with "$ref": null or a string; anything else is not a fast-path value.
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

// memberFilterID recognises members[value eq "<id>"].
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

// patchMembers applies member operations to group id atomically. handled is
// false, with nothing changed, when the general engine must decide instead:
// an id that is not exactly a stored resource (the engine compares member
// values case-insensitively and reports the precise error), or a removal of
// an id that is not exactly a member.
func (s *store) patchMembers(id, ifMatch string, ops []memberOp) (rec *record, handled bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, err := s.getLocked(kindGroup, id)
	if err != nil {
		return nil, true, err
	}
	if err := checkIfMatch(ifMatch, g); err != nil {
		return nil, true, err
	}
	final := map[string]bool{} // member id -> member after the request
	var order []string
	isMember := func(m string) bool {
		if v, ok := final[m]; ok {
			return v
		}
		return g.members.has(m)
	}
	for _, op := range ops {
		for _, m := range op.ids {
			exists := s.users.byID[m] != nil || s.groups.byID[m] != nil
			if m == g.id || !exists || (!op.add && !isMember(m)) {
				return nil, false, nil
			}
			if _, seen := final[m]; !seen {
				order = append(order, m)
			}
			final[m] = op.add
		}
	}
	changed := false
	for _, m := range order {
		switch {
		case final[m] && g.members.add(m):
			s.linkMemberLocked(m, g.id)
			changed = true
		case !final[m] && g.members.remove(m):
			s.unlinkMemberLocked(m, g.id)
			changed = true
		}
	}
	if changed {
		s.touchLocked(g)
	}
	return g, true, nil
}
