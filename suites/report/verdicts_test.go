package report

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
	"github.com/scimconform/scimconform/suites/framework"
)

// readRun reads the report.json a run of the suite wrote into dir.
func readRun(t *testing.T, dir string) types.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, JSONFile))
	if err != nil {
		t.Fatalf("the run wrote no report.json: %v", err)
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("report.json does not parse as one Ginkgo report: %v", err)
	}
	return reports[0]
}

// its are the It specs of a report by full name.
func its(r types.Report) map[string]types.SpecReport {
	out := map[string]types.SpecReport{}
	for _, s := range r.SpecReports {
		if s.LeafNodeType == types.NodeTypeIt && !(s.State == types.SpecStateSkipped && s.RunTime == 0) {
			out[s.FullText()] = s
		}
	}
	return out
}

// entryTexts are the string values of a spec's report entries named name.
func entryTexts(s types.SpecReport, name string) []string {
	var out []string
	for _, e := range s.ReportEntries {
		if e.Name == name {
			var v string
			if json.Unmarshal([]byte(e.Value.AsJSON), &v) != nil {
				v = e.Value.Representation
			}
			out = append(out, v)
		}
	}
	return out
}

// withoutSCIMEnv drops the developer's own SCIM_* settings and GOFLAGS
// from the environment of a child process.
func withoutSCIMEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SCIM_") && !strings.HasPrefix(kv, "GOFLAGS=") {
			out = append(out, kv)
		}
	}
	return out
}

// coFilter reports whether r carries a filter with the co operator: the
// only SHOULD-level spec sending one is a filter case, and no setup does.
func coFilter(r *http.Request) bool {
	return strings.Contains(r.URL.Query().Get("filter"), " co ")
}

// A server that fails on the request a SHOULD-level spec is about (it
// closes the connection, resets it or answers 500) fails that spec: a
// crash is never a warning, let alone a pass.
func TestSuiteBinaryFailsShouldSpecsTheServerFailsOn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fail   func(w http.ResponseWriter)
		reason string
	}{
		{"connection closed without a response", func(w http.ResponseWriter) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}, "the server returned no response"},
		{"connection reset", func(w http.ResponseWriter) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				if tcp, ok := conn.(*net.TCPConn); ok {
					_ = tcp.SetLinger(0) // close with a reset
				}
				conn.Close()
			}
		}, "the server returned no response"},
		{"internal error", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", framework.SCIMMediaType)
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"crashed"}`)
		}, "the server returned an internal error (HTTP 500 Internal Server Error)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token := "crash-token-" + strings.ReplaceAll(tc.name, " ", "-")
			var failures atomic.Int32
			ts := referenceServer(t, token, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if coFilter(r) {
						failures.Add(1)
						tc.fail(w)
						return
					}
					next.ServeHTTP(w, r)
				})
			})
			dir := t.TempDir()
			out, err := runSuite(t, []string{"SCIM_TOKEN=" + token, "SCIM_REPORT_DIR=" + dir},
				"-target="+ts.URL, "-ginkgo.label-filter=should", "-ginkgo.no-color")
			if err == nil {
				t.Fatalf("the run passed although the server failed on a request:\n%s", out)
			}
			if failures.Load() == 0 {
				t.Fatalf("no SHOULD-level spec sent a co filter: pick another request to fail on\n%s", out)
			}
			var failed []string
			for name, s := range its(readRun(t, dir)) {
				crashed := false
				for _, rec := range entryTexts(s, framework.EntryExchange) {
					crashed = crashed || strings.Contains(rec, "+co+") || strings.Contains(rec, "%20co%20")
				}
				switch {
				case crashed && s.State != types.SpecStateFailed:
					t.Errorf("%s: the server failed on its request, yet it ended %s with warnings %q", name, s.State, entryTexts(s, framework.EntryWarning))
				case crashed:
					failed = append(failed, name)
					msg := s.Failure.Message
					if !strings.HasPrefix(msg, tc.reason) || !strings.Contains(msg, "whatever its level") {
						t.Errorf("%s: the failure does not say %q first:\n%s", name, tc.reason, msg)
					}
					for _, rule := range entryTexts(s, framework.EntryRule) {
						if !strings.Contains(msg, "rule: "+rule) {
							t.Errorf("%s: the failure does not state its rule %q:\n%s", name, rule, msg)
						}
					}
					if !slices.Contains(s.Labels(), framework.LabelShould) {
						t.Errorf("%s is not a SHOULD-level spec", name)
					}
				case s.State != types.SpecStatePassed:
					t.Errorf("%s: %s, though the server answered all its requests:\n%s", name, s.State, s.Failure.Message)
				}
			}
			if len(failed) == 0 {
				t.Fatalf("no spec's transcript holds the request the server failed on")
			}
			for _, name := range failed {
				if !strings.Contains(out, FocusPattern(name)+"\n") || !strings.Contains(out, "why: "+tc.reason) {
					t.Errorf("the console does not list %q with the reason %q:\n%s", name, tc.reason, out)
				}
			}
		})
	}
}

// A target without /ServiceProviderConfig gets the Entra-relevant checks
// run regardless, a loud notice in the console and every report, and the
// features stated with SCIM_FEATURES standing in for the document.
func TestSuiteBinaryWithoutServiceProviderConfig(t *testing.T) {
	t.Parallel()
	const token = "no-spc-token-5a6b7c8d"
	ts := referenceServer(t, token, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/ServiceProviderConfig" {
				http.NotFound(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	const notice = "The target has no usable /ServiceProviderConfig"
	tests := []struct {
		name     string
		features string
		// unknown: specs needing PATCH are skipped as unknown (else they run)
		unknown bool
	}{
		{"no features stated", "", true},
		{"features stated", "patch,filter", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			env := []string{"SCIM_TOKEN=" + token, "SCIM_REPORT_DIR=" + dir}
			if tc.features != "" {
				env = append(env, "SCIM_FEATURES="+tc.features)
			}
			out, err := runSuite(t, env, "-target="+ts.URL, "-ginkgo.label-filter=patch", "-ginkgo.no-color")
			if err != nil {
				t.Fatalf("the run failed: %v\n%s", err, out)
			}
			r := readRun(t, dir)
			entra, rfcPatch, unknown := 0, 0, 0
			for name, s := range its(r) {
				if slices.Contains(s.Labels(), framework.LabelSourceEntra) && strings.HasPrefix(name, "PATCH as Microsoft Entra ID") {
					entra++
					if s.State != types.SpecStatePassed {
						t.Errorf("%s: %s (%s); Entra-relevant checks never depend on /ServiceProviderConfig", name, s.State, s.Failure.Message)
					}
					continue
				}
				if strings.HasPrefix(name, "PATCH /Users/{id}") {
					rfcPatch++
				}
				if s.State == types.SpecStateSkipped && strings.HasPrefix(s.Failure.Message, framework.SkipFeatureUnknown) {
					unknown++
				}
				if !tc.unknown && s.State != types.SpecStatePassed {
					t.Errorf("%s: %s (%s), with -features %s", name, s.State, s.Failure.Message, tc.features)
				}
			}
			if entra == 0 || rfcPatch == 0 {
				t.Fatalf("the run has %d Entra PATCH specs and %d RFC PATCH specs; want some of each", entra, rfcPatch)
			}
			html, err := os.ReadFile(filepath.Join(dir, HTMLFile))
			if err != nil {
				t.Fatal(err)
			}
			var notices []string
			for _, s := range r.SpecReports {
				notices = append(notices, entryTexts(s, framework.EntryNotice)...)
			}
			if !tc.unknown {
				if unknown > 0 || strings.Contains(out, notice) || len(notices) > 0 {
					t.Errorf("with -features the run still reports unknown features (%d skipped):\n%s", unknown, out)
				}
				if !strings.Contains(out, "features    "+tc.features) {
					t.Errorf("the configuration print does not show the features:\n%s", out)
				}
				return
			}
			if unknown < rfcPatch {
				t.Errorf("%d of %d RFC PATCH specs were skipped for an unknown feature", unknown, rfcPatch)
			}
			for _, want := range []string{"!! " + notice, "-features", fmt.Sprintf("!! %d specs were skipped because nothing said", unknown)} {
				if !strings.Contains(out, want) {
					t.Errorf("the console lacks %q:\n%s", want, out)
				}
			}
			if len(notices) != 1 || !strings.HasPrefix(notices[0], notice) {
				t.Errorf("report.json holds the notices %q", notices)
			}
			if !strings.Contains(string(html), `<div class="notice"><p>`+notice) {
				t.Error("report.html does not show the notice")
			}
		})
	}
}

// gomegaDump matches what no failure may show: a value in Gomega's layout
// with its Go type, and fmt's marks of a misused format string.
var gomegaDump = regexp.MustCompile(`Expected\n\s+<|(?m)^\s*<(string|bool|int|float64|nil|map\[|\[\]|\*)[^>\n]*>: |\| len:\d+|%!`)

// Against a server with (almost) every fault on, every failure and warning,
// on the console and in every report, states what SCIM expects in words:
// no Gomega dump and no garbled format string; each failed spec's failure
// states the rules it enforces.
func TestSuiteBinaryFailuresSpeakSCIM(t *testing.T) {
	t.Parallel()
	const token = "faulty-token-2c4e6a8b"
	var faults []string
	for _, f := range refserver.FaultNames() {
		// With this one the ServiceProviderConfig cannot be read and most
		// specs are skipped: leave it out so that they fail instead.
		if f != "spc-supported-strings" {
			faults = append(faults, f)
		}
	}
	ts := refservertest.Start(t, refserver.Options{Token: token, Faults: faults}, nil)
	dir := t.TempDir()
	out, err := runSuite(t, []string{"SCIM_TOKEN=" + token, "SCIM_REPORT_DIR=" + dir}, "-target="+ts.URL, "-ginkgo.no-color")
	if err == nil {
		t.Fatalf("the run passed against a faulty server:\n%s", out)
	}
	if m := gomegaDump.FindString(out); m != "" {
		t.Errorf("the console shows %q:\n%s", m, around(out, m))
	}
	r := readRun(t, dir)
	failed := 0
	for name, s := range its(r) {
		texts := append(entryTexts(s, framework.EntryWarning), s.Failure.Message)
		for _, text := range texts {
			if m := gomegaDump.FindString(text); m != "" {
				t.Errorf("%s: report.json shows %q:\n%s", name, m, text)
			}
		}
		if !s.State.Is(types.SpecStateFailureStates) {
			continue
		}
		failed++
		for _, rule := range entryTexts(s, framework.EntryRule) {
			if !strings.Contains(s.Failure.Message, rule) {
				t.Errorf("%s: the failure does not state its rule %q:\n%s", name, rule, s.Failure.Message)
			}
		}
	}
	if failed < 100 {
		t.Errorf("only %d specs failed against a server with %d faults on", failed, len(faults))
	}
	junitData, err := os.ReadFile(filepath.Join(dir, JUnitFile))
	if err != nil {
		t.Fatal(err)
	}
	var junit reporters.JUnitTestSuites
	if err := xml.Unmarshal(junitData, &junit); err != nil {
		t.Fatal(err)
	}
	for _, tc := range junit.TestSuites[0].TestCases {
		if tc.Failure != nil {
			if m := gomegaDump.FindString(tc.Failure.Message); m != "" {
				t.Errorf("%s: junit.xml shows %q", tc.Name, m)
			}
		}
	}
	page, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	if text := html.UnescapeString(string(page)); gomegaDump.MatchString(text) {
		m := gomegaDump.FindString(text)
		t.Errorf("report.html shows %q:\n%s", m, around(text, m))
	}
}

// around is the text near the first occurrence of m, for a diagnostic.
func around(text, m string) string {
	i := strings.Index(text, m)
	start, end := max(0, i-600), min(len(text), i+len(m)+300)
	return text[start:end]
}

// acceptFile writes a baseline into dir and returns its path.
func acceptFile(t *testing.T, dir, content string) string {
	t.Helper()
	path := filepath.Join(dir, "accept.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// With -accept, a run whose failures are all accepted passes and lists
// them apart; an expired entry accepts nothing and says so; an entry that
// accepts nothing is reported; a malformed file stops the run before any
// request.
func TestSuiteBinaryAcceptsDeviations(t *testing.T) {
	t.Parallel()
	const token = "accept-token-1f2e3d4c"
	var requests atomic.Int32
	ts := refservertest.Start(t, refserver.Options{Token: token, Faults: []string{"etag-missing"}}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			next.ServeHTTP(w, r)
		})
	})
	run := func(t *testing.T, accept string) (string, error, string) {
		t.Helper()
		dir := t.TempDir()
		env := []string{"SCIM_TOKEN=" + token, "SCIM_REPORT_DIR=" + dir}
		if accept != "" {
			env = append(env, "SCIM_ACCEPT="+acceptFile(t, t.TempDir(), accept))
		}
		out, err := runSuite(t, env, "-target="+ts.URL, "-ginkgo.label-filter=etag", "-ginkgo.no-color")
		return out, err, dir
	}

	// The specs this fault fails, as the run names them.
	_, err, dir := run(t, "")
	if err == nil {
		t.Fatal("the run against a server without ETags passed")
	}
	var names []string
	for name, s := range its(readRun(t, dir)) {
		if s.State == types.SpecStateFailed {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) < 2 {
		t.Fatalf("want two failed specs or more, got %q", names)
	}
	quoted := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	lastMonth := time.Now().UTC().AddDate(0, -1, 0).Format(time.DateOnly)

	t.Run("every failure accepted", func(t *testing.T) {
		out, err, dir := run(t, fmt.Sprintf(`accept:
  - spec: %s
    reason: "ETags come with the next release (APP-1)"
    expires: %s
  - label: etag
    reason: the rest of the ETag work
  - spec: "ETags and versions a spec that was renamed long ago"
    reason: stale
  - label: sort
    reason: old
    expires: %s
`, quoted(names[0]), tomorrow, lastMonth))
		if err != nil {
			t.Fatalf("the run failed although every failure is accepted: %v\n%s", err, out)
		}
		for _, want := range []string{
			"scimconform: PASSED in", fmt.Sprintf("(%d accepted failures)", len(names)),
			"Accepted failures (listed in ", "accepted by line 2 (expires " + tomorrow + "): ETags come with the next release (APP-1)",
			`accepted by line 5 (label "etag"): the rest of the ETag work`,
			"that accepted nothing in this run; remove them so the file shrinks:\n  line 7, spec \"ETags and versions a spec that was renamed long ago\": no spec of this run has this name",
			"Expired entries of ", `line 9, label "sort", expired ` + lastMonth + ": no spec it names failed",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the console lacks %q:\n%s", want, out)
			}
		}
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^  etag +\d+ +0 +%d `, len(names))).MatchString(out) {
			t.Errorf("the etag row does not count %d accepted and 0 failed:\n%s", len(names), out)
		}
		if strings.Contains(out, "Failed specs;") {
			t.Errorf("the console lists failed specs:\n%s", out)
		}
		r := readRun(t, dir)
		if !r.SuiteSucceeded {
			t.Error("report.json says the suite failed")
		}
		accepted := 0
		for _, s := range its(r) {
			if len(entryTexts(s, framework.EntryAccepted)) == 1 && s.State == types.SpecStateFailed {
				accepted++
			}
		}
		if accepted != len(names) {
			t.Errorf("report.json marks %d failures accepted, want %d", accepted, len(names))
		}
		data, err := os.ReadFile(filepath.Join(dir, JUnitFile))
		if err != nil {
			t.Fatal(err)
		}
		var junit reporters.JUnitTestSuites
		if err := xml.Unmarshal(data, &junit); err != nil {
			t.Fatal(err)
		}
		skippedAccepted := 0
		for _, tc := range junit.TestSuites[0].TestCases {
			if tc.Skipped != nil && strings.HasPrefix(tc.Skipped.Message, "skipped - accepted deviation: line ") {
				skippedAccepted++
			}
		}
		if junit.Failures != 0 || skippedAccepted != len(names) {
			t.Errorf("junit.xml: %d failures and %d accepted deviations, want 0 and %d", junit.Failures, skippedAccepted, len(names))
		}
		page, err := os.ReadFile(filepath.Join(dir, HTMLFile))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`<section class="baseline" id="accepted">`, `<span class="badge accepted">ACCEPTED</span>`, "Expired entries"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("report.html lacks %q", want)
			}
		}
	})

	t.Run("an expired entry accepts nothing", func(t *testing.T) {
		out, err, _ := run(t, fmt.Sprintf(`accept:
  - spec: %s
    reason: first
  - label: etag
    reason: the rest
    expires: %s
`, quoted(names[0]), lastMonth))
		if err == nil {
			t.Fatalf("the run passed although an expired entry was all that accepted some failures:\n%s", out)
		}
		for _, name := range names[1:] {
			if !strings.Contains(out, FocusPattern(name)+"\n") {
				t.Errorf("the console does not list %q as failed:\n%s", name, out)
			}
		}
		for _, want := range []string{"accepted this until " + lastMonth + "; it has expired", fmt.Sprintf("%d failures it named count again", len(names)-1)} {
			if !strings.Contains(out, want) {
				t.Errorf("the console lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, FocusPattern(names[0])+"\n") {
			t.Errorf("the console lists the accepted %q as failed:\n%s", names[0], out)
		}
	})

	t.Run("a malformed file stops the run before any request", func(t *testing.T) {
		before := requests.Load()
		out, err, _ := run(t, "accept:\n  - spec: "+quoted(names[0])+"\n    expires: soon\n")
		if err == nil {
			t.Fatalf("the run accepted a malformed file:\n%s", out)
		}
		for _, want := range []string{"invalid configuration", "-accept", "line 2: the entry has no reason", `line 2: expires "soon" is not a date`} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "Ran ") {
			t.Errorf("specs ran despite the malformed file:\n%s", out)
		}
		if n := requests.Load() - before; n != 0 {
			t.Errorf("the run sent %d requests before rejecting the file", n)
		}
	})
}

// `go test ./suites` configured through SCIM_* variables alone must test
// the target every time: the second run, with the target down, fails
// instead of replaying the first run's cached "ok".
func TestGoTestNeverCachesAVerdict(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to run go test ./suites: %v", err)
	}
	root, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	const token = "cache-token-9e8d7c6b"
	srv, err := refserver.New(refserver.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	goTest := func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, goTool, "test", "./suites")
		cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
		cmd.Env = append(withoutSCIMEnv(), "SCIM_TARGET="+ts.URL, "SCIM_TOKEN="+token, "SCIM_PROFILE=entra", "SCIM_DIALECT=default")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := goTest()
	if err != nil {
		t.Fatalf("go test ./suites against the reference server failed: %v\n%s", err, out)
	}
	if strings.Contains(out, "(cached)") {
		t.Fatalf("the first run was replayed from the cache:\n%s", out)
	}
	ts.Close()
	out, err = goTest()
	if strings.Contains(out, "(cached)") {
		t.Fatalf("go test replayed a cached verdict although the target is down:\n%s", out)
	}
	if err == nil || !strings.Contains(out, "cannot reach the target") {
		t.Fatalf("with the target down go test ./suites did not fail saying so: %v\n%s", err, out)
	}
}
