package patch

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

func TestParseRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want []Operation
	}{
		{
			name: "Entra default dialect disable",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`,
			want: []Operation{{Op: "replace", Path: "active", Value: json.RawMessage(`"False"`)}},
		},
		{
			name: "Operations before schemas",
			body: `{"Operations":[{"op":"Replace","path":"active","value":false}],"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`,
			want: []Operation{{Op: "replace", Path: "active", Value: json.RawMessage(`false`)}},
		},
		{
			name: "extra top-level id and unknown members ignored",
			body: `{"id":"abc","schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"x":1,"Operations":[{"op":"add","path":"nickName","value":"Babs","extra":true}]}`,
			want: []Operation{{Op: "add", Path: "nickName", Value: json.RawMessage(`"Babs"`)}},
		},
		{
			name: "member names in any case",
			body: `{"SCHEMAS":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"operations":[{"OP":"REMOVE","Path":"members[value eq \"x\"]"}]}`,
			want: []Operation{{Op: "remove", Path: `members[value eq "x"]`}},
		},
		{
			name: "empty Operations is a valid no-op",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}`,
			want: []Operation{},
		},
		{
			name: "PatchOp URN matched case-insensitively among other URNs",
			body: `{"schemas":["urn:example:other","URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP"],"Operations":[{"op":"replace","value":{"displayName":"x"}}]}`,
			want: []Operation{{Op: "replace", Value: json.RawMessage(`{"displayName":"x"}`)}},
		},
		{
			name: "remove with an Entra value array keeps the value",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}]}`,
			want: []Operation{{Op: "remove", Path: "members", Value: json.RawMessage(`[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]`)}},
		},
		{
			name: "null path and null value are absent",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"title","value":null},{"op":"add","path":null,"value":{"title":"x"}}]}`,
			want: []Operation{{Op: "remove", Path: "title"}, {Op: "add", Value: json.RawMessage(`{"title":"x"}`)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRequest([]byte(tt.body))
			if err != nil {
				t.Fatalf("ParseRequest: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseRequest\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseRequestRejects(t *testing.T) {
	t.Parallel()
	const urn = `"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]`
	tests := []struct {
		name     string
		body     string
		scimType string
		detail   string
	}{
		{"malformed JSON", `{"schemas":[`, scimerr.InvalidSyntax, "PatchOp body is not a JSON object"},
		{"trailing garbage", `{` + urn + `,"Operations":[]} x`, scimerr.InvalidSyntax, "not a JSON object"},
		{"array body", `[]`, scimerr.InvalidSyntax, "not a JSON object"},
		{"null body", `null`, scimerr.InvalidSyntax, "not a JSON object"},
		{"empty body", ``, scimerr.InvalidSyntax, "not a JSON object"},
		{"no schemas", `{"Operations":[]}`, scimerr.InvalidSyntax, `no "schemas"`},
		{"schemas not an array", `{"schemas":"urn:ietf:params:scim:api:messages:2.0:PatchOp","Operations":[]}`, scimerr.InvalidSyntax, "array of strings"},
		{"schemas without PatchOp", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[]}`, scimerr.InvalidSyntax, "must contain urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		{"no Operations", `{` + urn + `}`, scimerr.InvalidSyntax, `no "Operations"`},
		{"null Operations", `{` + urn + `,"Operations":null}`, scimerr.InvalidSyntax, `no "Operations"`},
		{"Operations an object", `{` + urn + `,"Operations":{"op":"add"}}`, scimerr.InvalidSyntax, "must be an array"},
		{"ambiguous member names", `{` + urn + `,"Operations":[],"operations":[]}`, scimerr.InvalidSyntax, "ambiguous"},
		{"operation not an object", `{` + urn + `,"Operations":["add"]}`, scimerr.InvalidSyntax, "Operations[0]: operation is not a JSON object"},
		{"operation null", `{` + urn + `,"Operations":[null]}`, scimerr.InvalidSyntax, "Operations[0]"},
		{"op missing", `{` + urn + `,"Operations":[{"path":"title","value":"x"}]}`, scimerr.InvalidSyntax, `"op" must be a string`},
		{"op not a string", `{` + urn + `,"Operations":[{"op":1,"path":"title","value":"x"}]}`, scimerr.InvalidSyntax, `"op" must be a string`},
		{"unknown op", `{` + urn + `,"Operations":[{"op":"replace","path":"title","value":"x"},{"op":"Move","path":"title","value":"x"}]}`, scimerr.InvalidSyntax, `Operations[1]: unknown op "Move"`},
		{"path not a string", `{` + urn + `,"Operations":[{"op":"add","path":["title"],"value":"x"}]}`, scimerr.InvalidPath, `"path" must be a string`},
		{"remove without path", `{` + urn + `,"Operations":[{"op":"Remove"}]}`, scimerr.NoTarget, "remove requires a path"},
		{"remove with empty path", `{` + urn + `,"Operations":[{"op":"remove","path":""}]}`, scimerr.NoTarget, "remove requires a path"},
		{"add without value", `{` + urn + `,"Operations":[{"op":"Add","path":"title"}]}`, scimerr.InvalidSyntax, "add requires a value"},
		{"replace with null value", `{` + urn + `,"Operations":[{"op":"replace","path":"title","value":null}]}`, scimerr.InvalidSyntax, "replace requires a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ops, err := ParseRequest([]byte(tt.body))
			if err == nil {
				t.Fatalf("ParseRequest = %+v, want a %s error", ops, tt.scimType)
			}
			assertSCIMError(t, err, tt.scimType, tt.detail)
		})
	}
}

// assertSCIMError checks that err is a 400 *scimerr.Error with the given
// scimType whose detail contains detail.
func assertSCIMError(t *testing.T, err error, scimType, detail string) {
	t.Helper()
	var se *scimerr.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *scimerr.Error", err, err)
	}
	if se.Status != http.StatusBadRequest || se.ScimType != scimType {
		t.Fatalf("error = %d %q (%s), want 400 %q", se.Status, se.ScimType, se.Detail, scimType)
	}
	if !strings.Contains(se.Detail, detail) {
		t.Fatalf("error detail %q does not contain %q", se.Detail, detail)
	}
}
