package scimclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testBound is the most any single test exchange may take.
const testBound = 10 * time.Second

// newTestClient returns a client on srv with quick test defaults, cfg's
// non-zero fields overriding them.
func newTestClient(t *testing.T, srv *httptest.Server, cfg Config) *Client {
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
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// doBounded runs c.Do with the test bound and fails the test if it is exceeded.
func doBounded(t *testing.T, c *Client, r Request) (*Exchange, time.Duration) {
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

func TestHostileTargets(t *testing.T) {
	t.Parallel()
	const fiveMB = 5 << 20
	big := bytes.Repeat([]byte("x"), fiveMB)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		cfg     Config
		req     Request
		status  int
		errHas  string // "" = Err must be nil
		bodyLen int    // -1 = not checked
		maxTook time.Duration
		check   func(t *testing.T, x *Exchange)
	}{
		{
			name: "non-JSON body succeeds and JSON() explains",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				io.WriteString(w, "hello, not json")
			},
			status: 200, bodyLen: -1, maxTook: 2 * time.Second,
			check: func(t *testing.T, x *Exchange) {
				_, err := x.JSON()
				if err == nil || !strings.Contains(err.Error(), "not JSON") || !strings.Contains(err.Error(), `"hello, not json"`) {
					t.Errorf("JSON() error = %v, want it to say not JSON and quote the body", err)
				}
			},
		},
		{
			name: "HTML error page with status 500",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusInternalServerError)
				io.WriteString(w, "<html><body><h1>Internal Server Error</h1></body></html>")
			},
			status: 500, bodyLen: -1, maxTook: 2 * time.Second,
			check: func(t *testing.T, x *Exchange) {
				_, err := x.JSON()
				if err == nil || !strings.Contains(err.Error(), "text/html") || !strings.Contains(err.Error(), "HTTP 500") {
					t.Errorf("JSON() error = %v, want content type and status named", err)
				}
				if x.Attempts != 1 {
					t.Errorf("500 was retried: Attempts = %d", x.Attempts)
				}
			},
		},
		{
			name:    "5 MB body read fully under the default limit",
			handler: func(w http.ResponseWriter, r *http.Request) { w.Write(big) },
			status:  200, bodyLen: fiveMB, maxTook: 5 * time.Second,
		},
		{
			name:    "5 MB body over a 1 MiB limit fails clearly",
			handler: func(w http.ResponseWriter, r *http.Request) { w.Write(big) },
			cfg:     Config{MaxResponse: 1 << 20},
			status:  200, errHas: "response body exceeds 1 MiB limit", bodyLen: 1 << 20, maxTook: 5 * time.Second,
			check: func(t *testing.T, x *Exchange) {
				if !errors.Is(x.Err, ErrBodyTooLarge) {
					t.Errorf("errors.Is(Err, ErrBodyTooLarge) = false for %v", x.Err)
				}
			},
		},
		{
			name: "response slower than the timeout",
			handler: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			cfg:    Config{Timeout: 300 * time.Millisecond},
			errHas: "timed out: no complete response within 300ms", bodyLen: 0, maxTook: 2 * time.Second,
			check: func(t *testing.T, x *Exchange) {
				if x.Attempts != 1 {
					t.Errorf("timeout was retried: Attempts = %d", x.Attempts)
				}
			},
		},
		{
			name: "body slower than the timeout",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "100")
				io.WriteString(w, `{"partial":`)
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			cfg:    Config{Timeout: 300 * time.Millisecond},
			status: 200, errHas: "read response body", bodyLen: -1, maxTook: 2 * time.Second,
		},
		{
			name:    "connection reset on a POST is not retried",
			handler: resetConnection,
			req:     Request{Method: "POST", Path: "/Users", Body: []byte(`{"userName":"a"}`)},
			errHas:  "POST", bodyLen: 0, maxTook: 2 * time.Second,
			check: func(t *testing.T, x *Exchange) {
				if x.Attempts != 1 {
					t.Errorf("POST retried after a reset: Attempts = %d", x.Attempts)
				}
				assertResetMessage(t, x.Err)
			},
		},
		{
			name:    "connection reset on a GET is retried up to the cap",
			handler: resetConnection,
			cfg:     Config{Retry: RetryPolicy{MaxAttempts: 3}},
			errHas:  "GET", bodyLen: 0, maxTook: 2 * time.Second,
			check: func(t *testing.T, x *Exchange) {
				if x.Attempts != 3 {
					t.Errorf("Attempts = %d, want 3", x.Attempts)
				}
				assertResetMessage(t, x.Err)
			},
		},
		{
			name:    "malformed HTTP response",
			handler: writeRaw("NOT HTTP AT ALL\r\n\r\n"),
			errHas:  "malformed HTTP", bodyLen: 0, maxTook: 2 * time.Second,
		},
		{
			name:    "body shorter than its Content-Length",
			handler: writeRaw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\":"),
			req:     Request{Method: "POST", Path: "/Users", Body: []byte(`{}`)},
			status:  200, errHas: "closed the connection without a complete response", bodyLen: 5, maxTook: 2 * time.Second,
			check: func(t *testing.T, x *Exchange) {
				if x.Attempts != 1 {
					t.Errorf("POST retried: Attempts = %d", x.Attempts)
				}
			},
		},
		{
			name: "redirect is reported, not followed",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://127.0.0.2:1/elsewhere", http.StatusFound)
			},
			status: 302, bodyLen: -1, maxTook: 2 * time.Second,
			check: func(t *testing.T, x *Exchange) {
				if got := x.RespHeader.Get("Location"); got != "http://127.0.0.2:1/elsewhere" {
					t.Errorf("Location = %q", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTarget(t, tt.handler)
			c := newTestClient(t, srv, tt.cfg)
			req := tt.req
			if req.Path == "" {
				req.Path = "/Users"
			}
			x, took := doBounded(t, c, req)
			if x.Status != tt.status {
				t.Errorf("Status = %d, want %d (err %v)", x.Status, tt.status, x.Err)
			}
			switch {
			case tt.errHas == "" && x.Err != nil:
				t.Errorf("Err = %v, want nil", x.Err)
			case tt.errHas != "" && (x.Err == nil || !strings.Contains(x.Err.Error(), tt.errHas)):
				t.Errorf("Err = %v, want it to contain %q", x.Err, tt.errHas)
			}
			if tt.bodyLen >= 0 && len(x.RespBody) != tt.bodyLen {
				t.Errorf("len(RespBody) = %d, want %d", len(x.RespBody), tt.bodyLen)
			}
			if took > tt.maxTook {
				t.Errorf("took %v, want at most %v", took, tt.maxTook)
			}
			if x.Duration <= 0 || x.Duration > took {
				t.Errorf("Duration = %v, outside (0, %v]", x.Duration, took)
			}
			if tt.check != nil {
				tt.check(t, x)
			}
			// Every outcome renders without panicking.
			if s := c.Redactor().Exchange(x).String(); !strings.Contains(s, req.Method) {
				t.Errorf("Record.String() lacks the method: %s", s)
			}
		})
	}
}

// resetConnection aborts the TCP connection with a RST, no response.
func resetConnection(w http.ResponseWriter, r *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	conn.Close()
}

// writeRaw answers with raw bytes, whatever they are, and hangs up.
func writeRaw(raw string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		buf.WriteString(raw)
		buf.Flush()
	}
}

func assertResetMessage(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("Err = nil after a connection reset")
	}
	msg := err.Error()
	if !strings.Contains(msg, "connection reset by the server") && !strings.Contains(msg, "closed the connection without a complete response") {
		t.Errorf("Err = %q, want it to say the connection was reset or closed", msg)
	}
}

func TestRequestURLJoining(t *testing.T) {
	t.Parallel()
	tests := []struct {
		target   string // appended to the server URL
		path     string
		rawQuery string
		want     string // request URI the server sees
	}{
		{"/scim", "/Users", "", "/scim/Users"},
		{"/scim/", "/Users", "", "/scim/Users"},
		{"/scim/", "Users", "", "/scim/Users"},
		{"/scim//", "//Users", "", "/scim/Users"},
		{"", "/Users", "", "/Users"},
		{"/", "/Users", "", "/Users"},
		{"/scim/", "", "", "/scim/"},
		{"/scim", "", "", "/scim"},
		{"", "", "", "/"},
		{"/scim/?aadOptscim062020", "/Users", "", "/scim/Users?aadOptscim062020"},
		{"/scim/?aadOptscim062020", "/Users", "filter=userName+eq+%22a%22", "/scim/Users?aadOptscim062020&filter=userName+eq+%22a%22"},
		{"/scim?aadOptscim062020&x=1", "Groups", "startIndex=1&count=100", "/scim/Groups?aadOptscim062020&x=1&startIndex=1&count=100"},
		{"/scim/", "/Users?attributes=id", "count=1", "/scim/Users?attributes=id&count=1"},
		{"/v2/tenant%2Fa/scim/", "/Users/abc", "", "/v2/tenant%2Fa/scim/Users/abc"},
	}
	for _, tt := range tests {
		t.Run(tt.target+"|"+tt.path+"|"+tt.rawQuery, func(t *testing.T) {
			t.Parallel()
			var seen atomic.Value
			srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) { seen.Store(r.RequestURI) })
			c := newTestClient(t, srv, Config{Target: srv.URL + tt.target})
			x, _ := doBounded(t, c, Request{Path: tt.path, RawQuery: tt.rawQuery})
			if x.Err != nil {
				t.Fatalf("Err = %v", x.Err)
			}
			if got, _ := seen.Load().(string); got != tt.want {
				t.Errorf("server saw %q, want %q", got, tt.want)
			}
			if want := srv.URL + tt.want; x.URL != want {
				t.Errorf("Exchange.URL = %q, want %q", x.URL, want)
			}
		})
	}
}

func TestRawQueryNotReencoded(t *testing.T) {
	t.Parallel()
	queries := []string{
		`filter=userName+eq+%22x%22`,
		`filter=userName%20eq%20%22x%22`,
		`filter=userName+eq+"x@example.com"`,
		`filter=userName+eq+%22x%40example.com%22`,
		`filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22a%22`,
		`filter=members[value+eq+"1"]&excludedAttributes=members`,
		`a=%zz&b=;c`,
		`attributes=userName,emails&count=0`,
	}
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			var seen atomic.Value
			srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) { seen.Store(r.URL.RawQuery) })
			c := newTestClient(t, srv, Config{})
			x, _ := doBounded(t, c, Request{Path: "/Users", RawQuery: q})
			if x.Err != nil {
				t.Fatalf("Err = %v", x.Err)
			}
			if got, _ := seen.Load().(string); got != q {
				t.Errorf("server saw RawQuery %q, want %q", got, q)
			}
		})
	}
}

func TestRequestRejectedBeforeSending(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		req    Request
		errHas string
	}{
		{"space in query", Request{Path: "/Users", RawQuery: `filter=userName eq "x"`}, "space or control character"},
		{"newline in path", Request{Path: "/Users\n"}, "space or control character"},
		{"other host", Request{Path: "http://127.0.0.2:9/Users"}, "refusing to send the request"},
		{"other scheme", Request{Path: "https://127.0.0.1/Users"}, "refusing to send the request"},
		{"bad method", Request{Method: "GE T", Path: "/Users"}, "not a valid HTTP method"},
		{"hash in query", Request{Path: "/Users", RawQuery: "filter=a#b"}, "encode it as %23"},
		{"bad escape in path", Request{Path: "/Users/%zz"}, "invalid URL escape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int32
			srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
			c := newTestClient(t, srv, Config{Token: "tok"})
			x, _ := doBounded(t, c, tt.req)
			if x.Err == nil || !strings.Contains(x.Err.Error(), tt.errHas) {
				t.Errorf("Err = %v, want it to contain %q", x.Err, tt.errHas)
			}
			if hits.Load() != 0 {
				t.Errorf("server got %d requests, want none", hits.Load())
			}
		})
	}
}

func TestAbsolutePathOnTargetHost(t *testing.T) {
	t.Parallel()
	var seen atomic.Value
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) { seen.Store(r.RequestURI) })
	c := newTestClient(t, srv, Config{Target: srv.URL + "/scim/?aadOptscim062020"})
	x, _ := doBounded(t, c, Request{Path: srv.URL + "/scim/Users/42"})
	if x.Err != nil {
		t.Fatalf("Err = %v", x.Err)
	}
	if got, _ := seen.Load().(string); got != "/scim/Users/42?aadOptscim062020" {
		t.Errorf("server saw %q", got)
	}
}

func TestHeadersSent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		req  Request
		want map[string]string // header -> value the server must see ("" = absent)
	}{
		{
			name: "bearer token and defaults",
			cfg:  Config{Token: "t0k"},
			req:  Request{Method: "POST", Path: "/Users", Body: []byte(`{}`)},
			want: map[string]string{
				"Authorization": "Bearer t0k",
				"User-Agent":    "scimconform/" + Version + " (+https://github.com/scimconform/scimconform)",
				"Content-Type":  "application/scim+json",
				"Accept":        "",
			},
		},
		{
			name: "custom auth header wins over the token",
			cfg:  Config{Token: "t0k", AuthHeader: "x-api-key:  k3y "},
			req:  Request{Path: "/Users"},
			want: map[string]string{"X-Api-Key": "k3y", "Authorization": "", "Content-Type": ""},
		},
		{
			name: "request headers override defaults",
			cfg:  Config{Token: "t0k"},
			req: Request{Method: "PATCH", Path: "/Users/1", Body: []byte(`{}`), Header: http.Header{
				"content-type": {"application/scim+json; charset=utf-8"},
				"Accept":       {"application/scim+json"},
				"User-Agent":   {"Microsoft Entra ID"},
			}},
			want: map[string]string{
				"Content-Type": "application/scim+json; charset=utf-8",
				"Accept":       "application/scim+json",
				"User-Agent":   "Microsoft Entra ID",
			},
		},
		{
			name: "NoAuth sends no credential",
			cfg:  Config{AuthHeader: "X-API-Key: k3y"},
			req:  Request{Path: "/Users", NoAuth: true},
			want: map[string]string{"X-Api-Key": "", "Authorization": ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := make(chan http.Header, 1)
			srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) { got <- r.Header.Clone() })
			c := newTestClient(t, srv, tt.cfg)
			x, _ := doBounded(t, c, tt.req)
			if x.Err != nil {
				t.Fatalf("Err = %v", x.Err)
			}
			h := <-got
			for name, want := range tt.want {
				if h.Get(name) != want {
					t.Errorf("server saw %s = %q, want %q", name, h.Get(name), want)
				}
				if x.ReqHeader.Get(name) != want {
					t.Errorf("Exchange.ReqHeader %s = %q, want %q", name, x.ReqHeader.Get(name), want)
				}
			}
		})
	}
}

func TestRequestBodySentVerbatim(t *testing.T) {
	t.Parallel()
	body := []byte("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\n \"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}")
	got := make(chan []byte, 1)
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
	})
	c := newTestClient(t, srv, Config{})
	for _, method := range []string{"PATCH", "GET", "DELETE"} {
		x, _ := doBounded(t, c, Request{Method: method, Path: "/Users/1", Body: body})
		if x.Err != nil {
			t.Fatalf("%s: Err = %v", method, x.Err)
		}
		if b := <-got; !bytes.Equal(b, body) {
			t.Errorf("%s: server got body %q, want %q", method, b, body)
		}
	}
}

func TestConcurrentDo(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprintf(w, `{"q":%q}`, r.URL.RawQuery)
	})
	c := newTestClient(t, srv, Config{Token: "tok"})
	var tr Transcript
	const n = 32
	done := make(chan struct{})
	for i := range n {
		go func() {
			defer func() { done <- struct{}{} }()
			x := c.Do(context.Background(), Request{Path: "/Users", RawQuery: fmt.Sprintf("i=%d", i)})
			if x.Err != nil || x.Status != 200 || !strings.Contains(string(x.RespBody), fmt.Sprintf("i=%d", i)) {
				t.Errorf("request %d: status %d err %v body %s", i, x.Status, x.Err, x.RespBody)
			}
			tr.Add(c.Redactor().Exchange(x))
		}()
	}
	for range n {
		select {
		case <-done:
		case <-time.After(testBound):
			t.Fatal("concurrent requests did not finish in time")
		}
	}
	if hits.Load() != n || tr.Len() != n {
		t.Errorf("hits = %d, transcript = %d, want %d", hits.Load(), tr.Len(), n)
	}
}

func TestConnectFailure(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more
	c, err := New(Config{Target: "http://" + addr + "/scim", Retry: RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}, Warn: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), testBound)
	defer cancel()
	x := c.Do(ctx, Request{Method: "POST", Path: "/Users", Body: []byte(`{}`)})
	if x.Err == nil || !strings.Contains(x.Err.Error(), "could not connect") {
		t.Errorf("Err = %v, want it to say it could not connect", x.Err)
	}
	if x.Attempts != 2 {
		t.Errorf("Attempts = %d, want 2 (a refused connect is safe to retry even for POST)", x.Attempts)
	}
}

func TestCallerContextEndsTheRequest(t *testing.T) {
	t.Parallel()
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := newTestClient(t, srv, Config{})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	short, cancelShort := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancelShort()
	tests := []struct {
		name   string
		ctx    context.Context
		is     error
		errHas string
	}{
		{"cancelled before sending", cancelled, context.Canceled, "cancelled by the caller"},
		{"deadline while waiting for the response", short, context.DeadlineExceeded, "the caller's deadline passed"},
	}
	for _, tt := range tests {
		start := time.Now()
		x := c.Do(tt.ctx, Request{Path: "/Users"})
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("%s: took %v", tt.name, took)
		}
		if !errors.Is(x.Err, tt.is) || !strings.Contains(x.Err.Error(), tt.errHas) {
			t.Errorf("%s: Err = %v, want %v saying %q", tt.name, x.Err, tt.is, tt.errHas)
		}
		if x.Attempts != 1 {
			t.Errorf("%s: Attempts = %d, want 1", tt.name, x.Attempts)
		}
	}
}

// FuzzRequestURL checks that any path and query either build a URL on the
// target that net/url accepts, with the query byte-for-byte, or are refused;
// a URL net/url rejects is always refused.
func FuzzRequestURL(f *testing.F) {
	for _, seed := range [][2]string{
		{"/Users", "filter=userName+eq+%22a%22"},
		{"Users/abc", ""},
		{"//Groups?x=1", "y=2"},
		{"http://127.0.0.1:9/scim/Users", ""},
		{"https://evil.example/x", ""},
		{"/Users", "a b"},
		{"", ""},
		{"/Users/%zz", "%zz"},
		{"/Users", "filter=%zz"},
		{"/Us%2Fers?x=%", "y=%g"},
		{"http://127.0.0.1:9/scim/%zz?a=%", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	c, err := New(Config{Target: "http://127.0.0.1:9/scim/?aadOptscim062020", Warn: io.Discard})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path, query string) {
		u, err := c.requestURL(Request{Path: path, RawQuery: query})
		if _, perr := url.Parse(u); perr != nil && err == nil {
			t.Fatalf("requestURL(%q, %q) = %q without an error; net/url rejects it: %v", path, query, u, perr)
		}
		if err != nil {
			return
		}
		if !strings.HasPrefix(u, "http://127.0.0.1:9/") {
			t.Fatalf("requestURL(%q, %q) = %q, off the target", path, query, u)
		}
		if !strings.Contains(u, "?aadOptscim062020") {
			t.Errorf("requestURL(%q, %q) = %q lost the target query", path, query, u)
		}
		if query != "" && !strings.HasSuffix(u, "&"+query) {
			t.Errorf("requestURL(%q, %q) = %q changed the query", path, query, u)
		}
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatalf("requestURL(%q, %q) = %q, which net/url rejects: %v", path, query, u, err)
		}
		if !strings.HasSuffix(parsed.RawQuery, query) || !strings.HasPrefix(parsed.RawQuery, "aadOptscim062020") {
			t.Errorf("requestURL(%q, %q) = %q parses to RawQuery %q", path, query, u, parsed.RawQuery)
		}
		if strings.ContainsAny(u, " \t\r\n") {
			t.Errorf("requestURL(%q, %q) = %q holds whitespace", path, query, u)
		}
	})
}

func ExampleClient_Do() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ScimContentType)
		fmt.Fprintf(w, `{"totalResults":0,"path":%q,"query":%q}`, r.URL.Path, r.URL.RawQuery)
	}))
	defer srv.Close()

	c, err := New(Config{Target: srv.URL + "/scim/?aadOptscim062020", Token: "example-token"})
	if err != nil {
		fmt.Println(err)
		return
	}
	x := c.Do(context.Background(), Request{Path: "/Users", RawQuery: "filter=userName+eq+%22ada%22"})
	body, err := x.JSON()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x.StatusLine())
	fmt.Println(body["path"], body["query"])
	fmt.Println(c.Redactor().Exchange(x).ReqHeader["Authorization"])
	// Output:
	// HTTP 200 OK
	// /scim/Users aadOptscim062020&filter=userName+eq+%22ada%22
	// [[REDACTED]]
}

// BenchmarkDo measures one GET round trip on loopback through the client.
func BenchmarkDo(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ScimContentType)
		io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)
	}))
	defer srv.Close()
	c, err := New(Config{Target: srv.URL + "/scim/", Token: "tok", Warn: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		if x := c.Do(ctx, Request{Path: "/Users", RawQuery: "filter=userName+eq+%22a%22"}); x.Err != nil || x.Status != 200 {
			b.Fatalf("status %d err %v", x.Status, x.Err)
		}
	}
}

// BenchmarkDoNetHTTP sends the request of BenchmarkDo with the client's own
// net/http client, bypassing resty and the Exchange bookkeeping: the
// difference between the two is the per-request cost of Client.Do above
// net/http.
func BenchmarkDoNetHTTP(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ScimContentType)
		io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)
	}))
	defer srv.Close()
	c, err := New(Config{Target: srv.URL + "/scim/", Token: "tok", Warn: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	hc := c.rc.GetClient()
	ctx := context.Background()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/scim/Users?filter=userName+eq+%22a%22", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("User-Agent", DefaultUserAgent)
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("status %d err %v", resp.StatusCode, err)
		}
	}
}

func TestReadLimited(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		body        string
		size, limit int64
		want        string
		err         error
	}{
		{"announced length", `{"id":"1"}`, 10, 100, `{"id":"1"}`, nil},
		{"empty announced", ``, 0, 100, ``, nil},
		{"unknown length", `{"id":"1"}`, -1, 100, `{"id":"1"}`, nil},
		{"announced length cut short", `{"id"`, 10, 100, `{"id"`, io.ErrUnexpectedEOF},
		{"announced over the limit", `0123456789`, 10, 4, `0123`, ErrBodyTooLarge},
		{"unknown length over the limit", `0123456789`, -1, 4, `0123`, ErrBodyTooLarge},
		{"exactly the limit", `0123`, 4, 4, `0123`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := readLimited(strings.NewReader(c.body), c.size, c.limit)
			if string(got) != c.want {
				t.Errorf("body %q, want %q", got, c.want)
			}
			if c.err == nil && err != nil || c.err != nil && !errors.Is(err, c.err) {
				t.Errorf("error %v, want %v", err, c.err)
			}
		})
	}
}

// TestBodylessRequestsSendNoBody: a request without a body reaches the
// server with none, neither chunked nor with guessed headers.
func TestBodylessRequestsSendNoBody(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, contentType, accept string
		contentLength               []string
		chunked                     bool
		body                        int
	}
	got := make(chan seen, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Accept"), r.Header["Content-Length"],
			len(r.TransferEncoding) > 0, len(b)}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, err := New(Config{Target: srv.URL, Warn: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		x := c.Do(context.Background(), Request{Method: m, Path: "/Users/1"})
		if x.Err != nil {
			t.Fatal(x.Err)
		}
		s := <-got
		if s.contentType != "" || s.accept != "" || s.chunked || s.body != 0 {
			t.Errorf("%s sent Content-Type %q, Accept %q, chunked %v, %d body bytes; want none", m, s.contentType, s.accept, s.chunked, s.body)
		}
		if m == http.MethodGet && s.contentLength != nil {
			t.Errorf("GET sent Content-Length %v", s.contentLength)
		}
		if h := x.ReqHeader; h.Get("Content-Type") != "" || h.Get("Accept") != "" {
			t.Errorf("%s: the exchange records headers that were not sent: %v", m, h)
		}
	}
}

// requestHeader keeps every value in one array: a key's values must still
// behave as a slice of their own.
func TestRequestHeaderValuesDoNotAlias(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Target: "http://127.0.0.1:9/", Token: "t0k", Warn: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	h := c.requestHeader(Request{Body: []byte(`{}`), Header: http.Header{
		"x-a": {"1", "2"}, "X-B": {"3"}, "X-Empty": {}, "X-Nil": nil}})
	h["X-A"] = append(h["X-A"], "appended")
	h["User-Agent"][0] = "changed"
	want := http.Header{
		"User-Agent":    {"changed"},
		"Authorization": {"Bearer t0k"},
		"Content-Type":  {ScimContentType},
		"X-A":           {"1", "2", "appended"},
		"X-B":           {"3"},
		"X-Empty":       nil,
		"X-Nil":         nil,
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("header %#v, want %#v", h, want)
	}
}
