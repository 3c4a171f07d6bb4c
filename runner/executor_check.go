package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/scimconform/scimconform/runner/jsonptr"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
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
func check(x *scimclient.Exchange, e *renderedExpect) checked {
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
			var doc any
			if json.Unmarshal(x.RespBody, &doc) == nil {
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
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
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
func (c *checked) contentType(x *scimclient.Exchange) {
	ct := x.RespHeader.Get("Content-Type")
	if isScimContentType(ct) {
		return
	}
	c.warnings = append(c.warnings, Violation{Kind: ViolationHeader,
		Message: fmt.Sprintf("Content-Type is %q; Entra expects %s on every response", ct, scimclient.ScimContentType)})
}

// isScimContentType reports whether the media type of ct is
// application/scim+json.
func isScimContentType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && strings.EqualFold(mt, scimclient.ScimContentType)
}

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
		if v, ok, _ := jsonptr.Lookup(doc, p, jsonptr.Any); ok && v != nil {
			c.violations = append(c.violations, Violation{Kind: ViolationAbsent, Path: p,
				Message: "must be absent", Actual: sequence.JSONText(v)})
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
	v, ok, _ := jsonptr.Lookup(doc, p, jsonptr.Any)
	if !ok || v == nil {
		return
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.violations = append(c.violations, Violation{Kind: ViolationMatch, Path: p,
			Message: "want an array (or nothing)", Actual: sequence.JSONText(v)})
		return
	}
	first := map[string]int{}
	for i, el := range arr {
		obj, isObj := el.(map[string]any)
		if !isObj {
			continue
		}
		val, found := jsonptr.Member(obj, sub, jsonptr.Any)
		if !found || val == nil {
			continue
		}
		key := strings.ToLower(sequence.ScalarText(val))
		if j, dup := first[key]; dup {
			c.violations = append(c.violations, Violation{Kind: ViolationMatch, Path: fmt.Sprintf("%s/%d", p, i),
				Message: fmt.Sprintf("%s %s repeats element %d: each %s may appear once", sub, sequence.JSONText(val), j, sub),
				Actual:  sequence.JSONText(arr)})
			continue
		}
		first[key] = i
	}
}

// excludes fails for every element of the array at p that matches pattern.
func (c *checked) excludes(doc any, p string, pattern any) {
	v, ok, _ := jsonptr.Lookup(doc, p, jsonptr.Any)
	if !ok || v == nil {
		return
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.violations = append(c.violations, Violation{Kind: ViolationAbsent, Path: p,
			Message: "want an array (or nothing)", Actual: sequence.JSONText(v)})
		return
	}
	for i, el := range arr {
		if len(MatchSubset(pattern, el)) == 0 {
			c.violations = append(c.violations, Violation{Kind: ViolationAbsent, Path: fmt.Sprintf("%s/%d", p, i),
				Message: "no element may match " + sequence.JSONText(pattern), Actual: sequence.JSONText(el)})
		}
	}
}

func (c *checked) capture(doc any, captures map[string]string) {
	for _, name := range sortedKeys(captures) {
		p := captures[name]
		v, ok, _ := jsonptr.Lookup(doc, p, jsonptr.Any)
		if !ok || v == nil {
			c.fail(ViolationCapture, p, "nothing to capture into ${%s}", name)
			continue
		}
		if c.captures == nil {
			c.captures = map[string]string{}
		}
		c.captures[name] = sequence.ScalarText(v)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
