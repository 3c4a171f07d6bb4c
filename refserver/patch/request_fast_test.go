package patch

import (
	"reflect"
	"testing"
)

// parseFastSeeds are bodies for the fast parser: accepted (Entra's shapes,
// whitespace, escapes, nesting) and left to the slow one.
var parseFastSeeds = []struct {
	body string
	ok   bool
}{
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`, true},
	{` { "Operations" : [ { "op" : "Add" , "path" : "members" , "value" : [ { "value" : "a b" } ] } ] , "schemas" : [ "URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP" ] } `, true},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"x\"]"}]}`, true},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"a":[1,{"b":"}]\""}],"c":null}}]}`, true},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}`, true},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":null,"value":{"t":1}},{"op":"remove","path":"t","value":null}]}`, true},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove"}]}`, false},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"x"}]}`, false},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"move","path":"x","value":1}]}`, false},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","OP":"add","path":"x","value":1}]}`, false},
	{`{"schemas":["urn:x"],"Operations":[]}`, false},
	{`{"schemas":"urn:ietf:params:scim:api:messages:2.0:PatchOp","Operations":[]}`, false},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{}}`, false},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[1]}`, false},
	{`{"sch\u0065mas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}`, false},
	{`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[}`, false},
	{`[]`, false},
}

func TestParseFastMatchesSlow(t *testing.T) {
	t.Parallel()
	for _, tc := range parseFastSeeds {
		got, ok := parseFast([]byte(tc.body))
		if ok != tc.ok {
			t.Errorf("%s: ok = %v, want %v", tc.body, ok, tc.ok)
			continue
		}
		if !ok {
			continue
		}
		want, err := parseSlow([]byte(tc.body))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nfast %q\nslow %q, %v", tc.body, got, want, err)
		}
	}
}

// FuzzParseFast checks that whatever the fast parser accepts, the slow one
// accepts with the same operations.
func FuzzParseFast(f *testing.F) {
	for _, tc := range parseFastSeeds {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := parseFast(body)
		if !ok {
			return
		}
		want, err := parseSlow(body)
		if err != nil {
			t.Fatalf("%q: fast accepted, slow says %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nfast %q\nslow %q", body, got, want)
		}
	})
}
