package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// readBody reads a request body within MaxBodyBytes after checking its media
// type: application/scim+json or application/json, parameters such as
// charset allowed, a missing Content-Type tolerated.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !s.acceptedMediaType(ct) {
		return nil, scimerr.New(http.StatusUnsupportedMediaType, "",
			"unsupported Content-Type %s: send application/scim+json or application/json", scimerr.Quote(ct))
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 && r.ContentLength <= s.opts.MaxBodyBytes {
		buf.Grow(int(r.ContentLength) + bytes.MinRead) // room to read the declared length and see EOF
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	body := buf.Bytes()
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, scimerr.New(http.StatusRequestEntityTooLarge, "",
			"request body exceeds the limit of %d bytes", s.opts.MaxBodyBytes)
	}
	if err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "read request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "request body is empty; a JSON object is required")
	}
	return body, nil
}

// acceptedMediaType reports whether the server reads a body of Content-Type ct.
func (s *Server) acceptedMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/scim+json" || (mt == "application/json" && !s.faults.has(fJSONRequestReject))
}

// readObject reads the body as one JSON object.
func (s *Server) readObject(w http.ResponseWriter, r *http.Request) (map[string]any, error) {
	body, err := s.readBody(w, r)
	if err != nil {
		return nil, err
	}
	return decodeObject(body)
}

// decodeObject decodes body, which must be exactly one JSON object.
func decodeObject(body []byte) (map[string]any, error) {
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

// marshal encodes v as compact JSON, the form of stored bodies and of every
// answer: object keys sorted (encoding/json sorts map keys), and <, > and &
// left as they are, since SCIM answers are not embedded in HTML.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// splitList splits a comma-separated attributes parameter, dropping blanks.
func splitList(s string) []string {
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

// empty reports whether p names no attributes either way.
func (p projection) empty() bool { return len(p.attributes) == 0 && len(p.excluded) == 0 }

func projectionOf(r *http.Request) projection {
	return projectionFrom(r.URL.Query())
}

func projectionFrom(q url.Values) projection {
	return projection{attributes: splitList(q.Get("attributes")), excluded: splitList(q.Get("excludedAttributes"))}
}

// intParam parses an optional integer query parameter.
func intParam(q url.Values, name string) (int, bool, error) {
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
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + s.opts.BasePath
}
