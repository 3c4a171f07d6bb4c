package rfc

import (
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/scimclient"
)

func answer(status int, body string) *scimclient.Exchange {
	return &scimclient.Exchange{Method: "GET", URL: "http://127.0.0.1:1/Users/x", Status: status,
		RespHeader: http.Header{"Content-Type": {"application/scim+json"}}, RespBody: []byte(body)}
}

func TestBeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		scimTypes []string
		x         *scimclient.Exchange
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

func TestScopedParenthesisesOnlyWhatNeedsIt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr, want string
	}{
		{`title eq "Engineer"`, `userName sw "s-" and title eq "Engineer"`},
		{`not (active eq true)`, `userName sw "s-" and not (active eq true)`},
		{`(title eq "Engineer" or active eq false) and userType eq "Contractor"`, `userName sw "s-" and (title eq "Engineer" or active eq false) and userType eq "Contractor"`},
		{`title eq "Engineer" or active eq false`, `userName sw "s-" and (title eq "Engineer" or active eq false)`},
		{`title EQ "Engineer" Or active Eq false`, `userName sw "s-" and (title EQ "Engineer" Or active Eq false)`},
		{`title eq "this or that"`, `userName sw "s-" and title eq "this or that"`},
		{`title eq "say \"x\" or" and active eq true`, `userName sw "s-" and title eq "say \"x\" or" and active eq true`},
		{`emails[type eq "work" or type eq "home"]`, `userName sw "s-" and emails[type eq "work" or type eq "home"]`},
		{`orange eq "x" and color pr`, `userName sw "s-" and orange eq "x" and color pr`},
		{`title eq "Engineer`, `userName sw "s-" and title eq "Engineer`},
	}
	for _, tc := range tests {
		if got := scoped("userName", "s-", tc.expr); got != tc.want {
			t.Errorf("scoped(%q)\n got %s\nwant %s", tc.expr, got, tc.want)
		}
	}
}

func TestSearchNotSupported(t *testing.T) {
	t.Parallel()
	scimError := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404"}`
	tests := []struct {
		name string
		x    *scimclient.Exchange
		want bool
	}{
		{"501 with any body", answer(501, `Not Implemented`), true},
		{"404 with a SCIM Error", answer(404, scimError), true},
		{"405 with a SCIM Error", answer(405, scimError), true},
		{"404 with an HTML page", answer(404, `<html>not found</html>`), false},
		{"405 with an empty body", answer(405, ``), false},
		{"200 with a ListResponse", answer(200, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0}`), false},
		{"400 with a SCIM Error", answer(400, scimError), false},
	}
	for _, tc := range tests {
		if got := searchNotSupported(tc.x) != ""; got != tc.want {
			t.Errorf("%s: not supported = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCanonicalDiscoveryIgnoresMetaAndOrder(t *testing.T) {
	t.Parallel()
	base := `{"Resources":[{"id":"User","meta":{"lastModified":"1"},"attributes":[{"name":"a"},{"name":"b"}]},{"id":"Group"}],"totalResults":2}`
	tests := []struct {
		name, other string
		same        bool
	}{
		{"meta and order differ", `{"totalResults":2,"Resources":[{"id":"Group"},{"id":"User","meta":{"lastModified":"2"},"attributes":[{"name":"b"},{"name":"a"}]}]}`, true},
		{"a resource added", `{"Resources":[{"id":"User","attributes":[{"name":"a"},{"name":"b"}]},{"id":"Group"},{"id":"Probe"}],"totalResults":2}`, false},
		{"an attribute removed", `{"Resources":[{"id":"User","attributes":[{"name":"a"}]},{"id":"Group"}],"totalResults":2}`, false},
		{"a description changed", `{"Resources":[{"id":"User","attributes":[{"name":"a"},{"name":"b"}]},{"id":"Group","description":"x"}],"totalResults":2}`, false},
	}
	for _, tc := range tests {
		if got := canonicalDiscovery([]byte(base)) == canonicalDiscovery([]byte(tc.other)); got != tc.same {
			t.Errorf("%s: same = %v, want %v", tc.name, got, tc.same)
		}
	}
	if canonicalDiscovery([]byte(`{"id":"x","meta":{"v":1}}`)) != canonicalDiscovery([]byte(`{"meta":{"v":2},"id":"x"}`)) {
		t.Error("a single resource differing only in meta reads as changed")
	}
}
