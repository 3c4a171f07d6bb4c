package refserver

import (
	"encoding/json"
	"reflect"
	"testing"
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
	{`{"a":1,"a":2}`, true},
	{`{"é":"ü€𝄞"}`, true},
	{`{"a":"\ud834\udd1e"}`, false},
	{`{"a":"\ud834"}`, false},
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

// FuzzFastDecodeObject checks that whatever the single-pass decoder accepts,
// encoding/json accepts too, with the same result.
func FuzzFastDecodeObject(f *testing.F) {
	for _, tc := range bodyDecodeCases {
		f.Add([]byte(tc.body))
	}
	f.Add(entraUser(1))
	f.Fuzz(func(t *testing.T, body []byte) {
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
