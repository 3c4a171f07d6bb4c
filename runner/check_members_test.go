package runner

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// generalJudge is what check does without judgeMembers: decode the body,
// then match and capture.
func generalJudge(t *testing.T, body []byte, e *renderedExpect) (checked, error) {
	t.Helper()
	doc, err := decodeBody(body, e)
	if err != nil {
		return checked{}, err
	}
	return judge(doc, e), nil
}

// holdToGeneral fails t when judgeMembers answers where the general path
// finds a violation, or captures something else.
func holdToGeneral(t *testing.T, body []byte, e *renderedExpect) (quick bool) {
	t.Helper()
	captures, ok := judgeMembers(body, e)
	if !ok {
		return false
	}
	general, err := generalJudge(t, body, e)
	if err != nil {
		t.Fatalf("judgeMembers passed %q, which decodeBody refuses: %v", body, err)
	}
	if len(general.violations) > 0 {
		t.Fatalf("judgeMembers passed %q; the general path finds %+v", body, general.violations)
	}
	if !maps.Equal(captures, general.captures) || (captures == nil) != (general.captures == nil) {
		t.Fatalf("judgeMembers captured %#v from %q; the general path %#v", captures, body, general.captures)
	}
	return true
}

func TestJudgeMembersAgreesWithTheGeneralPath(t *testing.T) {
	t.Parallel()
	list := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[],"startIndex":1}`
	user := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"8c60","userName":"ada","active":true,` +
		`"meta":{"version":"W/\"1\""},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"1"}}`
	capID := map[string]string{"userId": "/id"}
	cases := []struct {
		name      string
		body      string
		exp       Expect
		expBody   any
		excludes  map[string]any
		wantQuick bool // judgeMembers answers (and so must agree)
	}{
		{name: "lookup finds nothing", body: list, expBody: Object{{"totalResults", int64(0)}}, wantQuick: true},
		{name: "create captures the id", body: user, exp: Expect{Capture: capID}, wantQuick: true},
		{name: "read back", body: user, expBody: Object{{"id", "8c60"}, {"active", true}}, wantQuick: true},
		{name: "schema only", body: user, exp: Expect{Schema: "User"}, wantQuick: true},
		{name: "number as float", body: `{"n":1.0}`, expBody: Object{{"n", int64(1)}}, wantQuick: true},
		{name: "null expected, absent", body: `{"a":1}`, expBody: Object{{"gone", nil}}, wantQuick: true},
		{name: "null expected, null", body: `{"gone":null}`, expBody: Object{{"gone", nil}}, wantQuick: true},
		{name: "key in another case", body: `{"ID":"x","TotalResults":0}`, exp: Expect{Capture: capID},
			expBody: Object{{"totalResults", int64(0)}}, wantQuick: true},
		{name: "exact spelling wins", body: `{"ID":1,"id":"x","Id":2}`, exp: Expect{Capture: capID}, wantQuick: true},
		{name: "repeated key, last wins", body: `{"id":"a","id":"b"}`, exp: Expect{Capture: capID}, wantQuick: true},
		{name: "same other spelling twice", body: `{"ID":"a","ID":"b"}`, exp: Expect{Capture: capID}, wantQuick: true},
		{name: "numeric capture", body: `{"id":12.50}`, exp: Expect{Capture: capID}, wantQuick: true},
		{name: "boolean capture", body: `{"id":false}`, exp: Expect{Capture: capID}, wantQuick: true},
		{name: "empty-named member", body: `{"":"x"}`, exp: Expect{Capture: map[string]string{"v": "/"}}, wantQuick: true},
		{name: "two captures", body: user, exp: Expect{Capture: map[string]string{"a": "/id", "b": "/userName"}}, wantQuick: true},
		{name: "whitespace around", body: " \n{ \"id\" : \"x\" }\t", exp: Expect{Capture: capID}, wantQuick: true},

		// Left to the general path.
		{name: "mismatch", body: list, expBody: Object{{"totalResults", int64(1)}}},
		{name: "missing", body: `{}`, expBody: Object{{"totalResults", int64(0)}}},
		{name: "string for a boolean", body: `{"active":"False"}`, expBody: Object{{"active", false}}},
		{name: "missing capture", body: `{"ID2":"x"}`, exp: Expect{Capture: capID}},
		{name: "null capture", body: `{"id":null}`, exp: Expect{Capture: capID}},
		{name: "object capture", body: `{"id":{"a":1}}`, exp: Expect{Capture: capID}},
		{name: "escaped capture", body: `{"id":"a\"b"}`, exp: Expect{Capture: capID}},
		{name: "escaped key", body: `{"\u0069d":"x"}`, exp: Expect{Capture: capID}},
		{name: "two other spellings", body: `{"ID":"a","Id":"b"}`, exp: Expect{Capture: capID}},
		{name: "nested pointer", body: `{"meta":{"version":"1"}}`, exp: Expect{Capture: map[string]string{"v": "/meta/version"}}},
		{name: "escaped pointer", body: `{"a/b":"x"}`, exp: Expect{Capture: map[string]string{"v": "/a~1b"}}},
		{name: "root pointer", body: user, exp: Expect{Capture: map[string]string{"v": ""}}},
		{name: "array expected", body: list, expBody: Object{{"Resources", []any{}}}},
		{name: "object expected", body: user, expBody: Object{{"meta", Object{}}}},
		{name: "map expected body", body: list, expBody: map[string]any{"totalResults": int64(0)}},
		{name: "absent", body: user, exp: Expect{Absent: []string{"/password"}}},
		{name: "distinct", body: user, exp: Expect{Distinct: map[string]string{"/emails": "type"}}},
		{name: "excludes", body: user, excludes: map[string]any{"/emails": Object{{"type", "x"}}}},
		{name: "array body", body: `[{"id":"x"}]`, exp: Expect{Capture: capID}},
		{name: "not JSON", body: `{"id":"x"`, exp: Expect{Capture: capID}},
		{name: "trailing data", body: `{"id":"x"} {}`, exp: Expect{Capture: capID}},
		{name: "invalid later", body: `{"id":"x","b":tru}`, exp: Expect{Capture: capID}},
		{name: "number out of range", body: `{"id":1e400}`, exp: Expect{Capture: capID}},
		{name: "too many names", body: `{}`, expBody: Object{{"a", nil}, {"b", nil}, {"c", nil}, {"d", nil}, {"e", nil},
			{"f", nil}, {"g", nil}, {"h", nil}, {"i", nil}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := &renderedExpect{Expect: tc.exp, body: tc.expBody, excludes: tc.excludes}
			if quick := holdToGeneral(t, []byte(tc.body), e); quick != tc.wantQuick {
				t.Errorf("judgeMembers answered %v, want %v", quick, tc.wantQuick)
			}
		})
	}
}

// check must report the same whether or not judgeMembers answers: a
// passing create, and a failing lookup that it leaves to the general path.
func TestCheckWithJudgeMembers(t *testing.T) {
	t.Parallel()
	x := &Exchange{Status: 201, RespHeader: map[string][]string{"Content-Type": {"application/scim+json; charset=utf-8"}},
		RespBody: []byte(` {"id":"u1","totalResults":3} `)}
	c := check(x, &renderedExpect{Expect: Expect{Status: []int{201}, Capture: map[string]string{"userId": "/id"}}})
	if len(c.violations)+len(c.warnings) > 0 || c.captures["userId"] != "u1" || len(c.captures) != 1 {
		t.Errorf("passing create: %+v", c)
	}
	c = check(x, &renderedExpect{Expect: Expect{Status: []int{201}}, body: Object{{"totalResults", int64(0)}}})
	want := []Violation{{Kind: ViolationMatch, Path: "/totalResults", Message: "different value", Expected: "0", Actual: "3"}}
	if len(c.violations) != 1 || c.violations[0] != want[0] || c.captures != nil {
		t.Errorf("failing lookup: %+v, want violations %+v", c, want)
	}
}

// FuzzJudgeMembers holds judgeMembers to the general path: whenever it
// answers, decoding the body and judging the document passes too, with
// the same captures.
func FuzzJudgeMembers(f *testing.F) {
	f.Add(`{"schemas":["x"],"totalResults":0,"Resources":[]}`, "totalResults", `0`, "id")
	f.Add(`{"ID":"a","id":"b","Id":"c","x":{"id":"d"}}`, "X", `null`, "id")
	f.Add(`{"k":1,"K":true,"\u006b":"esc"}`, "k", `1`, "K")
	f.Fuzz(func(t *testing.T, body, key, value, capture string) {
		e := &renderedExpect{Expect: Expect{Capture: map[string]string{"v": "/" + capture}}}
		var want any
		if json.Unmarshal([]byte(value), &want) == nil {
			if n, isNum := want.(float64); isNum && n == float64(int64(n)) {
				want = int64(n) // as a sequence renders whole numbers
			}
			e.body = Object{{key, want}}
		}
		holdToGeneral(t, []byte(body), e)
	})
}

func TestIsScimContentType(t *testing.T) {
	t.Parallel()
	cases := []struct {
		ct          string
		want, known bool
	}{
		{"application/scim+json", true, true},
		{"Application/SCIM+JSON", true, true},
		{"application/scim+json; charset=utf-8", true, true},
		{"application/scim+json;charset=UTF-8", true, true},
		{"application/scim+json ; charset=utf-8", true, false},
		{"application/scim+json; charset=\"utf-8\"", true, false},
		{"application/ſcim+json", false, false},
		{"application/json", false, false},
		{"application/scim+json; charset", false, false},
		{"", false, false},
	}
	for _, tc := range cases {
		if got := isScimContentType(tc.ct); got != tc.want {
			t.Errorf("isScimContentType(%q) = %v, want %v", tc.ct, got, tc.want)
		}
		if got := knownScimContentType(tc.ct); got != tc.known {
			t.Errorf("knownScimContentType(%q) = %v, want %v", tc.ct, got, tc.known)
		}
	}
}

// FuzzKnownScimContentType holds the spellings isScimContentType knows
// without parsing to mime.ParseMediaType's answer.
func FuzzKnownScimContentType(f *testing.F) {
	for _, s := range []string{"application/scim+json", "APPLICATION/scim+json;charset=utf-8", "application/ſcim+json", "text/plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ct string) {
		if knownScimContentType(ct) && !parsedScimContentType(ct) {
			t.Fatalf("knownScimContentType(%q) is true; mime.ParseMediaType refuses it", ct)
		}
	})
}

// The expectations load mode's cycle renders are the shapes judgeMembers
// reads: were rendering to change them, the cycle would silently fall back
// to decoding every body.
func TestJudgeMembersReadsTheLoadCycle(t *testing.T) {
	t.Parallel()
	seq, err := LoadSequenceFile("load/cycle_users.yaml")
	if err != nil {
		t.Fatal(err)
	}
	app, err := LoadApp("entra-default")
	if err != nil {
		t.Fatal(err)
	}
	run := &Run{App: app, RunID: "scimc-1a2b3c", Random: rand.NewChaCha8([32]byte{1})}
	seq = seq.For(run.dialect())
	rd, err := run.renderer(seq, Vars{"userId": "8c60"})
	if err != nil {
		t.Fatal(err)
	}
	list := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[],"startIndex":1,"itemsPerPage":0}`
	user := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"8c60","userName":"ada","active":false,"meta":{"version":"W/\"1\""}}`
	for _, tc := range []struct {
		step     string
		body     string
		captures map[string]string
	}{
		{"initial cycle finds no user by the matching attribute", list, nil},
		{"initial cycle creates the user", user, map[string]string{"userId": "8c60"}},
		{"the disabled user reads back inactive", user, nil},
	} {
		i := slices.IndexFunc(seq.Steps, func(s *Step) bool { return s.Name == tc.step })
		if i < 0 {
			t.Fatalf("the cycle has no step %q", tc.step)
		}
		_, e, err := rd.request(seq.Steps[i])
		if err != nil {
			t.Fatalf("%s: %v", tc.step, err)
		}
		captures, ok := judgeMembers([]byte(tc.body), e)
		if !ok || !maps.Equal(captures, tc.captures) {
			t.Errorf("%s: judgeMembers = %v, %v; want %v, true", tc.step, captures, ok, tc.captures)
		}
		holdToGeneral(t, []byte(tc.body), e)
	}
}
