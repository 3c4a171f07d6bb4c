package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
	"github.com/scimconform/scimconform/runner/idp/entra"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

const e2eToken = "e2e-secret-token-5f1c9a"

// newRefTarget starts the reference server and returns a client for it.
func newRefTarget(t *testing.T) *scimclient.Client {
	t.Helper()
	srv, err := refserver.New(refserver.Options{Token: e2eToken})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := scimclient.New(scimclient.Config{Target: ts.URL, Token: e2eToken, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestShippedSequencesPassAgainstReferenceServer(t *testing.T) {
	t.Parallel()
	seqs, err := sequence.Load("entra", entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	for _, appName := range mapping.Names() {
		app, err := mapping.Load(appName)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range sequence.Dialects() {
			for _, s := range seqs {
				t.Run(appName+"/"+string(d)+"/"+s.Name, func(t *testing.T) {
					t.Parallel()
					c := newRefTarget(t)
					tr := NewTracker(c)
					run := &Run{Client: c, App: app, Dialect: d, Tracker: tr}
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					defer cancel()
					res := run.Execute(ctx, s)
					for _, st := range res.Steps {
						if st.Verdict == Fail {
							t.Errorf("%s", st.Report())
						}
					}
					if errs := tr.Cleanup(ctx); len(errs) > 0 {
						t.Errorf("cleanup: %v", errs)
					}
				})
			}
		}
	}
}

// echoCredential makes a hostile target: it reflects the Authorization
// header into a response header and into every JSON object it returns.
func echoCredential(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Set("X-Echo", auth)
		w.Header().Del("Content-Length")
		body := rec.Body.Bytes()
		if bytes.HasPrefix(body, []byte("{")) {
			body = append([]byte(`{"echo":"`+auth+`",`), body[1:]...)
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func TestNoOutputHoldsTheToken(t *testing.T) {
	t.Parallel()
	srv, err := refserver.New(refserver.Options{Token: e2eToken})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(echoCredential(srv))
	t.Cleanup(ts.Close)
	c, err := scimclient.New(scimclient.Config{Target: ts.URL, Token: e2eToken, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	seqs, err := sequence.Load("entra", entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	var produced bytes.Buffer
	tr := NewTracker(c)
	for _, d := range sequence.Dialects() {
		for _, s := range seqs {
			res := (&Run{Client: c, App: mustApp(t, "entra-default"), Dialect: d, Tracker: tr}).Execute(context.Background(), s)
			if res.Verdict != Pass {
				t.Errorf("%s/%s: %s", s.Name, d, res.Verdict)
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			produced.Write(b)
			for _, st := range res.Steps {
				produced.WriteString(st.Report())
			}
		}
	}
	for _, err := range tr.Cleanup(context.Background()) {
		produced.WriteString(err.Error())
	}
	for _, r := range tr.Records() {
		produced.WriteString(r.String())
	}
	if !bytes.Contains(produced.Bytes(), []byte("X-Echo")) {
		t.Fatal("the transcripts should show the echo header")
	}
	if n := bytes.Count(produced.Bytes(), []byte(e2eToken)); n != 0 {
		t.Errorf("the token appears %d times in %d bytes of results and transcripts", n, produced.Len())
	}
}

func mustApp(t *testing.T, name string) *mapping.Profile {
	t.Helper()
	app, err := mapping.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// TestStepByStepKeepsState runs a sequence the way the suites do, one sequence.Step
// call per step with one sequence.Vars, and checks the state it builds.
func TestStepByStepKeepsState(t *testing.T) {
	t.Parallel()
	c := newRefTarget(t)
	s, err := sequence.Find("entra", "group-lifecycle", entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	run := &Run{Client: c, App: mustApp(t, "insite-lms"), Dialect: sequence.DialectSCIM062020, RunID: "scimc-5e9a0b", Tracker: NewTracker(c)}
	seq := s.For(run.Dialect)
	vars := sequence.Vars{}
	for i := range seq.Steps {
		if r := run.Step(context.Background(), seq, i, vars); r.Verdict != Pass {
			t.Fatalf("step %d: %s", i, r.Report())
		}
	}
	for _, k := range []string{"groupId", "aliceId", "bobId", "group.team.displayName"} {
		if vars[k] == "" {
			t.Errorf("vars lack %s: %v", k, vars)
		}
	}
	if !strings.HasPrefix(vars["group.team.displayName"], "scimc-5e9a0b-team-renamed-") {
		t.Errorf("the group name should carry the run prefix and the rename: %q", vars["group.team.displayName"])
	}
	if p := run.Tracker.Pending(); len(p) != 3 || p[0].Path != "/Groups/"+vars["groupId"] {
		t.Errorf("tracked %+v", p)
	}
	if errs := run.Tracker.Cleanup(context.Background()); len(errs) != 0 {
		t.Error(errs)
	}
}

// An app matching on the work email, Entra's common alternative: every
// shipped sequence must still pass, with filters on the value path.
func TestSequencesMatchingOnTheWorkEmail(t *testing.T) {
	t.Parallel()
	app, err := mapping.Parse("mail-match.yaml", []byte(`name: mail-match
description: matches users on their work email
matching: emails[type eq "work"].value
attributes:
  - {target: userName, generate: userName, required: true, filterable: true}
  - {target: 'emails[type eq "work"].value', generate: email, required: true, filterable: true}
  - {target: active, generate: active}
  - {target: displayName, generate: displayName}
`))
	if err != nil {
		t.Fatal(err)
	}
	seqs, err := sequence.Load("entra", entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	c := newRefTarget(t)
	for _, d := range sequence.Dialects() {
		for _, s := range seqs {
			res := (&Run{Client: c, App: app, Dialect: d, Tracker: NewTracker(c)}).Execute(context.Background(), s)
			for _, st := range res.Steps {
				if st.Verdict == Fail {
					t.Errorf("%s/%s: %s", s.Name, d, st.Report())
				}
			}
			if s.Name == "user-lifecycle" {
				if u := res.Steps[0].Records[0].URL; !strings.Contains(u, "filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22") {
					t.Errorf("the lookup should filter on the work email: %s", u)
				}
			}
		}
	}
}

// TestFaultsFailTheSequences proves the sequences' checks can fail, and
// fail precisely: with one defect switched on in the reference server,
// exactly the steps that break its rule fail; a step is skipped only when
// a step it depends on could not do what it needs (skips counts them).
func TestFaultsFailTheSequences(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fault, sequence string
		dialect         sequence.Dialect
		skips           int
		fails           []string
	}{
		{"create-200", "user-lifecycle", sequence.DialectDefault, 0, []string{
			"creates the user with 201 and returns it with an id",
			"creates the user who becomes the manager",
			"creates the user who becomes the new manager",
		}},
		{"create-200", "group-lifecycle", sequence.DialectSCIM062020, 0, []string{
			"creates the group with 201, ignoring the extra schema URI",
			"creates the first user to become a member",
			"creates the second user to become a member",
		}},
		{"read-lag", "user-match-externalid", sequence.DialectDefault, 0, []string{"returns the created user by id with its externalId"}},
		{"id-changes-on-read", "user-lifecycle", sequence.DialectSCIM062020, 11, []string{
			"returns the created user by id with every value as sent",
			"returns the multi-valued update on read-back",
		}},
		{"id-changes-on-read", "group-lifecycle", sequence.DialectDefault, 5, []string{
			"returns the group by id without members when they are excluded",
			"returns the new displayName on read-back",
			"returns both members on read-back",
			"holds both members, each once",
		}},
		{"patch-not-persisted", "user-lifecycle", sequence.DialectDefault, 11, []string{"returns the multi-valued update on read-back"}},
		{"patch-not-persisted", "group-lifecycle", sequence.DialectSCIM062020, 5, []string{
			"returns the new displayName on read-back",
			"returns both members on read-back",
			"holds both members, each once",
		}},
		{"error-status-number", "user-lifecycle", sequence.DialectDefault, 0, []string{"answers 404 with a SCIM error for the deleted user"}},
		{"errors-html", "group-lifecycle", sequence.DialectDefault, 0, []string{"answers 404 with a SCIM error for the deleted group"}},
		{"not-found-plain-text", "user-match-externalid", sequence.DialectSCIM062020, 0, []string{"answers 404 with a SCIM error for the deleted user"}},
		{"filter-no-match-404", "test-connection", sequence.DialectDefault, 0, []string{
			"answers a user lookup by a random GUID with 200 and an empty ListResponse",
			"answers a group lookup by a random displayName with 200 and an empty ListResponse",
		}},
		{"list-bare-array", "test-connection", sequence.DialectSCIM062020, 0, []string{
			"answers a user lookup by a random GUID with 200 and an empty ListResponse",
			"answers a group lookup by a random displayName with 200 and an empty ListResponse",
		}},
		{"no-schemas", "user-lifecycle", sequence.DialectDefault, 0, []string{
			"creates the user with 201 and returns it with an id",
			"returns the created user by id with every value as sent",
			"finds the created user by the matching attribute (one result)",
			"updates multi-valued attributes through value paths",
			"returns the multi-valued update on read-back",
			"updates single-valued attributes in the dialect's form",
			"returns the single-valued update on read-back",
			"creates the user who becomes the manager",
			"sets the manager in the dialect's shape",
			"returns the manager under the enterprise extension on read-back",
			"creates the user who becomes the new manager",
			"changes the manager in the dialect's shape",
			"returns the new manager on read-back",
			"disables the user with active false in the dialect's form",
			"returns the disabled user by id with active false as a boolean",
			"still finds the disabled user by the matching attribute",
			"re-enables the user with active true in the dialect's form",
			"returns the re-enabled user with active true",
		}},
		{"delete-200-with-body", "user-lifecycle", sequence.DialectSCIM062020, 0, []string{"deletes the user with 204"}},
		{"delete-keeps-resource", "group-lifecycle", sequence.DialectDefault, 0, []string{"answers 404 with a SCIM error for the deleted group"}},
		{"delete-group-deletes-members", "group-lifecycle", sequence.DialectSCIM062020, 0, []string{"keeps the member users after the group is deleted"}},
		{"index-lag", "user-lifecycle", sequence.DialectDefault, 0, []string{"finds the created user by the matching attribute (one result)"}},
		{"filter-valuepath-never-matches", "user-match-email", sequence.DialectDefault, 1, []string{
			"finds the created user by the work email (one result)",
			"finds the user by its new work email",
		}},
		{"patch-op-case-sensitive", "user-lifecycle", sequence.DialectDefault, 8, []string{
			"updates multi-valued attributes through value paths",
			"updates single-valued attributes in the dialect's form",
			"sets the manager in the dialect's shape",
			"disables the user with active false in the dialect's form",
			"re-enables the user with active true in the dialect's form",
		}},
		{"patch-bool-strings-rejected", "user-lifecycle", sequence.DialectDefault, 3, []string{
			"disables the user with active false in the dialect's form",
			"re-enables the user with active true in the dialect's form",
		}},
		{"patch-active-ignored", "user-match-externalid", sequence.DialectSCIM062020, 3, []string{
			"disables the user in the dialect's form",
			"still finds the disabled user by externalId with active false",
		}},
		{"patch-pathless-ignored", "user-lifecycle", sequence.DialectSCIM062020, 9, []string{
			"updates single-valued attributes in the dialect's form",
			"returns the single-valued update on read-back",
		}},
		{"patch-valuepath-rejected", "user-match-email", sequence.DialectSCIM062020, 2, []string{"updates the work email through its value path"}},
		{"patch-urn-path-rejected", "user-lifecycle", sequence.DialectSCIM062020, 3, []string{"sets the manager in the dialect's shape"}},
		{"patch-remove-members-wipes", "group-lifecycle", sequence.DialectDefault, 0, []string{"keeps the other member and drops only the removed one"}},
		{"patch-add-replaces", "group-lifecycle", sequence.DialectSCIM062020, 0, []string{"holds both members, each once"}},
		{"patch-existing-member-rejected", "group-lifecycle", sequence.DialectDefault, 1, []string{"accepts an existing member added again"}},
		{"patch-response-stale", "user-lifecycle", sequence.DialectDefault, 0, []string{
			"updates multi-valued attributes through value paths",
			"updates single-valued attributes in the dialect's form",
			"sets the manager in the dialect's shape",
			"changes the manager in the dialect's shape",
			"disables the user with active false in the dialect's form",
			"re-enables the user with active true in the dialect's form",
		}},
		{"excluded-attributes-ignored", "group-lifecycle", sequence.DialectDefault, 0, []string{
			"omits members when they are excluded, now that the group has some",
			"finds the group by displayName without its members",
		}},
		{"returned-always-dropped", "group-lifecycle", sequence.DialectSCIM062020, 2, []string{
			"returns the group by id without members when they are excluded",
			"finds the group by displayName without members (one result)",
			"returns the new displayName on read-back",
		}},
		// Entra's create refused: the later steps create the group directly
		// (the step's setup) and are judged.
		{"create-foreign-schema-rejected", "group-lifecycle", sequence.DialectDefault, 0, []string{"creates the group with 201, ignoring the extra schema URI"}},
		{"filter-no-match-404", "user-match-externalid", sequence.DialectDefault, 0, []string{
			"finds no user by externalId before creating it",
			"no longer finds the deleted user by externalId",
		}},
	}
	app := mustApp(t, "entra-default")
	for _, tc := range cases {
		t.Run(tc.fault+"/"+tc.sequence+"/"+string(tc.dialect), func(t *testing.T) {
			t.Parallel()
			srv, err := refserver.New(refserver.Options{Token: e2eToken, Faults: []string{tc.fault}})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			c, err := scimclient.New(scimclient.Config{Target: ts.URL, Token: e2eToken, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			s, err := sequence.Find("entra", tc.sequence, entra.Funcs())
			if err != nil {
				t.Fatal(err)
			}
			res := (&Run{Client: c, App: app, Dialect: tc.dialect, Tracker: NewTracker(c)}).Execute(context.Background(), s)
			var failed []string
			skips := 0
			for _, st := range res.Steps {
				switch st.Verdict {
				case Fail:
					failed = append(failed, st.Name)
					if len(st.Violations) == 0 {
						t.Errorf("step %q failed without a violation", st.Name)
					}
				case Skip:
					skips++
				}
			}
			if !slices.Equal(failed, tc.fails) || skips != tc.skips {
				t.Errorf("failed %q and skipped %d steps\nwant failed %q and %d skipped", failed, skips, tc.fails, tc.skips)
			}
		})
	}
}

// One failed lookup early in a sequence costs only what depends on it:
// deprovisioning at the end still runs and is judged (it passes, since the
// fault breaks lookups only).
func TestDeprovisioningIsJudgedAfterAFailedLookup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		fault, sequence, lookup string
		judged                  []string
	}{
		{"index-lag", "user-lifecycle", "finds the created user by the matching attribute (one result)",
			[]string{"disables the user with active false in the dialect's form", "deletes the user with 204", "answers 404 with a SCIM error for the deleted user"}},
		{"index-lag", "group-lifecycle", "finds the group by displayName without members (one result)",
			[]string{"removes one member in the dialect's form", "deletes the group with 204", "answers 404 with a SCIM error for the deleted group"}},
		{"filter-no-match-404", "user-match-externalid", "finds no user by externalId before creating it",
			[]string{"disables the user in the dialect's form", "deletes the user with 204", "answers 404 with a SCIM error for the deleted user"}},
	} {
		for _, d := range sequence.Dialects() {
			t.Run(tc.fault+"/"+tc.sequence+"/"+string(d), func(t *testing.T) {
				t.Parallel()
				ts := refservertest.Start(t, refserver.Options{Token: e2eToken, Faults: []string{tc.fault}}, nil)
				c, err := scimclient.New(scimclient.Config{Target: ts.URL, Token: e2eToken, Timeout: 5 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				s, err := sequence.Find("entra", tc.sequence, entra.Funcs())
				if err != nil {
					t.Fatal(err)
				}
				res := (&Run{Client: c, App: mustApp(t, "entra-default"), Dialect: d, Tracker: NewTracker(c)}).Execute(context.Background(), s)
				verdicts := map[string]Verdict{}
				for _, st := range res.Steps {
					verdicts[st.Name] = st.Verdict
					if st.Verdict == Skip {
						t.Errorf("step %q was skipped: %s", st.Name, st.Reason)
					}
				}
				if verdicts[tc.lookup] != Fail {
					t.Errorf("the lookup the fault breaks: %s", verdicts[tc.lookup])
				}
				for _, name := range tc.judged {
					if verdicts[name] != Pass {
						t.Errorf("step %q after the failed lookup: %q, want it judged and passing", name, verdicts[name])
					}
				}
			})
		}
	}
}

// A target answering application/json is warned about on every step with
// a body, not failed: Entra's guidance is a SHOULD.
func TestWrongMediaTypeIsAWarning(t *testing.T) {
	t.Parallel()
	srv, err := refserver.New(refserver.Options{Token: e2eToken, Faults: []string{"content-type-json"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	c, err := scimclient.New(scimclient.Config{Target: ts.URL, Token: e2eToken, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sequence.Find("entra", "test-connection", entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	res := (&Run{Client: c, App: mustApp(t, "insite-lms")}).Execute(context.Background(), s)
	for _, st := range res.Steps {
		if st.Verdict != Pass || len(st.Warnings) != 1 || st.Warnings[0].Kind != ViolationHeader ||
			!strings.Contains(st.Warnings[0].Message, `Content-Type is "application/json`) {
			t.Errorf("%s: %s with warnings %v", st.Name, st.Verdict, st.Warnings)
		}
	}
}

// A create answered with the wrong success status (200 for 201) fails its
// step, yet what it made is still deleted: the run leaves nothing behind.
func TestCreateWithWrongSuccessStatusIsStillCleanedUp(t *testing.T) {
	t.Parallel()
	ts := refservertest.Start(t, refserver.Options{Token: e2eToken, Faults: []string{"create-200"}}, nil)
	c, err := scimclient.New(scimclient.Config{Target: ts.URL, Token: e2eToken, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, seq := range []string{"user-lifecycle", "group-lifecycle"} {
		s, err := sequence.Find("entra", seq, entra.Funcs())
		if err != nil {
			t.Fatal(err)
		}
		tr := NewTracker(c)
		res := (&Run{Client: c, App: mustApp(t, "entra-default"), Dialect: sequence.DialectDefault, Tracker: tr}).Execute(context.Background(), s)
		for _, st := range res.Failed() {
			if !strings.HasPrefix(st.Name, "creates ") {
				t.Errorf("%s: step %q failed; only the creates should", seq, st.Name)
			}
		}
		if len(res.Failed()) != 3 {
			t.Fatalf("%s: %d failed steps, want its three creates", seq, len(res.Failed()))
		}
		if errs := tr.Cleanup(context.Background()); len(errs) != 0 {
			t.Fatalf("%s: cleanup errors: %v", seq, errs)
		}
	}
	for _, collection := range []string{"/Users", "/Groups"} {
		x := c.Do(context.Background(), scimclient.Request{Method: "GET", Path: collection, RawQuery: "count=0"})
		doc, err := x.JSON()
		if err != nil {
			t.Fatalf("GET %s: %v", collection, err)
		}
		if n, _ := doc["totalResults"].(float64); n != 0 {
			t.Errorf("GET %s: %v resources left after cleanup, want 0", collection, n)
		}
	}
}
