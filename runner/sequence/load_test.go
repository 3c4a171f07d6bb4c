package sequence

import (
	"strings"
	"testing"
)

const validHead = `name: s
description: d
`

func TestParseSequenceErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		yaml string
		want string // expected in the error, after "x.yaml"
	}{
		{"unknown top-level key", validHead + "colour: red\nsteps: []\n", `x.yaml:3: unknown key "colour"`},
		{"unknown step key", validHead + "steps:\n  - name: a\n    rule: r\n    method: GET\n    path: /Users\n    colour: red\n    expect: {status: [200]}\n", `x.yaml:8: unknown key "colour"`},
		{"unknown expect key", validHead + "steps:\n  - name: a\n    rule: r\n    method: GET\n    path: /Users\n    expect:\n      status: [200]\n      bodee: {}\n", `x.yaml:10: unknown key "bodee"`},
		{"unknown variant key", validHead + "steps:\n  - name: a\n    rule: r\n    method: GET\n    path: /Users\n    expect: {status: [200]}\n    variants:\n      default:\n        colour: red\n", `x.yaml:11: unknown key "colour"`},
		{"yaml syntax", validHead + "steps: [\n", "x.yaml:"},
		{"wrong type", validHead + "steps:\n  - name: a\n    expect: {status: two}\n", `x.yaml:5: cannot unmarshal`},
		{"empty file", "", "x.yaml: empty sequence file"},
		{"bad name", "name: Bad Name\ndescription: d\nsteps: []\n", `name "Bad Name"`},
		{"no description", "name: s\nsteps: []\n", "description is missing"},
		{"no steps", validHead + "steps: []\n", "x.yaml: no steps"},
		{"bad dialect", validHead + "dialects: [scim2]\nsteps: []\n", `unknown dialect "scim2"`},
		{"bad matching", validHead + "matching: 'emails[type]'\nsteps: []\n", "matching: target"},
		{"step without name", validHead + "steps:\n  - rule: r\n", "x.yaml:4: step has no name"},
		{"step without rule", validHead + "steps:\n  - name: a\n    method: GET\n", `x.yaml:4: step "a": rule is missing`},
		{"bad method", step("method: FETCH", "path: /Users"), `method "FETCH"`},
		{"relative path", step("method: GET", "path: Users"), `path: "Users" must start with /`},
		{"space in query", step("method: GET", "path: /Users", "query: filter=userName eq x"), `query: "filter=userName eq x": " " must be encoded`},
		{"bad escape in query", step("method: GET", "path: /Users", "query: filter=a%2"), "% must start an escape"},
		{"bad escape in path", step("method: GET", "path: /Users/100%"), "% must start an escape"},
		{"leading ? in query", step("method: GET", "path: /Users", "query: ?filter=x"), "leave out the leading ?"},
		{"unclosed placeholder", step("method: GET", "path: /Users/${id"), "unclosed placeholder"},
		{"bad placeholder name", step("method: GET", "path: /Users/${a b}"), `"a b" is not a name`},
		{"unknown app function", step("method: GET", "path: /Users", "query: filter=${app.frobnicate:main}"), `unknown app function "frobnicate"`},
		{"app function arity", step("method: GET", "path: /Users", "query: filter=${app.filter}"), "app.filter takes 1 argument(s)"},
		{"structured in query", step("method: GET", "path: /Users", "query: x=${app.createUser:main}"), "yields a JSON value, not text"},
		{"structured inside text", step("method: POST", "path: /Users", "body: {a: 'x ${app.user:main}'}"), "yields a JSON value, not text"},
		{"structured key", step("method: POST", "path: /Users", "body: {'${app.user:main}': 1}"), `key "${app.user:main}"`},
		{"guid with two labels", step("method: GET", "path: /Users/${guid:a,b}"), "takes at most one label"},
		{"variable with args", step("method: GET", "path: /Users/${userId:x}"), "variables take no arguments"},
		{"bad header name", step("method: GET", "path: /Users", "headers: {'Bad Header': x}"), `header "Bad Header"`},
		{"no status", validHead + "steps:\n  - name: a\n    rule: r\n    method: GET\n    path: /Users\n    expect: {}\n", "status is missing"},
		{"bad status", step("method: GET", "path: /Users", "expect: {status: [42]}"), "status 42 is not an HTTP status"},
		{"unknown schema", step("method: GET", "path: /Users", "expect: {status: [200], schema: Person}"), `schema kind "Person"`},
		{"resources without list", step("method: GET", "path: /Users", "expect: {status: [200], schema: User, resources: User}"), "resources needs schema: ListResponse"},
		{"bad absent pointer", step("method: GET", "path: /Users", "expect: {status: [200], absent: [members]}"), `JSON Pointer "members" must start with /`},
		{"bad pointer escape", step("method: GET", "path: /Users", "expect: {status: [200], absent: ['/a~2']}"), "~ must be followed by 0 or 1"},
		{"distinct without sub", step("method: GET", "path: /Users", "expect: {status: [200], distinct: {/emails: ''}}"), "distinct /emails: name the sub-attribute"},
		{"bad capture name", step("method: GET", "path: /Users", "expect: {status: [200], capture: {user-id: /id}}"), `capture "user-id"`},
		{"duplicate body key", step("method: POST", "path: /Users", "body: {a: 1, a: 2}"), "duplicate key"},
		{"yaml alias in body", step("method: POST", "path: /Users", "body: {a: &x 1, b: *x}"), "aliases are not allowed"},
		{"creates relative", step("method: POST", "path: /Users", "creates: Users/${id}"), `creates: "Users/${id}" must start with /`},
		{"requires bad path", step("method: GET", "path: /Users", "requires: ['a b']"), "requires: target"},
		{"variant bad dialect", step("method: GET", "path: /Users", "variants: {scim2: {}}"), `variants: unknown dialect "scim2"`},
		{"variant for absent dialect", step("method: GET", "path: /Users", "dialects: [default]", "variants: {aadOptscim062020: {}}"), "variant aadOptscim062020: the step does not run in that dialect"},
		{"variant bad query", step("method: GET", "path: /Users", "variants: {default: {query: 'a b'}}"), "variant default: query"},
		{"duplicate step names", validHead + "steps:\n" + stepBody("a") + stepBody("a"), `step name "a" is also used at line 4`},
		{"bad variable name", validHead + "variables: {a-b: x}\nsteps: []\n", `variable "a-b"`},
		{"needs an unknown step", step("method: GET", "path: /Users", "needs: [b]"), `step "a": needs "b", which is no step of the sequence`},
		{"needs itself", step("method: GET", "path: /Users", "needs: [a]"), "needs: name earlier steps"},
		{"needs a later step", validHead + "steps:\n" + stepBody("a") + "    needs: [b]\n" + stepBody("b"),
			`x.yaml:4: step "a": needs "b", which does not come before it`},
		{"needs a step of another dialect", validHead + "steps:\n" + stepBody("a") + "    dialects: [default]\n" + stepBody("b") + "    needs: [a]\n",
			`step "b": needs "a", which does not run in dialect aadOptscim062020`},
		{"setup without capture", step("method: POST", "path: /Users", "setup: {body: {}}"), "setup: the step captures nothing"},
		{"setup bad path", step("method: POST", "path: /Users", "expect: {status: [201], capture: {id: /id}}", "setup: {path: Users}"),
			`step "a": setup: path: "Users" must start with /`},
		{"setup bad body", step("method: POST", "path: /Users", "expect: {status: [201], capture: {id: /id}}", "setup: {body: {a: '${app.nope:x}'}}"),
			`setup: body: a: placeholder ${app.nope:x}: unknown app function "nope"`},
		{"unknown setup key", step("method: POST", "path: /Users", "expect: {status: [201], capture: {id: /id}}", "setup: {colour: red}"),
			`unknown key "colour"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("x.yaml", []byte(tc.yaml), testFuncs())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant it to contain %q\nyaml:\n%s", err, tc.want, tc.yaml)
			}
		})
	}
}

// step builds a one-step sequence from extra step lines (each indented).
func step(lines ...string) string {
	s := validHead + "steps:\n  - name: a\n    rule: r\n"
	hasExpect := false
	for _, l := range lines {
		s += "    " + l + "\n"
		hasExpect = hasExpect || strings.HasPrefix(l, "expect:")
	}
	if !hasExpect {
		s += "    expect: {status: [200]}\n"
	}
	return s
}

func stepBody(name string) string {
	return "  - name: " + name + "\n    rule: r\n    method: GET\n    path: /Users\n    expect: {status: [200]}\n"
}

func TestSequenceForDialect(t *testing.T) {
	t.Parallel()
	src := validHead + `steps:
  - name: both
    rule: r
    method: PATCH
    path: /Groups/1
    body: {op: Remove}
    expect: {status: [204]}
    variants:
      aadOptscim062020:
        body: {op: remove}
        query: x=1
        expect: {status: [200, 204]}
  - name: default only
    rule: r
    dialects: [default]
    method: GET
    path: /Users
    expect: {status: [200]}
`
	s, err := Parse("x.yaml", []byte(src), testFuncs())
	if err != nil {
		t.Fatal(err)
	}
	def := s.For(DialectDefault)
	flag := s.For(DialectSCIM062020)
	if len(def.Steps) != 2 || len(flag.Steps) != 1 {
		t.Fatalf("steps: default %d, flag %d; want 2 and 1", len(def.Steps), len(flag.Steps))
	}
	if got := JSONText(def.Steps[0].Body); got != `{"op":"Remove"}` {
		t.Errorf("default body %s", got)
	}
	if got := JSONText(flag.Steps[0].Body); got != `{"op":"remove"}` || flag.Steps[0].Query != "x=1" || len(flag.Steps[0].Expect.Status) != 2 {
		t.Errorf("flag step: body %s query %q status %v", got, flag.Steps[0].Query, flag.Steps[0].Expect.Status)
	}
	if again := flag.For(DialectSCIM062020); len(again.Steps) != 1 || JSONText(again.Steps[0].Body) != `{"op":"remove"}` {
		t.Error("For is not idempotent")
	}
	if s.Steps[0].Query != "" {
		t.Error("For changed the loaded sequence")
	}
}

// FuzzParseSequence feeds the loader arbitrary YAML: it must answer with
// an error naming the file, or a sequence every dialect can resolve. Seeds
// are small on purpose (the shipped files are tested above): the fuzzer
// minimises every new input, which is slow for kilobyte-sized ones.
func FuzzParseSequence(f *testing.F) {
	f.Add([]byte(step("method: GET", "path: /Users/${guid:x}", "query: a=${app.filter:main}")))
	f.Add([]byte(step("method: POST", "path: /Users", "body: {\"...\": \"${app.user:main}\", id: x}", "creates: /Users/${id}")))
	f.Add([]byte(step("method: PATCH", "path: /Groups/1", "variants: {aadOptscim062020: {body: [1, 2.5, null, true]}}")))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data, testFuncs())
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		for _, d := range Dialects() {
			_ = s.For(d)
		}
	})
}
