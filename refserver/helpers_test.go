package refserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

const testToken = "test-token"

// client talks to a Server through a real HTTP connection and checks the
// invariants every response must meet (content type, SCIM error bodies).
type client struct {
	t     *testing.T
	url   string // base URL including BasePath
	token string
	http  *http.Client
}

func newServer(t *testing.T, opts Options) (*Server, *client) {
	t.Helper()
	if opts.Token == "" && !opts.NoAuth {
		opts.Token = testToken
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	// A transport of its own: closing any test server closes the idle
	// connections of http.DefaultTransport, which breaks a request of a
	// parallel test that is just reusing one.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return srv, &client{t: t, url: ts.URL + srv.opts.BasePath, token: opts.Token, http: &http.Client{Timeout: 10 * time.Second, Transport: tr}}
}

func newClient(t *testing.T) *client {
	t.Helper()
	_, c := newServer(t, Options{})
	return c
}

// response is a received answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// obj decodes the body as a JSON object.
func (r response) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decode body %q: %v", r.body, err)
	}
	return m
}

// req is one request to send; body may be a string, []byte or any JSON value.
type req struct {
	method, path string
	body         any
	header       map[string]string
}

func (c *client) do(r req) response {
	c.t.Helper()
	var rd io.Reader
	switch b := r.body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	hr, err := http.NewRequest(r.method, c.url+r.path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		hr.Header.Set("Authorization", "Bearer "+c.token)
	}
	if rd != nil {
		hr.Header.Set("Content-Type", "application/scim+json")
	}
	for k, v := range r.header {
		if v == "" {
			hr.Header.Del(k)
			continue
		}
		hr.Header.Set(k, v)
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		c.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, body: body}
	if err := checkResponse(r.method, out); err != "" {
		c.t.Errorf("%s %s: %s", r.method, r.path, err)
	}
	return out
}

// checkResponse returns what is wrong with a response by the rules every
// answer follows, or "".
func checkResponse(method string, r response) string {
	// net/http drops Content-Type from 304 answers (RFC 9110 §15.4.5 lets a
	// 304 omit representation metadata), so that status is the one exception.
	if ct := r.header.Get("Content-Type"); ct != ContentType && r.status != http.StatusNotModified {
		return "Content-Type " + strconv.Quote(ct) + ", want " + ContentType
	}
	if r.status == http.StatusNoContent || r.status == http.StatusNotModified || method == http.MethodHead {
		if len(r.body) != 0 {
			return "bodiless status " + strconv.Itoa(r.status) + " has a body"
		}
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		return "body is not a JSON object: " + err.Error()
	}
	schemas, _ := m["schemas"].([]any)
	if len(schemas) == 0 {
		return "body has no schemas: " + string(r.body)
	}
	if r.status < 400 {
		return checkSuccessBody(m)
	}
	if schemas[0] != scimerr.ErrorSchema || m["status"] != strconv.Itoa(r.status) {
		return "error body is not an RFC 7644 §3.12 error for status " + strconv.Itoa(r.status) + ": " + string(r.body)
	}
	return ""
}

// checkSuccessBody checks the shape of a ListResponse (counts agree with
// Resources) and that every User or Group carries its id.
func checkSuccessBody(m map[string]any) string {
	schemas, _ := m["schemas"].([]any)
	if schemas[0] != ListResponseSchema {
		return checkResourceID(m)
	}
	list, ok := m["Resources"].([]any)
	total, _ := m["totalResults"].(float64)
	if !ok || m["itemsPerPage"] != float64(len(list)) || total < float64(len(list)) {
		return "inconsistent ListResponse counts"
	}
	for _, item := range list {
		r, _ := item.(map[string]any)
		if msg := checkResourceID(r); msg != "" {
			return msg
		}
	}
	return ""
}

func checkResourceID(m map[string]any) string {
	schemas, _ := m["schemas"].([]any)
	for _, s := range schemas {
		if s == userURN || s == groupURN {
			if id, _ := m["id"].(string); id == "" {
				return "resource without id"
			}
		}
	}
	return ""
}

func (c *client) get(path string) response { return c.do(req{method: "GET", path: path}) }

// create POSTs body to endpoint and returns the new id, failing unless 201.
func (c *client) create(endpoint string, body map[string]any) string {
	c.t.Helper()
	r := c.do(req{method: "POST", path: endpoint, body: body})
	if r.status != http.StatusCreated {
		c.t.Fatalf("POST %s: %d %s", endpoint, r.status, r.body)
	}
	id, _ := r.obj(c.t)["id"].(string)
	if id == "" {
		c.t.Fatalf("POST %s: no id in %s", endpoint, r.body)
	}
	return id
}

func (c *client) createUser(userName string, extra ...any) string {
	body := map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": userName}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i].(string)] = extra[i+1]
	}
	return c.create("/Users", body)
}

func (c *client) createGroup(name string, memberIDs ...string) string {
	body := map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": name}
	if len(memberIDs) > 0 {
		var members []any
		for _, id := range memberIDs {
			members = append(members, map[string]any{"value": id})
		}
		body["members"] = members
	}
	return c.create("/Groups", body)
}

// expectStatus fails unless r has the status (and scimType, when given).
func expectStatus(t *testing.T, what string, r response, status int, scimType ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: status %d, want %d; body %s", what, r.status, status, r.body)
	}
	if len(scimType) > 0 {
		if got, _ := r.obj(t)["scimType"].(string); got != scimType[0] {
			t.Fatalf("%s: scimType %q, want %q; body %s", what, got, scimType[0], r.body)
		}
	}
}

// at follows a path of keys and indexes through a decoded JSON value.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// resources returns the Resources of a ListResponse.
func resources(t *testing.T, r response) []any {
	t.Helper()
	m := r.obj(t)
	list, ok := m["Resources"].([]any)
	if !ok {
		t.Fatalf("ListResponse without a Resources array: %s", r.body)
	}
	return list
}

func ids(list []any) []string {
	var out []string
	for _, v := range list {
		s, _ := at(v, "id").(string)
		out = append(out, s)
	}
	return out
}

func q(s string) string { return strings.NewReplacer(" ", "%20", `"`, "%22").Replace(s) }
