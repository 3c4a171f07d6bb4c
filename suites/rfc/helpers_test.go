package rfc

import (
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner"
)

func answer(status int, body string) *runner.Exchange {
	return &runner.Exchange{Method: "GET", URL: "http://127.0.0.1:1/Users/x", Status: status,
		RespHeader: http.Header{"Content-Type": {"application/scim+json"}}, RespBody: []byte(body)}
}

func TestBeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		scimTypes []string
		x         *runner.Exchange
		match     bool
	}{
		{"status and scimType", 400, []string{"invalidFilter"}, answer(400, `{"scimType":"invalidFilter"}`), true},
		{"wrong scimType", 400, []string{"invalidFilter"}, answer(400, `{"scimType":"invalidValue"}`), false},
		{"absent scimType is the errors area's concern", 400, []string{"invalidFilter"}, answer(400, `{"detail":"bad"}`), true},
		{"non-JSON body is the errors area's concern", 400, []string{"invalidFilter"}, answer(400, `<html>bad</html>`), true},
		{"one of several scimTypes", 400, []string{"invalidValue", "invalidSyntax"}, answer(400, `{"scimType":"invalidSyntax"}`), true},
		{"wrong status", 400, []string{"invalidFilter"}, answer(500, `{"scimType":"invalidFilter"}`), false},
		{"status only", 404, nil, answer(404, `not json`), true},
		{"status only, wrong status", 404, nil, answer(200, `{}`), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ok, err := beError(tc.status, tc.scimTypes...).Match(tc.x)
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if ok != tc.match {
				t.Errorf("Match = %v, want %v", ok, tc.match)
			}
		})
	}
}

func TestSwapCase(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "abc-XYZ-1": "ABC-xyz-1", "Alpha-Ext": "aLPHA-eXT"} {
		if got := swapCase(in); got != want {
			t.Errorf("swapCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAttributeCharacteristics(t *testing.T) {
	t.Parallel()
	complete := map[string]any{"name": "userName", "type": "string", "multiValued": false, "required": true,
		"mutability": "readWrite", "returned": "default"}
	tests := []struct {
		name    string
		attr    map[string]any
		problem string // substring of the one expected problem, "" for none
	}{
		{"complete", complete, ""},
		{"no mutability", without(complete, "mutability"), "mutability"},
		{"bad returned", merged(complete, "returned", "sometimes"), "returned"},
		{"required as string", merged(complete, "required", "true"), "required"},
		{"complex without subAttributes", merged(complete, "type", "complex"), "subAttributes"},
		{"reference without referenceTypes", merged(complete, "type", "reference"), "referenceTypes"},
		{"complex with a bad sub-attribute", merged(merged(complete, "type", "complex"), "subAttributes",
			[]any{without(complete, "type")}), "userName.userName: type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := attributeCharacteristics("urn:x", tc.attr)
			if tc.problem == "" {
				if len(got) != 0 {
					t.Fatalf("problems = %q, want none", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0], tc.problem) {
				t.Fatalf("problems = %q, want one mentioning %q", got, tc.problem)
			}
		})
	}
}

func merged(m map[string]any, k string, v any) map[string]any {
	out := without(m)
	out[k] = v
	return out
}
