package framework

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/onsi/gomega/format"
	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/runner/jsonptr"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
)

// SCIMMediaType is the media type every SCIM response must carry
// (RFC 7644 §3.1).
const SCIMMediaType = "application/scim+json"

// exchangeMatcher is the one Gomega matcher behind every SCIM matcher: a
// check returns every problem it finds with the exchange, and the failure
// message lists them (the first scimclient.MaxListed, then their number) above
// the redacted exchange.
type exchangeMatcher struct {
	expect   string
	check    func(x *scimclient.Exchange) []string
	problems []string
}

func (m *exchangeMatcher) Match(actual any) (bool, error) {
	x, err := asExchange(actual)
	if err != nil {
		return false, err
	}
	if x.Status == 0 {
		m.problems = []string{"no response arrived: " + errText(x.Err)}
		return false, nil
	}
	m.problems = m.check(x)
	return len(m.problems) == 0, nil
}

func (m *exchangeMatcher) FailureMessage(actual any) string {
	return m.message(actual, "Expected the response to "+m.expect)
}

func (m *exchangeMatcher) NegatedFailureMessage(actual any) string {
	return m.message(actual, "Expected the response NOT to "+m.expect)
}

func (m *exchangeMatcher) message(actual any, headline string) string {
	var b strings.Builder
	b.WriteString(headline)
	b.WriteString("\n")
	for i, p := range m.problems {
		if i == scimclient.MaxListed && len(m.problems) > scimclient.MaxListed+1 {
			b.WriteString("  " + scimclient.More(len(m.problems)-i, "problems") + "\n")
			break
		}
		b.WriteString("  - " + p + "\n")
	}
	if x, err := asExchange(actual); err == nil {
		b.WriteString(describeExchange(x))
	}
	return b.String()
}

func asExchange(actual any) (*scimclient.Exchange, error) {
	switch x := actual.(type) {
	case *scimclient.Exchange:
		if x == nil {
			return nil, fmt.Errorf("SCIM matcher: got a nil *scimclient.Exchange")
		}
		return x, nil
	case scimclient.Exchange:
		return &x, nil
	}
	return nil, fmt.Errorf("SCIM matcher expects a *scimclient.Exchange (from f.Do), got %s", format.Object(actual, 1))
}

func errText(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

// HaveStatus succeeds when the response status is one of codes.
func HaveStatus(codes ...int) types.GomegaMatcher {
	want := make([]string, len(codes))
	for i, c := range codes {
		want[i] = statusText(c)
	}
	return &exchangeMatcher{
		expect: "have status " + strings.Join(want, " or "),
		check: func(x *scimclient.Exchange) []string {
			if slices.Contains(codes, x.Status) {
				return nil
			}
			return []string{fmt.Sprintf("the status is %s, expected %s", statusText(x.Status), strings.Join(want, " or "))}
		},
	}
}

// statusText renders a status code with its name: "201 Created".
func statusText(code int) string {
	if text := http.StatusText(code); text != "" {
		return strconv.Itoa(code) + " " + text
	}
	return strconv.Itoa(code)
}

// BeSCIM succeeds when the response is application/scim+json and its body
// validates against the JSON Schema of kind; the failure lists every
// violation.
func BeSCIM(kind schemas.Kind) types.GomegaMatcher {
	return &exchangeMatcher{
		expect: fmt.Sprintf("be a valid SCIM %s (%s)", kind, SCIMMediaType),
		check: func(x *scimclient.Exchange) []string {
			return append(contentTypeProblems(x), schemaProblems(x, kind, schemas.Validate)...)
		},
	}
}

// BeSCIMList succeeds when the response is an application/scim+json
// ListResponse whose every resource validates as kind.
func BeSCIMList(kind schemas.Kind) types.GomegaMatcher {
	return &exchangeMatcher{
		expect: fmt.Sprintf("be a valid SCIM ListResponse of %s (%s)", kind, SCIMMediaType),
		check: func(x *scimclient.Exchange) []string {
			return append(contentTypeProblems(x), schemaProblems(x, kind, schemas.ValidateList)...)
		},
	}
}

func contentTypeProblems(x *scimclient.Exchange) []string {
	ct := x.RespHeader.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !strings.EqualFold(mt, SCIMMediaType) {
		return []string{fmt.Sprintf("Content-Type is %q, expected %s (RFC 7644 §3.1)", ct, SCIMMediaType)}
	}
	return nil
}

func schemaProblems(x *scimclient.Exchange, kind schemas.Kind, validate func(schemas.Kind, []byte) ([]schemas.Violation, error)) []string {
	vs, err := validate(kind, x.RespBody)
	if err != nil {
		return []string{fmt.Sprintf("body cannot be validated as %s: %v", kind, err)}
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = "schema: " + v.String()
	}
	return out
}

// HaveJSON succeeds when the body has a value at the JSON Pointer that
// equals value (after JSON normalisation, so 1 equals 1.0) or, when value
// is a Gomega matcher, satisfies it.
func HaveJSON(pointer string, value any) types.GomegaMatcher {
	expect := fmt.Sprintf("have %s = %s", pointerName(pointer), brief(value))
	if m, ok := value.(types.GomegaMatcher); ok {
		expect = fmt.Sprintf("have %s %s", pointerName(pointer), describeMatcher(m))
	}
	return &exchangeMatcher{
		expect: expect,
		check: func(x *scimclient.Exchange) []string {
			got, ok, problem := lookupBody(x, pointer)
			if problem != "" {
				return []string{problem}
			}
			if !ok {
				return []string{fmt.Sprintf("%s is absent", pointerName(pointer))}
			}
			return valueProblems(pointer, got, value)
		},
	}
}

// NotHaveJSON succeeds when the body has no value at the JSON Pointer.
func NotHaveJSON(pointer string) types.GomegaMatcher {
	return &exchangeMatcher{
		expect: fmt.Sprintf("have no %s", pointerName(pointer)),
		check: func(x *scimclient.Exchange) []string {
			got, ok, problem := lookupBody(x, pointer)
			if problem != "" {
				return []string{problem}
			}
			if ok {
				return []string{fmt.Sprintf("%s is present: %s", pointerName(pointer), brief(got))}
			}
			return nil
		},
	}
}

// HaveJSONSubset succeeds when the body contains subset: every key of an
// object is present with a matching value (recursively), every element of
// an array matches some element of the response's array, scalars are equal.
func HaveJSONSubset(subset map[string]any) types.GomegaMatcher {
	return &exchangeMatcher{
		expect: "contain " + brief(subset),
		check: func(x *scimclient.Exchange) []string {
			doc, problem := decodeBody(x)
			if problem != "" {
				return []string{problem}
			}
			want, err := normalizeJSON(subset)
			if err != nil {
				return []string{fmt.Sprintf("expected subset cannot be encoded as JSON: %v", err)}
			}
			return subsetProblems("", doc, want)
		},
	}
}

// HaveSCIMError succeeds when the response is a SCIM Error (RFC 7644
// §3.12): the given HTTP status, application/scim+json, the Error schema,
// "status" equal to the code as a JSON string and, when scimType is not
// empty, that scimType.
func HaveSCIMError(status int, scimType string) types.GomegaMatcher {
	expect := fmt.Sprintf("be a SCIM Error with status %d", status)
	if scimType != "" {
		expect += " and scimType " + strconv.Quote(scimType)
	}
	return &exchangeMatcher{
		expect: expect,
		check: func(x *scimclient.Exchange) []string {
			var out []string
			if x.Status != status {
				out = append(out, fmt.Sprintf("status is %d, expected %d", x.Status, status))
			}
			out = append(out, contentTypeProblems(x)...)
			out = append(out, schemaProblems(x, schemas.Error, schemas.Validate)...)
			doc, problem := decodeBody(x)
			if problem != "" {
				return append(out, problem)
			}
			obj, _ := doc.(map[string]any)
			if got, ok := obj["status"].(string); !ok || got != strconv.Itoa(status) {
				out = append(out, fmt.Sprintf(`body "status" is %s, expected the string %q (RFC 7644 §3.12)`, brief(obj["status"]), strconv.Itoa(status)))
			}
			if scimType != "" {
				if got, _ := obj["scimType"].(string); got != scimType {
					out = append(out, fmt.Sprintf(`body "scimType" is %s, expected %q`, brief(obj["scimType"]), scimType))
				}
			}
			return out
		},
	}
}

func decodeBody(x *scimclient.Exchange) (any, string) {
	body := bytes.TrimSpace(x.RespBody)
	if len(body) == 0 {
		return nil, "the response body is empty, expected JSON"
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Sprintf("the response body is not JSON: %v", err)
	}
	return doc, ""
}

func lookupBody(x *scimclient.Exchange, pointer string) (any, bool, string) {
	doc, problem := decodeBody(x)
	if problem != "" {
		return nil, false, problem
	}
	got, ok, err := jsonptr.Lookup(doc, pointer, jsonptr.Unique)
	if err != nil {
		return nil, false, err.Error()
	}
	return got, ok, ""
}

func valueProblems(pointer string, got, want any) []string {
	if m, ok := want.(types.GomegaMatcher); ok {
		success, err := m.Match(got)
		if err != nil {
			return []string{fmt.Sprintf("%s is %s, which cannot be checked: %v", pointerName(pointer), brief(got), err)}
		}
		if success {
			return nil
		}
		if _, expectations, ok := ExplainParts(m.FailureMessage(got)); ok && len(expectations) > 0 {
			return []string{fmt.Sprintf("%s is %s, %s", pointerName(pointer), brief(got), strings.Join(expectations, "; "))}
		}
		return []string{fmt.Sprintf("%s is %s: %s", pointerName(pointer), brief(got), Explain(m.FailureMessage(got)))}
	}
	norm, err := normalizeJSON(want)
	if err != nil {
		return []string{fmt.Sprintf("expected value cannot be encoded as JSON: %v", err)}
	}
	if !reflect.DeepEqual(got, norm) {
		return []string{fmt.Sprintf("%s is %s, expected %s", pointerName(pointer), brief(got), brief(norm))}
	}
	return nil
}

func subsetProblems(path string, got, want any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s is %s, expected an object", pointerName(path), brief(got))}
		}
		var out []string
		for _, k := range sortedKeys(w) {
			child := path + "/" + jsonptr.Escape(k)
			gv, ok := jsonptr.Member(g, k, jsonptr.Unique)
			if !ok {
				out = append(out, fmt.Sprintf("%s is absent, expected %s", pointerName(child), brief(w[k])))
				continue
			}
			out = append(out, subsetProblems(child, gv, w[k])...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s is %s, expected an array", pointerName(path), brief(got))}
		}
		var out []string
		for i, wv := range w {
			if !slices.ContainsFunc(g, func(gv any) bool { return len(subsetProblems(path, gv, wv)) == 0 }) {
				out = append(out, fmt.Sprintf("%s has no element matching %s (expected element %d)", pointerName(path), brief(wv), i))
			}
		}
		return out
	}
	if !reflect.DeepEqual(got, want) {
		return []string{fmt.Sprintf("%s is %s, expected %s", pointerName(path), brief(got), brief(want))}
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func pointerName(p string) string {
	if p == "" {
		return "the body"
	}
	return strconv.Quote(p)
}

// describeMatcher says what a Gomega matcher expects, in the words of its
// failure message ("expected it not to be empty"), read from the message
// it gives for a null value.
func describeMatcher(m types.GomegaMatcher) (description string) {
	const unknown = "that passes the check listed below"
	defer func() {
		if recover() != nil {
			description = unknown
		}
	}()
	_, _ = m.Match(nil) // some matchers build their message while matching
	if _, expectations, ok := ExplainParts(m.FailureMessage(nil)); ok && len(expectations) > 0 {
		return "(" + strings.Join(expectations, "; ") + ")"
	}
	return unknown
}

// brief renders a value compactly for a problem line.
func brief(v any) string {
	if m, ok := v.(types.GomegaMatcher); ok {
		return describeMatcher(m)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return truncate(string(b), 200)
}
