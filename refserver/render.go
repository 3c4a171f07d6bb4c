package refserver

import (
	"net/http"
	"strconv"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// ContentType is the media type of every response body (RFC 7644 §3.1).
const ContentType = "application/scim+json"

// setContentType is the one place the response media type is chosen; every
// response, errors and bodiless ones included, passes through it.
func (s *Server) setContentType(w http.ResponseWriter) {
	switch {
	case s.faults.has(fContentTypeJSON):
		w.Header().Set("Content-Type", "application/json")
	case s.variants.has(vContentTypeCharset):
		w.Header().Set("Content-Type", ContentType+"; charset=utf-8")
	default:
		w.Header().Set("Content-Type", ContentType)
	}
}

// writeJSON writes v as the response body with the given status, or a 500
// when v does not encode.
func (s *Server) writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshal(v)
	if err != nil {
		s.writeError(w, scimerr.New(http.StatusInternalServerError, "", "encode response: %v", err))
		return
	}
	s.writeBody(w, status, body)
}

// writeBody writes an already encoded JSON body.
func (s *Server) writeBody(w http.ResponseWriter, status int, body []byte) {
	s.setContentType(w)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeEmpty writes a bodiless response (204, 304).
func (s *Server) writeEmpty(w http.ResponseWriter, status int) {
	if !s.variants.has(vNoContentTypeEmpty) {
		s.setContentType(w)
	}
	w.WriteHeader(status)
}

// errorBody is the RFC 7644 §3.12 error response; status is a string.
type errorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail,omitempty"`
}

// writeError renders any error as a SCIM error response. Errors that are not
// *scimerr.Error become 500 with a generic detail (the cause is logged, not
// shown).
func (s *Server) writeError(w http.ResponseWriter, err error) {
	se := s.faultyError(scimerr.As(err))
	if se.Status == http.StatusInternalServerError {
		s.opts.Logger.Error("internal error", "err", err)
	}
	if s.writeNonSCIMError(w, se) {
		return
	}
	eb := errorBody{
		Schemas:  []string{scimerr.ErrorSchema},
		Status:   strconv.Itoa(se.Status),
		ScimType: se.ScimType,
		Detail:   se.Detail,
	}
	s.variedError(&eb)
	s.writeJSON(w, se.Status, eb)
}

// createStatus is the status of a successful POST.
func (s *Server) createStatus() int {
	if s.faults.has(fCreate200) {
		return http.StatusOK
	}
	return http.StatusCreated
}

// patchStatus is the status of a successful PATCH: users answer 200 with the
// resource; groups answer 204 unless the client asked for attributes, since
// Microsoft Entra ID prefers 204 for group updates (which may carry
// thousands of members).
func (s *Server) patchStatus(rt resourceKind, r *http.Request) int {
	if status, ok := s.variedPatchStatus(rt, hasProjectionParams(r)); ok {
		return status
	}
	if rt == kindGroup && !hasProjectionParams(r) {
		return http.StatusNoContent
	}
	return http.StatusOK
}

// hasProjectionParams reports whether the request names attributes or
// excludedAttributes.
func hasProjectionParams(r *http.Request) bool {
	q := r.URL.Query()
	return q.Has("attributes") || q.Has("excludedAttributes")
}
