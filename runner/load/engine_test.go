package load

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/scimclient"
)

func TestRunCleanAgainstReferenceServer(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	var progress bytes.Buffer
	s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t),
		Users: 300, Groups: 7, MembersPerGroup: 23, Concurrency: 8, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := s.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	t.Log(table.String())
	if !s.OK() {
		t.Fatalf("run not clean:\n%s", table.String())
	}
	if u, g := countPrefix(t, target, s.RunPrefix); u != 0 || g != 0 {
		t.Errorf("left on the target: %d users, %d groups", u, g)
	}
}

func TestRunStopsAtTheDurationCapAndCleansUp(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	start := time.Now()
	s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t),
		Users: 1_000_000, Concurrency: 4, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > time.Minute {
		t.Errorf("the capped run took %v", elapsed)
	}
	if !strings.HasPrefix(s.Stopped, "duration cap 300ms reached") || s.OK() {
		t.Errorf("stopped %q, OK %v; want the duration cap and not OK", s.Stopped, s.OK())
	}
	if len(s.Phases) == 0 || s.Phases[0].Complete || s.Phases[0].Done == 0 {
		t.Errorf("phases %+v: want a started, incomplete initial cycle", s.Phases)
	}
	if s.Errors != 0 {
		t.Errorf("%d errors: requests cut by the cap must not count as the target's errors", s.Errors)
	}
	if u, g := countPrefix(t, target, s.RunPrefix); u != 0 || g != 0 {
		t.Errorf("left on the target: %d users, %d groups", u, g)
	}
}

func TestRunAddsMembersInBatches(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var patches [][]byte
	target := refTarget(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/Groups/") {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				patches = append(patches, body)
				mu.Unlock()
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			next.ServeHTTP(w, r)
		})
	})
	client := testClient(t, target)
	s, err := Run(context.Background(), Config{Client: client, App: testApp(t), Users: 30, Groups: 3,
		MembersPerGroup: 25, MembersPerPatch: 10, Concurrency: 3, InitialOnly: true, Keep: true})
	if err != nil {
		t.Fatal(err)
	}
	if !s.OK() {
		t.Fatalf("run not clean: %+v", s)
	}
	if len(patches) != 9 {
		t.Fatalf("%d membership PATCHes, want 3 groups x (10+10+5)", len(patches))
	}
	sizes := map[int]int{}
	for _, p := range patches {
		var op struct {
			Operations []struct {
				Op    string
				Path  string
				Value []map[string]any
			}
		}
		if err := json.Unmarshal(p, &op); err != nil || len(op.Operations) != 1 {
			t.Fatalf("PATCH body %s: want one operation (%v)", p, err)
		}
		o := op.Operations[0]
		if o.Op != "Add" || o.Path != "members" {
			t.Errorf("operation %q on %q, want Add on members (default dialect)", o.Op, o.Path)
		}
		for _, v := range o.Value {
			if ref, ok := v["$ref"]; !ok || ref != nil || v["value"] == "" {
				t.Errorf("member %v: want {\"$ref\": null, \"value\": id}", v)
			}
		}
		sizes[len(o.Value)]++
	}
	if sizes[10] != 6 || sizes[5] != 3 {
		t.Errorf("batch sizes %v, want six of 10 and three of 5", sizes)
	}
	// The groups hold their 25 members.
	x := client.Do(context.Background(), scimclient.Request{Path: "/Groups",
		RawQuery: "filter=" + url.QueryEscape(`displayName sw "`+s.RunPrefix+`"`)})
	var lr struct {
		TotalResults int
		Resources    []struct{ Members []any }
	}
	if err := json.Unmarshal(x.RespBody, &lr); err != nil || lr.TotalResults != 3 {
		t.Fatalf("groups of the run: %v, %s", err, x.RespBody)
	}
	for _, g := range lr.Resources {
		if len(g.Members) != 25 {
			t.Errorf("a group has %d members, want 25", len(g.Members))
		}
	}
}

// reactivate is a faulty target: a user read by id always shows active.
func reactivate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/Users/") {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		body := bytes.ReplaceAll(rec.Body.Bytes(), []byte(`"active":false`), []byte(`"active":true`))
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// duplicate is a faulty target: every user lookup that finds one user
// says it found two.
func duplicate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/Users" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		body := bytes.Replace(rec.Body.Bytes(), []byte(`"totalResults":1,`), []byte(`"totalResults":2,`), 1)
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func TestRunCountsWrongContentAsVerifyErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		wrap func(http.Handler) http.Handler
		op   Op
	}{
		{"disabled user reads back active", reactivate, OpGetUser},
		{"lookup finds more than the created user", duplicate, OpFindUser},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			target := refTarget(t, c.wrap)
			s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t),
				Users: 20, Concurrency: 4, MaxFailures: 2})
			if err != nil {
				t.Fatal(err)
			}
			var got *OpSummary
			for i := range s.Ops {
				if s.Ops[i].Op == c.op {
					got = &s.Ops[i]
				}
			}
			if got == nil || got.ErrorsByStatus[StatusVerify] != 20 || got.Errors != 20 {
				t.Fatalf("%s: %+v, want 20 verify errors", c.op, got)
			}
			if s.OK() || len(s.Failures) != 2 || s.Failures[0].Status != StatusVerify || len(s.Failures[0].Problems) == 0 {
				t.Errorf("failures kept: %+v", s.Failures)
			}
			if u, g := countPrefix(t, target, s.RunPrefix); u != 0 || g != 0 {
				t.Errorf("left on the target: %d users, %d groups", u, g)
			}
		})
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	t.Parallel()
	client, app := testClient(t, "http://127.0.0.1:9"), testApp(t)
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no client", Config{App: app, Users: 1, Concurrency: 1}, "no client"},
		{"no app", Config{Client: client, Users: 1, Concurrency: 1}, "no app profile"},
		{"nothing to do", Config{Client: client, App: app, Concurrency: 1}, "nothing to do"},
		{"negative users", Config{Client: client, App: app, Users: -1, Concurrency: 1}, "users must be between"},
		{"no workers", Config{Client: client, App: app, Users: 1}, "concurrency must be between 1"},
		{"too many workers", Config{Client: client, App: app, Users: 1, Concurrency: MaxConcurrency + 1}, "concurrency must be between 1"},
		{"members beyond users", Config{Client: client, App: app, Users: 2, Groups: 1, MembersPerGroup: 3, Concurrency: 1}, "members per group"},
		{"huge batch", Config{Client: client, App: app, Users: 1, MembersPerPatch: 101, Concurrency: 1}, "members per PATCH"},
		{"negative rate", Config{Client: client, App: app, Users: 1, Concurrency: 1, Rate: -1}, "rate must be a finite number"},
		{"infinite rate", Config{Client: client, App: app, Users: 1, Concurrency: 1, Rate: math.Inf(1)}, "rate must be a finite number"},
		{"bad dialect", Config{Client: client, App: app, Users: 1, Concurrency: 1, Dialect: "scim2"}, "unknown dialect"},
	}
	for _, c := range cases {
		_, err := Run(context.Background(), c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.name, err, c.want)
		}
	}
}

func TestLimiterSpacesRequests(t *testing.T) {
	t.Parallel()
	l := newLimiter(1000) // one per millisecond
	start := time.Now()
	for range 51 {
		if err := wait(context.Background(), l); err != nil {
			t.Fatal(err)
		}
	}
	if elapsed := time.Since(start); elapsed < 50*time.Millisecond {
		t.Errorf("51 requests at 1000/s took %v, want at least 50ms", elapsed)
	}
	ctx, cancel := context.WithCancel(context.Background())
	slow := newLimiter(0.5)
	_ = wait(ctx, slow) // the first goes at once
	cancel()
	if err := wait(ctx, slow); err == nil {
		t.Error("a wait on a cancelled context returned nil")
	}
	if newLimiter(0) != nil || wait(context.Background(), nil) != nil {
		t.Error("rate 0 must mean no limit")
	}
}

// A turn that comes after the context's deadline is waited for until the
// deadline, not refused at once: the wait ends with the deadline's error,
// no sooner.
func TestLimiterWaitsOutADeadline(t *testing.T) {
	t.Parallel()
	l := newLimiter(1) // one a second
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := wait(ctx, l); err != nil {
		t.Fatal(err) // the first goes at once
	}
	start := time.Now()
	err := wait(ctx, l)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) < 100*time.Millisecond {
		t.Errorf("the second wait returned %v after %v; want the deadline's error at the deadline", err, time.Since(start))
	}
}

// A rate whose next turn lies past -duration: the cycles stop at the cap
// with most users not provisioned, rather than running through every
// remaining user without sending its requests.
func TestRateLimitedRunStopsAtItsDuration(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t),
		Users: 50, Concurrency: 4, Rate: 5, Duration: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Phases) == 0 || s.Phases[0].Complete || s.Phases[0].Done > 10 {
		t.Fatalf("phases %+v; want the first stopped after a few users", s.Phases)
	}
	if !strings.HasPrefix(s.Stopped, "duration cap") || s.Requests > 20 {
		t.Errorf("stopped %q after %d requests; want the duration cap after about 3", s.Stopped, s.Requests)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	rec := func(status int) []scimclient.Record { return []scimclient.Record{{Status: status}} }
	cases := []struct {
		name string
		res  runner.StepResult
		want string
	}{
		{"status", runner.StepResult{Records: rec(500), Violations: []runner.Violation{{Kind: runner.ViolationStatus}}}, "500"},
		{"transport, no response", runner.StepResult{Records: rec(0), Violations: []runner.Violation{{Kind: runner.ViolationTransport}}}, StatusTransport},
		{"transport after a response", runner.StepResult{Records: rec(200), Violations: []runner.Violation{{Kind: runner.ViolationTransport}}}, "200"},
		{"body mismatch", runner.StepResult{Records: rec(200), Violations: []runner.Violation{{Kind: runner.ViolationMatch}}}, StatusVerify},
		{"missing capture", runner.StepResult{Records: rec(201), Violations: []runner.Violation{{Kind: runner.ViolationCapture}}}, StatusVerify},
		{"request not built", runner.StepResult{Violations: []runner.Violation{{Kind: runner.ViolationTemplate}}}, StatusTemplate},
	}
	for _, c := range cases {
		if got := classify(&c.res); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
