package schema

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// decode parses a JSON object written in a test.
func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

// decodeAny parses any JSON value written in a test.
func decodeAny(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "<unmarshalable: " + err.Error() + ">"
	}
	return string(b)
}

// wantSCIMError checks that err is a 400 *scimerr.Error of the given scimType
// whose detail is exactly detail.
func wantSCIMError(t *testing.T, err error, scimType, detail string) {
	t.Helper()
	var se *scimerr.Error
	if !errors.As(err, &se) {
		t.Fatalf("error = %v (%T), want *scimerr.Error", err, err)
	}
	if se.Status != 400 || se.ScimType != scimType || se.Detail != detail {
		t.Errorf("error = {%d %s %q}\nwant    {400 %s %q}", se.Status, se.ScimType, se.Detail, scimType, detail)
	}
}

const (
	userSchemas  = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]`
	groupSchemas = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]`
	entURN       = EnterpriseUserURN
)

// normalizeCase is one Normalize input and either the exact canonical output
// or the exact error detail (scimType invalidValue).
type normalizeCase struct {
	name    string
	rt      *ResourceType
	body    string
	want    string // canonical document, when no error
	wantErr string // error detail
}

func runNormalizeCases(t *testing.T, cases []normalizeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rt := tc.rt
			if rt == nil {
				rt = UserType
			}
			for _, mode := range []Mode{Create, Replace} {
				got, err := Normalize(rt, decode(t, tc.body), mode)
				if tc.wantErr != "" {
					wantSCIMError(t, err, scimerr.InvalidValue, tc.wantErr)
					continue
				}
				if err != nil {
					t.Fatalf("mode %d: unexpected error: %v", mode, err)
				}
				if want := decode(t, tc.want); !reflect.DeepEqual(got, want) {
					t.Errorf("mode %d:\n got %s\nwant %s", mode, toJSON(got), toJSON(want))
				}
			}
		})
	}
}

func TestNormalizeSchemas(t *testing.T) {
	t.Parallel()
	runNormalizeCases(t, []normalizeCase{
		{name: "core URN only", body: `{` + userSchemas + `,"userName":"a"}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "core URN in other case", body: `{"schemas":["URN:IETF:params:scim:schemas:CORE:2.0:user"],"userName":"a"}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "schemas key in other case", body: `{"Schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a"}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "unknown URIs ignored", rt: GroupType,
			body: `{"schemas":["http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group","urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"g"}`,
			want: `{` + groupSchemas + `,"displayName":"g"}`},
		{name: "extension URN listed without data is not echoed",
			body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + entURN + `"],"userName":"a"}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "extension data without its URN in schemas is kept",
			body: `{` + userSchemas + `,"userName":"a","` + entURN + `":{"department":"d"}}`,
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + entURN + `"],"userName":"a","` + entURN + `":{"department":"d"}}`},
		{name: "missing", body: `{"userName":"a"}`,
			wantErr: `attribute "schemas" is required and must contain "urn:ietf:params:scim:schemas:core:2.0:User"`},
		{name: "null", body: `{"schemas":null,"userName":"a"}`,
			wantErr: `attribute "schemas": expected array of strings, got null`},
		{name: "string instead of array", body: `{"schemas":"urn:ietf:params:scim:schemas:core:2.0:User","userName":"a"}`,
			wantErr: `attribute "schemas": expected array of strings, got string`},
		{name: "non-string element", body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",7],"userName":"a"}`,
			wantErr: `attribute "schemas[1]": expected string, got number`},
		{name: "empty array", body: `{"schemas":[],"userName":"a"}`,
			wantErr: `attribute "schemas" must contain "urn:ietf:params:scim:schemas:core:2.0:User"`},
		{name: "group URN sent to users", body: `{` + groupSchemas + `,"userName":"a"}`,
			wantErr: `attribute "schemas" must contain "urn:ietf:params:scim:schemas:core:2.0:User"`},
		{name: "only the extension URN", body: `{"schemas":["` + entURN + `"],"userName":"a"}`,
			wantErr: `attribute "schemas" must contain "urn:ietf:params:scim:schemas:core:2.0:User"`},
		{name: "given twice", body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"SCHEMAS":[],"userName":"a"}`,
			wantErr: `attribute "schemas" given more than once (as ["SCHEMAS" "schemas"])`},
		{name: "empty body", body: `{}`,
			wantErr: `attribute "schemas" is required and must contain "urn:ietf:params:scim:schemas:core:2.0:User"`},
	})
}

func TestNormalizeNames(t *testing.T) {
	t.Parallel()
	runNormalizeCases(t, []normalizeCase{
		{name: "top-level and sub-attribute names in any case",
			body: `{` + userSchemas + `,"USERNAME":"a","Name":{"GivenName":"g","familyname":"f"},"Emails":[{"Value":"x@y","Primary":true}],"ExternalID":"e"}`,
			want: `{` + userSchemas + `,"userName":"a","name":{"givenName":"g","familyName":"f"},"emails":[{"value":"x@y","primary":true}],"externalId":"e"}`},
		{name: "extension URN and its attributes in any case",
			body: `{` + userSchemas + `,"userName":"a","URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER":{"Department":"d","Manager":{"Value":"m"}}}`,
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + entURN + `"],"userName":"a","` + entURN + `":{"department":"d","manager":{"value":"m"}}}`},
		{name: "URN-qualified extension attribute folded into the extension",
			body: `{` + userSchemas + `,"userName":"a","` + entURN + `:department":"d","` + entURN + `":{"costCenter":"c"}}`,
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + entURN + `"],"userName":"a","` + entURN + `":{"department":"d","costCenter":"c"}}`},
		{name: "URN-qualified extension attribute in other case",
			body: `{` + userSchemas + `,"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:EmployeeNumber":"7"}`,
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + entURN + `"],"userName":"a","` + entURN + `":{"employeeNumber":"7"}}`},
		{name: "URN-qualified core attribute",
			body: `{` + userSchemas + `,"urn:ietf:params:scim:schemas:core:2.0:User:userName":"a","urn:ietf:params:scim:schemas:core:2.0:user:Name":{"givenName":"g"}}`,
			want: `{` + userSchemas + `,"userName":"a","name":{"givenName":"g"}}`},
		{name: "group attributes in any case", rt: GroupType,
			body: `{` + groupSchemas + `,"DISPLAYNAME":"g","Members":[{"Value":"1","TYPE":"User","$REF":"https://x/Users/1"}]}`,
			want: `{` + groupSchemas + `,"displayName":"g","members":[{"value":"1","type":"User","$ref":"https://x/Users/1"}]}`},
		{name: "same attribute under two spellings",
			body:    `{` + userSchemas + `,"userName":"a","UserName":"b"}`,
			wantErr: `attribute "userName" given more than once (as "UserName" and "userName")`},
		{name: "same sub-attribute under two spellings",
			body:    `{` + userSchemas + `,"userName":"a","name":{"givenName":"a","GIVENNAME":"b"}}`,
			wantErr: `attribute "name.givenName" given more than once (as "GIVENNAME" and "givenName")`},
		{name: "extension attribute both qualified and nested",
			body:    `{` + userSchemas + `,"userName":"a","` + entURN + `:department":"d","` + entURN + `":{"department":"e"}}`,
			wantErr: `attribute "` + entURN + `:department" given more than once (as "department" and "` + entURN + `:department")`},
		{name: "extension attributes without their URN, as in Entra's documented create body",
			body: `{` + userSchemas + `,"userName":"a","Department":"d","manager":{"value":"m"}}`,
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + entURN + `"],"userName":"a","` + entURN + `":{"department":"d","manager":{"value":"m"}}}`},
		{name: "extension attribute names mean nothing for groups", rt: GroupType,
			body: `{` + groupSchemas + `,"displayName":"g","department":"d"}`,
			want: `{` + groupSchemas + `,"displayName":"g"}`},
		{name: "extension attribute with and without its URN",
			body:    `{` + userSchemas + `,"userName":"a","department":"d","` + entURN + `:department":"e"}`,
			wantErr: `attribute "` + entURN + `:department" given more than once (as "department" and "` + entURN + `:department")`},
		{name: "extension attribute under the core URN is unknown",
			body: `{` + userSchemas + `,"userName":"a","urn:ietf:params:scim:schemas:core:2.0:User:department":"d"}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "a null spelling does not conflict",
			body: `{` + userSchemas + `,"userName":"a","UserName":null}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
	})
}

func TestNormalizeDrops(t *testing.T) {
	t.Parallel()
	runNormalizeCases(t, []normalizeCase{
		{name: "client id and meta",
			body: `{` + userSchemas + `,"id":"123","ID":"x","meta":{"resourceType":"User","created":"bad"},"userName":"a"}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "readOnly groups, even with wrong types",
			body: `{` + userSchemas + `,"userName":"a","groups":[{"value":"g1","display":"G"}],"Groups":7}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "readOnly members.display", rt: GroupType,
			body: `{` + groupSchemas + `,"displayName":"g","members":[{"value":"1","display":"One"}]}`,
			want: `{` + groupSchemas + `,"displayName":"g","members":[{"value":"1"}]}`},
		{name: "readOnly manager.displayName",
			body: `{` + userSchemas + `,"userName":"a","` + entURN + `":{"manager":{"value":"m","displayName":"M"}}}`,
			want: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + entURN + `"],"userName":"a","` + entURN + `":{"manager":{"value":"m"}}}`},
		{name: "manager with only readOnly displayName leaves nothing",
			body: `{` + userSchemas + `,"userName":"a","` + entURN + `":{"manager":{"displayName":"M"}}}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "unknown attributes, sub-attributes and extensions",
			body: `{` + userSchemas + `,"userName":"a","favouriteColour":"red","name":{"givenName":"g","nick":"n"},` +
				`"urn:example:custom:1.0:User":{"x":1},"urn:example:custom:1.0:User:y":2}`,
			want: `{` + userSchemas + `,"userName":"a","name":{"givenName":"g"}}`},
		{name: "URN followed by other text is unknown",
			body: `{` + userSchemas + `,"userName":"a","` + entURN + `x":{"department":"d"},"` + entURN + `.department":"d"}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "unknown extension attribute",
			body: `{` + userSchemas + `,"userName":"a","` + entURN + `":{"shoeSize":44},"` + entURN + `:hatSize":7}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "nulls at every level",
			body: `{` + userSchemas + `,"userName":"a","title":null,"name":{"givenName":null,"familyName":"f"},"emails":[null,{"value":"x","type":null}],` +
				`"` + entURN + `":null,"` + entURN + `:department":null}`,
			want: `{` + userSchemas + `,"userName":"a","name":{"familyName":"f"},"emails":[{"value":"x"}]}`},
		{name: "empty arrays and objects",
			body: `{` + userSchemas + `,"userName":"a","roles":[],"emails":[{}],"name":{},"phoneNumbers":[{"value":null}],"` + entURN + `":{}}`,
			want: `{` + userSchemas + `,"userName":"a"}`},
		{name: "members $ref null", rt: GroupType,
			body: `{` + groupSchemas + `,"displayName":"g","members":[{"value":"1","$ref":null}]}`,
			want: `{` + groupSchemas + `,"displayName":"g","members":[{"value":"1"}]}`},
	})
}

func TestNormalizeTypes(t *testing.T) {
	t.Parallel()
	user := func(attrs string) string { return `{` + userSchemas + `,"userName":"a",` + attrs + `}` }
	ent := func(attrs string) string {
		return `{` + userSchemas + `,"userName":"a","` + entURN + `":{` + attrs + `}}`
	}
	entWant := func(attrs string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + entURN + `"],"userName":"a","` + entURN + `":{` + attrs + `}}`
	}
	runNormalizeCases(t, []normalizeCase{
		// string
		{name: "string", body: user(`"title":"Tour Guide"`), want: user(`"title":"Tour Guide"`)},
		{name: "empty optional string kept", body: user(`"title":""`), want: user(`"title":""`)},
		{name: "string given number", body: user(`"title":5`), wantErr: `attribute "title": expected string, got number`},
		{name: "string given boolean", body: user(`"displayName":true`), wantErr: `attribute "displayName": expected string, got boolean`},
		{name: "string given object", body: user(`"nickName":{"a":1}`), wantErr: `attribute "nickName": expected string, got object`},
		{name: "string given array", body: user(`"locale":["en"]`), wantErr: `attribute "locale": expected string, got array`},
		{name: "sub-attribute string given number", body: user(`"name":{"givenName":1}`), wantErr: `attribute "name.givenName": expected string, got number`},
		{name: "extension string given number", body: ent(`"department":1`), wantErr: `attribute "` + entURN + `:department": expected string, got number`},
		{name: "qualified extension string given boolean", body: user(`"` + entURN + `:costCenter":false`), wantErr: `attribute "` + entURN + `:costCenter": expected string, got boolean`},
		// reference
		{name: "reference", body: user(`"profileUrl":"https://x/b"`), want: user(`"profileUrl":"https://x/b"`)},
		{name: "reference given number", body: user(`"profileUrl":1`), wantErr: `attribute "profileUrl": expected string, got number`},
		{name: "extension reference", body: ent(`"manager":{"value":"m","$ref":"../Users/m"}`), want: entWant(`"manager":{"value":"m","$ref":"../Users/m"}`)},
		{name: "extension reference given object", body: ent(`"manager":{"$ref":{}}`), wantErr: `attribute "` + entURN + `:manager.$ref": expected string, got object`},
		// boolean
		{name: "boolean true", body: user(`"active":true`), want: user(`"active":true`)},
		{name: "boolean false", body: user(`"active":false`), want: user(`"active":false`)},
		{name: "boolean string True", body: user(`"active":"True"`), want: user(`"active":true`)},
		{name: "boolean string FALSE", body: user(`"active":"FALSE"`), want: user(`"active":false`)},
		{name: "boolean string in element", body: user(`"roles":[{"value":"r","primary":"True"}]`), want: user(`"roles":[{"value":"r","primary":true}]`)},
		{name: "boolean given number", body: user(`"active":1`), wantErr: `attribute "active": expected boolean, got number`},
		{name: "boolean given other string", body: user(`"active":"yes"`), wantErr: `attribute "active": expected boolean, got string "yes"`},
		{name: "boolean given padded string", body: user(`"active":" true"`), wantErr: `attribute "active": expected boolean, got string " true"`},
		{name: "element boolean given number", body: user(`"emails":[{"value":"a"},{"value":"b","primary":1}]`), wantErr: `attribute "emails[1].primary": expected boolean, got number`},
		// binary
		{name: "binary padded", body: user(`"x509Certificates":[{"value":"aGVsbG8="}]`), want: user(`"x509Certificates":[{"value":"aGVsbG8="}]`)},
		{name: "binary unpadded", body: user(`"x509Certificates":[{"value":"aGVsbG8"}]`), want: user(`"x509Certificates":[{"value":"aGVsbG8"}]`)},
		{name: "binary not base64", body: user(`"x509Certificates":[{"value":"not base64!"}]`),
			wantErr: `attribute "x509Certificates[0].value": expected base64 string, got invalid base64 (illegal base64 data at input byte 3)`},
		{name: "binary given number", body: user(`"x509Certificates":[{"value":12}]`), wantErr: `attribute "x509Certificates[0].value": expected base64 string, got number`},
		// complex
		{name: "complex given string", body: user(`"name":"Babs"`), wantErr: `attribute "name": expected object, got string`},
		{name: "complex given array", body: user(`"name":[{"givenName":"g"}]`), wantErr: `attribute "name": expected object, got array`},
		{name: "extension given string", body: `{` + userSchemas + `,"userName":"a","` + entURN + `":"x"}`, wantErr: `attribute "` + entURN + `": expected object, got string`},
		{name: "extension complex given string", body: ent(`"manager":"m"`), wantErr: `attribute "` + entURN + `:manager": expected object, got string`},
		// multi-valued
		{name: "multi-valued given object", body: user(`"emails":{"value":"x"}`), wantErr: `attribute "emails": expected array, got object`},
		{name: "multi-valued given string", body: user(`"emails":"x@y"`), wantErr: `attribute "emails": expected array, got string`},
		{name: "multi-valued element given string", body: user(`"emails":["x@y"]`), wantErr: `attribute "emails[0]": expected object, got string`},
		{name: "multi-valued element index counts nulls", body: user(`"phoneNumbers":[null,{"value":"1"},{"value":2}]`), wantErr: `attribute "phoneNumbers[2].value": expected string, got number`},
	})
}

// TestNormalizeScalarTypes covers the types the built-in schemas do not use
// (decimal, integer, dateTime) through a schema made for the test.
func TestNormalizeScalarTypes(t *testing.T) {
	t.Parallel()
	rt := &ResourceType{ID: "Device", Name: "Device", Endpoint: "/Devices", Schema: &Schema{
		ID: "urn:example:Device",
		Attributes: []*Attribute{
			attr("weight", Decimal),
			attr("ports", Integer),
			attr("bought", DateTime),
			attr("readings", Decimal, multi),
		},
	}}
	body := func(attrs string) string { return `{"schemas":["urn:example:Device"],` + attrs + `}` }
	runNormalizeCases(t, []normalizeCase{
		{name: "decimal", rt: rt, body: body(`"weight":1.5`), want: body(`"weight":1.5`)},
		{name: "decimal whole", rt: rt, body: body(`"weight":2`), want: body(`"weight":2`)},
		{name: "decimal given string", rt: rt, body: body(`"weight":"1.5"`), wantErr: `attribute "weight": expected number, got string`},
		{name: "integer", rt: rt, body: body(`"ports":4`), want: body(`"ports":4`)},
		{name: "integer negative exponent form", rt: rt, body: body(`"ports":-4e2`), want: body(`"ports":-400`)},
		{name: "integer given fraction", rt: rt, body: body(`"ports":4.5`), wantErr: `attribute "ports": expected integer, got number`},
		{name: "integer given string", rt: rt, body: body(`"ports":"4"`), wantErr: `attribute "ports": expected integer, got string`},
		{name: "dateTime UTC", rt: rt, body: body(`"bought":"2010-01-23T04:56:22Z"`), want: body(`"bought":"2010-01-23T04:56:22Z"`)},
		{name: "dateTime offset and fraction kept as sent", rt: rt, body: body(`"bought":"2010-01-23T04:56:22.123+02:00"`), want: body(`"bought":"2010-01-23T04:56:22.123+02:00"`)},
		{name: "dateTime without zone", rt: rt, body: body(`"bought":"2010-01-23T04:56:22"`),
			wantErr: `attribute "bought": expected dateTime (RFC 3339, e.g. "2006-01-02T15:04:05Z"), got "2010-01-23T04:56:22"`},
		{name: "dateTime date only", rt: rt, body: body(`"bought":"2010-01-23"`),
			wantErr: `attribute "bought": expected dateTime (RFC 3339, e.g. "2006-01-02T15:04:05Z"), got "2010-01-23"`},
		{name: "dateTime given number", rt: rt, body: body(`"bought":1264222582`), wantErr: `attribute "bought": expected dateTime string, got number`},
		{name: "multi-valued decimal", rt: rt, body: body(`"readings":[1,2.5,null]`), want: body(`"readings":[1,2.5]`)},
		{name: "multi-valued decimal element given string", rt: rt, body: body(`"readings":[1,"2"]`), wantErr: `attribute "readings[1]": expected number, got string`},
	})
}

func TestNormalizeJSONNumber(t *testing.T) {
	t.Parallel()
	a := attr("ports", Integer)
	got, err := NormalizeValue(a, json.Number("12"))
	if err != nil || got != 12.0 {
		t.Errorf("NormalizeValue(json.Number 12) = %v (%T), %v; want float64 12", got, got, err)
	}
	_, err = NormalizeValue(a, json.Number("1.25"))
	wantSCIMError(t, err, scimerr.InvalidValue, `attribute "ports": expected integer, got number`)
}

func TestNormalizePrimary(t *testing.T) {
	t.Parallel()
	user := func(attrs string) string { return `{` + userSchemas + `,"userName":"a",` + attrs + `}` }
	runNormalizeCases(t, []normalizeCase{
		{name: "one primary", body: user(`"emails":[{"value":"a","primary":true},{"value":"b"}]`),
			want: user(`"emails":[{"value":"a","primary":true},{"value":"b"}]`)},
		{name: "primary false twice", body: user(`"emails":[{"value":"a","primary":false},{"value":"b","primary":false}]`),
			want: user(`"emails":[{"value":"a","primary":false},{"value":"b","primary":false}]`)},
		{name: "two primaries", body: user(`"emails":[{"value":"a","primary":true},{"value":"b","primary":true}]`),
			wantErr: `attribute "emails": at most one value may have "primary": true, got 2`},
		{name: "two primaries, one as a string", body: user(`"addresses":[{"locality":"a","primary":"TRUE"},{"locality":"b","primary":true}]`),
			wantErr: `attribute "addresses": at most one value may have "primary": true, got 2`},
		{name: "primaries in different attributes", body: user(`"emails":[{"value":"a","primary":true}],"phoneNumbers":[{"value":"1","primary":true}]`),
			want: user(`"emails":[{"value":"a","primary":true}],"phoneNumbers":[{"value":"1","primary":true}]`)},
	})
}

func TestNormalizeRequired(t *testing.T) {
	t.Parallel()
	runNormalizeCases(t, []normalizeCase{
		{name: "user without userName", body: `{` + userSchemas + `,"displayName":"d"}`, wantErr: `attribute "userName" is required`},
		{name: "user with null userName", body: `{` + userSchemas + `,"userName":null}`, wantErr: `attribute "userName" is required`},
		{name: "user with empty userName", body: `{` + userSchemas + `,"userName":""}`, wantErr: `attribute "userName" is required and must not be empty`},
		{name: "blank userName is not empty", body: `{` + userSchemas + `,"userName":" "}`, want: `{` + userSchemas + `,"userName":" "}`},
		{name: "group without displayName", rt: GroupType, body: `{` + groupSchemas + `,"members":[{"value":"1"}]}`, wantErr: `attribute "displayName" is required`},
		{name: "group with empty displayName", rt: GroupType, body: `{` + groupSchemas + `,"displayName":""}`, wantErr: `attribute "displayName" is required and must not be empty`},
		{name: "member without value", rt: GroupType, body: `{` + groupSchemas + `,"displayName":"g","members":[{"value":"1"},{"type":"User"}]}`,
			wantErr: `attribute "members[1].value" is required`},
		{name: "member with empty value", rt: GroupType, body: `{` + groupSchemas + `,"displayName":"g","members":[{"value":""}]}`,
			wantErr: `attribute "members[0].value" is required and must not be empty`},
		{name: "group with only displayName", rt: GroupType, body: `{` + groupSchemas + `,"displayName":"g"}`, want: `{` + groupSchemas + `,"displayName":"g"}`},
	})
}

func TestNormalizeRequiredExtension(t *testing.T) {
	t.Parallel()
	ext := &Schema{ID: "urn:example:ext", Attributes: []*Attribute{attr("badge", String, required), attr("floor", String)}}
	rt := &ResourceType{ID: "Person", Schema: &Schema{ID: "urn:example:Person", Attributes: []*Attribute{attr("label", String)}},
		Extensions: []Extension{{Schema: ext, Required: true}}}
	runNormalizeCases(t, []normalizeCase{
		{name: "required extension present", rt: rt, body: `{"schemas":["urn:example:Person"],"urn:example:ext":{"badge":"b"}}`,
			want: `{"schemas":["urn:example:Person","urn:example:ext"],"urn:example:ext":{"badge":"b"}}`},
		{name: "required extension missing", rt: rt, body: `{"schemas":["urn:example:Person"],"label":"l"}`,
			wantErr: `extension "urn:example:ext" is required`},
		{name: "required extension attribute missing", rt: rt, body: `{"schemas":["urn:example:Person"],"urn:example:ext:floor":"3"}`,
			wantErr: `attribute "urn:example:ext:badge" is required`},
	})
}

// TestNormalizeKeepsStrings: values are stored in the format they were sent.
func TestNormalizeKeepsStrings(t *testing.T) {
	t.Parallel()
	body := `{` + userSchemas + `,"userName":"  MiXeD@Example.COM ","externalId":"55555555555","displayName":"Ünïcödé\t\n",` +
		`"emails":[{"value":"A@B.C","type":"Work"}],"phoneNumbers":[{"value":"+1 (555) 555-5555","type":"Mobile"}]}`
	runNormalizeCases(t, []normalizeCase{{name: "no trimming or case folding", body: body, want: body}})
}

func TestNormalizeDoesNotMutateInput(t *testing.T) {
	t.Parallel()
	src := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","UserName":"a","active":"True",` +
		`"emails":[{"Value":"x","display":null},null],"name":{"GivenName":"g","x":null},"meta":{"created":"now"},` +
		`"` + entURN + `:department":"d","` + entURN + `":{"Manager":{"value":"m","displayName":"M"}},"roles":[]}`
	body := decode(t, src)
	got, err := Normalize(UserType, body, Create)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(body, decode(t, src)) {
		t.Errorf("input changed to %s", toJSON(body))
	}
	// The result must not alias the input's containers either.
	got["name"].(map[string]any)["givenName"] = "changed"
	got["emails"].([]any)[0].(map[string]any)["value"] = "changed"
	if !reflect.DeepEqual(body, decode(t, src)) {
		t.Errorf("changing the result changed the input to %s", toJSON(body))
	}
}

// TestNormalizeExamples runs whole request bodies from the specifications and
// from Microsoft Entra ID's documented traffic against exact expected
// documents in testdata/normalize (<name>.in.json -> <name>.want.json).
func TestNormalizeExamples(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file string
		rt   *ResourceType
	}{
		{"entra-u2-user", UserType},               // Entra create user
		{"entra-u2-user-nulls", UserType},         // Entra create user, explicit nulls, misspelt extension URN
		{"entra-g2-group", GroupType},             // Entra create group with a non-SCIM schema URI
		{"rfc7643-8.2-full-user", UserType},       // RFC 7643 §8.2
		{"rfc7643-8.3-enterprise-user", UserType}, // RFC 7643 §8.3
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			in := readJSON(t, tc.file+".in.json")
			want := readJSON(t, tc.file+".want.json")
			for _, mode := range []Mode{Create, Replace} {
				got, err := Normalize(tc.rt, in, mode)
				if err != nil {
					t.Fatalf("mode %d: %v", mode, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("mode %d:\n got %s\nwant %s", mode, toJSON(got), toJSON(want))
				}
				again, err := Normalize(tc.rt, got, mode)
				if err != nil || !reflect.DeepEqual(again, got) {
					t.Errorf("normalising the result again = %s, %v; want it unchanged", toJSON(again), err)
				}
			}
		})
	}
}

func readJSON(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "normalize", name))
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, string(b))
}

func TestNormalizeBadArguments(t *testing.T) {
	t.Parallel()
	body := decode(t, `{`+userSchemas+`,"userName":"a"}`)
	for name, call := range map[string]func() error{
		"nil resource type": func() error { _, err := Normalize(nil, body, Create); return err },
		"unknown mode":      func() error { _, err := Normalize(UserType, body, Mode(9)); return err },
		"nil attribute":     func() error { _, err := NormalizeValue(nil, "x"); return err },
	} {
		var se *scimerr.Error
		if err := call(); !errors.As(err, &se) || se.Status != 500 {
			t.Errorf("%s: error = %v, want a 500 *scimerr.Error", name, err)
		}
	}
}

func TestNormalizeValue(t *testing.T) {
	t.Parallel()
	user := UserType.Schema
	ent := EnterpriseUser
	members := Group.Attr("members")
	cases := []struct {
		name    string
		a       *Attribute
		v       string // JSON
		want    string // JSON; "null" means (nil, nil)
		wantErr string
	}{
		{name: "string", a: user.Attr("title"), v: `"Boss"`, want: `"Boss"`},
		{name: "string kept as sent", a: user.Attr("userName"), v: `" X@Y "`, want: `" X@Y "`},
		{name: "null is absent", a: user.Attr("title"), v: `null`, want: `null`},
		{name: "null multi-valued is absent", a: user.Attr("emails"), v: `null`, want: `null`},
		{name: "boolean string", a: user.Attr("active"), v: `"False"`, want: `false`},
		{name: "boolean string lower", a: user.Attr("active"), v: `"true"`, want: `true`},
		{name: "boolean bad", a: user.Attr("active"), v: `"no"`, wantErr: `attribute "active": expected boolean, got string "no"`},
		{name: "boolean number", a: user.Attr("active"), v: `0`, wantErr: `attribute "active": expected boolean, got number`},
		{name: "required empty string", a: user.Attr("userName"), v: `""`, wantErr: `attribute "userName" is required and must not be empty`},
		{name: "complex", a: user.Attr("name"), v: `{"GivenName":"g","nope":1,"familyName":null}`, want: `{"givenName":"g"}`},
		{name: "complex empty is absent", a: user.Attr("name"), v: `{"familyName":null}`, want: `null`},
		{name: "complex given string", a: user.Attr("name"), v: `"x"`, wantErr: `attribute "name": expected object, got string`},
		{name: "manager object", a: ent.Attr("manager"), v: `{"value":"m","displayName":"M"}`, want: `{"value":"m"}`},
		{name: "manager bare string", a: ent.Attr("manager"), v: `"m"`, wantErr: `attribute "manager": expected object, got string`},
		{name: "sub-attribute", a: user.Attr("emails").Sub("primary"), v: `"True"`, want: `true`},
		{name: "multi-valued array", a: user.Attr("emails"), v: `[{"value":"a","Type":"work"}]`, want: `[{"value":"a","type":"work"}]`},
		{name: "multi-valued single element", a: user.Attr("emails"), v: `{"value":"a","primary":"True"}`, want: `[{"value":"a","primary":true}]`},
		{name: "multi-valued empty array is absent", a: user.Attr("roles"), v: `[]`, want: `null`},
		{name: "multi-valued two primaries", a: user.Attr("emails"), v: `[{"value":"a","primary":true},{"value":"b","primary":"True"}]`,
			wantErr: `attribute "emails": at most one value may have "primary": true, got 2`},
		{name: "multi-valued element error", a: user.Attr("emails"), v: `[{"value":"a"},{"value":false}]`,
			wantErr: `attribute "emails[1].value": expected string, got boolean`},
		{name: "single element error", a: user.Attr("emails"), v: `{"value":1}`,
			wantErr: `attribute "emails[0].value": expected string, got number`},
		{name: "members with $ref null", a: members, v: `[{"value":"1","$ref":null},{"value":"2","display":"Two"}]`, want: `[{"value":"1"},{"value":"2"}]`},
		{name: "member without value", a: members, v: `[{"type":"User"}]`, wantErr: `attribute "members[0].value" is required`},
		{name: "roles with JSON-in-string value", a: user.Attr("roles"), v: `[{"value":"{\"id\":\"1\"}","primary":"True"}]`,
			want: `[{"value":"{\"id\":\"1\"}","primary":true}]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := decodeAny(t, tc.v)
			before := toJSON(v)
			got, err := NormalizeValue(tc.a, v)
			if toJSON(v) != before {
				t.Errorf("input changed from %s to %s", before, toJSON(v))
			}
			if tc.wantErr != "" {
				wantSCIMError(t, err, scimerr.InvalidValue, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tc.want == "null" {
				if got != nil {
					t.Errorf("got %s (%T), want nil (absent)", toJSON(got), got)
				}
				return
			}
			if want := decodeAny(t, tc.want); !reflect.DeepEqual(got, want) {
				t.Errorf("got %s, want %s", toJSON(got), tc.want)
			}
		})
	}
}

// FuzzNormalize feeds arbitrary JSON objects to Normalize: it must never
// panic, every error must be a 400 *scimerr.Error, the input must not change,
// and a successful result must be a fixed point (normalising it again gives
// the same document).
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a"}`,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"g","members":[{"value":"1","$ref":null}]}`,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","active":"True","emails":[{"value":"x","primary":"true"}]}`,
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager":{"value":"m"}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var body map[string]any
		if json.Unmarshal([]byte(s), &body) != nil {
			return
		}
		for _, rt := range ResourceTypes {
			got, err := Normalize(rt, body, Create)
			var again map[string]any
			if err == nil {
				again, err = Normalize(rt, got, Replace)
				if err != nil {
					t.Fatalf("%s: normalising %s again: %v", rt.ID, toJSON(got), err)
				}
				if !reflect.DeepEqual(again, got) {
					t.Fatalf("%s: not a fixed point:\n%s\n%s", rt.ID, toJSON(got), toJSON(again))
				}
				continue
			}
			var se *scimerr.Error
			if !errors.As(err, &se) || se.Status != 400 || se.ScimType != scimerr.InvalidValue || se.Detail == "" {
				t.Fatalf("%s: error %#v is not a 400 invalidValue *scimerr.Error", rt.ID, err)
			}
			if strings.Contains(se.Detail, "%!") {
				t.Fatalf("%s: badly formatted detail %q", rt.ID, se.Detail)
			}
		}
		var fresh map[string]any
		if err := json.Unmarshal([]byte(s), &fresh); err != nil || !reflect.DeepEqual(body, fresh) {
			t.Fatalf("input changed to %s", toJSON(body))
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	for _, file := range []string{"entra-u2-user", "rfc7643-8.3-enterprise-user"} {
		raw, err := os.ReadFile(filepath.Join("testdata", "normalize", file+".in.json"))
		if err != nil {
			b.Fatal(err)
		}
		body := decode(b, string(raw))
		b.Run(file, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Normalize(UserType, body, Create); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestIdentifiersRefuseControlCharacters draws the line of NoControls:
// Unicode Cc is refused but for tab, line feed and carriage return;
// everything else, separators and format characters included, is kept.
func TestIdentifiersRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	userName := UserType.Schema.Attr("userName")
	title := UserType.Schema.Attr("title")
	for _, c := range []struct {
		s       string
		refused bool
	}{
		{"plain", false},
		{"tab\t lf\n cr\r", false},
		{"nbsp\u00a0 ls\u2028 ps\u2029 zwj\u200d bom\ufeff", false},
		{"nul\x00", true},
		{"us\x1f", true},
		{"del\x7f", true},
		{"c1\u0080", true},
		{"c1\u009f", true},
	} {
		_, err := NormalizeValue(userName, c.s)
		if refused := err != nil; refused != c.refused {
			t.Errorf("userName %q: refused %t, want %t (%v)", c.s, refused, c.refused, err)
		}
		if _, err := NormalizeValue(title, c.s); err != nil {
			t.Errorf("title %q refused: %v", c.s, err)
		}
	}
}
