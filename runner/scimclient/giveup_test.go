package scimclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingTarget serves h on loopback and counts the requests that reach it.
func countingTarget(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	})
	return srv, &hits
}

// Hostile behaviours a target can show to every request.
func tooManyRequests(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "0")
	w.WriteHeader(http.StatusTooManyRequests)
}

func unavailable(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusServiceUnavailable)
}

func htmlError(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, "<html><body><h1>Internal Server Error</h1></body></html>")
}

// stallAfterHeaders sends the status and headers, then nothing.
func stallAfterHeaders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", ScimContentType)
	w.Header().Set("Content-Length", "100")
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

// drip sends a JSON body one byte every 20ms: two seconds for the whole of
// it, far longer than the tests' timeouts allow.
func drip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", ScimContentType)
	w.WriteHeader(http.StatusOK)
	for _, b := range []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],"patch":{"supported":true}}`) {
		if _, err := w.Write([]byte{b}); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func TestGiveUpOnAHostileTarget(t *testing.T) {
	t.Parallel()
	const giveUpAfter, extra = 3, 5
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		attempts int64 // requests reaching the server per Do before giving up
		says     string
	}{
		{"429 to everything", tooManyRequests, 4, "3× HTTP 429 Too Many Requests after 4 attempts each"},
		{"503 to everything", unavailable, 4, "3× HTTP 503 Service Unavailable after 4 attempts each"},
		{"HTML 500 to everything", htmlError, 1, "3× HTTP 500 Internal Server Error"},
		{"connection reset", resetConnection, 4, "3× "},
		{"stall after the headers", stallAfterHeaders, 1, "3× HTTP 200 OK, then timed out: no complete response within 500ms"},
		{"drip a byte at a time", drip, 1, "3× HTTP 200 OK, then timed out: no complete response within 500ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := countingTarget(t, tt.handler)
			c := newTestClient(t, srv, Config{GiveUpAfter: giveUpAfter, Timeout: 500 * time.Millisecond, CoolDown: time.Hour})
			for i := range giveUpAfter {
				x, _ := doBounded(t, c, Request{Path: "/Users", RawQuery: "filter=userName+eq+%22a%22"})
				if x.Err != nil && errors.Is(x.Err, ErrTargetUnusable) {
					t.Fatalf("request %d of %d was refused: %v", i+1, giveUpAfter, x.Err)
				}
			}
			sent := hits.Load()
			if want := giveUpAfter * tt.attempts; sent != want {
				t.Errorf("%d requests reached the target before giving up, want %d", sent, want)
			}
			for range extra {
				x, _ := doBounded(t, c, Request{Method: "DELETE", Path: "/Users/1"})
				if !errors.Is(x.Err, ErrTargetUnusable) || x.Attempts != 0 {
					t.Fatalf("after giving up: Attempts %d Err %v, want nothing sent and ErrTargetUnusable", x.Attempts, x.Err)
				}
			}
			if got := hits.Load(); got != sent {
				t.Errorf("%d more requests reached the target after the client gave up", got-sent)
			}
			err := c.Unusable()
			var ue *UnusableError
			if !errors.As(err, &ue) || ue.Requests != giveUpAfter {
				t.Fatalf("Unusable() = %v, want an UnusableError for %d requests", err, giveUpAfter)
			}
			msg := err.Error()
			for _, want := range []string{"the target gave no usable answer to 3 requests in a row", tt.says,
				"last: GET " + srv.URL + "/Users?filter=userName+eq+%22a%22", "-give-up-after"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestUsableAnswersKeepTheClientGoing(t *testing.T) {
	t.Parallel()
	// Every third request fails; the others are answers a correct server
	// gives to deliberately wrong requests, or a plain success.
	answers := []int{500, 503, 404, 500, 502, 400, 429, 500, 409, 504, 500, 501, 500, 500, 200}
	var i atomic.Int64
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(answers[int(i.Add(1)-1)%len(answers)])
	})
	c := newTestClient(t, srv, Config{GiveUpAfter: 3, Retry: RetryPolicy{Disabled: true}})
	for range 3 * len(answers) {
		if x, _ := doBounded(t, c, Request{Path: "/Users"}); errors.Is(x.Err, ErrTargetUnusable) {
			t.Fatalf("the client gave up though no 3 requests in a row went unanswered: %v", x.Err)
		}
	}
	if err := c.Unusable(); err != nil {
		t.Errorf("Unusable() = %v, want nil", err)
	}
}

func TestNeverGiveUp(t *testing.T) {
	t.Parallel()
	srv, hits := countingTarget(t, htmlError)
	c := newTestClient(t, srv, Config{GiveUpAfter: -1})
	for range 25 {
		doBounded(t, c, Request{Path: "/Users"})
	}
	if hits.Load() != 25 || c.Unusable() != nil {
		t.Errorf("hits %d Unusable %v, want every request sent with GiveUpAfter < 0", hits.Load(), c.Unusable())
	}
}

func TestCancelledRequestsDoNotCount(t *testing.T) {
	t.Parallel()
	srv := newTarget(t, stallAfterHeaders)
	c := newTestClient(t, srv, Config{GiveUpAfter: 2})
	for range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		x := c.Do(ctx, Request{Path: "/Users"})
		cancel()
		if x.Err == nil {
			t.Fatal("a stalled response ended without error")
		}
	}
	if err := c.Unusable(); err != nil {
		t.Errorf("the caller's own deadline made the client give up: %v", err)
	}
}

func TestProbeAfterCoolDown(t *testing.T) {
	t.Parallel()
	var healthy atomic.Bool
	srv, hits := countingTarget(t, func(w http.ResponseWriter, r *http.Request) {
		if healthy.Load() {
			w.WriteHeader(http.StatusNotFound) // no /ServiceProviderConfig: still an answer
			return
		}
		unavailable(w, r)
	})
	c := newTestClient(t, srv, Config{GiveUpAfter: 2, CoolDown: 50 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), testBound)
	defer cancel()
	for range 2 {
		c.Do(ctx, Request{Path: "/Users"})
	}
	if c.Unusable() == nil {
		t.Fatal("the client did not give up after 2 requests answered 503")
	}

	// Still down: the probe gets one attempt, and the client stays closed.
	before := hits.Load()
	if err := c.AwaitUsable(ctx); !errors.Is(err, ErrTargetUnusable) {
		t.Fatalf("AwaitUsable on a target still down = %v, want ErrTargetUnusable", err)
	}
	if got := hits.Load() - before; got != 1 {
		t.Errorf("the probe sent %d requests, want 1 (no retries)", got)
	}
	if ue := new(UnusableError); !errors.As(c.Unusable(), &ue) || ue.Requests != 3 {
		t.Errorf("after a failed probe Unusable() = %v, want the streak at 3", c.Unusable())
	}

	// Recovered: the next probe reopens the way for every request.
	healthy.Store(true)
	if err := c.AwaitUsable(ctx); err != nil {
		t.Fatalf("AwaitUsable on a recovered target = %v", err)
	}
	before = hits.Load()
	if x := c.Do(ctx, Request{Path: "/Users"}); x.Attempts != 1 || x.Err != nil {
		t.Errorf("after recovery: Attempts %d Err %v, want the request sent", x.Attempts, x.Err)
	}
	if hits.Load() != before+1 || c.Unusable() != nil {
		t.Errorf("after recovery: %d requests sent, Unusable %v", hits.Load()-before, c.Unusable())
	}
}

func TestAwaitUsableIsBoundedByItsContext(t *testing.T) {
	t.Parallel()
	srv, hits := countingTarget(t, htmlError)
	c := newTestClient(t, srv, Config{GiveUpAfter: 1, CoolDown: time.Hour})
	doBounded(t, c, Request{Path: "/Users"})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := c.AwaitUsable(ctx)
	if !errors.Is(err, ErrTargetUnusable) || !strings.Contains(err.Error(), "stopped waiting to probe it again") {
		t.Errorf("AwaitUsable = %v, want the target's behaviour and that the wait was cut short", err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests sent, want only the first (no probe before the cool-down)", hits.Load())
	}
}

func TestGivingUpCutsRetriesInFlightShort(t *testing.T) {
	t.Parallel()
	var slowHits atomic.Int64
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			slowHits.Add(1)
			w.Header().Set("Retry-After", "5") // well within the safety bound
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		htmlError(w, r)
	})
	c := newTestClient(t, srv, Config{GiveUpAfter: 2, Retry: RetryPolicy{MaxWait: time.Minute}})
	ctx, cancel := context.WithTimeout(context.Background(), testBound)
	defer cancel()
	var wg sync.WaitGroup
	var slow *Exchange
	wg.Go(func() { slow = c.Do(ctx, Request{Path: "/slow"}) })
	for slowHits.Load() == 0 && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	c.Do(ctx, Request{Path: "/fast"})
	c.Do(ctx, Request{Path: "/fast"})
	wg.Wait()
	if !errors.Is(slow.Err, ErrTargetUnusable) || !strings.Contains(slow.Err.Error(), "stopped retrying after attempt 1") {
		t.Errorf("the request waiting to retry ended with %v, want it stopped by the client giving up", slow.Err)
	}
	if slowHits.Load() != 1 || slow.Attempts != 1 {
		t.Errorf("the waiting request was sent %d times (Attempts %d), want once", slowHits.Load(), slow.Attempts)
	}
	if ctx.Err() != nil {
		t.Error("the waiting request was not cut short: the test's safety bound passed")
	}
}

func TestGiveUpMessageSumsUpTheStreak(t *testing.T) {
	t.Parallel()
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/limited":
			tooManyRequests(w, r)
		case "/unavailable":
			unavailable(w, r)
		default:
			htmlError(w, r)
		}
	})
	c := newTestClient(t, srv, Config{Target: srv.URL + "/?key=s3cr3t-query", Token: "s3cr3t-query", GiveUpAfter: 7})
	for _, p := range []string{"/limited", "/unavailable", "/limited", "/broken", "/limited", "/broken", "/unavailable"} {
		doBounded(t, c, Request{Path: p})
	}
	err := c.Unusable()
	if err == nil {
		t.Fatal("the client did not give up after 7 requests without a usable answer")
	}
	msg := err.Error()
	for _, want := range []string{"to 7 requests in a row: 3× HTTP 429 Too Many Requests after 4 attempts each, " +
		"2× HTTP 503 Service Unavailable after 4 attempts each, 2× HTTP 500 Internal Server Error; last: GET " + srv.URL + "/unavailable?key=" + Redacted} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "s3cr3t-query") {
		t.Errorf("message %q shows a secret of the target URL", msg)
	}
}
