package refserver

import (
	"net/http"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// view is a resource as served: its full document and entity tag.
type view struct {
	doc      map[string]any
	etag     string
	location string
}

// view builds the served form of r, a record a write returned with attrs,
// the attributes its body encodes.
func (s *store) view(r *record, attrs map[string]any, base string) view {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.viewLocked(r, attrs, base)
}

func (s *store) viewLocked(r *record, attrs map[string]any, base string) view {
	return view{doc: s.docLocked(r, attrs, base), etag: etagOf(r.version), location: location(base, r.kind, r.id)}
}

// etag returns r's current entity tag.
func (s *store) etag(r *record) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return etagOf(r.version)
}

// find returns the served form of the resource with the given id.
func (s *store) find(k resourceKind, id, base string) (view, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.getLocked(k, id)
	if err != nil {
		return view{}, err
	}
	return s.viewLocked(r, bodyAttrs(r), base), nil
}

// handleCreate serves POST /Users and POST /Groups.
func (s *Server) handleCreate(k resourceKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		doc, err := s.readCreateBody(k, w, r)
		if err != nil {
			s.writeError(w, err)
			return
		}
		rec, attrs, err := s.createRecord(k, doc)
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.writeResource(w, r, s.createStatus(), k, s.store.view(rec, attrs, s.baseURL(r)))
	}
}

// readCreateBody reads and normalises a POST body into a document for
// store.create.
func (s *Server) readCreateBody(k resourceKind, w http.ResponseWriter, r *http.Request) (doc map[string]any, err error) {
	rt := k.resourceType()
	obj, err := s.readObject(w, r)
	if err == nil {
		err = s.foreignSchemas(rt, obj)
	}
	if err != nil {
		return nil, err
	}
	return schema.Normalize(rt, s.faultyCreateBody(k, obj), schema.Create)
}

// handleGet serves GET /Users/{id} and GET /Groups/{id}, answering 304 when
// If-None-Match names the current version.
func (s *Server) handleGet(k resourceKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := s.store.find(k, r.PathValue("id"), s.baseURL(r))
		if err == nil && s.faults.firstRead(r.PathValue("id")) {
			err = scimerr.NotFound("%s %s not found", k.resourceType().Name, scimerr.Quote(r.PathValue("id")))
		}
		if err != nil {
			s.writeError(w, err)
			return
		}
		if s.faults.has(fIDChangesOnRead) {
			v.doc["id"] = lowerID(r.PathValue("id"))
		}
		if inm := s.ifNoneMatch(r); inm != "" && etagMatches(inm, v.etag) {
			s.setETag(w, v.etag)
			s.writeEmpty(w, http.StatusNotModified)
			return
		}
		s.writeResource(w, r, http.StatusOK, k, s.versionOnRead(v))
	}
}

// handleReplace serves PUT: the body replaces every writable attribute;
// readOnly attributes and id in the body are ignored.
func (s *Server) handleReplace(k resourceKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := s.readObject(w, r)
		if err == nil {
			err = s.checkPasswordReplace(k, body)
		}
		if err != nil {
			s.writeError(w, err)
			return
		}
		doc, err := schema.Normalize(k.resourceType(), body, schema.Replace)
		if err != nil {
			s.writeError(w, err)
			return
		}
		base := s.baseURL(r)
		rec, attrs, err := s.store.update(k, r.PathValue("id"), s.ifMatch(r),
			func(current func() map[string]any) (map[string]any, error) {
				return s.replacement(k, doc, current), nil
			})
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.afterReplace(rec, body)
		s.writeResource(w, r, http.StatusOK, k, s.store.view(rec, attrs, base))
	}
}

// handlePatch serves PATCH: the operations apply to a copy of the resource,
// the result is validated like a PUT body and stored only if every step
// succeeds.
func (s *Server) handlePatch(k resourceKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := s.readBody(w, r)
		if err != nil {
			s.writeError(w, err)
			return
		}
		ops, err := s.parsePatch(body)
		if err == nil {
			err = s.checkPasswordPatch(k, ops)
		}
		if err == nil {
			ops, err = s.rewritePatch(k, r.PathValue("id"), ops)
		}
		if err == nil && s.faults.firstRead(r.PathValue("id")) {
			err = scimerr.NotFound("%s %s not found", k.resourceType().Name, scimerr.Quote(r.PathValue("id")))
		}
		if err != nil {
			s.writeError(w, err)
			return
		}
		rt := k.resourceType()
		base := s.baseURL(r)
		out := s.newPatchOutcome(k, r.PathValue("id"), base)
		patched := func(current func() map[string]any) (map[string]any, error) {
			doc := current()
			if err := s.applyPatch(rt, doc, ops, out); err != nil {
				return nil, err
			}
			next, err := schema.Normalize(rt, doc, schema.Replace)
			if err != nil || !s.faults.has(fPatchNotPersisted) {
				return next, err
			}
			out.shown = next // patch-not-persisted: answered, never stored
			return current(), nil
		}
		var rec *record
		var attrs map[string]any
		if k == kindGroup && s.faults.has(fMemberLostUpdate) && memberOpsOnly(ops) {
			rec, attrs, err = s.store.updateLosingUpdates(k, r.PathValue("id"), s.ifMatch(r), patched)
		} else {
			rec, attrs, err = s.store.update(k, r.PathValue("id"), s.ifMatch(r), patched)
		}
		if err == nil {
			err = out.partial
		}
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.afterWrite(rec)
		status := s.patchStatus(k, r)
		if status == http.StatusNoContent {
			s.setETag(w, s.store.etag(rec))
			s.writeEmpty(w, status)
			return
		}
		s.writeResource(w, r, status, k, out.view(s.store.view(rec, attrs, base)))
	}
}

// handleDelete serves DELETE: 204 with no body.
func (s *Server) handleDelete(k resourceKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.faultyDelete(w, r, k) {
			return
		}
		if err := s.store.remove(k, r.PathValue("id"), s.ifMatch(r)); err != nil {
			s.writeError(w, err)
			return
		}
		s.writeEmpty(w, http.StatusNoContent)
	}
}

// writeResource projects v per the request's attributes parameters and
// writes it with its ETag (and Location on 201).
func (s *Server) writeResource(w http.ResponseWriter, r *http.Request, status int, k resourceKind, v view) {
	out, err := s.project(k, v.doc, projectionOf(r))
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.setETag(w, v.etag)
	if r.Method == http.MethodPost && !s.faults.has(fCreateNoLocation) {
		w.Header().Set("Location", s.variedLocation(v.location))
	}
	s.writeJSON(w, status, out)
}
