package scimclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryOn429WithRetryAfterThenSuccess(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	})
	c := newTestClient(t, srv, Config{})
	// A POST too: a 429 is an explicit refusal, so resending is safe.
	x, took := doBounded(t, c, Request{Method: "POST", Path: "/Users", Body: []byte(`{}`)})
	if x.Err != nil || x.Status != 200 {
		t.Fatalf("Status %d Err %v, want 200 after a retry", x.Status, x.Err)
	}
	if x.Attempts != 2 || hits.Load() != 2 {
		t.Errorf("Attempts = %d, server hits = %d, want 2", x.Attempts, hits.Load())
	}
	if took < time.Second || took > 2500*time.Millisecond {
		t.Errorf("took %v, want about 1s (Retry-After: 1 plus at most 10%% jitter)", took)
	}
	if x.Waited < time.Second || x.Waited > x.Duration {
		t.Errorf("Waited = %v (Duration %v), want at least 1s", x.Waited, x.Duration)
	}
}

func TestRetryOn503ForeverStopsAtTheCap(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("X-Attempt", string(rune('0'+n)))
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"detail":"down"}`)
	})
	c := newTestClient(t, srv, Config{Retry: RetryPolicy{MaxAttempts: 3, BaseDelay: 20 * time.Millisecond}})
	x, took := doBounded(t, c, Request{Path: "/Users"})
	if x.Status != 503 || x.Attempts != 3 || hits.Load() != 3 {
		t.Fatalf("Status %d Attempts %d hits %d, want 503 after 3 attempts", x.Status, x.Attempts, hits.Load())
	}
	if x.Err != nil {
		t.Errorf("Err = %v, want nil: a response arrived and the status speaks for itself", x.Err)
	}
	if got := x.RespHeader.Get("X-Attempt"); got != "3" {
		t.Errorf("exchange holds the response of attempt %q, want the last (3)", got)
	}
	// Backoff 20ms then 40ms, each between half and all of its step.
	if x.Waited < 30*time.Millisecond || took > 2*time.Second {
		t.Errorf("Waited %v took %v, want exponential backoff between attempts", x.Waited, took)
	}
}

func TestRetryAfterCappedByMaxWait(t *testing.T) {
	t.Parallel()
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newTestClient(t, srv, Config{Retry: RetryPolicy{MaxAttempts: 2, MaxWait: 100 * time.Millisecond}})
	x, took := doBounded(t, c, Request{Path: "/Users"})
	if x.Attempts != 2 || x.Status != 503 {
		t.Errorf("Attempts %d Status %d, want 2 and 503", x.Attempts, x.Status)
	}
	if took > time.Second {
		t.Errorf("took %v: Retry-After was not capped at MaxWait", took)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			// HTTP dates have one-second resolution: the wait is 1-2s.
			w.Header().Set("Retry-After", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c := newTestClient(t, srv, Config{})
	x, took := doBounded(t, c, Request{Method: "DELETE", Path: "/Users/1"})
	if x.Status != 204 || x.Attempts != 2 {
		t.Fatalf("Status %d Attempts %d Err %v, want 204 on attempt 2", x.Status, x.Attempts, x.Err)
	}
	if x.Waited < 900*time.Millisecond || took > 3500*time.Millisecond {
		t.Errorf("Waited %v took %v, want the wait the date asks for", x.Waited, took)
	}
}

func TestContextCancelDuringRetryWait(t *testing.T) {
	t.Parallel()
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newTestClient(t, srv, Config{Retry: RetryPolicy{MaxWait: time.Minute}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	x := c.Do(ctx, Request{Path: "/Users"})
	took := time.Since(start)
	if took > time.Second {
		t.Errorf("took %v, want a prompt return after cancel", took)
	}
	if !errors.Is(x.Err, context.Canceled) || !strings.Contains(x.Err.Error(), "stopped waiting") {
		t.Errorf("Err = %v, want a cancelled retry wait", x.Err)
	}
	if x.Status != 429 || x.Attempts != 1 {
		t.Errorf("Status %d Attempts %d, want the 429 of attempt 1", x.Status, x.Attempts)
	}
}

func TestRetryWaitPastDeadlineReturnsAtOnce(t *testing.T) {
	t.Parallel()
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newTestClient(t, srv, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	x := c.Do(ctx, Request{Path: "/Users"})
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("took %v, want an immediate return: the wait cannot finish before the deadline", took)
	}
	if !errors.Is(x.Err, context.DeadlineExceeded) || !strings.Contains(x.Err.Error(), "would pass the caller's deadline") {
		t.Errorf("Err = %v, want it to name the deadline", x.Err)
	}
	if x.Status != 429 || x.Attempts != 1 {
		t.Errorf("Status %d Attempts %d, want the 429 of attempt 1", x.Status, x.Attempts)
	}
}

func TestNoRetryForOtherStatusesOrWhenDisabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status   int
		disabled bool
		want     int32
	}{
		{400, false, 1}, {404, false, 1}, {409, false, 1}, {500, false, 1}, {502, false, 1}, {504, false, 1},
		{429, true, 1}, {503, true, 1}, {429, false, 4},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				w.WriteHeader(tt.status)
			})
			c := newTestClient(t, srv, Config{Retry: RetryPolicy{Disabled: tt.disabled}})
			x, _ := doBounded(t, c, Request{Method: "PUT", Path: "/Users/1", Body: []byte(`{}`)})
			if hits.Load() != tt.want || int32(x.Attempts) != tt.want {
				t.Errorf("status %d disabled %v: hits %d Attempts %d, want %d", tt.status, tt.disabled, hits.Load(), x.Attempts, tt.want)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"", 0, false},
		{"soon", 0, false},
		{"99999999999999999999", 0, false},
		{"999999999", 24 * time.Hour, true},
		{"Fri, 02 Jan 2026 03:04:15 GMT", 10 * time.Second, true},
		{"Friday, 02-Jan-26 03:04:07 GMT", 2 * time.Second, true},
		{"Fri Jan  2 03:04:06 2026", time.Second, true},
		{"Thu, 01 Jan 2026 00:00:00 GMT", 0, true},
		{"Fri, 01 Jan 2700 00:00:00 GMT", 24 * time.Hour, true},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	t.Parallel()
	p := RetryPolicy{MaxWait: 2 * time.Second, BaseDelay: 100 * time.Millisecond}
	now := time.Now()
	tests := []struct {
		name     string
		attempt  int
		after    string
		min, max time.Duration
	}{
		{"backoff 1", 1, "", 50 * time.Millisecond, 100 * time.Millisecond},
		{"backoff 2", 2, "", 100 * time.Millisecond, 200 * time.Millisecond},
		{"backoff 3", 3, "", 200 * time.Millisecond, 400 * time.Millisecond},
		{"backoff capped", 10, "", time.Second, 2 * time.Second},
		{"backoff huge attempt", 500, "", time.Second, 2 * time.Second},
		{"retry-after honoured", 1, "1", time.Second, 1100 * time.Millisecond},
		{"retry-after capped", 1, "60", 2 * time.Second, 2 * time.Second},
		{"retry-after zero", 1, "0", 0, 0},
		{"retry-after garbage falls back to backoff", 1, "later", 50 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.after != "" {
			h.Set("Retry-After", tt.after)
		}
		for range 50 { // jitter: every draw must stay in bounds
			if d := retryDelay(p, tt.attempt, h, now); d < tt.min || d > tt.max {
				t.Errorf("%s: delay %v outside [%v, %v]", tt.name, d, tt.min, tt.max)
				break
			}
		}
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "0", "-5", "Fri, 02 Jan 2026 03:04:15 GMT", "1e3", " 7 ", "9223372036854775807"} {
		f.Add(s)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseRetryAfter(s, now)
		if d < 0 || (!ok && d != 0) {
			t.Errorf("parseRetryAfter(%q) = %v, %v", s, d, ok)
		}
		p := RetryPolicy{MaxWait: time.Second, BaseDelay: time.Millisecond}
		if w := retryDelay(p, 1, http.Header{"Retry-After": {s}}, now); w < 0 || w > p.MaxWait {
			t.Errorf("retryDelay with Retry-After %q = %v, outside [0, MaxWait]", s, w)
		}
	})
}

// Every attempt sends the same headers, without the ones resty would add,
// and the exchange records them as the last attempt sent them.
func TestRetriesSendTheSameHeaders(t *testing.T) {
	t.Parallel()
	for _, req := range []Request{
		{Method: http.MethodGet, Path: "/Users"},
		{Method: http.MethodPost, Path: "/Users", Body: []byte(`{}`)},
	} {
		t.Run(req.Method, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			seen := make(chan http.Header, 3)
			srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
				seen <- r.Header.Clone()
				if hits.Add(1) < 3 {
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(http.StatusServiceUnavailable)
				}
			})
			c := newTestClient(t, srv, Config{Token: "t0k"})
			x, _ := doBounded(t, c, req)
			if x.Err != nil || x.Status != http.StatusOK || x.Attempts != 3 {
				t.Fatalf("Status %d, Err %v, Attempts %d; want 200 on the third attempt", x.Status, x.Err, x.Attempts)
			}
			wantType := ""
			if req.Body != nil {
				wantType = ScimContentType
			}
			for i := range 3 {
				h := <-seen
				if h.Get("Accept") != "" || h.Get("Content-Type") != wantType || h.Get("Authorization") != "Bearer t0k" {
					t.Errorf("attempt %d sent %v", i+1, h)
				}
			}
			if got := x.ReqHeader; got.Get("Accept") != "" || got.Get("Content-Type") != wantType ||
				got.Get("Authorization") != "Bearer t0k" || got.Get("User-Agent") != DefaultUserAgent {
				t.Errorf("the exchange records %v", got)
			}
		})
	}
}
