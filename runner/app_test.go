package runner

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestParseTargetPath(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, out string
		multi   bool
		err     string
	}{
		{in: "userName", out: "userName"},
		{in: "name.givenName", out: "name.givenName"},
		{in: `emails[type eq "work"].value`, out: `emails[type eq "work"].value`, multi: true},
		{in: `addresses[type eq "other"].formatted`, out: `addresses[type eq "other"].formatted`, multi: true},
		{in: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", out: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"},
		{in: "urn:ietf:params:scim:schemas:core:2.0:User:userName", out: "userName"},
		{in: `emails[type eq "work"]`, err: "needs a sub-attribute"},
		{in: `emails[value eq "x"].value`, err: "target"},
		{in: "", err: "target"},
		{in: "a b", err: "target"},
		{in: "name.", err: "target"},
	}
	for _, tc := range cases {
		p, err := ParseTargetPath(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseTargetPath(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || p.String() != tc.out || p.MultiValued() != tc.multi {
			t.Errorf("ParseTargetPath(%q) = %s multi %v, %v; want %s multi %v", tc.in, p, p.MultiValued(), err, tc.out, tc.multi)
		}
	}
	a, _ := ParseTargetPath("NAME.GivenName")
	b, _ := ParseTargetPath("name.givenName")
	if !a.Equal(b) {
		t.Error("target paths must compare case-insensitively")
	}
}

func FuzzParseTargetPath(f *testing.F) {
	f.Add(`phoneNumbers[type eq "mobile"].value`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseTargetPath(s)
		if err != nil {
			return
		}
		again, err := ParseTargetPath(p.String())
		if err != nil || !again.Equal(p) {
			t.Errorf("%q -> %q does not parse back the same: %v", s, p, err)
		}
	})
}

// derivedCalls is every app function in the order a lifecycle uses them;
// the golden files show what each yields per profile and dialect.
var derivedCalls = []string{
	"${app.filter:main}",
	"${app.createUser:main}",
	"${app.user:main}",
	"${app.updateMulti:main}",
	"${app.updateSingle:main}",
	"${app.setManager:main,managerId}",
	"${app.setManager:main,manager2Id}",
	"${app.disable:main}",
	"${app.enable:main}",
	"${app.user:main}",
	"${app.createGroup:team}",
	"${app.groupFilter:team}",
	"${app.renameGroup:team}",
	"${app.addMembers:aliceId,bobId}",
	"${app.removeMembers:aliceId,bobId}",
}

func TestDerivedBodiesGolden(t *testing.T) {
	t.Parallel()
	for _, app := range []string{"entra-default", "insite-lms"} {
		for _, d := range Dialects() {
			t.Run(app+"/"+string(d), func(t *testing.T) {
				t.Parallel()
				r := testRenderer(t, app, d, Vars{"managerId": "m-1", "manager2Id": "m-2", "aliceId": "u-a", "bobId": "u-b"}, nil)
				var calls []any
				for _, call := range derivedCalls {
					v, err := r.value(call)
					if reason, ok := isNotApplicable(err); ok {
						v = "(not applicable: " + reason + ")"
					} else if err != nil {
						t.Fatalf("%s: %v", call, err)
					}
					calls = append(calls, Object{{"call", call}, {"yields", v}})
					r.commit()
				}
				out, err := json.MarshalIndent(calls, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", "derived", app+"."+string(d)+".json"), append(out, '\n'))
			})
		}
	}
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./runner -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the derived bodies (run with -update after checking the change):\n%s", file, got)
	}
}

func TestDerivedShapes(t *testing.T) {
	t.Parallel()
	// Spot checks of the entra-protocol shapes, independent of the goldens.
	check := func(app string, d Dialect, call, want string) {
		t.Helper()
		r := testRenderer(t, app, d, Vars{"managerId": "m-1", "bobId": "u-b"}, nil)
		v, err := r.value(call)
		if err != nil {
			t.Fatalf("%s: %v", call, err)
		}
		if got := jsonText(v); !strings.Contains(got, want) {
			t.Errorf("%s %s %s = %s\nwant it to contain %s", app, d, call, got, want)
		}
	}
	check("insite-lms", DialectDefault, "${app.disable:main}", `{"op":"Replace","path":"active","value":"False"}`)
	check("insite-lms", DialectSCIM062020, "${app.disable:main}", `{"op":"replace","path":"active","value":false}`)
	check("insite-lms", DialectDefault, "${app.enable:main}", `"value":"True"`)
	check("entra-default", DialectDefault, "${app.setManager:main,managerId}",
		`{"op":"Add","path":"manager","value":[{"$ref":"https://scim.example.com/scim/Users/m-1","value":"m-1"}]}`)
	check("entra-default", DialectSCIM062020, "${app.setManager:main,managerId}",
		`{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m-1"}`)
	check("insite-lms", DialectDefault, "${app.removeMembers:bobId}", `{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u-b"}]}`)
	check("insite-lms", DialectSCIM062020, "${app.removeMembers:bobId}", `{"op":"remove","path":"members[value eq \"u-b\"]"}`)
	check("insite-lms", DialectSCIM062020, "${app.updateSingle:main}", `"Operations":[{"op":"replace","value":{"userName":"scimc-000000-main-`)
	check("insite-lms", DialectSCIM062020, "${app.updateSingle:main}", `,"name.givenName":"`)
	check("insite-lms", DialectDefault, "${app.updateSingle:main}", `{"op":"Replace","path":"name.familyName","value":"`)
	check("insite-lms", DialectDefault, "${app.updateMulti:main}", `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"scimc-000000-main.`)
	check("insite-lms", DialectDefault, "${app.createUser:main}",
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"scimc-000000-main-`)
	check("insite-lms", DialectDefault, "${app.createUser:main}", `"emails":[{"primary":true,"type":"work","value":"scimc-000000-main.`)
	check("insite-lms", DialectDefault, "${app.createUser:main}", `"meta":{"resourceType":"User"},"name":{"familyName":`)

	// insite-lms maps no manager: the step is not applicable, not an error.
	r := testRenderer(t, "insite-lms", DialectDefault, Vars{"managerId": "m-1"}, nil)
	if _, err := r.value("${app.setManager:main,managerId}"); err == nil {
		t.Error("setManager on insite-lms should not apply")
	} else if reason, ok := isNotApplicable(err); !ok || !strings.Contains(reason, "does not map the enterprise manager") {
		t.Errorf("setManager on insite-lms: %v", err)
	}
}

func TestSequenceMatchingAddsTheAttribute(t *testing.T) {
	t.Parallel()
	lms, err := LoadApp("insite-lms")
	if err != nil {
		t.Fatal(err)
	}
	withExt, err := lms.withMatching("externalId")
	if err != nil {
		t.Fatal(err)
	}
	if withExt.Matching.String() != "externalId" || !withExt.Maps("externalId") || lms.Maps("externalId") {
		t.Errorf("withMatching(externalId): matching %s, maps %v; original maps %v", withExt.Matching, withExt.Maps("externalId"), lms.Maps("externalId"))
	}
	if _, err := lms.withMatching("nickName"); err == nil || !strings.Contains(err.Error(), "no default generator") {
		t.Errorf("withMatching(nickName): %v", err)
	}
}

func TestShippedAppsLoad(t *testing.T) {
	t.Parallel()
	if got := strings.Join(AppNames(), " "); got != "entra-default insite-lms" {
		t.Errorf("AppNames = %q", got)
	}
	lms, err := LoadApp("insite-lms")
	if err != nil {
		t.Fatal(err)
	}
	var req []string
	for _, p := range lms.Required() {
		req = append(req, p.String())
	}
	if got := strings.Join(req, " "); got != `userName emails[type eq "work"].value` {
		t.Errorf("insite-lms required = %q", got)
	}
	if lms.Matching.String() != "userName" || lms.Maps("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager") {
		t.Errorf("insite-lms matching %s, maps manager %v", lms.Matching, lms.Maps("manager"))
	}
	def, err := LoadApp("entra-default")
	if err != nil {
		t.Fatal(err)
	}
	if !def.Maps("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager") || !def.Maps("externalId") {
		t.Error("entra-default should map the manager and externalId")
	}
}

func TestParseAppErrors(t *testing.T) {
	t.Parallel()
	head := "name: a\ndescription: d\nmatching: userName\n"
	user := "  - {target: userName, generate: userName, filterable: true}\n"
	cases := []struct{ name, yaml, want string }{
		{"unknown key", head + "colour: red\nattributes:\n" + user, `a.yaml:4: unknown key "colour"`},
		{"unknown attribute key", head + "attributes:\n  - target: userName\n    generate: userName\n    filterable: true\n    colour: red\n", `a.yaml:8: unknown key "colour"`},
		{"bad name", "name: A B\nmatching: userName\nattributes:\n" + user, `name "A B"`},
		{"no attributes", head + "attributes: []\n", "no attributes"},
		{"bad target", head + "attributes:\n" + user + "  - {target: 'emails[type eq work].value', generate: email}\n", "a.yaml:6: target"},
		{"filter without sub", head + "attributes:\n" + user + "  - {target: 'emails[type eq \"work\"]', generate: email}\n", "needs a sub-attribute"},
		{"unknown generator", head + "attributes:\n" + user + "  - {target: title, generate: poem}\n", `a.yaml:6: target title: unknown generator "poem"`},
		{"manager generator", head + "attributes:\n" + user + "  - {target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', generate: guid}\n", `uses generator "reference"`},
		{"mapped twice", head + "attributes:\n" + user + "  - {target: USERNAME, generate: userName}\n", "a.yaml:6: target USERNAME is mapped twice"},
		{"matching unmapped", "name: a\nmatching: externalId\nattributes:\n" + user, "matching attribute externalId is not mapped"},
		{"matching not filterable", head + "attributes:\n  - {target: userName, generate: userName}\n", "must be filterable"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseApp("a.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadAppFromFile(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "mine.yaml")
	src := "name: mine\ndescription: d\nmatching: externalId\nattributes:\n  - {target: userName, generate: userName, required: true}\n  - {target: externalId, generate: externalId, filterable: true}\n"
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	app, err := LoadApp(file)
	if err != nil {
		t.Fatal(err)
	}
	if app.Name != "mine" || app.Matching.String() != "externalId" {
		t.Errorf("loaded %s matching %s", app.Name, app.Matching)
	}
	if _, err := LoadApp("nope"); err == nil || !strings.Contains(err.Error(), "shipped: entra-default, insite-lms") {
		t.Errorf("unknown app error: %v", err)
	}
}

// FuzzParseApp feeds the profile parser arbitrary YAML: an error names the
// file; a profile always has a mapped, filterable matching attribute.
func FuzzParseApp(f *testing.F) {
	f.Add([]byte("name: a\nmatching: userName\nattributes:\n  - {target: userName, generate: userName, filterable: true}\n"))
	f.Add([]byte("name: b\nmatching: 'emails[type eq \"work\"].value'\nattributes:\n  - {target: 'emails[type eq \"work\"].value', generate: email, filterable: true}\n  - {target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', generate: reference}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		app, err := ParseApp("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		m := app.Attribute(app.Matching)
		if m == nil || !m.Filterable {
			t.Errorf("matching attribute %s is not a filterable mapping", app.Matching)
		}
	})
}

func TestQuoteFilter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"ada@example.com", `"ada@example.com"`},
		{"Łukasz Ó Briain", `"Łukasz Ó Briain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`back\slash`, `"back\\slash"`},
		{"tab\there", `"tab\u0009here"`},
		{"bad\xffbyte", "\"bad\uFFFDbyte\""},
	} {
		if got := quoteFilter(tc.in); got != tc.want {
			t.Errorf("quoteFilter(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
