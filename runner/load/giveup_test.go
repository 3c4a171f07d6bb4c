package load

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// outage lets the first healthy requests of the run through to the
// reference server, then answers 503 to the run's requests (the test's own
// checks, with Go's default User-Agent, always get through) until recover
// says the outage is over. refused counts the 503s, late the run's
// requests that arrive once the client has given up.
func outage(healthy int64, refused, late *atomic.Int64, client func() *scimclient.Client, recover bool) func(http.Handler) http.Handler {
	var seen atomic.Int64
	var over atomic.Bool
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fromRun := strings.HasPrefix(r.UserAgent(), "scimconform/")
			if !fromRun || seen.Add(1) <= healthy || over.Load() {
				next.ServeHTTP(w, r)
				return
			}
			gaveUp := client().Unusable() != nil
			if gaveUp {
				late.Add(1)
			}
			if recover && gaveUp {
				over.Store(true)
				next.ServeHTTP(w, r)
				return
			}
			refused.Add(1)
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
		})
	}
}

func giveUpClient(t *testing.T, target string) *scimclient.Client {
	t.Helper()
	c, err := scimclient.New(scimclient.Config{Target: target, Token: testToken, Timeout: 20 * time.Second,
		GiveUpAfter: 5, CoolDown: 20 * time.Millisecond, Retry: scimclient.RetryPolicy{BaseDelay: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRunStopsWhenTheClientGivesUp(t *testing.T) {
	t.Parallel()
	const concurrency, giveUpAfter, attempts = 4, 5, scimclient.DefaultMaxAttempts
	tests := []struct {
		name     string
		recovers bool // before cleanup
	}{
		{"target stays down: cleanup probes once and sends nothing else", false},
		{"target recovers: cleanup deletes everything", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var refused, late atomic.Int64
			var client atomic.Pointer[scimclient.Client]
			target := refTarget(t, outage(40, &refused, &late, client.Load, tt.recovers))
			client.Store(giveUpClient(t, target))
			var progress bytes.Buffer
			s, err := Run(context.Background(), Config{Client: client.Load(), App: testApp(t),
				Users: 100_000, Concurrency: concurrency, Progress: &progress})
			if err != nil {
				t.Fatal(err)
			}
			var table bytes.Buffer
			if err := s.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			if !errors.Is(s.StopCause, scimclient.ErrTargetUnusable) || !strings.Contains(s.Stopped, "the target gave no usable answer to") || !strings.Contains(s.Stopped, "HTTP 503 Service Unavailable after 4 attempts each") || s.OK() {
				t.Fatalf("stopped %q, OK %v; want the run stopped by the client giving up:\n%s", s.Stopped, s.OK(), table.String())
			}
			// Once the client gave up: attempts sent just before, still on
			// their way, and one probe.
			if most := int64(concurrency + 1); late.Load() > most {
				t.Errorf("%d requests reached the target after the client gave up, want at most %d", late.Load(), most)
			}
			if refused.Load() < giveUpAfter*attempts {
				t.Errorf("the client gave up after %d refused requests, fewer than %d requests of %d attempts", refused.Load(), giveUpAfter, attempts)
			}
			users, _ := countPrefix(t, target, s.RunPrefix)
			switch {
			case tt.recovers && (users != 0 || s.Residue.Left != 0):
				t.Errorf("after recovery %d users are left (residue %+v):\n%s", users, s.Residue, table.String())
			case !tt.recovers && (users == 0 || s.Residue.Left != users || !strings.Contains(s.Residue.Unverified, "cleanup sent nothing")):
				t.Errorf("%d users on the target, residue %+v: want every created user reported left:\n%s", users, s.Residue, table.String())
			}
		})
	}
}

func TestRunStopsAtTheDeadlineAndCleansUp(t *testing.T) {
	t.Parallel()
	target := refTarget(t, nil)
	s, err := Run(context.Background(), Config{Client: testClient(t, target), App: testApp(t),
		Users: 1_000_000, Concurrency: 4, Deadline: time.Now().Add(300 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Stopped != "deadline reached" || !errors.Is(s.StopCause, ErrDeadline) || s.OK() {
		t.Errorf("stopped %q, OK %v; want the deadline and not OK", s.Stopped, s.OK())
	}
	if s.Errors != 0 {
		t.Errorf("%d errors: requests cut by the deadline must not count as the target's errors", s.Errors)
	}
	if u, g := countPrefix(t, target, s.RunPrefix); u != 0 || g != 0 {
		t.Errorf("left on the target: %d users, %d groups", u, g)
	}
}
