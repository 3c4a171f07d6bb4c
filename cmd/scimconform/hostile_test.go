package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
)

// Hostile behaviours a target can show to every request.
var hostile = map[string]http.HandlerFunc{
	"429 to everything": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	},
	"HTML 500": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "<html><body>Internal Server Error</body></html>")
	},
	"connection reset": func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			tcp.SetLinger(0)
		}
		conn.Close()
	},
	"stall after the headers": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	},
	"drip a byte every 20ms": func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for range 1000 {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	},
}

// hostileFromTheStart: replay and load stop before their first sequence
// or cycle with the preflight's one message, exit 2.
func TestHostileTargetFailsThePreflight(t *testing.T) {
	t.Parallel()
	says := map[string]string{
		"429 to everything":       "rate-limiting",
		"HTML 500":                "the target failed: GET /ServiceProviderConfig answered HTTP 500",
		"connection reset":        "cannot reach the target",
		"stall after the headers": "did not complete the response",
		"drip a byte every 20ms":  "did not complete the response",
	}
	for name, h := range hostile {
		for _, cmd := range []string{"replay", "load"} {
			t.Run(cmd+"/"+name, func(t *testing.T) {
				t.Parallel()
				var hits atomic.Int64
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					h(w, r)
				}))
				t.Cleanup(srv.Close)
				args := []string{cmd, "-target", srv.URL, "-token", replayToken, "-timeout", "1s"}
				if cmd == "load" {
					args = append(args, "-users", "10")
				} else {
					args = append(args, "all")
				}
				code, out, errOut := runBounded(t, args...)
				if code != exitUsage || !strings.Contains(errOut, says[name]) {
					t.Fatalf("exit %d, stderr %q; want %d and %q\nstdout:\n%s", code, errOut, exitUsage, says[name], out)
				}
				if strings.Contains(out, "==") || strings.Contains(out, "phase") {
					t.Errorf("the run went on past the preflight:\n%s", out)
				}
				if n := hits.Load(); n > 4 {
					t.Errorf("the preflight sent %d requests, want at most one with its retries (4)", n)
				}
			})
		}
	}
}

// A target that passes the preflight, then answers 429 to everything:
// the run stops once -give-up-after requests in a row went unanswered,
// naming what the target did, and exits 2.
func TestTargetThatStopsAnsweringEndsTheRun(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"replay", "load"} {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			var served, refused atomic.Int64
			url := refTarget(t, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					// The preflight, and load's lookup of /Users, get through.
					if served.Load() < 2 && (r.URL.Path == "/ServiceProviderConfig" || strings.Contains(r.URL.RawQuery, "scimconform-load-probe")) {
						served.Add(1)
						next.ServeHTTP(w, r)
						return
					}
					refused.Add(1)
					hostile["429 to everything"](w, r)
				})
			})
			args := []string{cmd, "-target", url, "-token", replayToken, "-give-up-after", "3"}
			if cmd == "load" {
				args = append(args, "-users", "1000", "-concurrency", "1")
			} else {
				args = append(args, "-dialect", "all", "all")
			}
			code, out, errOut := runBounded(t, args...)
			want := "the run stopped: the target gave no usable answer to 3 requests in a row: 3× HTTP 429 Too Many Requests after 4 attempts each; last: "
			if code != exitUsage || !strings.Contains(errOut, want) || !strings.Contains(errOut, "-give-up-after") {
				t.Fatalf("exit %d, stderr %q; want %d and %q\nstdout:\n%s", code, errOut, exitUsage, want, out)
			}
			// 3 requests of 4 attempts, then at most a probe before cleanup
			// and, after it, the same again: the run itself sends no more.
			if n := refused.Load(); n > 2*(3*4)+1 {
				t.Errorf("%d requests reached the target while it refused everything, want at most %d", n, 2*(3*4)+1)
			}
		})
	}
}

// A slow target: the run stops at -deadline, says so naming the flag,
// cleans up everything it created, and exits 1.
func TestRunStopsAtItsDeadline(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"replay", "load"} {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			slow, bare := wrappedRefTarget(t, func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-r.Context().Done():
						return // the client gave up waiting: nothing was done
					case <-time.After(30 * time.Millisecond):
					}
					next.ServeHTTP(w, r)
				})
			})
			args := []string{cmd, "-target", slow, "-token", replayToken, "-deadline", "1s"}
			if cmd == "load" {
				args = append(args, "-users", "100000", "-concurrency", "2")
			} else {
				args = append(args, "-dialect", "all", "all", "all", "all")
			}
			code, out, errOut := runBounded(t, args...)
			if code != exitFailed || !strings.Contains(errOut, "the run passed its -deadline of 1s and stopped") {
				t.Fatalf("exit %d, stderr %q; want %d and the -deadline named\nstdout:\n%s", code, errOut, exitFailed, out)
			}
			if users, groups := stored(t, bare); users != 0 || groups != 0 {
				t.Errorf("cleanup left %d users and %d groups on the target", users, groups)
			}
		})
	}
}

// A -deadline that passes before the target answers the preflight is
// named as such, exit 1.
func TestDeadlineDuringThePreflight(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(hostile["stall after the headers"])
	t.Cleanup(srv.Close)
	for _, cmd := range []string{"replay", "load"} {
		args := []string{cmd, "-target", srv.URL, "-token", replayToken, "-deadline", "300ms"}
		if cmd == "load" {
			args = append(args, "-users", "1")
		} else {
			args = append(args, "all")
		}
		code, _, errOut := runBounded(t, args...)
		if want := "the run passed its -deadline of 300ms before the target answered"; code != exitFailed || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", cmd, code, errOut, exitFailed, want)
		}
	}
}

func TestBoundsFlagsAreChecked(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"replay", "load"} {
		for _, tc := range []struct{ flag, value, want string }{
			{"-give-up-after", "-1", "-give-up-after must be 0 (never give up) or more"},
			{"-max-response", "0", "-max-response must be positive"},
			{"-max-response", "16MB", "want a size such as 16MiB"},
			{"-deadline", "0s", "-deadline must be positive"},
		} {
			args := []string{cmd, "-target", "http://127.0.0.1:1", "-token", replayToken, tc.flag, tc.value}
			if cmd == "load" {
				args = append(args, "-users", "1")
			} else {
				args = append(args, "all")
			}
			code, _, errOut := runBounded(t, args...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("%s %s %s: exit %d, stderr %q; want %d and %q", cmd, tc.flag, tc.value, code, errOut, exitUsage, tc.want)
			}
		}
	}
}

// A response over -max-response fails its request, and the message names
// the flag that reads more.
func TestMaxResponseFlag(t *testing.T) {
	t.Parallel()
	srv, err := refserver.New(refserver.Options{Token: replayToken})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	code, out, errOut := runBounded(t, "replay", "-target", ts.URL, "-token", replayToken, "-max-response", "64B", "test-connection")
	if code != exitUsage || !strings.Contains(errOut, "response body exceeds 64 bytes limit (raise -max-response to read more)") {
		t.Errorf("exit %d, stderr %q; want %d and the -max-response hint\nstdout:\n%s", code, errOut, exitUsage, out)
	}
}

// runBounded runs the command line with a generous safety bound.
func runBounded(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut strings.Builder
	code = run(ctx, args, &out, &errOut)
	if ctx.Err() != nil {
		t.Fatalf("%v did not end within the safety bound", args)
	}
	return code, out.String(), errOut.String()
}
