package refserver

import (
	"net/http"
	"strings"
	"testing"
)

// TestEntraWalkthrough replays, in order, what Microsoft Entra ID
// provisioning does against a fresh server (entra-protocol.md §1.4, §2, §3):
// the checks a vendor would make with curl against `scimconform serve`.
func TestEntraWalkthrough(t *testing.T) {
	t.Parallel()
	_, c := newServer(t, Options{BasePath: "/scim"})
	steps := []struct {
		name string
		run  func(t *testing.T, state map[string]string)
	}{
		{"Test Connection on /Users answers 200 with an empty ListResponse", func(t *testing.T, _ map[string]string) {
			r := c.do(req{method: "GET", path: `/Users?filter=userName+eq+"3b1f6c2e-8d0a-4a3c-9c53-0e0f5b6f1a77"`, header: map[string]string{"User-Agent": ""}})
			expectEmptyList(t, r)
		}},
		{"Test Connection on /Groups answers 200 with an empty ListResponse", func(t *testing.T, _ map[string]string) {
			expectEmptyList(t, c.get("/Groups?filter="+q(`displayName eq "3b1f6c2e-8d0a-4a3c-9c53-0e0f5b6f1a77"`)))
		}},
		{"POST /Users answers 201 with Location, meta and id", func(t *testing.T, st map[string]string) {
			r := c.do(req{method: "POST", path: "/Users", body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
				"externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com",
				"active":true,"displayName":"Test User","emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b@testuser.com"}],
				"meta":{"resourceType":"User"},"name":{"formatted":"givenName familyName","familyName":"familyName","givenName":"givenName"},"roles":[]}`})
			expectStatus(t, "create", r, http.StatusCreated)
			doc := r.obj(t)
			st["user"], _ = doc["id"].(string)
			if st["user"] == "" || r.header.Get("Location") == "" || r.header.Get("Location") != at(doc, "meta", "location") || at(doc, "meta", "version") == nil {
				t.Fatalf("create answer lacks id/Location/meta: %v %s", r.header, r.body)
			}
		}},
		{"a duplicate userName in another case answers 409 uniqueness", func(t *testing.T, _ map[string]string) {
			r := c.do(req{method: "POST", path: "/Users", body: map[string]any{"schemas": []any{userURN},
				"userName": strings.ToUpper("Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com")}})
			expectStatus(t, "duplicate", r, http.StatusConflict, "uniqueness")
		}},
		{"an uppercased userName filter finds the user", func(t *testing.T, st map[string]string) {
			r := c.get("/Users?filter=" + q(`userName eq "TEST_USER_AB6490EE-1E48-479E-A20B-2D77186B5DD1@TESTUSER.COM"`))
			if got := ids(resources(t, r)); len(got) != 1 || got[0] != st["user"] {
				t.Fatalf("filter found %v, want [%s]", got, st["user"])
			}
		}},
		{"the default-dialect disable PATCH reads back active:false", func(t *testing.T, st map[string]string) {
			r := c.do(req{method: "PATCH", path: "/Users/" + st["user"], body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				"Operations":[{"op":"Replace","path":"active","value":"False"}]}`})
			expectStatus(t, "disable", r, http.StatusOK)
			got := c.get("/Users/" + st["user"])
			if !strings.Contains(string(got.body), `"active":false`) {
				t.Fatalf("user after disable: %s", got.body)
			}
			if n := len(resources(t, c.get("/Users?filter="+q(`externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"`)))); n != 1 {
				t.Fatalf("a disabled user must stay visible to filters; found %d", n)
			}
		}},
		{"a group Remove on members with a value array removes only those", func(t *testing.T, st map[string]string) {
			other := c.createUser("other@testuser.com")
			g := c.do(req{method: "POST", path: "/Groups", body: `{"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"displayName",
				"members":[{"value":"` + st["user"] + `"},{"value":"` + other + `"}],
				"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"]}`})
			expectStatus(t, "create group", g, http.StatusCreated)
			gid, _ := g.obj(t)["id"].(string)
			r := c.do(req{method: "PATCH", path: "/Groups/" + gid, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"` + other + `"}]}]}`})
			expectStatus(t, "remove member", r, http.StatusNoContent)
			if m := memberIDs(c.get("/Groups/" + gid).obj(t)); len(m) != 1 || m[0] != st["user"] {
				t.Fatalf("members after remove = %v, want [%s]", m, st["user"])
			}
		}},
		{"DELETE answers 204, then GET 404", func(t *testing.T, st map[string]string) {
			expectStatus(t, "delete", c.do(req{method: "DELETE", path: "/Users/" + st["user"]}), http.StatusNoContent)
			expectStatus(t, "get after delete", c.get("/Users/"+st["user"]), http.StatusNotFound)
		}},
		{"no token answers 401", func(t *testing.T, _ map[string]string) {
			anon := *c
			anon.token = ""
			expectStatus(t, "anonymous", anon.get("/Users"), http.StatusUnauthorized)
		}},
	}
	state := map[string]string{}
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { c.t = t; s.run(t, state) }) {
			t.Fatalf("step %q failed; later steps depend on it", s.name)
		}
	}
}

func expectEmptyList(t *testing.T, r response) {
	t.Helper()
	expectStatus(t, "empty list", r, http.StatusOK)
	m := r.obj(t)
	list, ok := m["Resources"].([]any)
	if !ok || len(list) != 0 || m["totalResults"] != float64(0) || at(m, "schemas", 0) != ListResponseSchema {
		t.Fatalf("not an empty ListResponse: %s", r.body)
	}
}
