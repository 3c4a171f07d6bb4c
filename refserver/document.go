package refserver

import (
	"encoding/json"
	"sort"
	"time"
)

// timeLayout is the meta.created / meta.lastModified format: RFC 3339, UTC,
// millisecond precision.
const timeLayout = "2006-01-02T15:04:05.000Z"

func formatMillis(ms int64) string { return time.UnixMilli(ms).UTC().Format(timeLayout) }

// location returns the absolute URL of a resource.
func location(base string, k resourceKind, id string) string {
	return base + "/" + k.endpoint() + "/" + id
}

// bodyAttrs decodes the attributes r keeps in its body. The store wrote
// the body with marshal, so it always decodes; decoding into an any, not a
// map, takes encoding/json's path without reflection.
func bodyAttrs(r *record) map[string]any {
	var v any
	_ = json.Unmarshal(r.body, &v)
	if attrs, ok := v.(map[string]any); ok {
		return attrs
	}
	return map[string]any{} // a resource without attributes in its body
}

// withFields adds to attrs, the attributes of r's body, the fields the
// record keeps apart: the name attribute, externalId and schemas.
func withFields(r *record, attrs map[string]any) map[string]any {
	attrs[r.kind.nameAttr()] = r.name
	if r.externalID != "" {
		attrs["externalId"] = r.externalID
	}
	rt := r.kind.resourceType()
	schemas := []any{rt.Schema.ID}
	for _, e := range rt.Extensions {
		if _, ok := attrs[e.Schema.ID]; ok {
			schemas = append(schemas, e.Schema.ID)
		}
	}
	attrs["schemas"] = schemas
	return attrs
}

// editableDocLocked is the document a PATCH starts from: the stored
// attributes and, for groups, the members (without server-computed $ref).
func (s *store) editableDocLocked(r *record) map[string]any {
	doc := withFields(r, bodyAttrs(r))
	if r.kind == kindGroup {
		if members := s.membersLocked(r, ""); len(members) > 0 {
			doc["members"] = members
		}
	}
	return doc
}

// docLocked is the full document of r as served (before projection): attrs,
// the attributes its body encodes (which become part of the document), with
// the record's fields, id, meta and the derived members / groups.
func (s *store) docLocked(r *record, attrs map[string]any, base string) map[string]any {
	doc := withFields(r, attrs)
	doc["id"] = r.id
	doc["meta"] = map[string]any{
		"resourceType": r.kind.resourceType().Name,
		"created":      formatMillis(r.created),
		"lastModified": formatMillis(r.modified),
		"location":     location(base, r.kind, r.id),
		"version":      etagOf(r.version),
	}
	var derived []any
	if r.kind == kindGroup {
		derived = s.membersLocked(r, base)
	} else {
		derived = s.userGroupsLocked(r.id, base)
	}
	if len(derived) > 0 {
		doc[r.kind.derivedKey()] = derived
	}
	return doc
}

// membersLocked renders g's members; $ref is omitted when base is "".
func (s *store) membersLocked(g *record, base string) []any {
	ids := g.members.list()
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		m := s.users.byID[id]
		if m == nil {
			m = s.groups.byID[id]
		}
		if m == nil && s.faults.has(fDeletedUserStays) {
			out = append(out, map[string]any{"value": id}) // a member that no longer exists
			continue
		}
		if m == nil {
			continue // cannot happen: deletes unlink members
		}
		entry := map[string]any{"value": id, "type": m.kind.resourceType().Name, "display": m.name}
		if base != "" {
			entry["$ref"] = location(base, m.kind, id)
		}
		out = append(out, entry)
	}
	return out
}

// userGroupsLocked derives a user's groups attribute: the groups listing it
// directly, then those reached through nested groups ("indirect").
func (s *store) userGroupsLocked(uid, base string) []any {
	direct := s.memberOf[uid]
	if len(direct) == 0 {
		return nil
	}
	type hit struct {
		g      *record
		direct bool
	}
	seen := map[string]bool{}
	var hits []hit
	var queue []string
	visit := func(gid string, isDirect bool) {
		if seen[gid] {
			return
		}
		seen[gid] = true
		if g := s.groups.byID[gid]; g != nil {
			hits = append(hits, hit{g, isDirect})
			queue = append(queue, gid)
		}
	}
	for gid := range direct {
		visit(gid, true)
	}
	for len(queue) > 0 {
		gid := queue[0]
		queue = queue[1:]
		for parent := range s.memberOf[gid] {
			visit(parent, false)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].direct != hits[j].direct {
			return hits[i].direct
		}
		return hits[i].g.seq < hits[j].g.seq
	})
	out := make([]any, len(hits))
	for i, h := range hits {
		typ := "indirect"
		if h.direct {
			typ = "direct"
		}
		out[i] = map[string]any{"value": h.g.id, "$ref": location(base, kindGroup, h.g.id), "display": h.g.name, "type": typ}
	}
	return out
}
