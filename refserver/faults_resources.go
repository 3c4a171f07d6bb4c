package refserver

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// faultyCreateBody is the POST body as the create faults read it:
// wrong-types-accepted coerces or drops values of the wrong type;
// required-not-checked names a resource without its required name;
// create-without-schemas-accepted lists the core schema a body leaves out.
func (s *Server) faultyCreateBody(k resourceKind, body map[string]any) map[string]any {
	if s.faults.has(fNoSchemasAccepted) && !hasValue(body, "schemas") {
		body["schemas"] = []any{k.resourceType().Schema.ID}
	}
	if s.faults.has(fWrongTypesAccepted) {
		coerceTypes(k.resourceType(), body)
	}
	if s.faults.has(fRequiredNotChecked) {
		if !hasValue(body, k.nameAttr()) {
			body[k.nameAttr()] = strings.ToLower(rand.Text())
		}
	}
	return body
}

// foreignSchemas is create-foreign-schema-rejected: a create body listing a
// schema URI the resource type does not serve is refused.
func (s *Server) foreignSchemas(rt *schema.ResourceType, body map[string]any) error {
	if !s.faults.has(fForeignSchemaReject) {
		return nil
	}
	for k, v := range body {
		if !strings.EqualFold(k, "schemas") {
			continue
		}
		list, _ := v.([]any)
		for _, u := range list {
			urn, _ := u.(string)
			if !strings.EqualFold(urn, rt.Schema.ID) && rt.Extension(urn) == nil {
				return scimerr.BadRequest(scimerr.InvalidValue, "schema %q is not served for %s", urn, rt.Name)
			}
		}
	}
	return nil
}

// hasValue reports whether body has a non-null value for the attribute
// name, spelled in any case.
func hasValue(body map[string]any, name string) bool {
	for k, v := range body {
		if strings.EqualFold(k, name) && v != nil {
			return true
		}
	}
	return false
}

// coerceTypes turns numbers and booleans given for string attributes into
// strings and drops every other top-level value of the wrong type, the way
// loosely typed services "accept" them.
func coerceTypes(rt *schema.ResourceType, body map[string]any) {
	for key, v := range body {
		_, a, _, err := rt.Resolve("", key, "")
		if err != nil || v == nil {
			continue
		}
		switch {
		case a.MultiValued:
			if _, ok := v.([]any); !ok {
				delete(body, key)
			}
		case a.Type == schema.Complex:
			if _, ok := v.(map[string]any); !ok {
				delete(body, key)
			}
		case a.Type == schema.Boolean:
			if _, ok := v.(bool); !ok {
				delete(body, key)
			}
		case a.Type == schema.String:
			switch x := v.(type) {
			case float64:
				body[key] = strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				body[key] = strconv.FormatBool(x)
			case string:
			default:
				delete(body, key)
			}
		}
	}
}

// createRecord stores a new resource (racing under create-race).
func (s *Server) createRecord(k resourceKind, doc map[string]any) (*record, map[string]any, error) {
	if k == kindUser && s.faults.has(fCreateRace) {
		return s.store.createRacing(k, doc)
	}
	return s.store.create(k, doc)
}

// replacement is the document a PUT stores: the body, or under put-merges
// the body merged into the current resource, and under put-keeps-members
// the current members whatever the body says.
func (s *Server) replacement(k resourceKind, doc map[string]any, current func() map[string]any) map[string]any {
	if !s.faults.has(fPutMerges) && !(k == kindGroup && s.faults.has(fPutKeepsMembers)) {
		return doc
	}
	cur := current()
	if s.faults.has(fPutMerges) {
		for key, v := range doc {
			cur[key] = v
		}
		return cur
	}
	if m, ok := cur["members"]; ok {
		doc["members"] = m
	} else {
		delete(doc, "members")
	}
	return doc
}

// afterReplace applies the PUT faults that act on the stored record:
// put-resets-created, put-takes-body-meta, put-takes-body-id and
// version-bumped-on-noop.
func (s *Server) afterReplace(rec *record, body map[string]any) {
	if s.faults.has(fPutResetsCreated) {
		s.store.resetCreated(rec)
	}
	if s.faults.has(fPutTakesBodyMeta) {
		meta, _ := body["meta"].(map[string]any)
		created, _ := meta["created"].(string)
		if t, err := time.Parse(time.RFC3339Nano, created); err == nil {
			s.store.setCreated(rec, t)
		}
	}
	if s.faults.has(fPutTakesBodyID) {
		if id, _ := body["id"].(string); id != "" && id != rec.id {
			s.store.moveID(rec, id)
		}
	}
	s.afterWrite(rec)
}

// versionOnRead gives a GET answer a version of its own under
// version-changes-on-read: the stored version with the number of reads
// served appended, in meta.version and the ETag alike.
func (s *Server) versionOnRead(v view) view {
	if !s.faults.has(fVersionOnRead) {
		return v
	}
	s.faults.state.mu.Lock()
	s.faults.state.reads++
	n := s.faults.state.reads
	s.faults.state.mu.Unlock()
	v.etag = strings.TrimSuffix(v.etag, `"`) + "-" + strconv.FormatUint(n, 10) + `"`
	if meta, ok := v.doc["meta"].(map[string]any); ok {
		meta = maps.Clone(meta)
		meta["version"] = v.etag
		v.doc = maps.Clone(v.doc)
		v.doc["meta"] = meta
	}
	return v
}

// afterWrite bumps the version of every successful PUT and PATCH under
// version-bumped-on-noop.
func (s *Server) afterWrite(rec *record) {
	if s.faults.has(fVersionBumpedNoop) {
		s.store.touch(rec)
	}
}

// ifMatch is the If-Match precondition of r ("" under if-match-ignored).
func (s *Server) ifMatch(r *http.Request) string {
	if s.variants.has(vETagUnsupported) {
		return unversionedPrecondition(r.Header.Get("If-Match"), false)
	}
	if s.faults.has(fIfMatchIgnored) {
		return ""
	}
	if v := r.Header.Get("If-Match"); strings.TrimSpace(v) != "*" || !s.faults.has(fIfMatchStarRejected) {
		return v
	}
	return `"*"` // if-match-star-rejected: compared as a literal tag, it never matches
}

// ifNoneMatch is the If-None-Match precondition of r ("" under
// if-none-match-ignored).
func (s *Server) ifNoneMatch(r *http.Request) string {
	if s.variants.has(vETagUnsupported) {
		return unversionedPrecondition(r.Header.Get("If-None-Match"), true)
	}
	if s.faults.has(fIfNoneMatchIgnored) {
		return ""
	}
	return r.Header.Get("If-None-Match")
}

// setETag sets the ETag header: the resource's version, none under
// etag-missing, a hash unlike meta.version under etag-not-version.
func (s *Server) setETag(w http.ResponseWriter, etag string) {
	switch {
	case s.faults.has(fETagMissing), s.variants.has(vETagUnsupported):
		return
	case s.faults.has(fETagNotVersion):
		sum := sha256.Sum256([]byte(etag))
		etag = `W/"` + hex.EncodeToString(sum[:8]) + `"`
	}
	w.Header().Set("Etag", etag)
}

// faultyDelete serves DELETE under delete-keeps-resource,
// delete-200-with-body and delete-group-deletes-members; it reports false,
// having done nothing, when none applies.
func (s *Server) faultyDelete(w http.ResponseWriter, r *http.Request, k resourceKind) bool {
	id := r.PathValue("id")
	switch {
	case s.faults.has(fDeleteKeeps):
		if err := s.store.checkDeletable(k, id, s.ifMatch(r)); err != nil {
			s.writeError(w, err)
			return true
		}
		s.writeEmpty(w, http.StatusNoContent)
	case s.faults.has(fDelete200):
		v, err := s.store.find(k, id, s.baseURL(r))
		if err == nil {
			err = s.store.remove(k, id, s.ifMatch(r))
		}
		if err != nil {
			s.writeError(w, err)
			return true
		}
		out, err := s.project(k, v.doc, projection{})
		if err != nil {
			s.writeError(w, err)
			return true
		}
		s.writeJSON(w, http.StatusOK, out)
	case s.faults.has(fDeleteGroupCascade) && k == kindGroup:
		members := s.store.memberIDs(id)
		if err := s.store.remove(k, id, s.ifMatch(r)); err != nil {
			s.writeError(w, err)
			return true
		}
		for _, m := range members {
			_ = s.store.remove(kindUser, m, "") // members that are groups stay
		}
		s.writeEmpty(w, http.StatusNoContent)
	default:
		return false
	}
	return true
}

// project applies the attributes and excludedAttributes of a request to a
// served document, with the projection faults: attributes-ignored,
// excluded-attributes-ignored, projection-names-case-sensitive,
// returned-always-dropped, password-returned, and the shape faults no-meta,
// no-schemas and user-groups-missing.
func (s *Server) project(k resourceKind, doc map[string]any, p projection) (map[string]any, error) {
	rt := k.resourceType()
	if s.faults.has(fAttributesIgnored) {
		p.attributes = nil
	}
	if s.faults.has(fExcludedIgnored) {
		p.excluded = nil
	}
	if s.faults.has(fProjectionNamesCase) {
		p.attributes, p.excluded = schemaSpelled(rt, p.attributes), schemaSpelled(rt, p.excluded)
	}
	out, err := schema.Project(rt, doc, p.attributes, p.excluded)
	if err != nil {
		return out, err
	}
	if s.faults.has(fAlwaysDropped) && (len(p.attributes) > 0 || len(p.excluded) > 0) {
		delete(out, "id")
	}
	if pw, ok := doc["password"]; ok && s.faults.has(fPasswordReturned) {
		out["password"] = pw
	}
	if s.faults.has(fNoMeta) {
		delete(out, "meta")
	}
	if s.faults.has(fNoSchemas) || s.faults.has(fProjectionNoSchemas) && !p.empty() {
		delete(out, "schemas")
	}
	if k == kindUser && s.faults.has(fUserGroupsMissing) {
		delete(out, "groups")
	}
	return s.variedResource(k, out, p.empty()), nil
}

// schemaSpelled keeps the attribute names spelled exactly as in the schema
// (projection-names-case-sensitive ignores the others).
func schemaSpelled(rt *schema.ResourceType, names []string) []string {
	var out []string
	for _, n := range names {
		p, err := filter.ParsePath(n)
		if err != nil {
			continue
		}
		_, a, sub, err := rt.Resolve(p.URN, p.Name, p.Sub)
		if err != nil || a.Name != p.Name || (sub != nil && sub.Name != p.Sub) {
			continue
		}
		out = append(out, n)
	}
	return out
}
