package refserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// TestIdentifiersRefuseControlCharacters: userName, displayName and
// externalId refuse control characters other than tab, line feed and
// carriage return with 400 invalidValue, whichever way they arrive, and a
// refused request changes nothing.
func TestIdentifiersRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	user := c.createUser("ctl@example.com")
	group := c.createGroup("ctl group")
	userBody := func(attr, value string) map[string]any {
		return map[string]any{"schemas": []any{userURN}, "userName": "new@example.com", attr: value}
	}
	for _, tc := range []struct {
		name         string
		method, path string
		body         any
	}{
		{"NUL in a created userName", "POST", "/Users", userBody("userName", "a\x00b")},
		{"escape in a created displayName", "POST", "/Users", userBody("displayName", "\x1b[31mred")},
		{"DEL in a created externalId", "POST", "/Users", userBody("externalId", "x\x7f")},
		{"C1 next-line in a created userName", "POST", "/Users", userBody("userName", "a\u0085b")},
		{"unit separator in a created group displayName", "POST", "/Groups",
			map[string]any{"schemas": []any{groupURN}, "displayName": "g\x1f"}},
		{"NUL in a replaced userName", "PUT", "/Users/" + user, userBody("userName", "\x00")},
		{"NUL in a patched userName", "PATCH", "/Users/" + user,
			patchBody(map[string]any{"op": "replace", "path": "userName", "value": "a\x00"})},
		{"bell in a path-less patched displayName", "PATCH", "/Users/" + user,
			patchBody(map[string]any{"op": "add", "value": map[string]any{"displayName": "ring\x07"}})},
		{"NUL in a patched group displayName", "PATCH", "/Groups/" + group,
			patchBody(map[string]any{"op": "replace", "path": "displayName", "value": "\x00"})},
		{"NUL in a patched group externalId", "PATCH", "/Groups/" + group,
			patchBody(map[string]any{"op": "add", "path": "externalId", "value": "e\x00"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do(req{method: tc.method, path: tc.path, body: tc.body})
			expectStatus(t, tc.name, r, http.StatusBadRequest, scimerr.InvalidValue)
			if detail, _ := r.obj(t)["detail"].(string); !strings.Contains(detail, "control character") {
				t.Fatalf("detail %q does not name the control character", detail)
			}
		})
	}
	for path, want := range map[string]string{"/Users/" + user: "ctl@example.com", "/Groups/" + group: "ctl group"} {
		doc := c.get(path).obj(t)
		if (doc["userName"] != want && doc["displayName"] != want) || doc["externalId"] != nil || at(doc, "meta", "version") != `W/"1"` {
			t.Fatalf("a refused request changed %s: %v", path, doc)
		}
	}
	if n := len(resources(t, c.get("/Users"))); n != 1 {
		t.Fatalf("%d users, want only the one created", n)
	}
}

// TestIdentifiersKeepTabsAndLineBreaks: tab, line feed and carriage return
// are stored in identifiers as sent.
func TestIdentifiersKeepTabsAndLineBreaks(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	user := map[string]any{"schemas": []any{userURN}, "userName": "tab\there", "displayName": "line\nbreak\r", "externalId": "\t"}
	r := c.do(req{method: "POST", path: "/Users", body: user})
	expectStatus(t, "POST", r, http.StatusCreated)
	doc := r.obj(t)
	for _, k := range []string{"userName", "displayName", "externalId"} {
		if doc[k] != user[k] {
			t.Errorf("%s = %q, want %q", k, doc[k], user[k])
		}
	}
}

// TestStringsKeepControlCharacters: other string attributes hold any
// character (RFC 7643 §2.3.1), NUL included, and every answer escapes the
// control characters (RFC 7159 §7): the body stays valid JSON that gives
// back exactly what was sent, however the resource is served.
func TestStringsKeepControlCharacters(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	const title = "nul\x00 esc\x1b del\x7f nel\u0085 ls\u2028 ps\u2029 quote\" slash\\ </script>"
	const formatted = "line 1\nline 2\r\n\tend\x00"
	r := c.do(req{method: "POST", path: "/Users", body: map[string]any{
		"schemas": []any{userURN}, "userName": "strings@example.com", "title": title,
		"name":      map[string]any{"givenName": "\x00\x01\x02"},
		"addresses": []any{map[string]any{"formatted": formatted, "type": "work"}},
	}})
	expectStatus(t, "POST", r, http.StatusCreated)
	id, _ := r.obj(t)["id"].(string)
	check := func(what string, r response, doc func(map[string]any) map[string]any) {
		t.Helper()
		if bytes.ContainsFunc(r.body, func(c rune) bool { return c < 0x20 }) || !utf8.Valid(r.body) {
			t.Fatalf("%s: body holds a raw control character or invalid UTF-8: %q", what, r.body)
		}
		d := doc(r.obj(t))
		if d["title"] != title || at(d, "name", "givenName") != "\x00\x01\x02" || at(d, "addresses", 0, "formatted") != formatted {
			t.Fatalf("%s: strings changed: %q", what, r.body)
		}
	}
	self := func(m map[string]any) map[string]any { return m }
	first := func(m map[string]any) map[string]any { d, _ := at(m, "Resources", 0).(map[string]any); return d }
	check("POST", r, self)
	check("GET", c.get("/Users/"+id), self)
	check("GET with attributes", c.get("/Users/"+id+"?attributes=title,name,addresses"), self)
	filter := `title eq ` + mustJSON(t, title)
	check("filter on the title", c.get("/Users?filter="+url.QueryEscape(filter)), first)
	r = c.do(req{method: "PATCH", path: "/Users/" + id, body: patchBody(map[string]any{"op": "replace", "path": "nickName", "value": "\x00"})})
	expectStatus(t, "PATCH", r, http.StatusOK)
	check("PATCH", r, self)
	if nick := r.obj(t)["nickName"]; nick != "\x00" {
		t.Fatalf("nickName = %q, want NUL", nick)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInvalidUTF8BecomesReplacementCharacters: bytes that are not UTF-8
// inside a string of the body are stored as U+FFFD, as encoding/json
// decodes them, so every answer is UTF-8.
func TestInvalidUTF8BecomesReplacementCharacters(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	body := `{"schemas":["` + userURN + `"],"userName":"utf8@example.com",` + "\"title\":\"bad \xff\xfe end\",\"nickName\":\"\xc3\"}"
	r := c.do(req{method: "POST", path: "/Users", body: body})
	expectStatus(t, "POST", r, http.StatusCreated)
	id, _ := r.obj(t)["id"].(string)
	for _, r := range []response{r, c.get("/Users/" + id)} {
		doc := r.obj(t)
		if !utf8.Valid(r.body) || doc["title"] != "bad \ufffd\ufffd end" || doc["nickName"] != "\ufffd" {
			t.Fatalf("answer %q", r.body)
		}
	}
}
