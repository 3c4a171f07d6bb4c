package runner

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/sequence"
)

func decode(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

func TestMatchSubset(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, expected, actual string
		paths                  []string // mismatch paths; none means a match
	}{
		{"equal scalars", `{"a":"x","n":1,"b":true}`, `{"a":"x","n":1.0,"b":true,"extra":0}`, nil},
		{"keys case-insensitive", `{"userName":"u","name":{"givenName":"g"}}`, `{"USERNAME":"u","Name":{"GivenName":"g"}}`, nil},
		{"exact key preferred", `{"a":1}`, `{"A":2,"a":1}`, nil},
		{"string case matters", `{"a":"Work"}`, `{"a":"work"}`, []string{"/a"}},
		{"bool is not a string", `{"active":false}`, `{"active":"False"}`, []string{"/active"}},
		{"number is not a string", `{"n":1}`, `{"n":"1"}`, []string{"/n"}},
		{"missing key", `{"a":1,"b":2}`, `{"a":1}`, []string{"/b"}},
		{"null matches absent", `{"a":null}`, `{}`, nil},
		{"null matches null", `{"a":null}`, `{"a":null}`, nil},
		{"null vs value", `{"a":null}`, `{"a":1}`, []string{"/a"}},
		{"want object", `{"a":{"b":1}}`, `{"a":[1]}`, []string{"/a"}},
		{"want array", `{"a":[1]}`, `{"a":{"b":1}}`, []string{"/a"}},
		{"arrays in any order", `{"m":[{"value":"b"},{"value":"a"}]}`, `{"m":[{"value":"a","display":"A"},{"value":"b"}]}`, nil},
		{"distinct elements", `{"m":[{"value":"a"},{"value":"a"}]}`, `{"m":[{"value":"a"}]}`, []string{"/m/1"}},
		{"matching needs reassignment", `{"m":[{"t":"w"},{"t":"w","v":1}]}`, `{"m":[{"t":"w","v":1},{"t":"w","v":2}]}`, nil},
		{"one-element array shows the inner difference", `{"emails":[{"type":"work","value":"a"}]}`, `{"emails":[{"type":"work","value":"b"}]}`, []string{"/emails/0/value"}},
		{"missing element", `{"m":[{"value":"c"}]}`, `{"m":[{"value":"a"},{"value":"b"}]}`, []string{"/m/0"}},
		{"empty array wants empty", `{"Resources":[]}`, `{"Resources":[{"id":"1"}]}`, []string{"/Resources"}},
		{"empty array matches absent", `{"Resources":[]}`, `{"totalResults":0}`, nil},
		{"every mismatch reported", `{"a":1,"b":2,"c":{"d":3}}`, `{"a":2,"c":{"d":4}}`, []string{"/a", "/b", "/c/d"}},
		{"pointer escaping in paths", `{"a/b":{"c~d":1}}`, `{"a/b":{"c~d":2}}`, []string{"/a~1b/c~0d"}},
		{"urn keys", `{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m"}}}`,
			`{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user":{"manager":{"value":"m","$ref":"x"}}}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ms := MatchSubset(decode(t, tc.expected), decode(t, tc.actual))
			var paths []string
			for _, m := range ms {
				paths = append(paths, m.Path)
				if m.Message == "" || m.Expected == "" || m.Actual == "" {
					t.Errorf("incomplete mismatch %+v", m)
				}
			}
			if strings.Join(paths, " ") != strings.Join(tc.paths, " ") {
				t.Errorf("mismatch paths %v, want %v (%+v)", paths, tc.paths, ms)
			}
		})
	}
}

func TestMatchSubsetWithBuiltValues(t *testing.T) {
	t.Parallel()
	// Expected values built by the runner use sequence.Object and int64.
	exp := sequence.Object{{Key: "totalResults", Value: int64(1)}, {Key: "Resources", Value: []any{sequence.Object{{Key: "id", Value: "x"}}}}}
	if ms := MatchSubset(exp, decode(t, `{"totalResults":1,"Resources":[{"id":"x"}]}`)); len(ms) != 0 {
		t.Errorf("unexpected mismatches %+v", ms)
	}
	ms := MatchSubset(exp, decode(t, `{"totalResults":2,"Resources":[{"id":"x"}]}`))
	if len(ms) != 1 || ms[0].Expected != "1" || ms[0].Actual != "2" {
		t.Errorf("mismatch %+v, want expected 1 actual 2", ms)
	}
}

// FuzzMatchSubset checks that a document always contains itself.
func FuzzMatchSubset(f *testing.F) {
	f.Add(`{"a":[1,{"b":null}],"c":"d"}`, `{"a":[]}`)
	f.Fuzz(func(t *testing.T, a, b string) {
		var x, y any
		if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
			return
		}
		if ms := MatchSubset(x, x); len(ms) != 0 {
			t.Errorf("%s does not contain itself: %+v", a, ms)
		}
		_ = MatchSubset(x, y)
	})
}
