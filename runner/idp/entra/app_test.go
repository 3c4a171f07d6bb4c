package entra

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/sequence"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

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
		for _, d := range sequence.Dialects() {
			t.Run(app+"/"+string(d), func(t *testing.T) {
				t.Parallel()
				r := testState(t, app, d, sequence.Vars{"managerId": "m-1", "manager2Id": "m-2", "aliceId": "u-a", "bobId": "u-b"})
				var calls []any
				for _, call := range derivedCalls {
					v, err := r.Value(call)
					if reason, ok := sequence.IsNotApplicable(err); ok {
						v = "(not applicable: " + reason + ")"
					} else if err != nil {
						t.Fatalf("%s: %v", call, err)
					}
					calls = append(calls, map[string]any{"call": call, "yields": v})
					r.Commit()
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
		t.Fatalf("%v (run go test ./runner/idp/entra -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the derived bodies (run with -update after checking the change):\n%s", file, got)
	}
}

func TestDerivedShapes(t *testing.T) {
	t.Parallel()
	// Spot checks of the entra-protocol shapes, independent of the goldens.
	check := func(app string, d sequence.Dialect, call, want string) {
		t.Helper()
		r := testState(t, app, d, sequence.Vars{"managerId": "m-1", "bobId": "u-b"})
		v, err := r.Value(call)
		if err != nil {
			t.Fatalf("%s: %v", call, err)
		}
		if got := sequence.JSONText(v); !strings.Contains(got, want) {
			t.Errorf("%s %s %s = %s\nwant it to contain %s", app, d, call, got, want)
		}
	}
	check("insite-lms", sequence.DialectDefault, "${app.disable:main}", `{"op":"Replace","path":"active","value":"False"}`)
	check("insite-lms", sequence.DialectSCIM062020, "${app.disable:main}", `{"op":"replace","path":"active","value":false}`)
	check("insite-lms", sequence.DialectDefault, "${app.enable:main}", `"value":"True"`)
	check("entra-default", sequence.DialectDefault, "${app.setManager:main,managerId}",
		`{"op":"Add","path":"manager","value":[{"$ref":"https://scim.example.com/scim/Users/m-1","value":"m-1"}]}`)
	check("entra-default", sequence.DialectSCIM062020, "${app.setManager:main,managerId}",
		`{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m-1"}`)
	check("insite-lms", sequence.DialectDefault, "${app.removeMembers:bobId}", `{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u-b"}]}`)
	check("insite-lms", sequence.DialectSCIM062020, "${app.removeMembers:bobId}", `{"op":"remove","path":"members[value eq \"u-b\"]"}`)
	check("insite-lms", sequence.DialectSCIM062020, "${app.updateSingle:main}", `"Operations":[{"op":"replace","value":{"userName":"scimc-000000-main-`)
	check("insite-lms", sequence.DialectSCIM062020, "${app.updateSingle:main}", `,"name.givenName":"`)
	check("insite-lms", sequence.DialectDefault, "${app.updateSingle:main}", `{"op":"Replace","path":"name.familyName","value":"`)
	check("insite-lms", sequence.DialectDefault, "${app.updateMulti:main}", `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"scimc-000000-main.`)
	check("insite-lms", sequence.DialectDefault, "${app.createUser:main}",
		`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"scimc-000000-main-`)
	check("insite-lms", sequence.DialectDefault, "${app.createUser:main}", `"emails":[{"primary":true,"type":"work","value":"scimc-000000-main.`)
	check("insite-lms", sequence.DialectDefault, "${app.createUser:main}", `"meta":{"resourceType":"User"},"name":{"familyName":`)

	// insite-lms maps no manager: the step is not applicable, not an error.
	r := testState(t, "insite-lms", sequence.DialectDefault, sequence.Vars{"managerId": "m-1"})
	if _, err := r.Value("${app.setManager:main,managerId}"); err == nil {
		t.Error("setManager on insite-lms should not apply")
	} else if reason, ok := sequence.IsNotApplicable(err); !ok || !strings.Contains(reason, "does not map the enterprise manager") {
		t.Errorf("setManager on insite-lms: %v", err)
	}
}

// The filter an app function builds escapes quotes inside the filter
// literal first, then the whole expression for the query.
func TestFilterValueQuery(t *testing.T) {
	t.Parallel()
	r := testState(t, "insite-lms", sequence.DialectDefault, sequence.Vars{"odd": `say "hi"\`})
	q, err := r.Text("filter=${app.filterValue:odd}", url.QueryEscape)
	if want := "filter=userName+eq+%22say+%5C%22hi%5C%22%5C%5C%22"; err != nil || q != want {
		t.Errorf("filterValue query = %q, %v; want %q", q, err, want)
	}
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
