package schemas

import (
	"reflect"
	"strings"
	"testing"
)

func TestKindsListsEveryKindWithADocument(t *testing.T) {
	t.Parallel()
	want := []Kind{User, EnterpriseUser, Group, ListResponse, Error, PatchOp,
		ServiceProviderConfig, ResourceType, Schema, BulkRequest, BulkResponse}
	got := Kinds()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Kinds() = %v, want %v", got, want)
	}
	got[0] = "changed"
	if Kinds()[0] != User {
		t.Error("Kinds() shares its slice with the package")
	}
	for _, k := range want {
		if _, err := Validate(k, []byte(`{}`)); err != nil {
			t.Errorf("Validate(%s): %v", k, err)
		}
	}
}

func TestValidateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kind    Kind
		body    string
		wantErr string
	}{
		{"unknown kind", "Users", `{}`, `unknown kind "Users"`},
		{"empty kind", "", `{}`, `unknown kind ""`},
		{"empty body", User, "", "body is empty"},
		{"blank body", User, " \n\t", "body is empty"},
		{"HTML error page", User, "<html><body>500</body></html>", "not valid JSON at byte 1"},
		{"truncated JSON", User, `{"id":"a",`, "not valid JSON"},
		{"trailing garbage", User, `{"id":"a"} x`, "not valid JSON at byte 12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs, err := Validate(tt.kind, []byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate error = %v, want one containing %q", err, tt.wantErr)
			}
			if vs != nil {
				t.Errorf("violations with an error: %v", vs)
			}
			if _, err := ValidateList(tt.kind, []byte(tt.body)); err == nil {
				t.Error("ValidateList accepted what Validate rejects")
			}
		})
	}
}

func TestValidateNonObjectDocuments(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`[]`, `"user"`, `42`, `null`, `true`} {
		vs, err := Validate(User, []byte(body))
		if err != nil {
			t.Fatalf("Validate(%s): %v", body, err)
		}
		if len(vs) != 1 || vs[0].Path != "" || !strings.HasPrefix(vs[0].Message, "expected object, got ") {
			t.Errorf("Validate(%s) = %q, want one root type violation", body, vs)
		}
	}
}

func TestValidateListPrefixesResourcePaths(t *testing.T) {
	t.Parallel()
	body := applyEdits(t, readTestdata(t, "entra-u4-list-one-user.json"),
		set("/Resources/0/active", "True"),
		del("/Resources/0/meta/resourceType"),
		set("/itemsPerPage", "20"),
	)
	got, err := ValidateList(User, body)
	if err != nil {
		t.Fatalf("ValidateList: %v", err)
	}
	want := []Violation{
		{"/Resources/0/active", `expected boolean, got string "True"`},
		{"/Resources/0/meta/resourceType", missing},
		{"/itemsPerPage", `expected integer, got string "20"`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations:\n got  %q\n want %q", got, want)
	}
}

func TestValidateListChecksEveryResourceAsTheKind(t *testing.T) {
	t.Parallel()
	// A Group in a /Users answer is wrong even though it is a valid resource.
	group := string(readTestdata(t, "rfc7643-8.4-group.json"))
	user := string(readTestdata(t, "rfc7643-8.1-minimal-user.json"))
	body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":3,` +
		`"Resources":[` + user + `,` + user + `,` + group + `]}`
	got, err := ValidateList(User, []byte(body))
	if err != nil {
		t.Fatalf("ValidateList: %v", err)
	}
	want := []Violation{{"/Resources/2/schemas", mustContain(userURN)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations:\n got  %q\n want %q", got, want)
	}
}

func TestValidateListWhenResourcesIsNotAnArray(t *testing.T) {
	t.Parallel()
	body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"Resources":{"id":"a"}}`
	got, err := ValidateList(User, []byte(body))
	if err != nil {
		t.Fatalf("ValidateList: %v", err)
	}
	want := []Violation{{"/Resources", "expected array, got object"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations:\n got  %q\n want %q", got, want)
	}
}

func TestValidateListRejectsUnknownKind(t *testing.T) {
	t.Parallel()
	_, err := ValidateList("Device", readTestdata(t, "entra-u1-list-empty.json"))
	if err == nil || !strings.Contains(err.Error(), `unknown kind "Device"`) {
		t.Fatalf("error = %v, want unknown kind", err)
	}
}

func TestViolationString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    Violation
		want string
	}{
		{Violation{"/emails/0/primary", "expected boolean, got string \"yes\""}, `/emails/0/primary: expected boolean, got string "yes"`},
		{Violation{"", "expected object, got array"}, "/: expected object, got array"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestPointerEscapesTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tokens []string
		want   string
	}{
		{nil, ""},
		{[]string{"emails", "0", "primary"}, "/emails/0/primary"},
		{[]string{"a/b~c", "0"}, "/a~1b~0c/0"},
		{[]string{enterpriseURN, "manager"}, "/" + enterpriseURN + "/manager"},
	}
	for _, tt := range tests {
		if got := pointer(tt.tokens...); got != tt.want {
			t.Errorf("pointer(%q) = %q, want %q", tt.tokens, got, tt.want)
		}
	}
}

func TestSortViolations(t *testing.T) {
	t.Parallel()
	in := []Violation{
		{"/Resources/10/id", "b"},
		{"/Resources/2/id", "a"},
		{"/Resources/2/id", "a"},
		{"", "root"},
		{"/Resources", "x"},
		{"/Resources/2", "z"},
	}
	want := []Violation{
		{"", "root"},
		{"/Resources", "x"},
		{"/Resources/2", "z"},
		{"/Resources/2/id", "a"},
		{"/Resources/10/id", "b"},
	}
	if got := sortViolations(in); !reflect.DeepEqual(got, want) {
		t.Errorf("sortViolations:\n got  %q\n want %q", got, want)
	}
}

func TestHostileDocuments(t *testing.T) {
	t.Parallel()
	emails := strings.Repeat(`{"value":"a@example.com","primary":true},`, 99) + `{"value":"b@example.com","primary":true}`
	tests := []struct {
		name string
		body string
		want []Violation
	}{
		{
			"deeply nested arrays",
			strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
			[]Violation{{"", "expected object, got array"}},
		},
		{
			"deeply nested unknown attribute",
			`{"schemas":["` + userURN + `"],"id":"a","meta":{"resourceType":"User"},"x":` +
				strings.Repeat(`{"a":[`, 3000) + "1" + strings.Repeat("]}", 3000) + `}`,
			nil,
		},
		{
			"a hundred primary emails",
			`{"schemas":["` + userURN + `"],"id":"a","meta":{"resourceType":"User"},"emails":[` + emails + `]}`,
			[]Violation{{"/emails", "primary is true on items 0, 1, 2, 3, 4 and 95 more; at most one value may be primary"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Validate(User, []byte(tt.body))
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("violations:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestExpectedTypes(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"string":                "string",
		"[string,null]":         "string",
		"[array,null]":          "array",
		"[integer,string]":      "integer or string",
		"[null]":                "null",
		"[boolean,null,string]": "boolean or string",
	}
	for in, want := range tests {
		if got := expectedTypes(in); got != want {
			t.Errorf("expectedTypes(%q) = %q, want %q", in, got, want)
		}
	}
}
