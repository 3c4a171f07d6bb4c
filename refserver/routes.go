package refserver

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// route is one endpoint path with a handler per method.
type route struct {
	path    string // relative to BasePath, in http.ServeMux pattern syntax
	methods map[string]http.HandlerFunc
	// shadowed is set for a literal path under a wildcard path
	// ("/Users/.search" under "/Users/{id}"): ServeMux rejects a method-less
	// fallback there, so only the standard methods get a 405 handler.
	shadowed bool
}

// standardMethods get an explicit 405 handler on every path that does not
// serve them.
var standardMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodTrace,
}

// table of endpoints (RFC 7644 §3.2, §4).
func (s *Server) endpoints() []route {
	var rs []route
	for _, k := range []resourceKind{kindUser, kindGroup} {
		ep := "/" + k.endpoint()
		rs = append(rs,
			route{path: ep, methods: map[string]http.HandlerFunc{
				http.MethodGet:  s.handleList(k),
				http.MethodPost: s.handleCreate(k),
			}},
			route{path: ep + "/{id}", methods: map[string]http.HandlerFunc{
				http.MethodGet:    s.handleGet(k),
				http.MethodPut:    s.handleReplace(k),
				http.MethodPatch:  s.handlePatch(k),
				http.MethodDelete: s.handleDelete(k),
			}},
			route{path: ep + "/.search", methods: map[string]http.HandlerFunc{http.MethodPost: s.handleSearch(k)}, shadowed: true},
		)
	}
	return append(rs,
		route{path: "/.search", methods: map[string]http.HandlerFunc{http.MethodPost: s.handleSearch(kindUser, kindGroup)}},
		route{path: "/ServiceProviderConfig", methods: map[string]http.HandlerFunc{http.MethodGet: s.handleServiceProviderConfig}},
		route{path: "/ResourceTypes", methods: map[string]http.HandlerFunc{http.MethodGet: s.handleResourceTypes}},
		route{path: "/ResourceTypes/{id}", methods: map[string]http.HandlerFunc{http.MethodGet: s.handleResourceType}},
		route{path: "/Schemas", methods: map[string]http.HandlerFunc{http.MethodGet: s.handleSchemas}},
		route{path: "/Schemas/{id}", methods: map[string]http.HandlerFunc{http.MethodGet: s.handleSchema}},
	)
}

// routes registers every endpoint with a method pattern each, a
// method-less fallback per path answering 405 with Allow, the unsupported
// endpoints (501) and a catch-all 404, all as SCIM errors.
func (s *Server) routes() (err error) {
	defer func() {
		// ServeMux panics on conflicting patterns; only a bad BasePath can cause one.
		if p := recover(); p != nil {
			err = scimerr.New(http.StatusInternalServerError, "", "%v", p)
		}
	}()
	base := s.opts.BasePath
	for _, rt := range s.endpoints() {
		allow := allowHeader(rt.methods)
		refuse := s.methodNotAllowed(allow)
		for _, method := range standardMethods {
			h, ok := rt.methods[method]
			switch {
			case ok:
				s.mux.HandleFunc(method+" "+base+rt.path, h)
			case method == http.MethodHead && rt.methods[http.MethodGet] != nil:
				// GET patterns serve HEAD too.
			default:
				s.mux.HandleFunc(method+" "+base+rt.path, refuse)
			}
		}
		if !rt.shadowed {
			s.mux.HandleFunc(base+rt.path, refuse)
		}
	}
	notImplemented := s.notImplemented
	s.mux.HandleFunc(base+"/Me", notImplemented("/Me is not supported: the server does not authenticate resources as subjects"))
	s.mux.HandleFunc(base+"/Me/{rest...}", notImplemented("/Me is not supported: the server does not authenticate resources as subjects"))
	s.mux.HandleFunc(base+"/Bulk", notImplemented("bulk operations are not supported (see /ServiceProviderConfig bulk.supported)"))
	s.mux.HandleFunc("/", s.notFound)
	return nil
}

func allowHeader(methods map[string]http.HandlerFunc) string {
	var names []string
	for m := range methods {
		names = append(names, m)
		if m == http.MethodGet {
			names = append(names, http.MethodHead)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (s *Server) methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.faults.has(fDiscoveryWritable) && s.isDiscoveryPath(r.URL.Path) {
			s.serveAsGet(w, r)
			return
		}
		if s.faults.has(fDiscoveryWritesKept) && s.isDiscoveryPath(r.URL.Path) && s.applyDiscoveryWrite(w, r) {
			return
		}
		w.Header().Set("Allow", allow)
		s.writeError(w, scimerr.New(http.StatusMethodNotAllowed, "", "method %s is not allowed on %s (allowed: %s)", scimerr.Clip(r.Method), scimerr.Clip(r.URL.Path), allow))
	}
}

func (s *Server) notImplemented(detail string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, scimerr.New(http.StatusNotImplemented, "", "%s", detail))
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if s.faults.has(fUnknownPath200) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, htmlPage, http.StatusOK, http.StatusOK, "Welcome")
		return
	}
	s.writeError(w, scimerr.NotFound("no endpoint at %s", scimerr.Clip(r.URL.Path)))
}
