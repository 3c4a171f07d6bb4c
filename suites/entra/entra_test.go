package entra

import (
	"slices"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/idp/entra"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
	"github.com/scimconform/scimconform/suites/framework"
)

func TestFailureMessage(t *testing.T) {
	t.Parallel()
	res := runner.StepResult{
		Name: "creates the user with 201", Rule: "entra-protocol U2: POST /Users answers 201", Verdict: runner.Fail,
		Notes: []string{"step 'looks up' did not establish ${x}, so its setup request (GET /x) did, before this step"},
		Violations: []runner.Violation{
			{Kind: runner.ViolationStatus, Message: "status 400, expected 201"},
			{Kind: runner.ViolationSchema, Path: "/id", Message: "required attribute is missing"},
		},
		Records: []scimclient.Record{{Method: "POST", URL: "http://127.0.0.1:1/Users", ReqBody: `{"userName":"u"}`, Status: 400,
			RespHeader: map[string][]string{"Content-Type": {"application/scim+json"}}, RespBody: `{"detail":"no"}`}},
	}
	msg := FailureMessage(res)
	for _, want := range []string{
		`step "creates the user with 201" failed`,
		"rule: entra-protocol U2: POST /Users answers 201",
		"note: step 'looks up' did not establish ${x}",
		"violations:\n  - status: status 400",
		"status 400, expected 201",
		"/id",
		"POST http://127.0.0.1:1/Users",
		`status: 400 Bad Request, Content-Type: "application/scim+json"`,
		`{"userName":"u"}`,
		`{"detail":"no"}`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
	noRequest := FailureMessage(runner.StepResult{Name: "s", Verdict: runner.Fail, Reason: "template: unknown variable x"})
	if !strings.Contains(noRequest, `step "s" failed: template: unknown variable x`) {
		t.Errorf("a step that sent nothing must say why:\n%s", noRequest)
	}
}

func TestLabels(t *testing.T) {
	t.Parallel()
	s := &sequence.Sequence{Name: "user-lifecycle", Labels: []string{"users", " patch ", "bad/label", "a|b"}}
	got := labels(s, sequence.DialectSCIM062020)
	want := []string{framework.LabelEntra, framework.LabelSourceEntra, framework.LabelDialectAAD, framework.LabelMust, "users", "patch"}
	if !slices.Equal(got, want) {
		t.Errorf("labels = %q, want %q (invalid Ginkgo labels dropped)", got, want)
	}
	if framework.AreaOf(got) != framework.LabelEntra {
		t.Errorf("an Entra step is reported under %q", framework.AreaOf(got))
	}
}

func TestContainerName(t *testing.T) {
	t.Parallel()
	s := &sequence.Sequence{Name: "test-connection"}
	if got := ContainerName(s, sequence.DialectDefault); got != "Entra test-connection (default)" {
		t.Errorf("ContainerName = %q", got)
	}
}

// Every shipped sequence must declare at least one container: a sequence
// that applies to no dialect would silently vanish from the area.
func TestEverySequenceIsDeclared(t *testing.T) {
	t.Parallel()
	seqs, err := sequence.Load("entra", entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	if len(seqs) == 0 {
		t.Fatal("no Entra sequences are shipped")
	}
	for _, s := range seqs {
		n := 0
		for _, d := range sequence.Dialects() {
			if s.AppliesTo(d) {
				n++
				if len(s.For(d).Steps) == 0 {
					t.Errorf("sequence %s has no step in dialect %s", s.Name, d)
				}
			}
		}
		if n == 0 {
			t.Errorf("sequence %s applies to no dialect", s.Name)
		}
	}
}

// A cleared manager is absent, null, or an empty value (the validator
// accepts an empty string); anything else is a manager still set.
func TestManagerValue(t *testing.T) {
	t.Parallel()
	const ext = framework.EnterpriseUserSchema
	for _, tc := range []struct {
		name string
		doc  map[string]any
		want string
	}{
		{"no extension", map[string]any{"userName": "u"}, ""},
		{"no manager", map[string]any{ext: map[string]any{"department": "d"}}, ""},
		{"null manager", map[string]any{ext: map[string]any{"manager": nil}}, ""},
		{"empty value", map[string]any{ext: map[string]any{"manager": map[string]any{"value": ""}}}, ""},
		{"empty string", map[string]any{ext: map[string]any{"manager": ""}}, ""},
		{"set", map[string]any{ext: map[string]any{"manager": map[string]any{"value": "m1", "$ref": "../Users/m1"}}}, "m1"},
		{"set as a string", map[string]any{ext: map[string]any{"manager": "m1"}}, "m1"},
		{"names in another case", map[string]any{strings.ToUpper(ext): map[string]any{"Manager": map[string]any{"value": "m1"}}}, "m1"},
	} {
		if got := managerValue(tc.doc); got != tc.want {
			t.Errorf("%s: managerValue = %q, want %q", tc.name, got, tc.want)
		}
	}
}
