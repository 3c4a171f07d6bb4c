package entra

import (
	"math/rand/v2"
	"testing"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/sequence"
)

// testState fills templates with Entra's functions for app (a profile
// name), with fixed randomness and the given Vars.
func testState(t *testing.T, app string, d sequence.Dialect, vars sequence.Vars) *sequence.State {
	t.Helper()
	profile, err := mapping.Load(app)
	if err != nil {
		t.Fatal(err)
	}
	return stateFor(t, profile, d, vars)
}

func stateFor(t *testing.T, app *mapping.Profile, d sequence.Dialect, vars sequence.Vars) *sequence.State {
	t.Helper()
	seq, err := sequence.Parse("t.yaml", []byte("name: t\ndescription: d\nsteps:\n  - {name: s, rule: r, method: GET, path: /, expect: {status: [200]}}\n"), Funcs())
	if err != nil {
		t.Fatal(err)
	}
	if vars == nil {
		vars = sequence.Vars{}
	}
	return sequence.NewState(seq, vars, sequence.Env{App: app, Dialect: d, RunID: "scimc-000000",
		Target: "https://scim.example.com/scim", Random: rand.NewChaCha8([32]byte{1})})
}
