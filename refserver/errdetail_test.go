package refserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// TestErrorDetailsCutLongClientInput sends ids, paths, filters, values and
// headers of up to 1 MB that end in an error: each detail quotes at most
// scimerr.MaxQuoted bytes of what was sent, with a marker giving its
// length, instead of echoing it back.
func TestErrorDetailsCutLongClientInput(t *testing.T) {
	t.Parallel()
	srv, c := newServer(t, Options{})
	user := c.createUser("taken@example.com")
	const mb = 1 << 20
	long := func(n int) string { return strings.Repeat("A", n) }
	put := `{"schemas":["` + userURN + `"],"userName":"x@example.com"}`
	active := rawPatch(`{"op":"replace","path":"active","value":false}`)
	for _, c := range []struct {
		name         string
		method, path string
		query        url.Values
		body         string
		header       http.Header
		status       int
		length       int // of the input the detail quotes
	}{
		{name: "GET of a 1 MB user id", method: "GET", path: "/Users/" + long(mb), status: 404, length: mb},
		{name: "PUT of a 1 MB user id", method: "PUT", path: "/Users/" + long(mb), body: put, status: 404, length: mb},
		{name: "PATCH of a 1 MB user id", method: "PATCH", path: "/Users/" + long(mb), body: active, status: 404, length: mb},
		{name: "DELETE of a 1 MB group id", method: "DELETE", path: "/Groups/" + long(mb), status: 404, length: mb},
		{name: "a 1 MB schema id", method: "GET", path: "/Schemas/" + long(mb), status: 404, length: mb},
		{name: "a 1 MB resource type id", method: "GET", path: "/ResourceTypes/" + long(mb), status: 404, length: mb},
		{name: "a 1 MB unknown path", method: "GET", path: "/" + long(mb), status: 404, length: mb + 1},
		{name: "a method not allowed on a 1 MB path", method: "POST", path: "/Users/" + long(mb), status: 405, length: mb + 7},
		{name: "a 4000-byte attribute in a filter", method: "GET", path: "/Users",
			query: url.Values{"filter": {long(4000) + ` eq "x"`}}, status: 400, length: 4000},
		{name: "a 4000-byte sortBy", method: "GET", path: "/Users", query: url.Values{"sortBy": {long(4000)}}, status: 400, length: 4000},
		{name: "a 100 kB startIndex", method: "GET", path: "/Users", query: url.Values{"startIndex": {long(100_000)}}, status: 400, length: 100_000},
		{name: "a 900 kB PATCH path", method: "PATCH", path: "/Users/" + user,
			body: rawPatch(`{"op":"replace","path":"` + long(900_000) + `","value":"x"}`), status: 400, length: 900_000},
		{name: "a 900 kB PATCH op", method: "PATCH", path: "/Users/" + user,
			body: rawPatch(`{"op":"` + long(900_000) + `","path":"title","value":"x"}`), status: 400, length: 900_000},
		{name: "a 900 kB member id", method: "POST", path: "/Groups",
			body: `{"schemas":["` + groupURN + `"],"displayName":"g","members":[{"value":"` + long(900_000) + `"}]}`, status: 400, length: 900_000},
		{name: "a 100 kB If-Match", method: "PUT", path: "/Users/" + user, body: put,
			header: http.Header{"If-Match": {long(100_000)}}, status: 412, length: 100_000},
		{name: "a 100 kB Content-Type", method: "POST", path: "/Users", body: put,
			header: http.Header{"Content-Type": {long(100_000)}}, status: 415, length: 100_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			status, detail := errorOf(t, srv, c.method, c.path, c.query, c.body, c.header)
			if status != c.status {
				t.Fatalf("status %d, want %d (detail %.200q)", status, c.status, detail)
			}
			marker := "(" + strconv.Itoa(c.length) + " bytes, truncated)"
			if len(detail) > 4*scimerr.MaxQuoted || !strings.Contains(detail, marker) {
				t.Fatalf("detail of %d bytes, want at most %d with %q: %.400q", len(detail), 4*scimerr.MaxQuoted, marker, detail)
			}
		})
	}
}

// TestErrorDetailOfADuplicateLongName: a 409 for a 200 kB userName quotes
// only its start.
func TestErrorDetailOfADuplicateLongName(t *testing.T) {
	t.Parallel()
	srv, c := newServer(t, Options{})
	name := strings.Repeat("n", 200_000) + "@example.com"
	c.createUser(name)
	body := `{"schemas":["` + userURN + `"],"userName":"` + strings.ToUpper(name) + `"}`
	status, detail := errorOf(t, srv, "POST", "/Users", nil, body, nil)
	if status != http.StatusConflict || len(detail) > 4*scimerr.MaxQuoted || !strings.Contains(detail, "(200012 bytes, truncated)") {
		t.Fatalf("%d %.400q", status, detail)
	}
}

// errorOf sends one request straight to the handler and returns the status
// and the detail of its SCIM error body.
func errorOf(t *testing.T, srv *Server, method, path string, query url.Values, body string, header http.Header) (int, string) {
	t.Helper()
	r := httptest.NewRequest(method, "http://scim.test/", strings.NewReader(body))
	r.URL.Path, r.URL.RawQuery = path, query.Encode()
	r.Header.Set("Authorization", "Bearer "+testToken)
	if body != "" {
		r.Header.Set("Content-Type", "application/scim+json")
	}
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	var e struct{ Detail string }
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("%s %.80s: %d with a body that is not JSON: %v", method, path, w.Code, err)
	}
	return w.Code, e.Detail
}
