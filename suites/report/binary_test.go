package report

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
)

// The suite binary is compiled once for every test in this file.
var (
	suiteBinOnce sync.Once
	suiteBin     string
	suiteBinErr  error
)

func compiledSuite(t *testing.T) string {
	t.Helper()
	suiteBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "scimconform-suite-")
		if err != nil {
			suiteBinErr = err
			return
		}
		suiteBin = filepath.Join(dir, "scimconform-conformance")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "test", "-c", "-o", suiteBin, "github.com/scimconform/scimconform/suites").CombinedOutput()
		if err != nil {
			suiteBinErr = fmt.Errorf("go test -c ./suites: %v\n%s", err, out)
		}
	})
	if suiteBinErr != nil {
		t.Fatal(suiteBinErr)
	}
	return suiteBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if suiteBin != "" {
		os.RemoveAll(filepath.Dir(suiteBin))
	}
	os.Exit(code)
}

// runSuite runs the compiled suite with args and environment, bounded in
// time, and returns its combined output and exit error.
func runSuite(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, compiledSuite(t), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func referenceServer(t *testing.T, token string, wrap func(http.Handler) http.Handler) *httptest.Server {
	t.Helper()
	return refservertest.Start(t, refserver.Options{Token: token}, wrap)
}

func TestSuiteBinaryWritesReports(t *testing.T) {
	t.Parallel()
	const token = "e2e-token-7f3a9c1d5b"
	ts := referenceServer(t, token, nil)
	dir := filepath.Join(t.TempDir(), "reports")
	out, err := runSuite(t, []string{"SCIM_TOKEN=" + token, "SCIM_REPORT_DIR=" + dir},
		"-target="+ts.URL, "-profile=entra", "-ginkgo.no-color")
	if err != nil {
		t.Fatalf("the suite failed against the reference server: %v\n%s", err, out)
	}
	if strings.Contains(out, token) {
		t.Error("the console output contains the token")
	}
	for _, want := range []string{"scimconform configuration:", "bearer token <redacted", "area ", "entra "} {
		if !strings.Contains(out, want) {
			t.Errorf("the console output lacks %q:\n%s", want, out)
		}
	}
	files := map[string][]byte{}
	for _, name := range []string{JUnitFile, JSONFile, HTMLFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("report %s: %v", name, err)
		}
		if bytes.Contains(data, []byte(token)) {
			t.Errorf("%s contains the token", name)
		}
		files[name] = data
	}
	var junit reporters.JUnitTestSuites
	if err := xml.Unmarshal(files[JUnitFile], &junit); err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	if junit.Tests == 0 || junit.Failures != 0 {
		t.Errorf("junit.xml: %d tests, %d failures", junit.Tests, junit.Failures)
	}
	for _, tc := range junit.TestSuites[0].TestCases {
		if strings.HasPrefix(tc.Name, "[It]") {
			t.Errorf("junit test case %q carries the node type", tc.Name)
		}
	}
	var reports []types.Report
	if err := json.Unmarshal(files[JSONFile], &reports); err != nil || len(reports) != 1 {
		t.Fatalf("report.json does not parse as one Ginkgo report: %v", err)
	}
	passed := 0
	for _, s := range reports[0].SpecReports {
		if s.LeafNodeType == types.NodeTypeIt && s.State == types.SpecStatePassed {
			passed++
		}
	}
	if passed == 0 {
		t.Error("report.json has no passed spec")
	}
	html := string(files[HTMLFile])
	for _, want := range []string{"<!DOCTYPE html>", "scimconform conformance report", `id="area-entra"`, "Transcript ("} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

func TestSuiteBinaryRejectsBadConfiguration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  []string
		args []string
		want []string
	}{
		{"bad URL and unknown options", nil, []string{"-target=ftp://example.com", "-dialect=aad", "-profile=okta", "-app=nope"},
			[]string{"invalid configuration", `-target "ftp://example.com" must start with https://`, `-dialect "aad"`, `-profile "okta"`, `-app "nope"`}},
		{"remote target without token", nil, []string{"-target=https://app.example.com/scim"},
			[]string{"no credential", "SCIM_TOKEN"}},
		{"malformed environment", []string{"SCIM_TIMEOUT=soon"}, nil,
			[]string{"SCIM_TIMEOUT", "not a duration"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := runSuite(t, append([]string{"SCIM_TARGET=", "SCIM_TOKEN="}, tc.env...), tc.args...)
			if err == nil {
				t.Fatalf("the suite accepted a bad configuration:\n%s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "Ran ") {
				t.Errorf("specs ran despite the bad configuration:\n%s", out)
			}
		})
	}
}

// A TLS target with a certificate the machine does not trust fails once,
// before any spec, saying so; -insecure or -ca-file runs against it.
func TestSuiteBinaryTLSTarget(t *testing.T) {
	t.Parallel()
	const token = "tls-token-5e6f7a8b9c"
	srv, err := refserver.New(refserver.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv)
	t.Cleanup(ts.Close)
	env := []string{"SCIM_TOKEN=" + token}
	out, err := runSuite(t, env, "-target="+ts.URL, "-profile=entra", "-dialect=default", "-ginkgo.no-color")
	if err == nil {
		t.Fatalf("the suite trusted a self-signed certificate:\n%s", out)
	}
	for _, want := range []string{"cannot reach the target", "certificate", "Ran 0 of"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = runSuite(t, env, "-target="+ts.URL, "-profile=entra", "-dialect=default", "-insecure", "-ginkgo.no-color")
	if err != nil {
		t.Fatalf("-insecure did not run against the TLS target: %v\n%s", err, out)
	}
	if !strings.Contains(out, "insecure    true") {
		t.Errorf("the configuration print does not show -insecure:\n%s", out)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	if err := os.WriteFile(ca, pemCert, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = runSuite(t, append(env, "SCIM_CA_FILE="+ca), "-target="+ts.URL, "-profile=entra", "-dialect=default", "-ginkgo.no-color")
	if err != nil {
		t.Fatalf("-ca-file with the server's certificate did not verify it: %v\n%s", err, out)
	}
}

// Users that cleanup believed deleted but the target kept are found by the
// residue check after the run, reported as a failure and deleted. The
// target here pretends to delete users until the residue check lists them
// (the only "sw" filter an Entra-profile run sends).
func TestSuiteBinaryReportsResidue(t *testing.T) {
	t.Parallel()
	const token = "residue-token-0a1b2c3d4e"
	var mu sync.Mutex
	lied, checking := 0, false
	lying := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			if r.Method == http.MethodGet && strings.Contains(r.URL.Query().Get("filter"), " sw ") {
				checking = true
			}
			lie := r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/Users/") && !checking
			if lie {
				lied++
			}
			mu.Unlock()
			if lie { // answer "deleted" and keep the user
				w.WriteHeader(http.StatusNoContent)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	ts := referenceServer(t, token, lying)
	out, err := runSuite(t, []string{"SCIM_TOKEN=" + token}, "-target="+ts.URL, "-profile=entra", "-dialect=default", "-ginkgo.no-color")
	if err == nil {
		t.Fatalf("a run that left users behind passed:\n%s", out)
	}
	mu.Lock()
	lies, checked := lied, checking
	mu.Unlock() // the target's handler takes mu: release it before asking the target
	if lies == 0 || !checked {
		t.Fatalf("the run deleted no user (%d) or never checked for residue (%v):\n%s", lies, checked, out)
	}
	for _, want := range []string{"resource(s) on the target that cleanup did not delete", "they have now been deleted", "suite: SynchronizedAfterSuite failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/Users", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		TotalResults int `json:"totalResults"`
	}
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil || list.TotalResults != 0 {
		t.Errorf("after the residue check the target holds %d user(s) (%v)", list.TotalResults, err)
	}
}

// An interrupted run still deletes what it created: the suite gets SIGINT
// while its first Entra sequence holds a user, and afterwards the target
// holds no user and no group.
func TestSuiteBinaryCleansUpWhenInterrupted(t *testing.T) {
	t.Parallel()
	const token = "interrupt-token-31337abc"
	created := make(chan struct{})
	var once sync.Once
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := &statusRecorder{ResponseWriter: w}
			next.ServeHTTP(rec, r)
			if r.Method == http.MethodPost && rec.status == http.StatusCreated {
				once.Do(func() { close(created) })
			}
			time.Sleep(20 * time.Millisecond) // keep the run going long enough to interrupt it
		})
	}
	ts := referenceServer(t, token, slow)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, compiledSuite(t), "-target="+ts.URL, "-profile=entra", "-ginkgo.no-color")
	cmd.Env = append(os.Environ(), "SCIM_TOKEN="+token)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-created:
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("the suite created nothing within a minute:\n%s", out.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Errorf("an interrupted run exited 0:\n%s", out.String())
	}
	for _, path := range []string{"/Users", "/Groups"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var list struct {
			TotalResults int `json:"totalResults"`
		}
		err = json.NewDecoder(resp.Body).Decode(&list)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("list %s: %v", path, err)
		}
		if list.TotalResults != 0 {
			t.Errorf("after the interrupted run %s holds %d resource(s):\n%s", path, list.TotalResults, out.String())
		}
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
