package sequence

import (
	"encoding/json"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/mapping"
)

// testRenderer is a State with fixed randomness and the given Vars, whose
// app functions are testFuncs.
func testRenderer(t *testing.T, app string, d Dialect, vars Vars, variables map[string]string) *State {
	t.Helper()
	var profile *mapping.Profile
	if app != "" {
		var err error
		if profile, err = mapping.Load(app); err != nil {
			t.Fatal(err)
		}
	}
	if vars == nil {
		vars = Vars{}
	}
	return NewState(&Sequence{Name: "t", Variables: variables, funcs: testFuncs()}, vars,
		Env{App: profile, Dialect: d, RunID: "scimc-000000", Target: "https://scim.example.com/scim", Random: rand.NewChaCha8([32]byte{1})})
}

func TestParseTemplate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in      string
		literal string
		phs     []string // placeholder names with args
		err     string
	}{
		{in: "plain", literal: "plain"},
		{in: "/Users/${userId}", literal: "/Users/", phs: []string{"userId"}},
		{in: "$${not} ${a}${b}", literal: "${not} ", phs: []string{"a", "b"}},
		{in: "${app.addMembers: aliceId , bobId}", phs: []string{"app.addMembers(aliceId,bobId)"}},
		{in: "${guid:x}", phs: []string{"guid(x)"}},
		{in: "${", err: "unclosed placeholder"},
		{in: "${}", err: `"" is not a name`},
		{in: "${a:}", err: "empty argument"},
		{in: "${9a}", err: "is not a name"},
		{in: "${run:x}", err: "takes no arguments"},
		{in: "${name}", err: "takes exactly one label"},
		{in: "${app.setManager:main}", err: "app.setManager takes 2 argument(s)"},
		{in: "${app.setManager:main,bad-var}", err: `argument "bad-var" must name a variable`},
		{in: "${app.createUser:9x}", err: `persona "9x"`},
		{in: "${app.nope:x}", err: `unknown app function "nope"`},
	}
	b := seqBuilder{funcs: testFuncs(), templates: map[string]template{}}
	for _, tc := range cases {
		tpl, err := b.template(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseTemplate(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseTemplate(%q): %v", tc.in, err)
			continue
		}
		var phs []string
		for _, ph := range tpl.placeholders() {
			s := ph.name
			if len(ph.args) > 0 {
				s += "(" + strings.Join(ph.args, ",") + ")"
			}
			phs = append(phs, s)
		}
		if tpl.literal() != tc.literal || strings.Join(phs, " ") != strings.Join(tc.phs, " ") {
			t.Errorf("parseTemplate(%q) = literal %q placeholders %v, want %q %v", tc.in, tpl.literal(), phs, tc.literal, tc.phs)
		}
	}
}

// Values that break naive text substitution into JSON or URLs.
var hostileValues = []string{
	`quote " inside`,
	`back\slash and \" both`,
	"line\nbreak\ttab",
	"unicode Zoë Łukasz 日本 🙂",
	`</script>&amp;`,
	"",
}

func TestBodySubstitutionEscapesJSON(t *testing.T) {
	t.Parallel()
	for _, v := range hostileValues {
		r := testRenderer(t, "", DialectDefault, Vars{"v": v}, nil)
		body := Object{{"plain", "${v}"}, {"embedded", "[${v}]"}, {"nested", []any{Object{{"x", "${v}"}}}}, {"${v}", true}}
		out, err := r.Value(body)
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		raw, err := json.Marshal(out)
		if err != nil {
			t.Fatalf("%q: marshal: %v", v, err)
		}
		var back map[string]any
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatalf("%q: the body is not valid JSON: %v\n%s", v, err, raw)
		}
		nested := back["nested"].([]any)[0].(map[string]any)["x"]
		if back["plain"] != v || back["embedded"] != "["+v+"]" || nested != v || back[v] != true {
			t.Errorf("%q did not survive the round trip: %s", v, raw)
		}
	}
}

func TestQueryAndPathEscaping(t *testing.T) {
	t.Parallel()
	cases := []struct {
		value, query, path string
	}{
		{`a b"c&d=e@f`, "filter=a+b%22c%26d%3De%40f", "/Users/a%20b%22c&d=e@f"},
		{"x/y?z#w", "filter=x%2Fy%3Fz%23w", "/Users/x%2Fy%3Fz%23w"},
		{"Zoë", "filter=Zo%C3%AB", "/Users/Zo%C3%AB"},
		{"plain-1", "filter=plain-1", "/Users/plain-1"},
	}
	for _, tc := range cases {
		r := testRenderer(t, "", DialectDefault, Vars{"v": tc.value}, nil)
		q, err := r.Text("filter=${v}", url.QueryEscape)
		if err != nil || q != tc.query {
			t.Errorf("query for %q = %q, %v; want %q", tc.value, q, err, tc.query)
		}
		p, err := r.Text("/Users/${v}", url.PathEscape)
		if err != nil || p != tc.path {
			t.Errorf("path for %q = %q, %v; want %q", tc.value, p, err, tc.path)
		}
	}
}

func TestGeneratorsAndVariables(t *testing.T) {
	t.Parallel()
	r := testRenderer(t, "", DialectDefault, nil, map[string]string{
		"probe": "${guid}", "greeting": "hello ${who}", "loop": "${loop}", "who": "${name:owner}"})
	text := func(s string) string {
		t.Helper()
		v, err := r.Text(s, nil)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		return v
	}
	if a, b := text("${guid}"), text("${guid}"); a == b || len(a) != 36 || a[14] != '4' {
		t.Errorf("fresh GUIDs %q %q: want two different version-4 GUIDs", a, b)
	}
	if a, b := text("${guid:x}"), text("${guid:x}"); a != b {
		t.Errorf("labelled GUIDs differ: %q %q", a, b)
	}
	if a, b := text("${probe}"), text("${probe}"); a != b {
		t.Errorf("a sequence variable is evaluated once per run: %q %q", a, b)
	}
	if got := text("${run}|${runId}"); got != "scimc-000000-|scimc-000000" {
		t.Errorf("run placeholders = %q", got)
	}
	name := text("${name:owner}")
	if !strings.HasPrefix(name, "scimc-000000-owner-") || text("${name:owner}") != name {
		t.Errorf("name = %q, want stable and run-prefixed", name)
	}
	if email := text("${email:x}"); !strings.HasPrefix(email, "scimc-000000-x.") || !strings.HasSuffix(email, "@example.com") {
		t.Errorf("email = %q", email)
	}
	if got := text("${greeting}"); got != "hello "+name {
		t.Errorf("nested variable = %q", got)
	}
	for in, want := range map[string]string{
		"${missing}":             "variable ${missing} is not set",
		"${loop}":                "refers to itself",
		"${app.createUser:main}": "needs an app profile",
	} {
		if _, err := r.Value(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
	// Nothing reaches the Vars before commit.
	if len(r.vars) != 0 {
		t.Errorf("vars written before commit: %v", r.vars)
	}
	r.Commit()
	if r.vars["guid:x"] == "" || len(r.pending) != 0 {
		t.Errorf("commit: vars %v pending %v", r.vars, r.pending)
	}
}

func TestSpreadMergesObjects(t *testing.T) {
	t.Parallel()
	r := testRenderer(t, "insite-lms", DialectDefault, Vars{"userId": "42"}, nil)
	out, err := r.Value(Object{{"...", "${app.user:main}"}, {"id", "${userId}"}, {"active", false}})
	if err != nil {
		t.Fatal(err)
	}
	obj := out.(Object)
	if v, _ := obj.Get("id"); v != "42" {
		t.Errorf("id = %v", v)
	}
	if v, _ := obj.Get("active"); v != false {
		t.Errorf("a later key must win: active = %v", v)
	}
	if v, _ := obj.Get("userName"); v == nil {
		t.Errorf("spread lost userName: %s", JSONText(obj))
	}
	if _, err := r.Value(Object{{"...", "${userId}"}}); err == nil || !strings.Contains(err.Error(), "yields a JSON object") {
		t.Errorf("spreading text: %v", err)
	}
}

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"/Users/${userId}", "$${x}${guid:a}", "${app.addMembers:a,b}", "${", "${a:}", "x}${y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tpl, err := parseTemplate(s)
		if err != nil {
			return
		}
		// A template without placeholders reproduces its text, $${ aside.
		if len(tpl.placeholders()) == 0 && !strings.Contains(s, "$${") && tpl.literal() != s {
			t.Errorf("literal %q != input %q", tpl.literal(), s)
		}
	})
}
