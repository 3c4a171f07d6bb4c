package report

import (
	"regexp"
	"testing"
	"unicode/utf8"
)

// A focus pattern must compile and match exactly the spec it names, and
// must never contain a single quote (it is pasted inside one).
func FuzzFocusPattern(f *testing.F) {
	f.Add("Users POST /Users returns 201 with id, meta and Location")
	f.Add(`Filter GET /Users?filter=userName sw "a" (case) [x] {y} it's ok`)
	f.Add("Entra user-lifecycle (aadOptscim062020) creates the user")
	f.Fuzz(func(t *testing.T, name string) {
		if !utf8.ValidString(name) {
			return
		}
		p := FocusPattern(name)
		re, err := regexp.Compile(p)
		if err != nil {
			t.Fatalf("FocusPattern(%q) = %q does not compile: %v", name, p, err)
		}
		if !re.MatchString(name) {
			t.Fatalf("FocusPattern(%q) = %q does not match the name", name, p)
		}
		for _, r := range p {
			if r == '\'' {
				t.Fatalf("FocusPattern(%q) = %q contains a single quote", name, p)
			}
		}
	})
}
