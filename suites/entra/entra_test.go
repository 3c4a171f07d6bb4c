package entra

import (
	"slices"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/suites/framework"
)

func TestFailureMessage(t *testing.T) {
	t.Parallel()
	res := runner.StepResult{
		Name: "creates the user with 201", Rule: "entra-protocol U2: POST /Users answers 201", Verdict: runner.Fail,
		Violations: []runner.Violation{
			{Kind: runner.ViolationStatus, Message: "status 400, expected 201"},
			{Kind: runner.ViolationSchema, Path: "/id", Message: "required attribute is missing"},
		},
		Records: []runner.Record{{Method: "POST", URL: "http://127.0.0.1:1/Users", ReqBody: `{"userName":"u"}`, Status: 400,
			RespHeader: map[string][]string{"Content-Type": {"application/scim+json"}}, RespBody: `{"detail":"no"}`}},
	}
	msg := FailureMessage(res)
	for _, want := range []string{
		`step "creates the user with 201" failed`,
		"rule: entra-protocol U2: POST /Users answers 201",
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
	s := &runner.Sequence{Name: "user-lifecycle", Labels: []string{"users", " patch ", "bad/label", "a|b"}}
	got := labels(s, runner.DialectSCIM062020)
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
	s := &runner.Sequence{Name: "test-connection"}
	if got := ContainerName(s, runner.DialectDefault); got != "Entra test-connection (default)" {
		t.Errorf("ContainerName = %q", got)
	}
}

// Every shipped sequence must declare at least one container: a sequence
// that applies to no dialect would silently vanish from the area.
func TestEverySequenceIsDeclared(t *testing.T) {
	t.Parallel()
	seqs, err := runner.LoadSequences("entra")
	if err != nil {
		t.Fatal(err)
	}
	if len(seqs) == 0 {
		t.Fatal("no Entra sequences are shipped")
	}
	for _, s := range seqs {
		n := 0
		for _, d := range runner.Dialects() {
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
