package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// scaleUsers is the size of TestLoadAtScale: the acceptance run's 20 000
// users, or 2 000 under the race detector. The race detector makes every
// request several times as costly (20 000 users took 1.5 to 3.5 minutes of
// make test on a busy two-core machine, 20 s without it), and what it
// checks, that the workers, the tallies and the progress ticker share
// nothing unguarded, shows as well at 2 000 with the same 16 workers.
// BenchmarkLoadTwentyThousandUsers runs the full size under any build.
func scaleUsers() int {
	if raceEnabled {
		return 2_000
	}
	return 20_000
}

// TestLoadAtScale is the acceptance run of load mode:
// `scimconform load -users 20000 -concurrency 16` against the reference
// server finishes with zero errors, prints the table and leaves nothing
// (with scaleUsers users).
func TestLoadAtScale(t *testing.T) {
	t.Parallel()
	loadAtScale(t, scaleUsers())
}

// BenchmarkLoadTwentyThousandUsers is the acceptance run at its full size,
// 140 000 requests, whatever the build (make bench runs it once), with the
// same checks as TestLoadAtScale; it reports requests per second.
func BenchmarkLoadTwentyThousandUsers(b *testing.B) {
	for b.Loop() {
		loadAtScale(b, 20_000)
	}
	b.ReportMetric(float64(7*20_000*b.N)/b.Elapsed().Seconds(), "req/s")
}

// loadAtScale runs `scimconform load -users n -concurrency 16` against
// a fresh reference server and checks the run: every phase and request
// done without an error, the latency table printed, nothing left.
func loadAtScale(t testing.TB, n int) {
	target := refTarget(t, nil)
	jsonFile := filepath.Join(t.TempDir(), "load.json")
	count := strconv.Itoa(n)
	code, out, errOut := loadCmd(context.Background(), t, "-target", target, "-token", replayToken,
		"-users", count, "-concurrency", "16", "-json", jsonFile)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr (tail):\n%s", code, out, tail(errOut, 2000))
	}
	t.Logf("\n%s", out)
	for _, row := range []string{"initial-users", "incremental", "deprovision"} {
		if f := tableRow(out, row); len(f) < 3 || f[1] != count || f[2] != count {
			t.Errorf("phase row %s = %q, want %s of %s done", row, f, count, count)
		}
	}
	for _, op := range []string{"query-user", "create-user", "find-user", "patch-user", "disable-user", "get-user", "delete-user"} {
		if f := tableRow(out, op); len(f) < 9 || f[1] != count || f[2] != "0" {
			t.Errorf("operation row %s = %q, want %s requests, 0 errors and latencies", op, f, count)
		}
	}
	for _, want := range []string{"p50", "p90", "p99", "max", "errors by status", "0 left", "PASS: "} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Users    int
		Requests uint64
		Errors   uint64
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Users != n || s.Errors != 0 || s.Requests < uint64(7*n) {
		t.Errorf("JSON summary: %+v", s)
	}
	if u, g := stored(t, target); u != 0 || g != 0 {
		t.Errorf("the target still holds %d users and %d groups", u, g)
	}
}

// tableRow returns the fields of the table line that starts with name.
func tableRow(out, name string) []string {
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == name {
			return f
		}
	}
	return nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
