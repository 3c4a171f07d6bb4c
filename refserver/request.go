package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// readBody reads a request body within MaxBodyBytes after checking its media
// type: application/scim+json or application/json, parameters such as
// charset allowed, a missing Content-Type tolerated.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return s.appendBody(nil, w, r)
}

// appendBody is readBody appending the body to b.
func (s *Server) appendBody(b []byte, w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !s.acceptedMediaType(ct) {
		return nil, scimerr.New(http.StatusUnsupportedMediaType, "",
			"unsupported Content-Type %s: send application/scim+json or application/json", scimerr.Quote(ct))
	}
	// A body of a declared length within the limit needs no limiting
	// reader; the length read is checked all the same.
	body := r.Body
	if r.ContentLength < 0 || r.ContentLength > s.opts.MaxBodyBytes {
		body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	}
	b, err := appendAll(b, body)
	if (err != nil && isMaxBytesError(err)) || (err == nil && int64(len(b)) > s.opts.MaxBodyBytes) {
		return nil, scimerr.New(http.StatusRequestEntityTooLarge, "",
			"request body exceeds the limit of %d bytes", s.opts.MaxBodyBytes)
	}
	if err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "read request body: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "request body is empty; a JSON object is required")
	}
	return b, nil
}

// isMaxBytesError reports whether err comes from http.MaxBytesReader;
// apart so that the error target escapes only on this path.
func isMaxBytesError(err error) bool {
	var tooBig *http.MaxBytesError
	return errors.As(err, &tooBig)
}

// acceptedMediaType reports whether the server reads a body of Content-Type
// ct. The two usual values need no parsing.
func (s *Server) acceptedMediaType(ct string) bool {
	mt := ct
	if ct != "application/scim+json" && ct != "application/json" {
		var err error
		if mt, _, err = mime.ParseMediaType(ct); err != nil {
			return false
		}
	}
	return mt == "application/scim+json" || (mt == "application/json" && !s.faults.has(fJSONRequestReject))
}

// appendAll is io.ReadAll appending to b.
func appendAll(b []byte, r io.Reader) ([]byte, error) {
	if cap(b)-len(b) < 512 {
		b = slices.Grow(b, 512)
	}
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // let append pick the next capacity
		}
	}
}

// readObject reads the body as one JSON object.
func (s *Server) readObject(w http.ResponseWriter, r *http.Request) (map[string]any, error) {
	var obj map[string]any
	err := s.withBody(w, r, func(body []byte) (err error) {
		obj, err = decodeObject(body)
		return err
	})
	return obj, err
}

// withBody reads the body into a pooled buffer and passes it to decode,
// which must not keep it (decoded strings are copies).
func (s *Server) withBody(w http.ResponseWriter, r *http.Request, decode func(body []byte) error) error {
	buf := getBuffer()
	defer putBuffer(buf)
	body, err := s.appendBody(*buf, w, r)
	if body != nil {
		*buf = body
	}
	if err != nil {
		return err
	}
	return decode(body)
}

// decodeObject decodes body, which must be exactly one JSON object.
func decodeObject(body []byte) (map[string]any, error) {
	if obj, ok := fastDecodeObject(body); ok {
		return obj, nil
	}
	var v any
	if err := strictUnmarshal(body, &v); err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "request body must be a JSON object")
	}
	return obj, nil
}

// strictUnmarshal decodes one JSON value into v and rejects trailing data.
// Syntax errors are invalidSyntax; values of the wrong JSON type invalidValue.
func strictUnmarshal(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return scimerr.BadRequest(scimerr.InvalidValue, "%s must be a JSON %s", scimerr.Clip(typeErr.Field), jsonKind(typeErr.Type.Kind().String()))
		}
		return scimerr.BadRequest(scimerr.InvalidSyntax, "malformed JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return scimerr.BadRequest(scimerr.InvalidSyntax, "malformed JSON: unexpected data after the top-level value")
	}
	return nil
}

func jsonKind(goKind string) string {
	switch {
	case strings.HasPrefix(goKind, "int"), strings.HasPrefix(goKind, "float"):
		return "number"
	case goKind == "slice":
		return "array"
	case goKind == "bool":
		return "boolean"
	}
	return goKind
}

// splitList splits a comma-separated attributes parameter, dropping blanks.
func splitList(s string) []string {
	if s == "" {
		return nil // the usual case: no allocation
	}
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// projection is the attributes / excludedAttributes pair of a request.
type projection struct {
	attributes, excluded []string
}

func projectionOf(r *http.Request) projection {
	if r.URL.RawQuery == "" {
		return projection{}
	}
	return projectionFrom(paramsOf(r.URL))
}

func projectionFrom(q params) projection {
	return projection{attributes: splitList(q.Get("attributes")), excluded: splitList(q.Get("excludedAttributes"))}
}

// intParam parses an optional integer query parameter.
func intParam(q params, name string) (int, bool, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, false, scimerr.BadRequest(scimerr.InvalidValue, "%s must be an integer, got %s", name, scimerr.Quote(v))
	}
	return n, true, nil
}

// baseURL is the absolute URL of the service root as the client reached it.
// The last one built is kept: clients reach a server under one host name.
func (s *Server) baseURL(r *http.Request) string {
	tls := r.TLS != nil
	if last := s.lastBase.Load(); last != nil && last.host == r.Host && last.tls == tls {
		return last.url
	}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	b := &baseOf{host: r.Host, tls: tls, url: scheme + "://" + r.Host + s.opts.BasePath}
	s.lastBase.Store(b)
	return b.url
}

// baseOf is the base URL for one host name and scheme.
type baseOf struct {
	host string
	tls  bool
	url  string
}
