package runner

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// decodeBody may skip members no check reads; every check must then judge
// exactly as it does against the whole document.
func TestDecodeBodyJudgesAsTheWholeDocument(t *testing.T) {
	t.Parallel()
	user := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"ID":"u-1","userName":"ada",` +
		`"emails":[{"value":"a@example.com","type":"work"},{"value":"b@example.com","type":"Work"}],` +
		`"members":[{"value":"m-1"}],"meta":{"resourceType":"User"},"password":null}`
	list := `{"totalResults":1,"resources":[{"id":"u-1","active":false}]}`
	cases := []struct {
		name, body string
		exp        Expect
		body2      any // rendered expected body
		excludes   map[string]any
		wantWhole  bool // decodeBody must fall back to the whole document
	}{
		{name: "capture in another case", body: user, exp: Expect{Capture: map[string]string{"userId": "/id"}}},
		{name: "missing capture", body: user, exp: Expect{Capture: map[string]string{"x": "/nothing/0"}}},
		{name: "expected body", body: list, body2: Object{{"totalResults", int64(1)}, {"Resources", []any{Object{{"id", "u-1"}, {"active", false}}}}}},
		{name: "mismatching body", body: list, body2: Object{{"totalResults", int64(0)}}},
		{name: "map body", body: user, body2: map[string]any{"userName": "ada", "active": true}},
		{name: "absent", body: user, exp: Expect{Absent: []string{"/password", "/meta/version", "/userName"}}},
		{name: "excludes", body: user, excludes: map[string]any{"/members": Object{{"value", "m-1"}}}},
		{name: "distinct", body: user, exp: Expect{Distinct: map[string]string{"/emails": "type"}}},
		{name: "root pointer", body: user, exp: Expect{Capture: map[string]string{"all": ""}}, wantWhole: true},
		{name: "scalar expected body", body: `"text"`, body2: "text", wantWhole: true},
		{name: "array response", body: `[{"id":"x"}]`, exp: Expect{Capture: map[string]string{"id": "/0/id"}}, wantWhole: true},
		{name: "null response", body: `null`, body2: Object{{"id", "x"}}, wantWhole: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := &renderedExpect{Expect: tc.exp, body: tc.body2, excludes: tc.excludes}
			var whole any
			if err := json.Unmarshal([]byte(tc.body), &whole); err != nil {
				t.Fatal(err)
			}
			got, err := decodeBody([]byte(tc.body), e)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantWhole && !reflect.DeepEqual(got, whole) {
				t.Errorf("decoded %v, want the whole document %v", got, whole)
			}
			if want, have := judge(whole, e), judge(got, e); !reflect.DeepEqual(have, want) {
				t.Errorf("judged %+v, want %+v", have, want)
			}
		})
	}
}

func TestDecodeBodyRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	e := &renderedExpect{Expect: Expect{Capture: map[string]string{"id": "/id"}}}
	for _, body := range []string{`{"id":`, `{"id":"x"} trailing`, `<html>`} {
		_, err := decodeBody([]byte(body), e)
		var v any
		want := json.Unmarshal([]byte(body), &v)
		if err == nil || err.Error() != want.Error() {
			t.Errorf("%s: error %v, want %v", body, err, want)
		}
	}
}

func judge(doc any, e *renderedExpect) checked {
	var c checked
	c.match(doc, e)
	c.capture(doc, e.Capture)
	return c
}

// FuzzDecodeBody checks the member scanner against encoding/json: on any
// valid JSON object, the members decoded for a name are those of the
// whole document spelled like it in any case.
func FuzzDecodeBody(f *testing.F) {
	f.Add(`{"id":"x","ID":1,"a":{"b":[1,"}]\"",{"c":null}]},"z":true}`, "id")
	f.Add(` { "k\u0065y" : [ ] , "key":-1.5e3 } `, "KEY")
	f.Add(`{"\xff":"bad key","q":"\\\""}`, "\ufffd")
	f.Fuzz(func(t *testing.T, body, name string) {
		var whole any
		if json.Unmarshal([]byte(body), &whole) != nil {
			return
		}
		got, ok := decodeMembers([]byte(body), []string{name})
		obj, isObj := whole.(map[string]any)
		if ok != isObj {
			t.Fatalf("decodeMembers ok=%v for %s", ok, body)
		}
		if !ok {
			return
		}
		want := map[string]any{}
		for k, v := range obj {
			if strings.EqualFold(k, name) {
				want[k] = v
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("body %s name %q: got %v, want %v", body, name, got, want)
		}
	})
}
