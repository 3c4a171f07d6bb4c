package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/runner/scimclient"
)

// testBound is the most any single test exchange may take.
const testBound = 10 * time.Second

// newTestClient returns a client on srv with quick test defaults, cfg's
// non-zero fields overriding them.
func newTestClient(t *testing.T, srv *httptest.Server, cfg scimclient.Config) *scimclient.Client {
	t.Helper()
	if cfg.Target == "" {
		cfg.Target = srv.URL
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Retry.BaseDelay == 0 {
		cfg.Retry.BaseDelay = 5 * time.Millisecond
	}
	if cfg.Warn == nil {
		cfg.Warn = io.Discard
	}
	c, err := scimclient.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// doBounded runs c.Do with the test bound and fails the test if it is exceeded.
func doBounded(t *testing.T, c *scimclient.Client, r scimclient.Request) (*scimclient.Exchange, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testBound)
	defer cancel()
	start := time.Now()
	x := c.Do(ctx, r)
	took := time.Since(start)
	if took >= testBound {
		t.Fatalf("%s %s took %v, over the test bound", r.Method, r.Path, took)
	}
	if x == nil {
		t.Fatal("Do returned nil")
	}
	return x, took
}

// newTarget starts a loopback test server closed when the test ends.
func newTarget(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

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

func htmlError(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusInternalServerError)
	io.WriteString(w, "<html><body><h1>Internal Server Error</h1></body></html>")
}

const (
	guardRunID  = "scimc-0a1b2c"
	guardPrefix = guardRunID + "-"
	guardToken  = "guard-token"
)

// changeCounter counts the requests that reached the target by method and
// path, so a test can tell a refused request (never sent) from a sent one.
type changeCounter struct {
	mu   sync.Mutex
	seen map[string]int
}

func (cc *changeCounter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cc.mu.Lock()
		if cc.seen == nil {
			cc.seen = map[string]int{}
		}
		cc.seen[r.Method+" "+r.URL.EscapedPath()]++
		cc.seen[r.Method]++
		cc.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (cc *changeCounter) count(key string) int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.seen[key]
}

// guardedTarget serves the reference server under basePath behind a
// counter, and returns a client guarding guardRunID and an unguarded one
// (the "other administrator" of the shared tenant).
func guardedTarget(t *testing.T, basePath string) (guarded, other *scimclient.Client, cc *changeCounter, srvURL string) {
	t.Helper()
	srv, err := refserver.New(refserver.Options{Token: guardToken, BasePath: basePath})
	if err != nil {
		t.Fatal(err)
	}
	cc = &changeCounter{}
	ts := httptest.NewServer(cc.wrap(srv))
	t.Cleanup(ts.Close)
	guarded = newTestClient(t, ts, scimclient.Config{Target: ts.URL + basePath, Token: guardToken, RunID: guardRunID})
	other = newTestClient(t, ts, scimclient.Config{Target: ts.URL + basePath, Token: guardToken})
	return guarded, other, cc, ts.URL
}

// create POSTs a resource through c and returns its id.
func create(t *testing.T, c *scimclient.Client, path, attr, name string) string {
	t.Helper()
	schema := "urn:ietf:params:scim:schemas:core:2.0:User"
	if strings.HasSuffix(path, "Groups") {
		schema = "urn:ietf:params:scim:schemas:core:2.0:Group"
	}
	body := fmt.Sprintf(`{"schemas":[%q],%q:%q}`, schema, attr, name)
	x, _ := doBounded(t, c, scimclient.Request{Method: http.MethodPost, Path: path, Body: []byte(body)})
	var doc struct{ ID string }
	if x.Status != http.StatusCreated || json.Unmarshal(x.RespBody, &doc) != nil || doc.ID == "" {
		t.Fatalf("POST %s %s: %s %s", path, name, x.StatusLine(), x.RespBody)
	}
	return doc.ID
}
func stepBody(name string) string {
	return "  - name: " + name + "\n    rule: r\n    method: GET\n    path: /Users\n    expect: {status: [200]}\n"
}
