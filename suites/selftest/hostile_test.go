package selftest

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
)

// runEntraSuites runs the suite binary's Entra specs in one dialect
// against target with args (see runSuites) and returns its output and
// whether it passed.
func runEntraSuites(t *testing.T, target, token string, args ...string) (out string, passed bool) {
	t.Helper()
	_, out, err := runSuites(t, target, token, append([]string{"-profile=entra", "-dialect=default"}, args...)...)
	return out, err == nil
}

// slowly delays every request by d, and drops it if the client stops
// waiting meanwhile (as if the target had not got to it).
func slowly(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(d):
			}
			next.ServeHTTP(w, r)
		})
	}
}

// prefixed counts the users and groups on target named with the run
// prefix "scimc-".
func prefixed(t *testing.T, target, token string) int {
	t.Helper()
	total := 0
	for collection, attr := range map[string]string{"/Users": "userName", "/Groups": "displayName"} {
		q := url.Values{"filter": {attr + ` sw "scimc-"`}, "count": {"0"}}
		req, err := http.NewRequest(http.MethodGet, target+collection+"?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var lr struct{ TotalResults int }
		err = json.NewDecoder(resp.Body).Decode(&lr)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("count %s: HTTP %d, %v", collection, resp.StatusCode, err)
		}
		total += lr.TotalResults
	}
	return total
}

// A target that passes the preflight and then answers 429 to everything:
// the run aborts once -give-up-after requests in a row went unanswered,
// with one message naming what the target did; afterwards the target sees
// no more than the probes of cleanup and of the residue check.
func TestSuitesGiveUpOnA429Storm(t *testing.T) {
	t.Parallel()
	token := rand.Text()
	var discovery, refused atomic.Int64
	ts := refservertest.Start(t, refserver.Options{Token: token}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// The preflight and the read of the capabilities get through.
			if r.URL.Path == "/ServiceProviderConfig" && discovery.Add(1) <= 2 {
				next.ServeHTTP(w, r)
				return
			}
			refused.Add(1)
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		})
	})
	out, passed := runEntraSuites(t, ts.URL, token, "-give-up-after=3")
	if passed {
		t.Fatalf("the suites passed against a target answering 429 to everything:\n%s", tail(out, 40))
	}
	want := "the run stopped: the target gave no usable answer to 3 requests in a row: 3× HTTP 429 Too Many Requests after 4 attempts each; last: "
	for _, w := range []string{want, "scimconform: " + want, "-give-up-after sets how many", "the residue check sent nothing"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, tail(out, 60))
		}
	}
	if n, most := refused.Load(), int64(3*4+2); n > most {
		t.Errorf("%d requests reached the target once it refused everything, want at most %d (3 of 4 attempts, 2 probes)", n, most)
	}
}

// A slow target and a short -deadline: the run stops with a message naming
// the flag, and cleans up what the interrupted spec created.
func TestSuitesStopAtTheirDeadline(t *testing.T) {
	t.Parallel()
	token := rand.Text()
	ts := refservertest.Start(t, refserver.Options{Token: token}, slowly(100*time.Millisecond))
	out, passed := runEntraSuites(t, ts.URL, token, "-deadline=2s")
	if passed {
		t.Fatalf("the suites passed though they could not end within -deadline:\n%s", tail(out, 40))
	}
	if !strings.Contains(out, "scimconform: the run passed its -deadline of 2s (SCIM_DEADLINE) and stopped") {
		t.Errorf("output does not name -deadline:\n%s", tail(out, 40))
	}
	if n := prefixed(t, ts.URL, token); n != 0 {
		t.Errorf("%d resources of the run are left on the target", n)
	}
}

// Under go test's -timeout the run stops early enough for its cleanup, with
// its own message, never with go test's panic.
func TestSuitesEndBeforeGoTestsTimeout(t *testing.T) {
	t.Parallel()
	token := rand.Text()
	ts := refservertest.Start(t, refserver.Options{Token: token}, slowly(100*time.Millisecond))
	// About 5 seconds for the specs, the other half is kept for cleanup.
	out, passed := runEntraSuites(t, ts.URL, token, "-test.timeout=10s")
	if passed {
		t.Fatalf("the suites passed though they could not end in time:\n%s", tail(out, 40))
	}
	if !strings.Contains(out, "scimconform: the run stopped after ") || !strings.Contains(out, "before go test's -timeout") || strings.Contains(out, "test timed out") {
		t.Errorf("output does not end with the run's own message:\n%s", tail(out, 40))
	}
	if n := prefixed(t, ts.URL, token); n != 0 {
		t.Errorf("%d resources of the run are left on the target", n)
	}
}

// A target that sends the headers of /ServiceProviderConfig and then
// nothing fails the preflight with one message, before any spec.
func TestSuitesPreflightReadsTheWholeAnswer(t *testing.T) {
	t.Parallel()
	token := rand.Text()
	ts := refservertest.Start(t, refserver.Options{Token: token}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		})
	})
	out, passed := runEntraSuites(t, ts.URL, token, "-timeout=1s")
	if passed {
		t.Fatalf("the suites passed against a stalling target:\n%s", tail(out, 40))
	}
	for _, w := range []string{"answered GET /ServiceProviderConfig with HTTP 200 OK but did not complete the response", "Ran 0 of"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, tail(out, 40))
		}
	}
}
