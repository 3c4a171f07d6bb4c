package runner

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scimconform/scimconform/runner/idp/entra"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// depsSeq creates a user, reads it, lists users (needing nothing), deletes
// the user and checks that it is gone (needing the delete). setup is added
// to the create step.
func depsSeq(t *testing.T, setup string) *sequence.Sequence {
	t.Helper()
	return mustSequence(t, `name: deps
description: d
steps:
  - name: creates
    rule: r
    method: POST
    path: /Users
    body: {userName: entra}
    expect: {status: [201], capture: {userId: /id}}
    creates: /Users/${userId}
`+setup+`
  - name: reads
    rule: r
    method: GET
    path: /Users/${userId}
    expect: {status: [200], body: {id: "${userId}"}}
  - name: lists
    rule: r
    method: GET
    path: /Users
    expect: {status: [200]}
  - name: deletes
    rule: r
    method: DELETE
    path: /Users/${userId}
    expect: {status: [204]}
  - name: is gone
    rule: r
    method: GET
    path: /Users/${userId}
    needs: [deletes]
    expect: {status: [404]}
`)
}

// depsTarget answers the deps sequence: a POST whose body holds "plain"
// (the setup request) is created as u2 unless refuseSetup, any other POST
// gets create, a DELETE gets del; GET /Users/{id} is 200 until the user is
// deleted.
type depsTarget struct {
	create, del int
	refuseSetup bool
	mu          sync.Mutex
	sent        []string
	deleted     bool
}

func (d *depsTarget) handle(w http.ResponseWriter, r *http.Request) {
	var body bytes.Buffer
	_, _ = body.ReadFrom(r.Body)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sent = append(d.sent, r.Method+" "+r.URL.Path)
	switch {
	case r.Method == http.MethodPost && strings.Contains(body.String(), "plain") && !d.refuseSetup:
		scimJSON(w, http.StatusCreated, `{"id":"u2"}`)
	case r.Method == http.MethodPost:
		scimJSON(w, d.create, `{"id":"u1"}`)
	case r.Method == http.MethodDelete:
		if d.del == http.StatusNoContent {
			d.deleted = true
		}
		w.WriteHeader(d.del)
	case r.URL.Path == "/Users":
		scimJSON(w, http.StatusOK, `{"totalResults":0,"Resources":[]}`)
	case d.deleted:
		scimJSON(w, http.StatusNotFound, `{"status":"404"}`)
	default:
		scimJSON(w, http.StatusOK, `{"id":"`+strings.TrimPrefix(r.URL.Path, "/Users/")+`"}`)
	}
}

// A step is skipped only when a step it depends on failed to do what it
// needs; every other step runs and is judged.
func TestReplaySkipsOnlyWhatDependsOnAFailedStep(t *testing.T) {
	t.Parallel()
	const plainSetup = "    setup: {body: {userName: plain}}"
	type want struct {
		verdict Verdict
		reason  string // the skip reason, or "" for a step that ran
		records int
	}
	cases := []struct {
		name        string
		setup       string
		create, del int // statuses the target answers
		refuseSetup bool
		steps       []want
		sent        []string
	}{
		{
			name: "create refused", create: 400, del: 204,
			steps: []want{
				{Fail, "", 1},
				{Skip, "needs ${userId} captured by step 'creates', which failed: status: got HTTP 400, want 201", 0},
				{Pass, "", 1},
				{Skip, "needs ${userId} captured by step 'creates', which failed: status: got HTTP 400, want 201", 0},
				{Skip, "needs ${userId} captured by step 'creates', which failed: status: got HTTP 400, want 201", 0},
			},
			sent: []string{"POST /Users", "GET /Users"},
		},
		{
			name: "create with the wrong success status took effect", create: 200, del: 204,
			steps: []want{{Fail, "", 1}, {Pass, "", 1}, {Pass, "", 1}, {Pass, "", 1}, {Pass, "", 1}},
			sent:  []string{"POST /Users", "GET /Users/u1", "GET /Users", "DELETE /Users/u1", "GET /Users/u1"},
		},
		{
			name: "delete refused", create: 201, del: 400,
			steps: []want{
				{Pass, "", 1}, {Pass, "", 1}, {Pass, "", 1}, {Fail, "", 1},
				{Skip, "needs the change made by step 'deletes', which failed: status: got HTTP 400, want 204", 0},
			},
			sent: []string{"POST /Users", "GET /Users/u1", "GET /Users", "DELETE /Users/u1"},
		},
		{
			name: "create refused, its setup creates the user directly", setup: plainSetup, create: 400, del: 204,
			steps: []want{{Fail, "", 1}, {Pass, "", 2}, {Pass, "", 1}, {Pass, "", 1}, {Pass, "", 1}},
			sent:  []string{"POST /Users", "POST /Users", "GET /Users/u2", "GET /Users", "DELETE /Users/u2", "GET /Users/u2"},
		},
		{
			name: "create and its setup refused", setup: plainSetup, create: 400, del: 204, refuseSetup: true,
			steps: []want{
				{Fail, "", 1},
				{Skip, "needs ${userId} captured by step 'creates', which failed: status: got HTTP 400, want 201; " +
					"its setup request failed too: status: got HTTP 400, want 200 or 201", 1},
				{Pass, "", 1},
				{Skip, "needs ${userId} captured by step 'creates', which failed: status: got HTTP 400, want 201; " +
					"its setup request failed too: status: got HTTP 400, want 200 or 201", 0},
				{Skip, "needs ${userId} captured by step 'creates', which failed: status: got HTTP 400, want 201; " +
					"its setup request failed too: status: got HTTP 400, want 200 or 201", 0},
			},
			sent: []string{"POST /Users", "POST /Users", "GET /Users"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			target := &depsTarget{create: tc.create, del: tc.del, refuseSetup: tc.refuseSetup}
			c := stubClient(t, target.handle, scimclient.Config{})
			tr := NewTracker(c)
			res := (&Run{Client: c, Tracker: tr}).Execute(context.Background(), depsSeq(t, tc.setup))
			if res.Verdict != Fail || len(res.Steps) != len(tc.steps) {
				t.Fatalf("verdict %s with %d steps", res.Verdict, len(res.Steps))
			}
			for i, w := range tc.steps {
				got := res.Steps[i]
				if got.Verdict != w.verdict || (w.verdict == Skip && got.Reason != w.reason) || len(got.Records) != w.records {
					t.Errorf("step %q: %s %q with %d records\nwant %s %q with %d records", got.Name, got.Verdict, got.Reason,
						len(got.Records), w.verdict, w.reason, w.records)
				}
			}
			if strings.Join(target.sent, ", ") != strings.Join(tc.sent, ", ") {
				t.Errorf("sent %q\nwant %q", target.sent, tc.sent)
			}
			if tc.setup != "" && !tc.refuseSetup {
				note := res.Steps[1].Notes
				if len(note) != 1 || note[0] != "step 'creates' did not establish ${userId}, so its setup request (POST /Users) did, before this step" {
					t.Errorf("the step that sent the setup should say so: %q", note)
				}
				if p := tr.Pending(); len(p) != 1 || p[0].Path != "/Users/u2" {
					t.Errorf("the user the setup created should be tracked: %+v", p)
				}
			}
		})
	}
}

// Steps run one at a time, as a suite focused on one step runs them: a
// step whose capturing step did not run says so.
func TestReplayStepWhoseDependencyDidNotRun(t *testing.T) {
	t.Parallel()
	target := &depsTarget{create: 201, del: 204}
	c := stubClient(t, target.handle, scimclient.Config{})
	p := (&Run{Client: c}).Replay(depsSeq(t, ""))
	res := p.Step(context.Background(), 1)
	if res.Verdict != Skip || res.Reason != "needs ${userId} captured by step 'creates', which did not run" {
		t.Errorf("step 1 alone: %s %q", res.Verdict, res.Reason)
	}
	if res := p.Step(context.Background(), 2); res.Verdict != Pass {
		t.Errorf("an independent step: %s", res.Report())
	}
	if res := p.Step(context.Background(), 9); res.Verdict != Fail || !strings.Contains(res.Reason, "there is no step 9") {
		t.Errorf("step 9: %s %q", res.Verdict, res.Reason)
	}
	if len(target.sent) != 1 {
		t.Errorf("sent %q, want the list only", target.sent)
	}
}

// A read-back that finds other values than were sent leaves the user's
// state unknown: later steps judged against it are skipped with the
// reason; steps that do not use it (the delete) still run.
func TestReplayAfterAReadBackFoundOtherValues(t *testing.T) {
	t.Parallel()
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			scimJSON(w, http.StatusCreated, `{"id":"u1"}`)
		case http.MethodPatch:
			scimJSON(w, http.StatusOK, `{"id":"u1"}`)
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			scimJSON(w, http.StatusOK, `{"id":"u1","userName":"not what was sent"}`)
		}
	}, scimclient.Config{})
	s := mustSequence(t, `name: state
description: d
steps:
  - name: creates
    rule: r
    method: POST
    path: /Users
    body: ${app.createUser:main}
    expect: {status: [201], capture: {userId: /id}}
  - name: updates
    rule: r
    method: PATCH
    path: /Users/${userId}
    body: ${app.updateSingle:main}
    expect: {status: [200]}
  - name: reads back
    rule: r
    method: GET
    path: /Users/${userId}
    needs: [updates]
    expect: {status: [200], body: {userName: "${app.match:main}"}}
  - name: disables
    rule: r
    method: PATCH
    path: /Users/${userId}
    body: ${app.disable:main}
    expect: {status: [200]}
  - name: deletes
    rule: r
    method: DELETE
    path: /Users/${userId}
    expect: {status: [204]}
`)
	res := (&Run{Client: c, App: insite(t)}).Execute(context.Background(), s)
	verdicts := make([]string, len(res.Steps))
	for i, st := range res.Steps {
		verdicts[i] = string(st.Verdict)
	}
	if got := strings.Join(verdicts, " "); got != "pass pass fail skip pass" {
		t.Fatalf("verdicts %s", got)
	}
	want := "needs the state of user 'main', which is unknown: step 'reads back' read back other values than were sent (match /userName: different value"
	if r := res.Steps[3].Reason; !strings.HasPrefix(r, want) {
		t.Errorf("skip reason %q\nwant it to start %q", r, want)
	}
}

// A step's dependencies are read from its templates and its needs.
func TestStepDependencies(t *testing.T) {
	t.Parallel()
	s, err := sequence.Find("entra", "user-lifecycle", entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	seq := s.For(sequence.DialectDefault)
	deps := seq.Dependencies()
	describe := func(i int) []string {
		var out []string
		for _, d := range deps[i] {
			if d.Capture != "" {
				out = append(out, "${"+d.Capture+"} from "+seq.Steps[d.Step].Name)
			} else {
				out = append(out, "needs "+seq.Steps[d.Step].Name)
			}
		}
		return out
	}
	for _, tc := range []struct {
		step     string
		deps     []string
		personas []string
	}{
		{"finds no user by the matching attribute before creating it", nil, []string{"user:main"}},
		{"creates the user with 201 and returns it with an id", nil, []string{"user:main"}},
		{"returns the created user by id with every value as sent",
			[]string{"${userId} from creates the user with 201 and returns it with an id"}, []string{"user:main"}},
		{"changes the manager in the dialect's shape", []string{
			"${userId} from creates the user with 201 and returns it with an id",
			"${manager2Id} from creates the user who becomes the new manager",
			"needs sets the manager in the dialect's shape",
		}, []string{"user:main"}},
		{"deletes the user with 204", []string{"${userId} from creates the user with 201 and returns it with an id"}, nil},
		{"answers 404 with a SCIM error for the deleted user", []string{
			"${userId} from creates the user with 201 and returns it with an id",
			"needs deletes the user with 204",
		}, nil},
	} {
		i := slices.IndexFunc(seq.Steps, func(st *sequence.Step) bool { return st.Name == tc.step })
		if i < 0 {
			t.Fatalf("no step %q", tc.step)
		}
		if got := describe(i); !slices.Equal(got, tc.deps) {
			t.Errorf("%s: dependencies %q\nwant %q", tc.step, got, tc.deps)
		}
		if got := seq.Personas(seq.Steps[i]); !slices.Equal(got, tc.personas) {
			t.Errorf("%s: personas %q, want %q", tc.step, got, tc.personas)
		}
	}
}
