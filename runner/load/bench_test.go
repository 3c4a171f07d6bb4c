package load

import (
	"context"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// Benchmarks of load mode (make bench):
//
//	go test -run '^$' -bench . -benchtime 1x ./runner/load/
//
// Each sub-benchmark runs an initial cycle of LOAD_BENCH_USERS users
// (default 100 000, the target size) with 16 workers, then cleans
// up, and reports users/s of the initial cycle and users per CPU-second
// of this process (the machine may be shared; CPU time is steadier than
// wall time):
//
//   - reference: against the reference server in this process, over
//     loopback (httptest.NewServer);
//   - ceiling: against a net/http handler answering fixed JSON, the most
//     loopback and the harness allow; it also reports the ratio
//     reference/ceiling of users/s;
//   - reference-process: against the reference server in a child process,
//     so the runner's peak RSS (runner-MB) and the server's (server-MB,
//     with every user of the cycle stored) are measured apart.

func benchUsers(b *testing.B) int {
	if s := os.Getenv("LOAD_BENCH_USERS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("LOAD_BENCH_USERS=%q: want a positive number", s)
		}
		return n
	}
	return 100_000
}

// fixedJSON is the loopback ceiling: a handler that answers every request
// with a fixed body shaped so the initial cycle's checks pass, doing no
// work.
func fixedJSON() http.Handler {
	list := []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[],"startIndex":1,"itemsPerPage":0}`)
	user := []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"8c601452cc934a9ebef9","userName":"fixed"}`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		switch r.Method {
		case http.MethodGet:
			_, _ = w.Write(list)
		case http.MethodPost:
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(user)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
}

// cpuTime is this process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchInitial runs initial cycles of n users against target and reports
// users/s and users per CPU-second of the initial-users phase.
func benchInitial(b *testing.B, target string, n int) float64 {
	b.Helper()
	client, app := testClient(b, target), testApp(b)
	var users, elapsed, cpu float64
	for b.Loop() {
		// The cycle's CPU time is read around the whole run minus cleanup;
		// the phase timing comes from the summary.
		c0 := cpuTime()
		s, err := Run(context.Background(), Config{Client: client, App: app, Users: n, Concurrency: 16,
			InitialOnly: true, Keep: true})
		c1 := cpuTime()
		if err != nil {
			b.Fatal(err)
		}
		if s.Errors != 0 || s.Stopped != "" {
			b.Fatalf("run failed: %d errors, stopped %q", s.Errors, s.Stopped)
		}
		users += float64(s.Phases[0].Done)
		elapsed += s.Phases[0].ElapsedMS / 1000
		cpu += (c1 - c0).Seconds()
	}
	rate := users / elapsed
	b.ReportMetric(rate, "users/s")
	if cpu > 0 {
		b.ReportMetric(users/cpu, "users/CPU-s")
	}
	return rate
}

func BenchmarkInitialCycle(b *testing.B) {
	n := benchUsers(b)
	var ref, ceiling float64
	b.Run("reference", func(b *testing.B) { ref = benchInitial(b, refTarget(b, nil), n) })
	b.Run("ceiling", func(b *testing.B) {
		ceiling = benchInitial(b, fixedTarget(b), n)
		if ref > 0 {
			// Reported here: a parent benchmark's log lines are not printed.
			b.ReportMetric(ref/ceiling, "reference/ceiling")
		}
	})
	b.Run("reference-process", func(b *testing.B) {
		target, serverPeak := childServer(b)
		debug.FreeOSMemory() // return the earlier sub-benchmarks' heap before the peak restarts
		if err := resetPeakRSS(); err != nil {
			b.Logf("cannot reset the peak RSS (%v): runner-MB includes the earlier sub-benchmarks", err)
		}
		benchInitial(b, target, n)
		if rss, err := vmHWM("/proc/self/status"); err == nil {
			b.ReportMetric(float64(rss)/(1<<20), "runner-MB")
		}
		if rss, err := serverPeak(); err == nil {
			b.ReportMetric(float64(rss)/(1<<20), "server-MB")
		}
	})
}
