package refserver

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
)

// TestPatchActiveMatchesEngine applies the same active PATCHes through the
// fast path and through the general engine, to twin users, and expects the
// same answers, stored bytes and versions.
func TestPatchActiveMatchesEngine(t *testing.T) {
	t.Parallel()
	srv, c := newServer(t, Options{})
	ext := map[string]any{"department": "D"}
	for i, tc := range []struct {
		extra []any
		value string
	}{
		{nil, `"False"`},
		{[]any{"active", true}, `"False"`},
		{[]any{"active", false}, `"false"`},
		{[]any{"active", true}, `true`},
		{[]any{"active", false}, `"TRUE"`},
		{[]any{"displayName", "Z", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", ext}, `false`},
		{[]any{"addresses", []any{map[string]any{"country": "US"}}, "title", "T"}, `"True"`},
		{[]any{"active", true}, `"maybe"`},
		{[]any{"active", true}, `1`},
	} {
		body := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":` + tc.value + `}]}`
		var answers [2]response
		var recs [2]*record
		for side, general := range []bool{false, true} {
			id := c.createUser(fmt.Sprintf("twin%d-%d", i, side), tc.extra...)
			srv.store.noSplice.Store(general)
			answers[side] = c.do(req{method: "PATCH", path: "/Users/" + id, body: body})
			srv.store.noSplice.Store(false)
			recs[side] = srv.store.users.byID[id]
		}
		fast, slow := answers[0], answers[1]
		if fast.status != slow.status {
			t.Errorf("value %s: status %d, engine %d (%s)", tc.value, fast.status, slow.status, slow.body)
			continue
		}
		if fast.status != http.StatusOK {
			if !bytes.Equal(fast.body, slow.body) {
				t.Errorf("value %s: error %s, engine %s", tc.value, fast.body, slow.body)
			}
			continue
		}
		srv.store.mu.RLock()
		fb, sb, fv, sv := recs[0].body, recs[1].body, recs[0].version, recs[1].version
		srv.store.mu.RUnlock()
		if !bytes.Equal(fb, sb) || fv != sv {
			t.Errorf("value %s: stored %s v%d, engine %s v%d", tc.value, fb, fv, sb, sv)
		}
	}
}

func TestWithActive(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body   string
		active bool
		want   string
	}{
		{``, true, `{"active":true}`},
		{`{"active":true}`, true, `{"active":true}`},
		{`{"active":true}`, false, `{"active":false}`},
		{`{"addresses":[{"a":1}],"title":"x"}`, false, `{"active":false,"addresses":[{"a":1}],"title":"x"}`},
		{`{"a":1,"b":"c"}`, true, `{"a":1,"active":true,"b":"c"}`},
		{`{"a":1}`, true, `{"a":1,"active":true}`},
	} {
		got, ok := withActive([]byte(tc.body), tc.active)
		if !ok || string(got) != tc.want {
			t.Errorf("withActive(%s, %v) = %s, %v; want %s", tc.body, tc.active, got, ok, tc.want)
		}
	}
	if _, ok := withActive([]byte(`{"a":`), true); ok {
		t.Error("withActive accepted a truncated body")
	}
}
