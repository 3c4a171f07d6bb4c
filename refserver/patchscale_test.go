package refserver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/patch"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// rawPatch wraps operations, each a JSON object, in a PatchOp body.
func rawPatch(ops ...string) string {
	return `{"schemas":["` + patchURN + `"],"Operations":[` + strings.Join(ops, ",") + `]}`
}

// TestPatchOfManyValuePathOperations sends the 14 000-operation PATCH of
// BenchmarkPatchEmailStorm to a user with 20 000 emails: it fits the body
// limit, and its operations find their emails through an index, within
// patch.MaxElementVisits (scanning for each would exceed it 200 times).
func TestPatchOfManyValuePathOperations(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	r := c.do(req{method: "POST", path: "/Users", body: stormUser()})
	expectStatus(t, "POST", r, http.StatusCreated)
	id, _ := r.obj(t)["id"].(string)
	r = c.do(req{method: "PATCH", path: "/Users/" + id, body: stormPatch()})
	expectStatus(t, "PATCH", r, http.StatusOK)
	emails, _ := r.obj(t)["emails"].([]any)
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
	c := newClient(t)
	emails := make([]any, 10_000)
	for i := range emails {
		emails[i] = map[string]any{"value": stormEmail(i)}
	}
	id := c.createUser("scan@example.com", "emails", emails)
	before := c.get("/Users/" + id)
	// Each operation compares its value, which has no `value`, with every
	// email: the cheapest way to spend the budget.
	op := `{"op":"remove","path":"emails","value":[{"display":"d","type":"other"}]}`
	ops := make([]string, patch.MaxElementVisits/len(emails)+1)
	for i := range ops {
		ops[i] = op
	}
	r := c.do(req{method: "PATCH", path: "/Users/" + id, body: rawPatch(ops...)})
	expectStatus(t, "PATCH", r, http.StatusBadRequest, scimerr.TooMany)
	after := c.get("/Users/" + id)
	if string(after.body) != string(before.body) || after.header.Get("ETag") != before.header.Get("ETag") {
		t.Fatalf("a refused PATCH changed the user")
	}
}

// TestPatchRemovingManyMembers removes half of a 2 000-member group with
// one members[value eq "<id>"] operation each, in Entra's shape (the member
// set) and behind an operation only the general engine applies. Scanning
// the group for each would exceed patch.MaxElementVisits.
func TestPatchRemovingManyMembers(t *testing.T) {
	t.Parallel()
	const size = 2_000
	srv, c := newServer(t, Options{})
	users := make([]string, size)
	for i := range users {
		w := serve(srv, http.MethodPost, "/Users", "", fmt.Appendf(nil, `{"schemas":["%s"],"userName":"m%04d@example.com"}`, userURN, i))
		doc, err := decodeObject(w.Body.Bytes())
		if w.Code != http.StatusCreated || err != nil {
			t.Fatalf("POST /Users: %d %s", w.Code, w.Body)
		}
		users[i], _ = doc["id"].(string)
	}
	for _, shape := range []struct{ name, first string }{
		{"member set", ""},
		{"general engine", `{"op":"replace","path":"displayName","value":"general engine"}`},
	} {
		g := c.createGroup(shape.name, users...)
		var ops []string
		if shape.first != "" {
			ops = append(ops, shape.first)
		}
		for _, u := range users[:size/2] {
			ops = append(ops, `{"op":"remove","path":"members[value eq \"`+u+`\"]"}`)
		}
		r := c.do(req{method: "PATCH", path: "/Groups/" + g, body: rawPatch(ops...)})
		expectStatus(t, shape.name, r, http.StatusNoContent)
		members, _ := c.get("/Groups/" + g).obj(t)["members"].([]any)
		if len(members) != size/2 {
			t.Fatalf("%s: %d members left, want %d", shape.name, len(members), size/2)
		}
		for i, m := range members {
			if at(m, "value") != users[size/2+i] {
				t.Fatalf("%s: members[%d] = %v, want %s", shape.name, i, m, users[size/2+i])
			}
		}
	}
}
