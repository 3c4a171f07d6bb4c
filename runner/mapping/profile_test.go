package mapping

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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

func TestSequenceMatchingAddsTheAttribute(t *testing.T) {
	t.Parallel()
	lms, err := Load("insite-lms")
	if err != nil {
		t.Fatal(err)
	}
	withExt, err := lms.WithMatching("externalId")
	if err != nil {
		t.Fatal(err)
	}
	if withExt.Matching.String() != "externalId" || !withExt.Maps("externalId") || lms.Maps("externalId") {
		t.Errorf("WithMatching(externalId): matching %s, maps %v; original maps %v", withExt.Matching, withExt.Maps("externalId"), lms.Maps("externalId"))
	}
	if _, err := lms.WithMatching("nickName"); err == nil || !strings.Contains(err.Error(), "no default generator") {
		t.Errorf("WithMatching(nickName): %v", err)
	}
}

func TestShippedAppsLoad(t *testing.T) {
	t.Parallel()
	if got := strings.Join(Names(), " "); got != "entra-default insite-lms" {
		t.Errorf("Names = %q", got)
	}
	lms, err := Load("insite-lms")
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
	def, err := Load("entra-default")
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
			_, err := Parse("a.yaml", []byte(tc.yaml))
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
	app, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if app.Name != "mine" || app.Matching.String() != "externalId" {
		t.Errorf("loaded %s matching %s", app.Name, app.Matching)
	}
	if _, err := Load("nope"); err == nil || !strings.Contains(err.Error(), "shipped: entra-default, insite-lms") {
		t.Errorf("unknown app error: %v", err)
	}
}

// FuzzParseApp feeds the profile parser arbitrary YAML: an error names the
// file; a profile always has a mapped, filterable matching attribute.
func FuzzParse(f *testing.F) {
	f.Add([]byte("name: a\nmatching: userName\nattributes:\n  - {target: userName, generate: userName, filterable: true}\n"))
	f.Add([]byte("name: b\nmatching: 'emails[type eq \"work\"].value'\nattributes:\n  - {target: 'emails[type eq \"work\"].value', generate: email, filterable: true}\n  - {target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', generate: reference}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		app, err := Parse("fuzz.yaml", data)
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
