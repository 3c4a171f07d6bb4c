package refserver

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// bodyDecodeCases are bodies the single-pass decoder must decode exactly as
// encoding/json does (want true) or leave to it (want false).
var bodyDecodeCases = []struct {
	body string
	want bool
}{
	{`{}`, true},
	{" \t\r\n{ \"a\" : [ 1 , -0.5e+3 , 1E2, true , false , null , { } , [ ] ] } \n", true},
	{`{"userName":"u","name":{"givenName":"G"},"emails":[{"value":"e","primary":true}]}`, true},
	{`{"a":"x\"y\\z\/\b\f\n\r\t\u00e9\u2028"}`, true},
	// Escaped strings longer than the unescaping stack buffer, escapes
	// before and after its end.
	{`{"a":"\t` + strings.Repeat("é", 100) + `\n","b":"` + strings.Repeat("x", 127) + `\u00e9\"` + strings.Repeat("y", 300) + `\\"}`, true},
	{`{"a":1,"a":2}`, true},
	{`{"b":{"y":1,"x":2,"y":3},"a":[{"k":1,"k":null}],"B":0}`, true},
	{`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"USERNAME":"a","userName":"b","userName":"c"}`, true},
	{`{"é":"ü€𝄞"}`, true},
	{`{"a":"é\n€𝄞\tü"}`, true},
	{"{\"a\":\"\\n\xff\"}", false},
	{"{\"a\":\"\\n\x01\"}", false},
	{`{"a":"\ud834\udd1e"}`, true},
	{`{"a":"\ud834"}`, true},
	{`{"a":"\ud834\u0041"}`, true},
	{`{"a":"\udd1e\ud834x"}`, true},
	{`{"a":"\ud834\ud834\udd1e"}`, true},
	{`{"a":"\ud834\"}`, false},
	{`{"a":"\ud834\u00"}`, false},
	{"{\"a\":\"\xff\"}", false},
	{"{\"a\":\"\x01\"}", false},
	{`{"a":1e999}`, false},
	{`{"a":01}`, false},
	{`{"a":1.}`, false},
	{`{"a":.5}`, false},
	{`{"a":-}`, false},
	{`{"a":+1}`, false},
	{`{"a":1e}`, false},
	{`{"a":tru}`, false},
	{`{"a":1,}`, false},
	{`{"a" 1}`, false},
	{`{"a":[1,]}`, false},
	{`{"a":"\x"}`, false},
	{`{"a":"\u12g4"}`, false},
	{`{"a":1}}`, false},
	{`{"a":1} x`, false},
	{`[1]`, false},
	{`"s"`, false},
	{``, false},
	{`{`, false},
	{`{"a":"unterminated`, false},
}

func TestFastDecodeObject(t *testing.T) {
	t.Parallel()
	for _, tc := range bodyDecodeCases {
		got, ok := fastDecodeObject([]byte(tc.body))
		if ok != tc.want {
			t.Errorf("%q: ok = %v, want %v", tc.body, ok, tc.want)
			continue
		}
		if !ok {
			continue
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(tc.body), &want); err != nil {
			t.Fatalf("%q: encoding/json: %v", tc.body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %#v, encoding/json %#v", tc.body, got, want)
		}
	}
}

// TestFastDecodeMembers checks the decoder's Object form against its map
// form (both tried by the create path) on every case.
func TestFastDecodeMembers(t *testing.T) {
	t.Parallel()
	for _, tc := range bodyDecodeCases {
		checkMembersMatchMap(t, []byte(tc.body))
	}
	checkMembersMatchMap(t, entraUser(7))
	checkMembersMatchMap(t, loadCycleUser)
	checkMembersMatchMap(t, []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"g","externalId":"e"}`))
	// Objects and arrays the body holds in canonical form are kept as
	// they are; each of these changes one, at its first or a later member.
	for _, changed := range []string{
		`"emails":[{"value":"a@x"},{"primary":"True","value":"b@x"}]`,
		`"emails":[{"Primary":true,"value":"b@x"}]`,
		`"emails":[{"value":"a@x"},null,{"value":"b@x"}]`,
		`"emails":[{"value":"a@x"},{"value":"b@x","extra":1}]`,
		`"emails":[{"display":"d","value":null}]`,
		`"emails":[{},{"value":"a@x"}]`,
		`"name":{"familyName":"f","givenName":null}`,
		`"name":{"familyName":"f","middle":"m"}`,
		`"manager":{"$ref":"r","displayName":"d","value":"m"}`,
		`"groups":[{"value":"g"}],"name":{"givenName":"g"}`,
		`"x509Certificates":[{"value":"AA=="},{"value":"AA==","primary":true}]`,
	} {
		checkMembersMatchMap(t, []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u",`+changed+`}`))
	}
	checkMembersMatchMap(t, []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"g","members":[{"value":"nobody"}]}`))
	checkMembersMatchMap(t, []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u","name":{"givenName":"\u00e9"},`+
		`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m"}},"department":"d","x509Certificates":[{"value":"AA=="}]}`))
}

// checkMembersMatchMap fails unless fastDecodeMembers accepts exactly what
// fastDecodeObject accepts, giving the same members in key order, and
// unless NormalizeObject gives for them what Normalize gives for the map
// (the same document, in key order, or the same error).
func checkMembersMatchMap(t *testing.T, body []byte) {
	t.Helper()
	m, ok := fastDecodeObject(body)
	var arena schema.Arena
	obj, objOK := fastDecodeMembers(body, &arena)
	if ok != objOK {
		t.Fatalf("%q: map form ok = %v, Object form ok = %v", body, ok, objOK)
	}
	if !ok {
		return
	}
	if got := mapOf(obj); !reflect.DeepEqual(got, any(m)) {
		t.Fatalf("%q: Object form %#v, map form %#v", body, got, m)
	}
	for _, rt := range []*schema.ResourceType{schema.UserType, schema.GroupType} {
		want, wantErr := schema.Normalize(rt, m, schema.Create)
		got, err := schema.NormalizeObject(rt, obj, schema.Create, &arena)
		same := reflect.DeepEqual(scimerrOf(err), scimerrOf(wantErr))
		if err == nil {
			same = same && reflect.DeepEqual(mapOf(got), any(want))
		}
		if !same {
			t.Fatalf("%q as %s:\nNormalizeObject %v, %v\nNormalize       %v, %v", body, rt.ID, got, err, want, wantErr)
		}
		if err == nil {
			checkStoredAlike(t, rt, got, want)
		}
	}
}

// checkStoredAlike fails unless the store splits and encodes the Object
// document exactly as the map document.
func checkStoredAlike(t *testing.T, rt *schema.ResourceType, obj schema.Object, m map[string]any) {
	t.Helper()
	k := kindUser
	if rt == schema.GroupType {
		k = kindGroup
	}
	st := newStore(time.Now)
	st.mu.Lock()
	objIn, objErr := st.splitLocked(k, "self", obj)
	mapIn, mapErr := st.splitLocked(k, "self", m)
	st.mu.Unlock()
	if !reflect.DeepEqual(objIn, mapIn) || !reflect.DeepEqual(scimerrOf(objErr), scimerrOf(mapErr)) {
		t.Fatalf("stored as %s:\nfrom the Object %+v, %v\nfrom the map    %+v, %v", rt.ID, objIn, objErr, mapIn, mapErr)
	}
	objJSON, err1 := appendJSON(nil, obj)
	mapJSON, err2 := appendJSON(nil, m)
	if string(objJSON) != string(mapJSON) || (err1 == nil) != (err2 == nil) {
		t.Fatalf("encoded as %s:\nthe Object %s (%v)\nthe map    %s (%v)", rt.ID, objJSON, err1, mapJSON, err2)
	}
}

// mapOf turns the Objects in v, at every depth, back into maps, checking
// that their keys are in strictly increasing order (sorted, each once).
func mapOf(v any) any {
	switch v := v.(type) {
	case schema.Object:
		m := make(map[string]any, len(v))
		for i, kv := range v {
			if i > 0 && v[i-1].Key >= kv.Key {
				return fmt.Sprintf("keys out of order: %q before %q", v[i-1].Key, kv.Key)
			}
			m[kv.Key] = mapOf(kv.Value)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = mapOf(x)
		}
		return out
	}
	return v
}

func scimerrOf(err error) any {
	if err == nil {
		return nil
	}
	return scimerr.As(err)
}

// FuzzFastDecodeObject checks that whatever the single-pass decoder accepts,
// encoding/json accepts too, with the same result, and that its Object
// form agrees with its map form, normalised too (checkMembersMatchMap).
func FuzzFastDecodeObject(f *testing.F) {
	for _, tc := range bodyDecodeCases {
		f.Add([]byte(tc.body))
	}
	f.Add(entraUser(1))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkMembersMatchMap(t, body)
		got, ok := fastDecodeObject(body)
		if !ok {
			return
		}
		var want any
		if err := strictUnmarshal(body, &want); err != nil {
			t.Fatalf("%q: accepted, but encoding/json says %v", body, err)
		}
		if !reflect.DeepEqual(any(got), want) {
			t.Fatalf("%q: got %#v, encoding/json %#v", body, got, want)
		}
	})
}

// TestCountMembers checks the arena hint of fastDecodeMembers: never
// below the members a body decodes to (or the arena grows chunk by
// chunk), and exact for bodies like Entra's.
func TestCountMembers(t *testing.T) {
	t.Parallel()
	var count func(v any) int
	count = func(v any) int {
		n := 0
		switch v := v.(type) {
		case schema.Object:
			n += len(v)
			for _, m := range v {
				n += count(m.Value)
			}
		case []any:
			for _, e := range v {
				n += count(e)
			}
		}
		return n
	}
	for _, tc := range []struct {
		name  string
		body  string
		exact bool
	}{
		{"entra create", string(entraUser(3)), true},
		{"spaced", `{ "a" : 1 ,"b"	:{"c"
			:2}}`, true},
		{"colons in values", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"x":"a:b"}`, true},
		{"quote and colon in a string", `{"a":"say \":\" here"}`, false},
		{"empty", `{}`, true},
	} {
		obj, ok := fastDecodeMembers([]byte(tc.body), &schema.Arena{})
		if !ok {
			t.Fatalf("%s: body does not decode", tc.name)
		}
		got, want := countMembers([]byte(tc.body)), count(obj)
		if got < want || (tc.exact && got != want) {
			t.Errorf("%s: countMembers = %d, the body has %d members", tc.name, got, want)
		}
	}
}
