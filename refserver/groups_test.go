package refserver

import (
	"net/http"
	"slices"
	"sort"
	"testing"
)

const groupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"

// memberIDs returns the members[].value of a group document, sorted.
func memberIDs(doc map[string]any) []string {
	var out []string
	list, _ := doc["members"].([]any)
	for _, m := range list {
		v, _ := at(m, "value").(string)
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

func sorted(s ...string) []string { s = slices.Clone(s); sort.Strings(s); return s }

func TestCreateGroupWithMembers(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	u := c.createUser("member@example.com")
	inner := c.createGroup("Inner")
	r := c.do(req{method: "POST", path: "/Groups", body: map[string]any{
		"schemas":     []any{groupURN, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"},
		"displayName": "Outer", "externalId": "g-ext",
		"members": []any{map[string]any{"value": u, "$ref": nil}, map[string]any{"value": inner, "type": "User"}, map[string]any{"value": u}},
	}})
	expectStatus(t, "POST /Groups", r, http.StatusCreated)
	doc := r.obj(t)
	members, _ := doc["members"].([]any)
	if len(members) != 2 {
		t.Fatalf("members = %v, want the 2 distinct members", doc["members"])
	}
	want := map[string][3]string{
		u:     {"User", "member@example.com", c.url + "/Users/" + u},
		inner: {"Group", "Inner", c.url + "/Groups/" + inner},
	}
	for _, m := range members {
		id, _ := at(m, "value").(string)
		w, ok := want[id]
		if !ok || at(m, "type") != w[0] || at(m, "display") != w[1] || at(m, "$ref") != w[2] {
			t.Errorf("member %v, want value %s type/display/$ref %v", m, id, w)
		}
	}
	if at(doc, "meta", "resourceType") != "Group" || r.header.Get("Location") != c.url+"/Groups/"+doc["id"].(string) {
		t.Errorf("meta/Location wrong: %s / %s", r.body, r.header.Get("Location"))
	}
}

func TestGroupMemberValidation(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	g := c.createGroup("Valid")
	for _, tc := range []struct {
		name    string
		members any
	}{
		{"unknown id", []any{map[string]any{"value": "no-such-id"}}},
		{"missing value", []any{map[string]any{"type": "User"}}},
	} {
		r := c.do(req{method: "POST", path: "/Groups", body: map[string]any{"schemas": []any{groupURN}, "displayName": tc.name, "members": tc.members}})
		expectStatus(t, tc.name, r, http.StatusBadRequest, "invalidValue")
	}
	self := c.do(req{method: "PATCH", path: "/Groups/" + g, body: patchBody(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": g}}})})
	expectStatus(t, "group as its own member", self, http.StatusBadRequest, "invalidValue")
	dup := c.do(req{method: "POST", path: "/Groups", body: map[string]any{"schemas": []any{groupURN}, "displayName": "VALID"}})
	expectStatus(t, "duplicate displayName in other case", dup, http.StatusConflict, "uniqueness")
	other := c.createGroup("Other")
	rename := c.do(req{method: "PATCH", path: "/Groups/" + other, body: patchBody(map[string]any{"op": "Replace", "value": map[string]any{"displayName": "vALID"}})})
	expectStatus(t, "PATCH rename onto another group", rename, http.StatusConflict, "uniqueness")
	put := c.do(req{method: "PUT", path: "/Groups/" + other, body: map[string]any{"schemas": []any{groupURN}, "displayName": "Valid"}})
	expectStatus(t, "PUT rename onto another group", put, http.StatusConflict, "uniqueness")
	missing := c.do(req{method: "POST", path: "/Groups", body: map[string]any{"schemas": []any{groupURN}}})
	expectStatus(t, "missing displayName", missing, http.StatusBadRequest, "invalidValue")
}

func TestPatchGroupMembers(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	u1, u2, u3 := c.createUser("u1@example.com"), c.createUser("u2@example.com"), c.createUser("u3@example.com")
	g := c.createGroup("Team", u1, u2, u3)
	path := "/Groups/" + g
	for _, tc := range []struct {
		name    string
		query   string
		ops     []map[string]any
		status  int
		members []string
		version string
	}{
		{"Entra Remove with value array removes only those", "", []map[string]any{{"op": "Remove", "path": "members",
			"value": []any{map[string]any{"value": u2}}}}, 204, sorted(u1, u3), `W/"2"`},
		{"Entra Add members", "", []map[string]any{{"op": "Add", "path": "members",
			"value": []any{map[string]any{"value": u2, "$ref": nil}}}}, 204, sorted(u1, u2, u3), `W/"3"`},
		{"adding an existing member changes nothing", "", []map[string]any{{"op": "add", "path": "members",
			"value": []any{map[string]any{"value": u2}}}}, 204, sorted(u1, u2, u3), `W/"3"`},
		{"remove by value filter", "", []map[string]any{{"op": "remove", "path": `members[value eq "` + u1 + `"]`}}, 204, sorted(u2, u3), `W/"4"`},
		{"attributes requested: 200 with the group", "?attributes=members", []map[string]any{{"op": "replace", "path": "displayName", "value": "Team 2"}}, 200, sorted(u2, u3), `W/"5"`},
		{"unknown member id", "", []map[string]any{{"op": "add", "path": "members", "value": []any{map[string]any{"value": "ghost"}}}}, 400, sorted(u2, u3), ""},
		{"unmatched remove filter", "", []map[string]any{{"op": "remove", "path": `members[value eq "ghost"]`}}, 400, sorted(u2, u3), ""},
	} {
		r := c.do(req{method: "PATCH", path: path + tc.query, body: patchBody(tc.ops...)})
		expectStatus(t, tc.name, r, tc.status)
		if tc.status == 204 && (len(r.body) != 0 || r.header.Get("ETag") != tc.version) {
			t.Errorf("%s: 204 with body %q / ETag %q (want %s)", tc.name, r.body, r.header.Get("ETag"), tc.version)
		}
		if tc.status == 200 && (r.header.Get("ETag") != tc.version || r.obj(t)["members"] == nil) {
			t.Errorf("%s: %s", tc.name, r.body)
		}
		got := c.get(path).obj(t)
		if m := memberIDs(got); !slices.Equal(m, tc.members) {
			t.Errorf("%s: members %v, want %v", tc.name, m, tc.members)
		}
	}
}

func TestUserGroupsAreDerived(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	u := c.createUser("nested@example.com")
	inner := c.createGroup("Inner", u)
	outer := c.createGroup("Outer", inner)
	doc := c.get("/Users/" + u).obj(t)
	groups, _ := doc["groups"].([]any)
	if len(groups) != 2 {
		t.Fatalf("groups = %v, want Inner (direct) and Outer (indirect)", doc["groups"])
	}
	for i, want := range [][3]string{{inner, "direct", "Inner"}, {outer, "indirect", "Outer"}} {
		if at(groups[i], "value") != want[0] || at(groups[i], "type") != want[1] || at(groups[i], "display") != want[2] ||
			at(groups[i], "$ref") != c.url+"/Groups/"+want[0] {
			t.Errorf("groups[%d] = %v, want %v", i, groups[i], want)
		}
	}
	listed := resources(t, c.get("/Users?filter="+q(`userName eq "nested@example.com"`)))
	if n := len(at(listed, 0, "groups").([]any)); n != 2 {
		t.Errorf("listed user has %d groups", n)
	}
	byGroup := resources(t, c.get("/Users?filter="+q(`groups.value eq "`+outer+`"`)))
	if len(byGroup) != 1 {
		t.Errorf("filter on derived groups.value found %d users", len(byGroup))
	}
	// A cycle (Outer -> Inner -> Outer) must not hang derivation.
	r := c.do(req{method: "PATCH", path: "/Groups/" + inner, body: patchBody(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": outer}}})})
	expectStatus(t, "make a membership cycle", r, http.StatusNoContent)
	if n := len(c.get("/Users/" + u).obj(t)["groups"].([]any)); n != 2 {
		t.Errorf("with a cycle the user has %d groups, want 2", n)
	}
	expectStatus(t, "PUT groups is ignored", c.do(req{method: "PUT", path: "/Users/" + u, body: map[string]any{"schemas": []any{userURN}, "userName": "nested@example.com", "groups": []any{}}}), http.StatusOK)
	if n := len(c.get("/Users/" + u).obj(t)["groups"].([]any)); n != 2 {
		t.Errorf("PUT changed derived groups: %d", n)
	}
}

func TestDeleteCascadesMembership(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	u1, u2 := c.createUser("c1@example.com"), c.createUser("c2@example.com")
	child := c.createGroup("Child", u1)
	parent := c.createGroup("Parent", u1, u2, child)
	expectStatus(t, "DELETE user", c.do(req{method: "DELETE", path: "/Users/" + u1}), http.StatusNoContent)
	p := c.get("/Groups/" + parent)
	if m := memberIDs(p.obj(t)); !slices.Equal(m, sorted(u2, child)) {
		t.Errorf("parent members after user delete = %v", m)
	}
	if v := p.header.Get("ETag"); v != `W/"2"` {
		t.Errorf("parent ETag after losing a member = %s, want W/\"2\"", v)
	}
	if m := memberIDs(c.get("/Groups/" + child).obj(t)); len(m) != 0 {
		t.Errorf("child members after user delete = %v", m)
	}
	expectStatus(t, "DELETE child group", c.do(req{method: "DELETE", path: "/Groups/" + child}), http.StatusNoContent)
	if m := memberIDs(c.get("/Groups/" + parent).obj(t)); !slices.Equal(m, []string{u2}) {
		t.Errorf("parent members after group delete = %v", m)
	}
	expectStatus(t, "DELETE parent", c.do(req{method: "DELETE", path: "/Groups/" + parent}), http.StatusNoContent)
	if g, ok := c.get("/Users/" + u2).obj(t)["groups"]; ok {
		t.Errorf("user still has groups %v after its group was deleted", g)
	}
}

func TestGroupExcludedMembers(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	u := c.createUser("x@example.com")
	g := c.createGroup("Excluded", u)
	for _, path := range []string{"/Groups/" + g + "?excludedAttributes=members", "/Groups?excludedAttributes=members&filter=" + q(`displayName eq "Excluded"`)} {
		r := c.get(path)
		expectStatus(t, path, r, http.StatusOK)
		doc := r.obj(t)
		if list, ok := doc["Resources"].([]any); ok {
			doc, _ = list[0].(map[string]any)
		}
		if _, ok := doc["members"]; ok || doc["displayName"] != "Excluded" {
			t.Errorf("%s: %s", path, r.body)
		}
	}
}
