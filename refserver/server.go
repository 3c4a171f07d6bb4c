package refserver

import (
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Server is the reference SCIM 2.0 service provider. It is an http.Handler;
// every method is safe for concurrent use.
type Server struct {
	opts      Options
	store     *store
	mux       *http.ServeMux
	tokenHash [sha256.Size]byte
	faults    faultSet
	variants  variantSet // behaviours the RFCs allow (variants.go); none by default
}

// New returns a Server with an empty store.
func New(opts Options) (*Server, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	faults, err := parseFaults(o.Faults)
	if err != nil {
		return nil, err
	}
	variants, err := parseVariants(o.Variants)
	if err != nil {
		return nil, err
	}
	o = variedOptions(o, variants)
	s := &Server{opts: o, store: newStore(o.Now), mux: http.NewServeMux(), tokenHash: sha256.Sum256([]byte(o.Token)),
		faults: faults, variants: variants}
	s.store.faults, s.store.variants = faults, variants
	if err := s.routes(); err != nil {
		return nil, fmt.Errorf("refserver: register routes: %w", err)
	}
	return s, nil
}

// ServeHTTP recovers from panics, logs the request, authenticates it and
// dispatches it to its endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.opts.Logger.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
			if !rec.wroteHeader {
				s.writeError(rec, scimerr.New(http.StatusInternalServerError, "", "internal error"))
			}
		}
		// Checked first: building the arguments allocates even when the
		// line is discarded.
		if s.opts.Logger.Enabled(r.Context(), slog.LevelDebug) {
			s.opts.Logger.Debug("request", "method", r.Method, "path", r.URL.Path,
				"status", rec.status, "duration", time.Since(start))
		}
	}()
	s.variedConnection(rec)
	if err := s.authenticate(r); err != nil && !s.publicRequest(r) {
		if s.faults.has(fAuthAfterWrite) {
			s.serveDiscarded(r)
		}
		s.challenge(rec)
		s.writeError(rec, err)
		return
	}
	cleanPath(r)
	s.mux.ServeHTTP(rec, r)
}

// cleanPath removes duplicate slashes, dot segments and a trailing slash so
// that routing never answers with a redirect (every answer is SCIM JSON) and
// tenant URLs configured with a trailing slash still work.
func cleanPath(r *http.Request) {
	p := r.URL.Path
	if p == "" {
		p = "/"
	}
	clean := path.Clean(p)
	if !strings.HasPrefix(clean, "/") {
		clean = "/" + clean
	}
	if clean != r.URL.Path {
		r.URL.Path = clean
		r.URL.RawPath = ""
	}
}

// statusWriter records the status written, for logging and panic recovery.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status = code
		w.wroteHeader = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
