package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/runner/idp/entra"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

const execToken = "exec-secret-token-3b8e0f"

func stubClient(t *testing.T, h http.HandlerFunc, cfg scimclient.Config) *scimclient.Client {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	cfg.Target, cfg.Token = ts.URL, execToken
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	c, err := scimclient.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func scimJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func mustSequence(t *testing.T, src string) *sequence.Sequence {
	t.Helper()
	s, err := sequence.Parse("t.yaml", []byte(src), entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func insite(t *testing.T) *mapping.Profile {
	t.Helper()
	app, err := mapping.Load("insite-lms")
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// A failed step does not stop the sequence: the next step, which needs
// nothing from it, runs and is judged on its own.
func TestExecuteJudgesStepsThatDoNotDependOnAFailedOne(t *testing.T) {
	t.Parallel()
	// A target that answers 404 to the zero-result filter.
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		scimJSON(w, http.StatusNotFound, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404"}`)
	}, scimclient.Config{})
	s, err := sequence.Find("entra", "test-connection", entra.Funcs())
	if err != nil {
		t.Fatal(err)
	}
	res := (&Run{Client: c, App: insite(t)}).Execute(context.Background(), s)
	if res.Verdict != Fail || len(res.Steps) != 2 {
		t.Fatalf("verdict %s with %d steps", res.Verdict, len(res.Steps))
	}
	first, second := res.Steps[0], res.Steps[1]
	if first.Verdict != Fail || len(first.Violations) != 1 || first.Violations[0].Kind != ViolationStatus ||
		first.Violations[0].Message != "got HTTP 404, want 200" {
		t.Errorf("first step: %+v", first)
	}
	if len(first.Records) != 1 || !strings.Contains(first.Records[0].URL, "/Users?filter=userName+eq+%22") {
		t.Errorf("first step records: %+v", first.Records)
	}
	if second.Verdict != Fail || len(second.Records) != 1 || !strings.Contains(second.Records[0].URL, "/Groups?excludedAttributes=members") {
		t.Errorf("second step: %+v", second)
	}
	if !strings.Contains(first.Report(), "rule: entra-protocol §1.4") || !strings.Contains(first.Report(), "< HTTP 404") {
		t.Errorf("report:\n%s", first.Report())
	}
}

const captureSeq = `name: capture
description: d
steps:
  - name: creates
    rule: r
    method: POST
    path: /Users
    body: {userName: "${name:u}"}
    expect:
      status: [201]
      capture: {userId: /id, count: /n}
    creates: /Users/${userId}
  - name: reads
    rule: r
    method: GET
    path: /Users/${userId}
    query: n=${count}
    expect: {status: [200], body: {id: "${userId}"}}
`

func TestStepCapturesAndTracks(t *testing.T) {
	t.Parallel()
	var seen atomic.Value
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			scimJSON(w, http.StatusCreated, `{"id":"a b/1","n":3}`)
		default:
			seen.Store(r.URL.RawPath + "?" + r.URL.RawQuery)
			scimJSON(w, http.StatusOK, `{"id":"a b/1"}`)
		}
	}, scimclient.Config{})
	tr := NewTracker(c)
	run := &Run{Client: c, Tracker: tr, RunID: "scimc-abcdef"}
	s := mustSequence(t, captureSeq)
	vars := sequence.Vars{}
	if r := run.Step(context.Background(), s, 0, vars); r.Verdict != Pass {
		t.Fatalf("step 0: %s", r.Report())
	}
	if vars["userId"] != "a b/1" || vars["count"] != "3" || !strings.HasPrefix(vars["name:u"], "scimc-abcdef-u-") {
		t.Errorf("vars after step 0: %v", vars)
	}
	if p := tr.Pending(); len(p) != 1 || p[0].Path != "/Users/a%20b%2F1" || p[0].Kind != "User" {
		t.Errorf("tracked %+v", p)
	}
	if r := run.Step(context.Background(), s, 1, vars); r.Verdict != Pass {
		t.Fatalf("step 1: %s", r.Report())
	}
	if got := seen.Load(); got != "/Users/a%20b%2F1?n=3" {
		t.Errorf("GET went to %v", got)
	}
}

func TestStepViolations(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		status   int
		ctype    string
		body     string
		expect   string
		kinds    []string
		warnings int
	}{
		{"missing capture", 201, scimclient.ScimContentType, `{"x":1}`, `{status: [201], capture: {userId: /id}}`, []string{"capture"}, 0},
		{"not JSON", 200, scimclient.ScimContentType, `<html>oops</html>`, `{status: [200], schema: User}`, []string{"schema"}, 0},
		{"no body", 200, scimclient.ScimContentType, ``, `{status: [200], schema: User}`, []string{"schema"}, 0},
		{"204 skips body checks", 204, "", ``, `{status: [200, 204], schema: User, body: {a: 1}}`, nil, 0},
		{"schema and match", 200, scimclient.ScimContentType, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":5}`,
			`{status: [200], schema: User, body: {userName: "u"}}`, []string{"schema", "match"}, 0},
		{"absent", 200, scimclient.ScimContentType, `{"members":[{"value":"1"}]}`, `{status: [200], absent: [/members]}`, []string{"absent"}, 0},
		{"null counts as absent", 200, scimclient.ScimContentType, `{"members":null}`, `{status: [200], absent: [/members]}`, nil, 0},
		{"excludes", 200, scimclient.ScimContentType, `{"members":[{"value":"1"},{"value":"2"}]}`, `{status: [200], excludes: {/members: {value: "2"}}}`, []string{"absent"}, 0},
		{"distinct types", 200, scimclient.ScimContentType, `{"emails":[{"type":"work","value":"a"},{"type":"Work","value":"b"},{"type":"home"}]}`,
			`{status: [200], distinct: {/emails: type, /phoneNumbers: type}}`, []string{"match"}, 0},
		{"distinct holds", 200, scimclient.ScimContentType, `{"members":[{"value":"1"},{"value":"2"}]}`, `{status: [200], distinct: {/members: value}}`, nil, 0},
		{"wrong media type warns", 200, "application/json", `{"a":1}`, `{status: [200], body: {a: 1}}`, nil, 1},
		{"status mismatch skips the body", 500, "text/html", `<h1>Internal</h1>`, `{status: [200], schema: User}`, []string{"status"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.ctype != "" {
					w.Header().Set("Content-Type", tc.ctype)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}, scimclient.Config{Retry: scimclient.RetryPolicy{Disabled: true}})
			s := mustSequence(t, "name: v\ndescription: d\nsteps:\n  - name: a\n    rule: r\n    method: GET\n    path: /Users\n    expect: "+tc.expect+"\n")
			r := (&Run{Client: c}).Step(context.Background(), s, 0, sequence.Vars{})
			var kinds []string
			for _, v := range r.Violations {
				if len(kinds) == 0 || kinds[len(kinds)-1] != v.Kind {
					kinds = append(kinds, v.Kind)
				}
			}
			if strings.Join(kinds, " ") != strings.Join(tc.kinds, " ") || len(r.Warnings) != tc.warnings {
				t.Errorf("violations %v warnings %v; want kinds %v and %d warnings", r.Violations, r.Warnings, tc.kinds, tc.warnings)
			}
			if (len(tc.kinds) == 0) != (r.Verdict == Pass) {
				t.Errorf("verdict %s with violations %v", r.Verdict, r.Violations)
			}
		})
	}
}

func TestStepThatCannotBeBuiltSendsNothing(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }, scimclient.Config{})
	s := mustSequence(t, "name: v\ndescription: d\nsteps:\n  - name: a\n    rule: r\n    method: GET\n    path: /Users/${nobody}\n    expect: {status: [200]}\n  - name: b\n    rule: r\n    method: GET\n    path: /Users\n    expect: {status: [200]}\n")
	res := (&Run{Client: c}).Execute(context.Background(), s)
	a := res.Steps[0]
	if a.Verdict != Fail || len(a.Violations) != 1 || a.Violations[0].Kind != ViolationTemplate ||
		!strings.Contains(a.Violations[0].Message, "variable ${nobody} is not set") || len(a.Records) != 0 {
		t.Errorf("step a: %+v", a)
	}
	// sequence.Step b needs nothing from a: it runs, and is the only request sent.
	if res.Steps[1].Verdict != Pass || hits.Load() != 1 {
		t.Errorf("step b %s, requests %d", res.Steps[1].Verdict, hits.Load())
	}
	if r := (&Run{Client: c}).Step(context.Background(), s, 7, sequence.Vars{}); r.Verdict != Fail || !strings.Contains(r.Reason, "there is no step 7") {
		t.Errorf("out of range: %+v", r)
	}
}

func TestStepsTheAppCannotDoAreSkipped(t *testing.T) {
	t.Parallel()
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) { scimJSON(w, 200, `{}`) }, scimclient.Config{})
	s := mustSequence(t, `name: v
description: d
steps:
  - name: needs the manager
    rule: r
    requires: ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"]
    method: GET
    path: /Users
    expect: {status: [200]}
  - name: sets a manager
    rule: r
    method: PATCH
    path: /Users/1
    body: ${app.setManager:main,bossId}
    expect: {status: [200]}
  - name: still runs
    rule: r
    method: GET
    path: /Users
    expect: {status: [200]}
`)
	res := (&Run{Client: c, App: insite(t), Vars: sequence.Vars{"bossId": "b"}}).Execute(context.Background(), s)
	got := fmt.Sprint(res.Steps[0].Verdict, res.Steps[1].Verdict, res.Steps[2].Verdict, res.Verdict)
	if got != "skipskippasspass" {
		t.Errorf("verdicts %s", got)
	}
	if !strings.Contains(res.Steps[0].Reason, "app profile insite-lms does not map urn:") ||
		!strings.Contains(res.Steps[1].Reason, "does not map the enterprise manager") {
		t.Errorf("reasons %q / %q", res.Steps[0].Reason, res.Steps[1].Reason)
	}
}

func TestSequenceAgainstHostileTargets(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("x"), 5<<20)
	var flaky atomic.Int32
	cases := []struct {
		name    string
		cfg     scimclient.Config
		handler http.HandlerFunc
		verdict Verdict
		kind    string
		within  time.Duration
	}{
		{"non-JSON body", scimclient.Config{}, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("hello"))
		}, Fail, ViolationSchema, 5 * time.Second},
		{"HTML error page", scimclient.Config{Retry: scimclient.RetryPolicy{Disabled: true}}, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(500)
			_, _ = w.Write([]byte("<html><body><h1>500 Internal Server Error</h1></body></html>"))
		}, Fail, ViolationStatus, 5 * time.Second},
		{"5 MB body", scimclient.Config{}, func(w http.ResponseWriter, r *http.Request) {
			scimJSON(w, 200, string(big))
		}, Fail, ViolationSchema, 10 * time.Second},
		{"slower than the timeout", scimclient.Config{Timeout: 300 * time.Millisecond}, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		}, Fail, ViolationTransport, 3 * time.Second},
		{"connection reset", scimclient.Config{Retry: scimclient.RetryPolicy{Disabled: true}}, func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		}, Fail, ViolationTransport, 5 * time.Second},
		{"429 then success", scimclient.Config{}, func(w http.ResponseWriter, r *http.Request) {
			if flaky.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				scimJSON(w, http.StatusTooManyRequests, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"429"}`)
				return
			}
			scimJSON(w, 200, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[],"startIndex":1,"itemsPerPage":20}`)
		}, Pass, "", 5 * time.Second},
		{"503 forever", scimclient.Config{Retry: scimclient.RetryPolicy{MaxAttempts: 3, MaxWait: 200 * time.Millisecond}}, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			scimJSON(w, http.StatusServiceUnavailable, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"503"}`)
		}, Fail, ViolationStatus, 5 * time.Second},
	}
	s := mustSequence(t, `name: probe
description: d
steps:
  - name: answers the lookup
    rule: r
    method: GET
    path: /Users
    query: filter=${app.filterValue:probe}
    expect: {status: [200], schema: ListResponse, body: {totalResults: 0}}
`)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := stubClient(t, tc.handler, tc.cfg)
			start := time.Now()
			r := (&Run{Client: c, App: insite(t), Vars: sequence.Vars{"probe": "p"}}).Execute(context.Background(), s)
			took := time.Since(start)
			st := r.Steps[0]
			if st.Verdict != tc.verdict || (tc.kind != "" && (len(st.Violations) == 0 || st.Violations[0].Kind != tc.kind)) {
				t.Errorf("verdict %s violations %+v; want %s %s", st.Verdict, st.Violations, tc.verdict, tc.kind)
			}
			if took > tc.within {
				t.Errorf("took %v, want under %v", took, tc.within)
			}
			for _, v := range st.Violations {
				if v.Message == "" {
					t.Errorf("violation without a message: %+v", v)
				}
			}
			out, _ := json.Marshal(r)
			if bytes.Contains(out, []byte(execToken)) || strings.Contains(st.Report(), execToken) {
				t.Error("the result holds the token")
			}
			if len(out) > 1<<20 {
				t.Errorf("the result is %d bytes: bodies must be truncated", len(out))
			}
		})
	}
}

func TestViolationTextsAreBounded(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 3000) // 6000 bytes
	got := clip(long)
	if len(got) > maxViolationText+40 || !strings.HasSuffix(got, "(6000 bytes in all)") || !utf8Valid(got) {
		t.Errorf("clip gave %d bytes ending %q", len(got), got[len(got)-30:])
	}
	if clip("short") != "short" {
		t.Error("a short text must stay as it is")
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestExecuteOutsideItsDialectOrAfterAStop(t *testing.T) {
	t.Parallel()
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) { scimJSON(w, 200, `{}`) }, scimclient.Config{})
	s := mustSequence(t, "name: v\ndescription: d\ndialects: [aadOptscim062020]\nsteps:\n"+stepBody("a")+stepBody("b"))
	res := (&Run{Client: c, Dialect: sequence.DialectDefault}).Execute(context.Background(), s)
	if res.Verdict != Skip || len(res.Steps) != 2 || res.Steps[0].Reason != "the sequence does not apply to dialect default" {
		t.Errorf("outside its dialect: %+v", res)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res = (&Run{Client: c, Dialect: sequence.DialectSCIM062020}).Execute(ctx, s)
	if res.Verdict != Fail || res.Steps[0].Verdict != Skip || !strings.HasPrefix(res.Steps[1].Reason, "the run was stopped") {
		t.Errorf("after a stop: %+v", res)
	}
	if res.RunID == "" || !strings.HasPrefix(res.RunID, "scimc-") {
		t.Errorf("run id %q", res.RunID)
	}
}

// A step's body goes out as application/scim+json unless the step names
// its own Content-Type; a bodyless step sends none.
func TestStepContentType(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Method + " " + r.Header.Get("Content-Type"))
		scimJSON(w, http.StatusOK, `{}`)
	}, scimclient.Config{})
	for _, tc := range []struct{ step, want string }{
		{"method: POST\n    path: /Users\n    body: {userName: a}", "POST application/scim+json"},
		{"method: POST\n    path: /Users\n    headers: {Content-Type: application/json}\n    body: {userName: a}", "POST application/json"},
		{"method: GET\n    path: /Users", "GET "},
		{"method: GET\n    path: /Users\n    headers: {X-Trace: t1}", "GET "},
	} {
		s := mustSequence(t, "name: ct\ndescription: d\nsteps:\n  - name: s\n    rule: r\n    "+tc.step+"\n    expect: {status: [200]}\n")
		res := (&Run{Client: c}).Step(context.Background(), s, 0, nil)
		if res.Verdict != Pass {
			t.Fatalf("%s: %s", tc.step, res.Report())
		}
		if g := got.Load(); g != tc.want {
			t.Errorf("%s: sent %q, want %q", tc.step, g, tc.want)
		}
	}
}

// Renderers are reused between steps: what a failed step generated must
// not reach the next step, of this run or another.
func TestStepStartsFromItsOwnState(t *testing.T) {
	t.Parallel()
	var bodies []string
	var fail atomic.Bool
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		b := new(bytes.Buffer)
		_, _ = b.ReadFrom(r.Body)
		bodies = append(bodies, b.String())
		if fail.Load() {
			scimJSON(w, http.StatusInternalServerError, `{}`)
			return
		}
		scimJSON(w, http.StatusCreated, `{"id":"u1"}`)
	}, scimclient.Config{})
	s := mustSequence(t, "name: c\ndescription: d\nsteps:\n  - name: s\n    rule: r\n    method: POST\n    path: /Users\n"+
		"    body: ${app.createUser:main}\n    expect: {status: [201]}\n")
	ctx := context.Background()
	fail.Store(true)
	first := (&Run{Client: c, App: insite(t), RunID: "scimc-aaaaaa"}).Step(ctx, s, 0, sequence.Vars{})
	fail.Store(false)
	second := (&Run{Client: c, App: insite(t), RunID: "scimc-bbbbbb"}).Step(ctx, s, 0, sequence.Vars{})
	if first.Verdict != Fail || second.Verdict != Pass || len(bodies) != 2 {
		t.Fatalf("verdicts %s, %s with %d requests", first.Verdict, second.Verdict, len(bodies))
	}
	if !strings.Contains(bodies[0], "scimc-aaaaaa-") || strings.Contains(bodies[1], "scimc-aaaaaa") ||
		!strings.Contains(bodies[1], "scimc-bbbbbb-") {
		t.Errorf("the second run's body carries the first's values:\n%s\n%s", bodies[0], bodies[1])
	}
}
