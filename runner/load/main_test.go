package load

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
)

// childServerEnv, when set in the environment, turns the test binary into
// a reference server (see serveChild), so a benchmark can measure the
// runner and the server as separate processes.
const childServerEnv = "SCIMCONFORM_LOAD_CHILD_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(childServerEnv) != "" {
		os.Exit(serveChild(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// serveChild serves the reference server on 127.0.0.1, prints its URL,
// and exits when stdin closes (the parent is done or gone).
func serveChild(stdin io.Reader, stdout io.Writer) int {
	srv, err := refserver.New(refserver.Options{Token: testToken})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	fmt.Fprintf(stdout, "http://%s\n", ln.Addr())
	_, _ = io.Copy(io.Discard, stdin)
	_ = hs.Close()
	return 0
}

// childServer starts the reference server in a child process and returns
// its URL and a function that reads the child's peak RSS.
func childServer(tb testing.TB) (target string, peakRSS func() (int64, error)) {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), childServerEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case target = <-line:
	case <-time.After(30 * time.Second):
		tb.Fatal("the child reference server did not start within 30s")
	}
	if !strings.HasPrefix(target, "http://127.0.0.1:") {
		tb.Fatalf("the child reference server printed %q", target)
	}
	pid := cmd.Process.Pid
	return target, func() (int64, error) { return vmHWM(fmt.Sprintf("/proc/%d/status", pid)) }
}

// vmHWM reads a process's peak resident set size in bytes.
func vmHWM(statusFile string) (int64, error) {
	data, err := os.ReadFile(statusFile)
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: VmHWM %q: %v", statusFile, v, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("%s has no VmHWM line", statusFile)
}

// resetPeakRSS restarts this process's VmHWM from its current RSS (Linux:
// writing 5 to clear_refs), so a benchmark measures its own peak.
func resetPeakRSS() error {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
