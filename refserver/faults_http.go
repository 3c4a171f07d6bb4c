package refserver

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// serveDiscarded carries out r and throws the answer away: auth-after-effect
// checks the credential only after the request has had its effect.
func (s *Server) serveDiscarded(r *http.Request) {
	cleanPath(r)
	s.mux.ServeHTTP(&discardWriter{header: http.Header{}}, r)
}

// discardWriter is an http.ResponseWriter that keeps nothing.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// closedOnFilter closes the connection of a list request whose filter
// names a multi-valued attribute without answering it, under
// filter-connection-closed, and reports whether it did: the way a service
// provider whose handler crashes on such a filter answers. The connection
// is hijacked and closed; where that is not possible the handler aborts,
// which net/http answers the same way.
func (s *Server) closedOnFilter(w http.ResponseWriter, r *http.Request, k resourceKind) bool {
	if !s.faults.has(fFilterConnClosed) {
		return false
	}
	e, err := filter.Parse(r.URL.Query().Get("filter"))
	if err != nil || !namesMultiValued(k.resourceType(), e) {
		return false
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close() // the point is to answer nothing; a close error changes nothing
	return true
}

// namesMultiValued reports whether a filter compares or selects values of
// a multi-valued attribute of rt.
func namesMultiValued(rt *schema.ResourceType, e filter.Expr) bool {
	multi := func(p filter.AttrPath) bool {
		_, a, _, err := rt.Resolve(p.URN, p.Name, "")
		return err == nil && a.MultiValued
	}
	switch x := e.(type) {
	case *filter.And:
		return namesMultiValued(rt, x.L) || namesMultiValued(rt, x.R)
	case *filter.Or:
		return namesMultiValued(rt, x.L) || namesMultiValued(rt, x.R)
	case *filter.Not:
		return namesMultiValued(rt, x.X)
	case *filter.ValuePath:
		return multi(x.Attr)
	case *filter.Compare:
		return multi(x.Attr)
	}
	return false
}

// isDiscoveryPath reports whether path (with BasePath) is a discovery endpoint.
func (s *Server) isDiscoveryPath(path string) bool {
	rest := strings.TrimPrefix(path, s.opts.BasePath)
	for _, p := range []string{"/ServiceProviderConfig", "/ResourceTypes", "/Schemas"} {
		if rest == p || strings.HasPrefix(rest, p+"/") {
			return true
		}
	}
	return false
}

// serveAsGet answers a write to a discovery endpoint like a GET
// (discovery-writable).
func (s *Server) serveAsGet(w http.ResponseWriter, r *http.Request) {
	g := r.Clone(r.Context())
	g.Method = http.MethodGet
	g.Body = http.NoBody
	s.mux.ServeHTTP(w, g)
}

// htmlPage is the body of the HTML answers of errors-html and
// unknown-path-html-200, like the error pages of web frameworks.
const htmlPage = "<!DOCTYPE html><html><head><title>%d</title></head><body><h1>%d</h1><p>%s</p></body></html>"

// faultyError is the error as the faults that change errors render it:
// malformed-json-500 turns invalidSyntax into 500, error-no-scimtype drops
// scimType, patch-bad-path-scimtype calls invalidPath invalidSyntax.
// Without those faults it is se.
func (s *Server) faultyError(se *scimerr.Error) *scimerr.Error {
	if !s.faults.has(fMalformedJSON500) && !s.faults.has(fErrorNoScimType) && !s.faults.has(fPatchBadPathScimType) {
		return se
	}
	c := *se
	if s.faults.has(fPatchBadPathScimType) && c.ScimType == scimerr.InvalidPath {
		c.ScimType = scimerr.InvalidSyntax
	}
	if s.faults.has(fMalformedJSON500) && c.ScimType == scimerr.InvalidSyntax {
		c = scimerr.Error{Status: http.StatusInternalServerError, Detail: "internal server error"}
	}
	if s.faults.has(fErrorNoScimType) {
		c.ScimType = ""
	}
	return &c
}

// writeNonSCIMError writes the error bodies of errors-html,
// not-found-plain-text and error-status-number; it reports false, having
// written nothing, when none of them applies.
func (s *Server) writeNonSCIMError(w http.ResponseWriter, se *scimerr.Error) bool {
	switch {
	case s.faults.has(fErrorsHTML):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(se.Status)
		fmt.Fprintf(w, htmlPage, se.Status, se.Status, html.EscapeString(se.Detail))
	case s.faults.has(fNotFoundPlain) && se.Status == http.StatusNotFound:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(se.Status)
		_, _ = io.WriteString(w, "Not Found\n")
	case s.faults.has(fErrorStatusNumber):
		body, _ := json.Marshal(map[string]any{"schemas": []string{scimerr.ErrorSchema},
			"status": se.Status, "scimType": se.ScimType, "detail": se.Detail})
		s.writeBody(w, se.Status, body)
	default:
		return false
	}
	return true
}
