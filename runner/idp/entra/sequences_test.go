package entra

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/sequence"
)

func TestShippedSequencesLoad(t *testing.T) {
	t.Parallel()
	seqs, err := sequence.Load("entra", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range seqs {
		names = append(names, s.Name)
		if s.Description == "" || len(s.Steps) == 0 {
			t.Errorf("%s: empty description or steps", s.Name)
		}
		for _, st := range s.Steps {
			if st.Rule == "" || !strings.Contains(st.Rule, "entra-protocol") {
				t.Errorf("%s / %s: the rule should cite entra-protocol: %q", s.Name, st.Name, st.Rule)
			}
		}
	}
	want := "group-lifecycle test-connection user-lifecycle user-match-email user-match-externalid"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("shipped sequences = %q, want %q", got, want)
	}
}

func TestFindSequenceAndLoadErrors(t *testing.T) {
	t.Parallel()
	if s, err := sequence.Find("entra", "test-connection", Funcs()); err != nil || s.Name != "test-connection" {
		t.Errorf("FindSequence(test-connection) = %v, %v", s, err)
	}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"unknown name", second(sequence.Find("entra", "nope", Funcs())), `unknown entra sequence "nope" (shipped: group-lifecycle, test-connection`},
		{"unknown idp", second(sequence.Load("okta", Funcs())), `no shipped sequences for identity provider "okta"`},
		{"bad idp", second(sequence.Load("../x", Funcs())), `identity provider "../x"`},
		{"missing file", second(sequence.LoadFile(filepath.Join(t.TempDir(), "none.yaml"), Funcs())), "load sequence: open"},
	}
	for _, tc := range cases {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, tc.err, tc.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// validStep is a minimal step the error cases below vary.

// Run.Step finds its step with StepIn; it must be the step For resolves.
func TestStepInIsForSteps(t *testing.T) {
	t.Parallel()
	all, err := sequence.Load("entra", Funcs())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		for _, d := range sequence.Dialects() {
			want := s.For(d).Steps
			for i, w := range want {
				got, _ := s.StepIn(d, i)
				if !reflect.DeepEqual(got, w) {
					t.Errorf("%s/%s step %d: stepIn %+v, For %+v", s.Name, d, i, got, w)
				}
			}
			for _, i := range []int{-1, len(want)} {
				if got, n := s.StepIn(d, i); got != nil || n != len(want) {
					t.Errorf("%s/%s step %d: got %v and count %d, want nil and %d", s.Name, d, i, got, n, len(want))
				}
			}
		}
	}
}
