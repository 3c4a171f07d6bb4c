package refserver

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNewValidatesOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts Options
		ok   bool
	}{
		{"token", Options{Token: "x"}, true},
		{"no auth explicitly", Options{NoAuth: true}, true},
		{"neither token nor no-auth", Options{}, false},
		{"both", Options{Token: "x", NoAuth: true}, false},
		{"base path without slash", Options{Token: "x", BasePath: "scim/v2/"}, true},
		{"base path with pattern syntax", Options{Token: "x", BasePath: "/{x}"}, false},
		{"negative body limit", Options{Token: "x", MaxBodyBytes: -1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tc.opts)
			if (err == nil) != tc.ok {
				t.Fatalf("New(%+v) error = %v, want ok=%v", tc.opts, err, tc.ok)
			}
		})
	}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for _, tc := range []struct {
		name   string
		path   string
		auth   string
		status int
	}{
		{"no token on Users", "/Users", "", 401},
		{"no token on discovery", "/ServiceProviderConfig", "", 401},
		{"no token on unknown path", "/nope", "", 401},
		{"wrong token", "/Users", "Bearer wrong", 401},
		{"token prefix", "/Users", "Bearer " + testToken[:4], 401},
		{"basic scheme", "/Users", "Basic dGVzdA==", 401},
		{"right token", "/Users", "Bearer " + testToken, 200},
		{"scheme case-insensitive", "/Schemas", "bearer " + testToken, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cc := *c
			cc.t, cc.token = t, ""
			r := cc.do(req{method: "GET", path: tc.path, header: map[string]string{"Authorization": tc.auth}})
			expectStatus(t, tc.name, r, tc.status)
			if tc.status == 401 {
				if got := r.header.Get("WWW-Authenticate"); got != `Bearer realm="scimconform"` {
					t.Errorf("WWW-Authenticate = %q", got)
				}
			}
		})
	}
}

func TestNoAuthServesWithoutToken(t *testing.T) {
	t.Parallel()
	_, c := newServer(t, Options{NoAuth: true})
	expectStatus(t, "GET /Users without token", c.get("/Users"), 200)
}

func TestRouting(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/nope", 404, ""},
		{"GET", "/", 404, ""},
		{"GET", "/Users/no-such-id", 404, ""},
		{"GET", "/Groups/no-such-id", 404, ""},
		{"DELETE", "/Users", 405, "GET, HEAD, POST"},
		{"POST", "/Users/some-id", 405, "DELETE, GET, HEAD, PATCH, PUT"},
		{"GET", "/Users/.search", 405, "POST"},
		{"GET", "/.search", 405, "POST"},
		{"POST", "/ServiceProviderConfig", 405, "GET, HEAD"},
		{"PUT", "/ResourceTypes/User", 405, "GET, HEAD"},
		{"DELETE", "/Schemas", 405, "GET, HEAD"},
		{"PATCH", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", 405, "GET, HEAD"},
		{"GET", "/Me", 501, ""},
		{"PATCH", "/Me/x", 501, ""},
		{"POST", "/Bulk", 501, ""},
		{"GET", "/Users/", 200, ""},
		{"GET", "//Users", 200, ""},
		{"GET", "/x/../Groups", 200, ""},
		{"HEAD", "/Users", 200, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			cc := *c
			cc.t = t
			r := cc.do(req{method: tc.method, path: tc.path})
			expectStatus(t, tc.method+" "+tc.path, r, tc.status)
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
		})
	}
}

func TestBasePath(t *testing.T) {
	t.Parallel()
	_, c := newServer(t, Options{BasePath: "/scim/v2"})
	id := c.createUser("base@example.com")
	r := c.get("/Users/" + id)
	expectStatus(t, "GET under base path", r, 200)
	if loc, _ := at(r.obj(t), "meta", "location").(string); !strings.HasSuffix(loc, "/scim/v2/Users/"+id) || !strings.HasPrefix(loc, "http://127.0.0.1:") {
		t.Errorf("meta.location = %q", loc)
	}
	root := *c
	root.url = strings.TrimSuffix(c.url, "/scim/v2")
	expectStatus(t, "GET /Users outside the base path", root.get("/Users"), 404)
}

func TestRequestBodies(t *testing.T) {
	t.Parallel()
	_, c := newServer(t, Options{MaxBodyBytes: 512})
	user := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s"}`
	for _, tc := range []struct {
		name        string
		contentType string
		body        string
		status      int
		scimType    string
	}{
		{"scim+json", "application/scim+json", strings.Replace(user, "%s", "b1", 1), 201, ""},
		{"json with charset", "application/json; charset=utf-8", strings.Replace(user, "%s", "b2", 1), 201, ""},
		{"scim+json with charset", "application/scim+json; charset=UTF-8", strings.Replace(user, "%s", "b3", 1), 201, ""},
		{"no content type", "", strings.Replace(user, "%s", "b4", 1), 201, ""},
		{"text/plain", "text/plain", strings.Replace(user, "%s", "b5", 1), 415, ""},
		{"unparsable content type", "application/", strings.Replace(user, "%s", "b6", 1), 415, ""},
		{"malformed JSON", "application/scim+json", `{"userName":`, 400, "invalidSyntax"},
		{"trailing data", "application/scim+json", strings.Replace(user, "%s", "b7", 1) + "{}", 400, "invalidSyntax"},
		{"array body", "application/scim+json", `[]`, 400, "invalidSyntax"},
		{"empty body", "application/scim+json", ``, 400, "invalidSyntax"},
		{"too large", "application/scim+json", `{"userName":"big","title":"` + strings.Repeat("x", 600) + `"}`, 413, ""},
		{"missing userName", "application/scim+json", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}`, 400, "invalidValue"},
		{"wrong type", "application/scim+json", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"b8","active":[1]}`, 400, "invalidValue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cc := *c
			cc.t = t
			r := cc.do(req{method: "POST", path: "/Users", body: tc.body, header: map[string]string{"Content-Type": tc.contentType}})
			if tc.scimType != "" {
				expectStatus(t, tc.name, r, tc.status, tc.scimType)
			} else {
				expectStatus(t, tc.name, r, tc.status)
			}
		})
	}
}

func TestUnknownQueryParametersIgnored(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	c.createUser("flag@example.com")
	r := c.get("/Users?aadOptscim062020&filter=" + q(`userName eq "flag@example.com"`))
	expectStatus(t, "list with the Entra flag", r, 200)
	if n := len(resources(t, r)); n != 1 {
		t.Errorf("got %d resources, want 1", n)
	}
}

// syncBuffer is a concurrency-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestPanicBecomesSCIMError(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	calls := 0
	var mu sync.Mutex
	_, c := newServer(t, Options{
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				panic("clock exploded")
			}
			return time.Now()
		},
	})
	r := c.do(req{method: "POST", path: "/Users", body: map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "p@example.com"}})
	expectStatus(t, "POST with a panicking handler", r, 500)
	if !strings.Contains(logs.String(), "clock exploded") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	// The server keeps serving after the panic.
	c.createUser("after@example.com")
}

func TestRequestLogLine(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	_, c := newServer(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	c.createUser("secret.person@example.com", "password", "hunter2-password")
	c.get("/Users?filter=" + q(`userName eq "secret.person@example.com"`))
	out := logs.String()
	for _, want := range []string{"method=POST", "path=/Users", "status=201", "duration=", "method=GET", "status=200"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{testToken, "secret.person", "hunter2"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("%d log lines for 2 requests:\n%s", n, out)
	}
}

func TestEveryResponseIsSCIMJSON(t *testing.T) {
	t.Parallel()
	// client.do checks the content type and error shape of every response;
	// this walks the endpoints and statuses the other tests do not.
	c := newClient(t)
	id := c.createUser("ct@example.com")
	for _, r := range []req{
		{method: "DELETE", path: "/Users/" + id},
		{method: "GET", path: "/Users/" + id},
		{method: "OPTIONS", path: "/Users"},
		{method: "GET", path: "/ResourceTypes/Nope"},
		{method: "GET", path: "/Schemas/urn:nope"},
	} {
		resp := c.do(r)
		if resp.status == http.StatusOK && r.method == "OPTIONS" {
			t.Errorf("OPTIONS /Users answered 200")
		}
	}
}
