package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
)

func loadCmd(ctx context.Context, t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	// Below go test's 10-minute default, above the slowest run (the 20000
	// users of BenchmarkLoadTwentyThousandUsers on a busy machine).
	ctx, cancel := context.WithTimeout(ctx, 8*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	code = run(ctx, append([]string{"load"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// wrappedRefTarget serves one reference server twice on loopback: behind
// wrap (for the run) and bare (for the test's own checks).
func wrappedRefTarget(t *testing.T, wrap func(http.Handler) http.Handler) (wrapped, bare string) {
	t.Helper()
	srv, err := refserver.New(refserver.Options{Token: replayToken})
	if err != nil {
		t.Fatal(err)
	}
	w, b := httptest.NewServer(wrap(srv)), httptest.NewServer(srv)
	t.Cleanup(w.Close)
	t.Cleanup(b.Close)
	return w.URL, b.URL
}

// stored returns how many users and groups the target holds.
func stored(t testing.TB, target string) (users, groups int) {
	t.Helper()
	count := func(collection string) int {
		req, err := http.NewRequest(http.MethodGet, target+collection+"?count=0", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+replayToken)
		c := &http.Client{Timeout: 10 * time.Second}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var lr struct{ TotalResults int }
		if err := json.NewDecoder(resp.Body).Decode(&lr); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: HTTP %d, %v", collection, resp.StatusCode, err)
		}
		return lr.TotalResults
	}
	return count("/Users"), count("/Groups")
}

// failEvery is the failure-injection double: every nth request (counted
// over the whole server) is refused before it reaches the reference
// server, with 500, 503 and 429 in turn (the last two with Retry-After: 0,
// which the client honours by retrying at once).
func failEvery(n int64, injected *atomic.Int64) func(http.Handler) http.Handler {
	var seen atomic.Int64
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			i := seen.Add(1)
			if i%n != 0 {
				next.ServeHTTP(w, r)
				return
			}
			injected.Add(1)
			status := []int{http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusTooManyRequests}[(i/n)%3]
			if status != http.StatusInternalServerError {
				w.Header().Set("Retry-After", "0")
			}
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"` + http.StatusText(status) + `","detail":"injected failure"}`))
		})
	}
}

func TestLoadAgainstTenPercentFailures(t *testing.T) {
	t.Parallel()
	var injected atomic.Int64
	target, bare := wrappedRefTarget(t, failEvery(10, &injected))
	jsonFile := filepath.Join(t.TempDir(), "summary.json")
	code, out, errOut := loadCmd(context.Background(), t, "-target", target, "-token", replayToken,
		"-users", "300", "-groups", "6", "-members-per-group", "25", "-concurrency", "8", "-json", jsonFile)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFailed, out, errOut)
	}
	if injected.Load() == 0 {
		t.Fatal("the double injected no failure")
	}
	for _, want := range []string{"errors by status", "500: ", "FAIL: ", "failure 1 of "} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, replayToken) || strings.Contains(errOut, replayToken) {
		t.Error("the token appears in the output")
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Errors uint64
		Ops    []struct {
			Op             string
			ErrorsByStatus map[string]uint64
		}
		Residue struct{ Left int }
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("-json: %v\n%s", err, data)
	}
	var by500 uint64
	for _, o := range s.Ops {
		by500 += o.ErrorsByStatus["500"]
	}
	if s.Errors == 0 || by500 == 0 {
		t.Errorf("JSON summary: %d errors, %d by 500; want both > 0", s.Errors, by500)
	}
	if s.Residue.Left != 0 {
		t.Errorf("JSON summary: residue left %d", s.Residue.Left)
	}
	if u, g := stored(t, bare); u != 0 || g != 0 {
		t.Errorf("after cleanup the target still holds %d users and %d groups", u, g)
	}
}

func TestLoadInterruptedStillCleansUp(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen atomic.Int64
	target := refTarget(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if seen.Add(1) == 400 {
				cancel() // Ctrl-C in the middle of the run
			}
			next.ServeHTTP(w, r)
		})
	})
	start := time.Now()
	code, out, errOut := loadCmd(ctx, t, "-target", target, "-token", replayToken,
		"-users", "5000", "-groups", "5", "-members-per-group", "10", "-concurrency", "8")
	if code != exitSignals {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitSignals, out, errOut)
	}
	if !strings.Contains(errOut, "load: interrupted: cleaning up") {
		t.Errorf("stderr does not announce the cleanup:\n%s", errOut)
	}
	if !strings.Contains(out, "stopped early: interrupted") {
		t.Errorf("stdout does not say the run was interrupted:\n%s", out)
	}
	if u, g := stored(t, target); u != 0 || g != 0 {
		t.Errorf("after the interrupt the target still holds %d users and %d groups\n%s", u, g, out)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Minute {
		t.Errorf("the interrupted run took %v", elapsed)
	}
}

func TestLoadUsageAndConnectionErrors(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	gone := httptest.NewServer(http.NotFoundHandler())
	closed := gone.URL
	gone.Close()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no users", []string{"-target", target, "-token", replayToken}, "-users (and/or -groups) is required"},
		{"bad dialect", []string{"-users", "1", "-dialect", "scim2"}, "-dialect"},
		{"unknown app", []string{"-users", "1", "-app", "nope"}, `unknown app profile "nope"`},
		{"bad rate", []string{"-users", "1", "-rate", "fast"}, "want requests per second"},
		{"stray argument", []string{"-users", "1", "extra"}, "unexpected arguments: extra"},
		{"members beyond users", []string{"-target", target, "-token", replayToken, "-users", "2", "-groups", "1", "-members-per-group", "3"}, "members per group must be between 0 and the number of users"},
		{"wrong token", []string{"-target", target, "-token", "wrong", "-users", "1"}, "refused the credential"},
		{"nobody listening", []string{"-target", closed, "-token", replayToken, "-users", "1"}, "cannot reach the target"},
	}
	for _, c := range cases {
		code, out, errOut := loadCmd(context.Background(), t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q (stdout %q)", c.name, code, errOut, exitUsage, c.want, out)
		}
	}
}

func TestLoadHelpMentionsTheInProcessServer(t *testing.T) {
	t.Parallel()
	code, _, errOut := loadCmd(context.Background(), t, "-h")
	if code != exitOK || !strings.Contains(errOut, "Without -target, the run goes against an in-process reference server") {
		t.Errorf("exit %d, help:\n%s", code, errOut)
	}
}

func TestLoadInProcessReferenceServerAndJSONToStdout(t *testing.T) {
	t.Parallel()
	code, out, errOut := loadCmd(context.Background(), t, "-users", "50", "-groups", "2", "-members-per-group", "12",
		"-concurrency", "4", "-dialect", "aadOptscim062020", "-rate", "2000/s", "-json", "-")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "in-process reference server at http://127.0.0.1:") {
		t.Errorf("stderr does not name the in-process server:\n%s", errOut)
	}
	if !strings.Contains(errOut, "load: initial-users: 50/50 users (100%)") {
		t.Errorf("stderr lacks the plain progress line of a non-terminal:\n%s", errOut)
	}
	i := strings.Index(out, "{\n")
	if i < 0 {
		t.Fatalf("no JSON on stdout:\n%s", out)
	}
	var s struct {
		Dialect string
		Errors  uint64
		Ops     []struct{ Op string }
	}
	if err := json.Unmarshal([]byte(out[i:]), &s); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out[i:])
	}
	if s.Dialect != "aadOptscim062020" || s.Errors != 0 || len(s.Ops) == 0 {
		t.Errorf("JSON summary: %+v", s)
	}
}

func TestRateFlag(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"200", 200, true}, {"200/s", 200, true}, {" 12.5/s ", 12.5, true}, {"0", 0, true},
		{"-1", 0, false}, {"fast", 0, false}, {"NaN", 0, false}, {"Inf/s", 0, false}, {"", 0, false}, {"200/min", 0, false},
	}
	for _, c := range cases {
		var v float64
		err := rateFlag{&v}.Set(c.in)
		if (err == nil) != c.ok || (c.ok && v != c.want) {
			t.Errorf("Set(%q) = %v, %v; want %v, ok %v", c.in, v, err, c.want, c.ok)
		}
	}
}

func FuzzRateFlag(f *testing.F) {
	for _, s := range []string{"200", "200/s", "0.5/s", "-3", "1e309", "NaN", "", "/s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v float64
		if err := (rateFlag{&v}).Set(s); err != nil {
			return
		}
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("Set(%q) accepted %v", s, v)
		}
		var again float64
		if err := (rateFlag{&again}).Set(rateFlag{&v}.String()); v != 0 && (err != nil || again != v) {
			t.Fatalf("Set(String()) of %v: %v, %v", v, again, err)
		}
	})
}

func TestLoadKeepLeavesDisabledUsers(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	code, out, errOut := loadCmd(context.Background(), t, "-target", target, "-token", replayToken,
		"-users", "20", "-groups", "2", "-members-per-group", "5", "-concurrency", "4", "-keep")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "kept: everything under scimc-") || tableRow(out, "delete-user") != nil {
		t.Errorf("with -keep the table must say kept and show no deletes:\n%s", out)
	}
	if u, g := stored(t, target); u != 20 || g != 2 {
		t.Errorf("the target holds %d users and %d groups, want 20 and 2", u, g)
	}
	req, err := http.NewRequest(http.MethodGet, target+"/Users?filter="+url.QueryEscape("active eq true"), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+replayToken)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var lr struct{ TotalResults int }
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("filter active eq true: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&lr); err != nil || lr.TotalResults != 0 {
		t.Errorf("%d kept users are still active (%v); deprovisioning must disable them", lr.TotalResults, err)
	}
}
