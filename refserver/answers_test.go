package refserver

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// TestWritesAnswerWhatReadsServe checks that the answer to a POST, PUT or
// PATCH is, byte for byte, what a GET of the resource serves right after:
// a write answers from the attributes it has just stored, a read decodes
// them. The resources cover the extension, an empty externalId (kept out
// of the record), a password (never returned), escapes, a user in a group
// and a group's members.
func TestWritesAnswerWhatReadsServe(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2026, 3, 4, 5, 6, 7, 891_000_000, time.UTC)
	_, c := newServer(t, Options{Now: func() time.Time { return fixed }})
	sameAsGet := func(what string, w response, status int, path string) {
		t.Helper()
		expectStatus(t, what, w, status)
		g := c.get(path)
		if !bytes.Equal(w.body, g.body) || w.header.Get("ETag") != g.header.Get("ETag") {
			t.Errorf("%s answered %s %s\nGET %s serves %s %s", what, w.header.Get("ETag"), w.body, path, g.header.Get("ETag"), g.body)
		}
	}
	user := map[string]any{
		"schemas":     []any{userURN, enterpriseURN},
		"userName":    "answer@example.com",
		"externalId":  "",
		"password":    "pa55word",
		"title":       `<b>"R&D"</b> ` + "\u2028\t\u00e9",
		"emails":      []any{map[string]any{"value": "a@example.com", "type": "work", "primary": true}},
		"name":        map[string]any{"givenName": "A", "familyName": "Nswer"},
		enterpriseURN: map[string]any{"department": "D", "manager": map[string]any{"value": "m-1"}},
	}
	w := c.do(req{method: "POST", path: "/Users", body: user})
	id, _ := w.obj(t)["id"].(string)
	sameAsGet("POST /Users", w, http.StatusCreated, "/Users/"+id)

	group := c.createGroup("Answers", id)
	user["displayName"] = "Answer"
	sameAsGet("PUT /Users", c.do(req{method: "PUT", path: "/Users/" + id, body: user}), http.StatusOK, "/Users/"+id)

	patch := `{"schemas":["` + patchURN + `"],"Operations":[{"op":"Replace","path":"active","value":"False"},` +
		`{"op":"add","path":"emails","value":[{"value":"b@example.com"}]}]}`
	sameAsGet("PATCH /Users", c.do(req{method: "PATCH", path: "/Users/" + id, body: patch}), http.StatusOK, "/Users/"+id)

	other := c.createUser("other@example.com")
	put := map[string]any{"schemas": []any{groupURN}, "displayName": "Answers", "externalId": "g-1",
		"members": []any{map[string]any{"value": id}, map[string]any{"value": other}}}
	sameAsGet("PUT /Groups", c.do(req{method: "PUT", path: "/Groups/" + group, body: put}), http.StatusOK, "/Groups/"+group)
}
