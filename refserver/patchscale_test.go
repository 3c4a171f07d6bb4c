package refserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/patch"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// rawPatch wraps operations, each a JSON object, in a PatchOp body.
func rawPatch(ops ...string) string {
	return `{"schemas":["` + patchURN + `"],"Operations":[` + strings.Join(ops, ",") + `]}`
}

// These requests take seconds under the race detector on a busy machine,
// so they go straight to the handler (serve), with no client timeout.

// TestPatchOfManyValuePathOperations sends the 14 000-operation PATCH of
// BenchmarkPatchEmailStorm to a user with 20 000 emails: it fits the body
// limit, and its operations find their emails through an index, within
// patch.MaxElementVisits (scanning for each would exceed it 200 times).
func TestPatchOfManyValuePathOperations(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, Options{})
	id := mustCreate(t, srv, "/Users", stormUser())
	w := serve(srv, "PATCH", "/Users/"+id, "", stormPatch())
	emails, _ := decodeAnswer(t, w, http.StatusOK)["emails"].([]any)
	if len(emails) != stormEmails {
		t.Fatalf("%d emails after the PATCH, want %d", len(emails), stormEmails)
	}
	for i, e := range emails {
		n, typ := stormRemoves+i, any(nil) // untouched, then retyped, then added back
		switch {
		case i >= stormEmails-stormRemoves:
			n, typ = i-(stormEmails-stormRemoves), "work"
		case n < stormRemoves+stormTypes:
			typ = "home"
		}
		if at(e, "value") != stormEmail(n) || at(e, "type") != typ {
			t.Fatalf("emails[%d] = %v, want %s with type %v", i, e, stormEmail(n), typ)
		}
	}
}

// TestPatchBeyondTheElementBudget sends a user with 10 000 emails a PATCH
// whose operations each must examine every email, more than
// patch.MaxElementVisits in all: 400 tooMany, and the user is unchanged.
func TestPatchBeyondTheElementBudget(t *testing.T) {
	t.Parallel()
	srv, _ := newServer(t, Options{})
	emails := make([]string, 10_000)
	for i := range emails {
		emails[i] = `{"value":"` + stormEmail(i) + `"}`
	}
	id := mustCreate(t, srv, "/Users", []byte(`{"schemas":["`+userURN+`"],"userName":"scan@example.com","emails":[`+strings.Join(emails, ",")+`]}`))
	before := serve(srv, "GET", "/Users/"+id, "", nil)
	// Each operation compares its value, which has no `value`, with every
	// email: the cheapest way to spend the budget.
	op := `{"op":"remove","path":"emails","value":[{"display":"d","type":"other"}]}`
	ops := make([]string, patch.MaxElementVisits/len(emails)+1)
	for i := range ops {
		ops[i] = op
	}
	w := serve(srv, "PATCH", "/Users/"+id, "", []byte(rawPatch(ops...)))
	if e := decodeAnswer(t, w, http.StatusBadRequest); e["scimType"] != scimerr.TooMany {
		t.Fatalf("scimType %v, want %s", e["scimType"], scimerr.TooMany)
	}
	after := serve(srv, "GET", "/Users/"+id, "", nil)
	if after.Body.String() != before.Body.String() || after.Header().Get("ETag") != before.Header().Get("ETag") {
		t.Fatalf("a refused PATCH changed the user")
	}
}

// TestPatchRemovingManyMembers removes half of a 2 000-member group with
// one members[value eq "<id>"] operation each, in Entra's shape and behind
// another operation. Scanning the group for each would exceed
// patch.MaxElementVisits.
func TestPatchRemovingManyMembers(t *testing.T) {
	t.Parallel()
	const size = 2_000
	srv, _ := newServer(t, Options{})
	users := make([]string, size)
	members := make([]string, size)
	for i := range users {
		users[i] = mustCreate(t, srv, "/Users", fmt.Appendf(nil, `{"schemas":["%s"],"userName":"m%04d@example.com"}`, userURN, i))
		members[i] = `{"value":"` + users[i] + `"}`
	}
	for _, shape := range []struct{ name, first string }{
		{"entra shape", ""},
		{"after another operation", `{"op":"replace","path":"displayName","value":"after another operation"}`},
	} {
		g := mustCreate(t, srv, "/Groups", []byte(`{"schemas":["`+groupURN+`"],"displayName":"`+shape.name+`","members":[`+strings.Join(members, ",")+`]}`))
		var ops []string
		if shape.first != "" {
			ops = append(ops, shape.first)
		}
		for _, u := range users[:size/2] {
			ops = append(ops, `{"op":"remove","path":"members[value eq \"`+u+`\"]"}`)
		}
		w := serve(srv, "PATCH", "/Groups/"+g, "", []byte(rawPatch(ops...)))
		if w.Code != http.StatusNoContent {
			t.Fatalf("%s: %d %s", shape.name, w.Code, w.Body)
		}
		left, _ := decodeAnswer(t, serve(srv, "GET", "/Groups/"+g, "", nil), http.StatusOK)["members"].([]any)
		if len(left) != size/2 {
			t.Fatalf("%s: %d members left, want %d", shape.name, len(left), size/2)
		}
		for i, m := range left {
			if at(m, "value") != users[size/2+i] {
				t.Fatalf("%s: members[%d] = %v, want %s", shape.name, i, m, users[size/2+i])
			}
		}
	}
}

// mustCreate POSTs body to endpoint and returns the new resource's id.
func mustCreate(t testing.TB, srv *Server, endpoint string, body []byte) string {
	t.Helper()
	id, _ := decodeAnswer(t, serve(srv, "POST", endpoint, "", body), http.StatusCreated)["id"].(string)
	return id
}

// decodeAnswer checks an answer's status and decodes its JSON body.
func decodeAnswer(t testing.TB, w *httptest.ResponseRecorder, status int) map[string]any {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %.300s", w.Code, status, w.Body)
	}
	doc, err := decodeObject(w.Body.Bytes())
	if err != nil {
		t.Fatalf("answer is not a JSON object: %v", err)
	}
	return doc
}
