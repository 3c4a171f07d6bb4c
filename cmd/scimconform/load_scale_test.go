package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadTwentyThousandUsers is the acceptance run of load mode:
// `scimconform load -users 20000 -concurrency 16` against the reference
// server finishes with zero errors, prints the table and leaves nothing.
// It sends 140 000 requests: about 20 s, or 3.5 min under the race
// detector, on a busy two-core machine.
func TestLoadTwentyThousandUsers(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	jsonFile := filepath.Join(t.TempDir(), "load.json")
	code, out, errOut := loadCmd(context.Background(), t, "-target", target, "-token", replayToken,
		"-users", "20000", "-concurrency", "16", "-json", jsonFile)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr (tail):\n%s", code, out, tail(errOut, 2000))
	}
	t.Logf("\n%s", out)
	for _, row := range []string{"initial-users", "incremental", "deprovision"} {
		if f := tableRow(out, row); len(f) < 3 || f[1] != "20000" || f[2] != "20000" {
			t.Errorf("phase row %s = %q, want 20000 of 20000 done", row, f)
		}
	}
	for _, op := range []string{"query-user", "create-user", "find-user", "patch-user", "disable-user", "get-user", "delete-user"} {
		if f := tableRow(out, op); len(f) < 9 || f[1] != "20000" || f[2] != "0" {
			t.Errorf("operation row %s = %q, want 20000 requests, 0 errors and latencies", op, f)
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
	if s.Users != 20000 || s.Errors != 0 || s.Requests < 7*20000 {
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
