package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scimconform/scimconform/schemas"
)

// checked is what judging one response found.
type checked struct {
	violations []Violation
	warnings   []Violation
	captures   map[string]string
}

func (c *checked) fail(kind, path, format string, args ...any) {
	c.violations = append(c.violations, Violation{Kind: kind, Path: path, Message: fmt.Sprintf(format, args...)})
}

// check judges a response against a step's expectation. The body is only
// judged when the status is an accepted one (a 404 body says nothing about
// a User), and not at all for a 204 No Content.
func check(x *Exchange, e *renderedExpect) checked {
	var c checked
	if x.Err != nil && x.Status == 0 {
		c.fail(ViolationTransport, "", "%v", x.Err)
		return c
	}
	if x.Err != nil {
		c.fail(ViolationTransport, "", "%v", x.Err)
	}
	if !slices.Contains(e.Status, x.Status) {
		c.fail(ViolationStatus, "", "got HTTP %d, want %s", x.Status, statusList(e.Status))
		// A success with the wrong status (200 for a create) still made
		// something: capture its id so that the tracker can delete it.
		if x.Status >= 200 && x.Status < 300 && len(e.Capture) > 0 {
			if doc, err := decodeBody(bytes.TrimSpace(x.RespBody), e); err == nil {
				c.capture(doc, e.Capture)
			}
		}
		return c
	}
	body := bytes.TrimSpace(x.RespBody)
	needsBody := e.Schema != "" || e.body != nil || len(e.Absent) > 0 || len(e.excludes) > 0 ||
		len(e.Distinct) > 0 || len(e.Capture) > 0
	if len(body) == 0 {
		if needsBody && (x.Status != http.StatusNoContent || len(e.Capture) > 0) {
			c.fail(ViolationSchema, "", "the response (HTTP %d) has no body; want %s", x.Status, wantedBody(e))
		}
		return c
	}
	c.contentType(x)
	if !needsBody {
		return c
	}
	// A passing body of the common shapes is judged without decoding it.
	if captures, ok := judgeMembers(body, e); ok {
		c.schema(body, e)
		c.captures = captures
		return c
	}
	doc, err := decodeBody(body, e)
	if err != nil {
		c.fail(ViolationSchema, "", "the body is not JSON (Content-Type %q, starts %q): %v",
			x.RespHeader.Get("Content-Type"), start(body, 80), err)
		return c
	}
	c.schema(body, e)
	c.match(doc, e)
	c.capture(doc, e.Capture)
	return c
}

func statusList(codes []int) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprint(c)
	}
	return strings.Join(parts, " or ")
}

func wantedBody(e *renderedExpect) string {
	if e.Schema != "" {
		return "a " + e.Schema + " JSON body"
	}
	return "a JSON body"
}

func start(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// contentType warns when a body is not application/scim+json: Entra's
// guidance is that every response carries it, and the SCIM Validator stops
// at the first that does not (entra-protocol §1.2).
func (c *checked) contentType(x *Exchange) {
	ct := x.RespHeader.Get("Content-Type")
	if isScimContentType(ct) {
		return
	}
	c.warnings = append(c.warnings, Violation{Kind: ViolationHeader,
		Message: fmt.Sprintf("Content-Type is %q; Entra expects %s on every response", ct, ScimContentType)})
}

// isScimContentType reports whether the media type of ct is
// application/scim+json.
func isScimContentType(ct string) bool {
	return knownScimContentType(ct) || parsedScimContentType(ct)
}

// knownScimContentType recognises the spellings targets send without
// mime.ParseMediaType, which allocates a map for the parameters on every
// response.
func knownScimContentType(ct string) bool {
	for _, known := range scimContentTypes {
		// Of equal length, only ASCII can fold to ASCII: "ſ" does not pass for "s".
		if len(ct) == len(known) && strings.EqualFold(ct, known) {
			return true
		}
	}
	return false
}

func parsedScimContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && strings.EqualFold(mt, ScimContentType)
}

var scimContentTypes = [...]string{ScimContentType, ScimContentType + "; charset=utf-8", ScimContentType + ";charset=utf-8"}

func (c *checked) schema(body []byte, e *renderedExpect) {
	if e.Schema == "" {
		return
	}
	var vs []schemas.Violation
	var err error
	if e.Resources != "" {
		vs, err = schemas.ValidateList(schemas.Kind(e.Resources), body)
	} else {
		vs, err = schemas.Validate(schemas.Kind(e.Schema), body)
	}
	if err != nil {
		c.fail(ViolationSchema, "", "%s: %v", e.Schema, err)
		return
	}
	for _, v := range vs {
		c.fail(ViolationSchema, v.Path, "%s", v.Message)
	}
}

func (c *checked) match(doc any, e *renderedExpect) {
	if e.body != nil {
		for _, m := range MatchSubset(e.body, doc) {
			c.violations = append(c.violations, Violation{Kind: ViolationMatch, Path: m.Path,
				Message: m.Message, Expected: m.Expected, Actual: m.Actual})
		}
	}
	for _, p := range e.Absent {
		if v, ok := resolvePointer(doc, p); ok && v != nil {
			c.violations = append(c.violations, Violation{Kind: ViolationAbsent, Path: p,
				Message: "must be absent", Actual: jsonText(v)})
		}
	}
	for _, p := range sortedKeys(e.excludes) {
		c.excludes(doc, p, e.excludes[p])
	}
	for _, p := range sortedKeys(e.Distinct) {
		c.distinct(doc, p, e.Distinct[p])
	}
}

// distinct fails when two elements of the array at p share a value of
// sub (compared case-insensitively, as SCIM compares "type" values).
func (c *checked) distinct(doc any, p, sub string) {
	v, ok := resolvePointer(doc, p)
	if !ok || v == nil {
		return
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.violations = append(c.violations, Violation{Kind: ViolationMatch, Path: p,
			Message: "want an array (or nothing)", Actual: jsonText(v)})
		return
	}
	first := map[string]int{}
	for i, el := range arr {
		obj, isObj := el.(map[string]any)
		if !isObj {
			continue
		}
		val, found := lookupKey(obj, sub)
		if !found || val == nil {
			continue
		}
		key := strings.ToLower(scalarText(val))
		if j, dup := first[key]; dup {
			c.violations = append(c.violations, Violation{Kind: ViolationMatch, Path: fmt.Sprintf("%s/%d", p, i),
				Message: fmt.Sprintf("%s %s repeats element %d: each %s may appear once", sub, jsonText(val), j, sub),
				Actual:  jsonText(arr)})
			continue
		}
		first[key] = i
	}
}

// excludes fails for every element of the array at p that matches pattern.
func (c *checked) excludes(doc any, p string, pattern any) {
	v, ok := resolvePointer(doc, p)
	if !ok || v == nil {
		return
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.violations = append(c.violations, Violation{Kind: ViolationAbsent, Path: p,
			Message: "want an array (or nothing)", Actual: jsonText(v)})
		return
	}
	for i, el := range arr {
		if len(MatchSubset(pattern, el)) == 0 {
			c.violations = append(c.violations, Violation{Kind: ViolationAbsent, Path: fmt.Sprintf("%s/%d", p, i),
				Message: "no element may match " + jsonText(pattern), Actual: jsonText(el)})
		}
	}
}

func (c *checked) capture(doc any, captures map[string]string) {
	for _, name := range sortedKeys(captures) {
		p := captures[name]
		v, ok := resolvePointer(doc, p)
		if !ok || v == nil {
			c.fail(ViolationCapture, p, "nothing to capture into ${%s}", name)
			continue
		}
		if c.captures == nil {
			c.captures = map[string]string{}
		}
		c.captures[name] = scalarText(v)
	}
}

// decodeBody decodes what the checks of e read. When they read only some
// top-level members (a captured /id, an expected totalResults), the
// document holds just those members, and every member spelled like one of
// them in another case, so lookups find what they would in the whole
// document; the other members are only validated. Anything else (a
// root pointer, a body that is not an object, not JSON) decodes whole.
// Schema validation reads the raw body, not this document.
func decodeBody(body []byte, e *renderedExpect) (any, error) {
	if names, ok := topLevelNames(e); ok {
		if doc, ok := decodeMembers(body, names); ok {
			return doc, nil
		}
	}
	var doc any
	err := json.Unmarshal(body, &doc)
	return doc, err
}

// decodeMembers decodes the members of the object b that are named in
// names, in any case; false when b is not a valid JSON object.
func decodeMembers(b []byte, names []string) (map[string]any, bool) {
	wanted := make([][]byte, len(names))
	for i, n := range names {
		wanted[i] = []byte(n)
	}
	doc := make(map[string]any, len(names))
	scan := newMemberScan(b)
	for rawKey, raw, ok := scan.next(); ok; rawKey, raw, ok = scan.next() {
		key := rawKey[1 : len(rawKey)-1]
		if bytes.IndexByte(rawKey, '\\') >= 0 || !utf8.Valid(rawKey) {
			// Escapes and invalid UTF-8 decode as encoding/json has them.
			var s string
			if json.Unmarshal(rawKey, &s) != nil {
				return nil, false
			}
			key = []byte(s)
		}
		if !slices.ContainsFunc(wanted, func(n []byte) bool { return bytes.EqualFold(n, key) }) {
			continue
		}
		v, scalar := decodeScalar(raw)
		if !scalar && json.Unmarshal(raw, &v) != nil {
			return nil, false
		}
		doc[string(key)] = v // a repeated member: the last wins, as in encoding/json
	}
	return doc, scan.valid()
}

// decodeScalar decodes a valid JSON string without escapes, number,
// boolean or null as encoding/json would into an any, without its
// reflection; false for anything else, which is left to encoding/json.
func decodeScalar(raw []byte) (any, bool) {
	switch {
	case len(raw) == 0:
	case raw[0] == '"':
		s := raw[1 : len(raw)-1]
		if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
			return string(s), true
		}
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		if f, err := strconv.ParseFloat(string(raw), 64); err == nil {
			return f, true
		}
	case string(raw) == "true":
		return true, true
	case string(raw) == "false":
		return false, true
	case string(raw) == "null":
		return nil, true
	}
	return nil, false
}

// topLevelNames lists the top-level members e reads; false when it reads
// the document as a whole.
func topLevelNames(e *renderedExpect) ([]string, bool) {
	var names []string
	addPointer := func(p string) bool {
		toks := pointerTokens(p)
		if len(toks) == 0 {
			return false
		}
		names = append(names, toks[0])
		return true
	}
	for _, p := range e.Capture {
		if !addPointer(p) {
			return nil, false
		}
	}
	for _, p := range e.Absent {
		if !addPointer(p) {
			return nil, false
		}
	}
	for p := range e.excludes {
		if !addPointer(p) {
			return nil, false
		}
	}
	for p := range e.Distinct {
		if !addPointer(p) {
			return nil, false
		}
	}
	switch b := e.body.(type) {
	case nil:
	case Object:
		for _, m := range b {
			names = append(names, m.Key)
		}
	case map[string]any:
		for k := range b {
			names = append(names, k)
		}
	default:
		return nil, false
	}
	return names, true
}
