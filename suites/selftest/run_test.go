package selftest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
)

const (
	// buildTimeout bounds compiling the suites.
	buildTimeout = 5 * time.Minute
	// runTimeout bounds one run of the suites against one server.
	runTimeout = 4 * time.Minute
	// seed fixes Ginkgo's spec order so that every run is comparable.
	seed = "1"
)

// buildSuites compiles the conformance suites into dir and returns the
// binary's path. It is built without -race: the binary only drives HTTP.
func buildSuites(dir string) (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("find the go command to build the suites: %w", err)
	}
	root, err := moduleRoot(goTool)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "suites.test")
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, "test", "-c", "-o", bin, "./suites")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build the suites (go test -c ./suites): %w\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot is the directory of the module's go.mod.
func moduleRoot(goTool string) (string, error) {
	out, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("locate the module (go env GOMOD): %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("locate the module: go env GOMOD names no go.mod")
	}
	return filepath.Dir(mod), nil
}

// runSlots bounds the suite runs in flight (each is a process driving its
// own server), whatever -test.parallel allows: a run holds a slot while
// its server and the suites are up.
var runSlots = make(chan struct{}, maxParallelRuns)

// runAgainst starts the reference server with faults on 127.0.0.1, runs the
// suite binary against it and returns what the JSON report shows.
func runAgainst(t *testing.T, faults ...string) runResult {
	t.Helper()
	return runWith(t, fmt.Sprintf("faults %v", faults), refserver.Options{Faults: faults}, nil)
}

// runBehind is runAgainst with the server behind wrap.
func runBehind(t *testing.T, wrap func(http.Handler) http.Handler, faults ...string) runResult {
	t.Helper()
	return runWith(t, fmt.Sprintf("faults %v behind a wrapper", faults), refserver.Options{Faults: faults}, wrap)
}

// runWith is runAgainst for a server built from opts (the token is chosen
// here) behind wrap (nil for none); what names the server in messages.
func runWith(t *testing.T, what string, opts refserver.Options, wrap func(http.Handler) http.Handler) runResult {
	t.Helper()
	runSlots <- struct{}{}
	defer func() { <-runSlots }()
	opts.Token = rand.Text()
	ts := refservertest.Start(t, opts, wrap)
	defer ts.Close()
	res, out, runErr := runSuites(t, ts.URL, opts.Token)
	if res == nil {
		t.Fatalf("run the suites against %s: no report (exit: %v)\n%s", what, runErr, tail(out, 40))
	}
	return *res
}

// runSuites runs the suite binary against target with extra arguments and
// returns the JSON report (nil, with the reason in the output, when it
// wrote none), the combined output and the exit error.
func runSuites(t *testing.T, target, token string, args ...string) (*runResult, string, error) {
	t.Helper()
	reportDir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, suiteBinary, append([]string{
		"-target", target, "-token", token, "-report-dir", reportDir,
		"-ginkgo.seed=" + seed, "-ginkgo.no-color", "-test.timeout=" + runTimeout.String()}, args...)...)
	cmd.Env = withoutSCIMEnv(os.Environ())
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run() // a failing suite exits non-zero; the report says why
	if ctx.Err() != nil {
		t.Fatalf("the suites against %s %v did not finish within %s:\n%s", target, args, runTimeout, tail(out.String(), 40))
	}
	res, err := readReport(filepath.Join(reportDir, "report.json"))
	if err != nil {
		return nil, out.String() + "\n" + err.Error(), runErr
	}
	for _, p := range messageProblems(res) {
		t.Errorf("the suites against %s: %s", target, p)
	}
	return &res, out.String(), runErr
}

// withoutSCIMEnv drops the suite's own environment variables, so that a
// developer's SCIM_TARGET or SCIM_PROFILE cannot redirect or narrow a run.
func withoutSCIMEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "SCIM_") {
			out = append(out, kv)
		}
	}
	return out
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
