package refserver

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	userURN       = "urn:ietf:params:scim:schemas:core:2.0:User"
	enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	patchURN      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

func patchBody(ops ...map[string]any) map[string]any {
	list := make([]any, len(ops))
	for i, op := range ops {
		list[i] = op
	}
	return map[string]any{"schemas": []any{patchURN}, "Operations": list}
}

func TestCreateUser(t *testing.T) {
	t.Parallel()
	fixed := time.Date(2026, 3, 4, 5, 6, 7, 891_000_000, time.UTC)
	_, c := newServer(t, Options{Now: func() time.Time { return fixed }})
	r := c.do(req{method: "POST", path: "/Users", body: map[string]any{
		"schemas":  []any{userURN, enterpriseURN},
		"userName": "Jane.Doe@example.com", "externalId": "ext-1", "active": "True",
		"password": "pa55word", "id": "client-chosen", "meta": map[string]any{"version": "W/\"99\""},
		"name":        map[string]any{"givenName": "Jane", "familyName": "Doe"},
		"emails":      []any{map[string]any{"value": "jane@example.com", "type": "work", "primary": true}},
		enterpriseURN: map[string]any{"employeeNumber": "55555555555", "manager": map[string]any{"value": "m-1"}},
	}})
	expectStatus(t, "POST /Users", r, http.StatusCreated)
	doc := r.obj(t)
	id, _ := doc["id"].(string)
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{20,}$`).MatchString(id) || id == "client-chosen" {
		t.Errorf("id %q is not a server-assigned URL-safe random id", id)
	}
	wantLoc := c.url + "/Users/" + id
	for _, tc := range []struct {
		name string
		got  any
		want any
	}{
		{"Location header", r.header.Get("Location"), wantLoc},
		{"ETag header", r.header.Get("ETag"), `W/"1"`},
		{"meta.location", at(doc, "meta", "location"), wantLoc},
		{"meta.resourceType", at(doc, "meta", "resourceType"), "User"},
		{"meta.version", at(doc, "meta", "version"), `W/"1"`},
		{"meta.created", at(doc, "meta", "created"), "2026-03-04T05:06:07.891Z"},
		{"meta.lastModified", at(doc, "meta", "lastModified"), "2026-03-04T05:06:07.891Z"},
		{"userName kept as sent", doc["userName"], "Jane.Doe@example.com"},
		{"string boolean coerced", doc["active"], true},
		{"externalId", doc["externalId"], "ext-1"},
		{"name", at(doc, "name", "givenName"), "Jane"},
		{"email", at(doc, "emails", 0, "value"), "jane@example.com"},
		{"employeeNumber echoed as sent", at(doc, enterpriseURN, "employeeNumber"), "55555555555"},
		{"manager", at(doc, enterpriseURN, "manager", "value"), "m-1"},
		{"password never returned", doc["password"], nil},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %#v, want %#v", tc.name, tc.got, tc.want)
		}
	}
	schemas, _ := doc["schemas"].([]any)
	if len(schemas) != 2 || schemas[0] != userURN || schemas[1] != enterpriseURN {
		t.Errorf("schemas = %v", schemas)
	}
	got := c.get("/Users/" + id)
	expectStatus(t, "GET the new user", got, http.StatusOK)
	if string(got.body) != string(r.body) {
		t.Errorf("GET differs from the POST answer:\n%s\n%s", got.body, r.body)
	}
}

func TestUserNameUniqueness(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	a := c.createUser("alice@example.com")
	b := c.createUser("bob@example.com")
	dup := c.do(req{method: "POST", path: "/Users", body: map[string]any{"schemas": []any{userURN}, "userName": "ALICE@Example.com"}})
	expectStatus(t, "duplicate userName in other case", dup, http.StatusConflict, "uniqueness")
	put := c.do(req{method: "PUT", path: "/Users/" + b, body: map[string]any{"schemas": []any{userURN}, "userName": "Alice@example.com"}})
	expectStatus(t, "PUT rename onto another user", put, http.StatusConflict, "uniqueness")
	p := c.do(req{method: "PATCH", path: "/Users/" + b, body: patchBody(map[string]any{"op": "replace", "path": "userName", "value": "alice@EXAMPLE.com"})})
	expectStatus(t, "PATCH rename onto another user", p, http.StatusConflict, "uniqueness")
	self := c.do(req{method: "PATCH", path: "/Users/" + a, body: patchBody(map[string]any{"op": "replace", "path": "userName", "value": "ALICE@example.com"})})
	expectStatus(t, "PATCH changing only the case of the own userName", self, http.StatusOK)
	if self.obj(t)["userName"] != "ALICE@example.com" {
		t.Errorf("userName after case change = %v", self.obj(t)["userName"])
	}
	expectStatus(t, "DELETE", c.do(req{method: "DELETE", path: "/Users/" + a}), http.StatusNoContent)
	c.createUser("alice@example.com") // the name is free again
}

func TestReplaceUser(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	id := c.createUser("put@example.com", "title", "Engineer", "nickName", "Putty", "externalId", "e1")
	r := c.do(req{method: "PUT", path: "/Users/" + id, body: map[string]any{
		"schemas": []any{userURN}, "id": "other-id", "userName": "put@example.com", "displayName": "Put Person",
		"meta": map[string]any{"created": "2000-01-01T00:00:00Z"}, "groups": []any{map[string]any{"value": "g"}},
	}})
	expectStatus(t, "PUT", r, http.StatusOK)
	doc := r.obj(t)
	if doc["id"] != id {
		t.Errorf("id changed to %v", doc["id"])
	}
	for _, gone := range []string{"title", "nickName", "externalId", "groups"} {
		if _, ok := doc[gone]; ok {
			t.Errorf("%s not cleared/ignored by PUT: %v", gone, doc[gone])
		}
	}
	if doc["displayName"] != "Put Person" || at(doc, "meta", "version") != `W/"2"` {
		t.Errorf("PUT result: %s", r.body)
	}
	missing := c.do(req{method: "PUT", path: "/Users/" + id, body: map[string]any{"schemas": []any{userURN}, "displayName": "x"}})
	expectStatus(t, "PUT without userName", missing, http.StatusBadRequest, "invalidValue")
	expectStatus(t, "PUT unknown id", c.do(req{method: "PUT", path: "/Users/nope", body: map[string]any{"schemas": []any{userURN}, "userName": "n"}}), http.StatusNotFound)
	same := c.do(req{method: "PUT", path: "/Users/" + id, body: map[string]any{"schemas": []any{userURN}, "userName": "put@example.com", "displayName": "Put Person"}})
	if v := at(same.obj(t), "meta", "version"); v != `W/"2"` {
		t.Errorf("identical PUT changed the version to %v", v)
	}
}

func TestPatchUser(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	id := c.createUser("patch@example.com", "active", true, "emails", []any{map[string]any{"value": "p@x.com", "type": "work"}})
	for _, tc := range []struct {
		name    string
		ops     []map[string]any
		status  int
		check   func(doc map[string]any) bool
		version string
	}{
		{"Entra default-dialect disable", []map[string]any{{"op": "Replace", "path": "active", "value": "False"}}, 200,
			func(d map[string]any) bool { return d["active"] == false }, `W/"2"`},
		{"no-op keeps the version", []map[string]any{{"op": "replace", "path": "active", "value": false}}, 200,
			func(d map[string]any) bool { return d["active"] == false }, `W/"2"`},
		{"empty Operations", nil, 200, func(d map[string]any) bool { return true }, `W/"2"`},
		{"path-less dotted and URN keys", []map[string]any{{"op": "replace", "value": map[string]any{
			"name.givenName": "Pat", enterpriseURN + ":department": "Sales", "active": "True"}}}, 200,
			func(d map[string]any) bool {
				return at(d, "name", "givenName") == "Pat" && at(d, enterpriseURN, "department") == "Sales" && d["active"] == true
			}, `W/"3"`},
		{"value path creates the element", []map[string]any{{"op": "add", "path": `phoneNumbers[type eq "mobile"].value`, "value": "+1 555"}}, 200,
			func(d map[string]any) bool { return at(d, "phoneNumbers", 0, "value") == "+1 555" }, `W/"4"`},
		{"readOnly target", []map[string]any{{"op": "replace", "path": "id", "value": "x"}}, 400, nil, ""},
		{"bad path", []map[string]any{{"op": "replace", "path": "noSuchAttr", "value": "x"}}, 400, nil, ""},
		{"remove required userName", []map[string]any{{"op": "remove", "path": "userName"}}, 400, nil, ""},
		{"all-or-nothing", []map[string]any{{"op": "replace", "path": "title", "value": "T"}, {"op": "bogus", "path": "title"}}, 400, nil, ""},
	} {
		r := c.do(req{method: "PATCH", path: "/Users/" + id, body: patchBody(tc.ops...)})
		expectStatus(t, tc.name, r, tc.status)
		if tc.status != 200 {
			continue
		}
		doc := r.obj(t)
		if !tc.check(doc) {
			t.Errorf("%s: unexpected result %s", tc.name, r.body)
		}
		if v := at(doc, "meta", "version"); v != tc.version || r.header.Get("ETag") != tc.version {
			t.Errorf("%s: version %v / ETag %q, want %s", tc.name, v, r.header.Get("ETag"), tc.version)
		}
	}
	if title := at(c.get("/Users/"+id).obj(t), "title"); title != nil {
		t.Errorf("failed PATCH left title = %v", title)
	}
	expectStatus(t, "PATCH unknown id", c.do(req{method: "PATCH", path: "/Users/nope", body: patchBody()}), http.StatusNotFound)
	expectStatus(t, "PATCH malformed", c.do(req{method: "PATCH", path: "/Users/" + id, body: `{"Operations":`}), http.StatusBadRequest)
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	id := c.createUser("del@example.com")
	d := c.do(req{method: "DELETE", path: "/Users/" + id})
	expectStatus(t, "DELETE", d, http.StatusNoContent)
	if len(d.body) != 0 {
		t.Errorf("DELETE body %q", d.body)
	}
	expectStatus(t, "GET after DELETE", c.get("/Users/"+id), http.StatusNotFound)
	expectStatus(t, "DELETE again", c.do(req{method: "DELETE", path: "/Users/" + id}), http.StatusNotFound)
	list := c.get("/Users?filter=" + q(`userName eq "del@example.com"`))
	if n := len(resources(t, list)); n != 0 {
		t.Errorf("deleted user still listed")
	}
}

func TestETags(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	id := c.createUser("etag@example.com")
	path := "/Users/" + id
	for _, tc := range []struct {
		name   string
		r      req
		status int
	}{
		{"If-None-Match current", req{method: "GET", path: path, header: map[string]string{"If-None-Match": `W/"1"`}}, 304},
		{"If-None-Match list", req{method: "GET", path: path, header: map[string]string{"If-None-Match": `W/"7", W/"1"`}}, 304},
		{"If-None-Match star", req{method: "GET", path: path, header: map[string]string{"If-None-Match": `*`}}, 304},
		{"If-None-Match stale", req{method: "GET", path: path, header: map[string]string{"If-None-Match": `W/"0"`}}, 200},
		{"If-Match stale PUT", req{method: "PUT", path: path, body: map[string]any{"schemas": []any{userURN}, "userName": "etag@example.com", "title": "x"},
			header: map[string]string{"If-Match": `W/"9"`}}, 412},
		{"If-Match stale PATCH", req{method: "PATCH", path: path, body: patchBody(map[string]any{"op": "add", "path": "title", "value": "x"}),
			header: map[string]string{"If-Match": `W/"9"`}}, 412},
		{"If-Match stale DELETE", req{method: "DELETE", path: path, header: map[string]string{"If-Match": `W/"9"`}}, 412},
		{"If-Match current PATCH", req{method: "PATCH", path: path, body: patchBody(map[string]any{"op": "add", "path": "title", "value": "x"}),
			header: map[string]string{"If-Match": `W/"1"`}}, 200},
		{"If-Match old version after change", req{method: "DELETE", path: path, header: map[string]string{"If-Match": `W/"1"`}}, 412},
		{"If-Match current DELETE", req{method: "DELETE", path: path, header: map[string]string{"If-Match": `"2"`}}, 204},
	} {
		r := c.do(tc.r)
		expectStatus(t, tc.name, r, tc.status)
		if tc.status == 304 && r.header.Get("ETag") != `W/"1"` {
			t.Errorf("%s: ETag %q", tc.name, r.header.Get("ETag"))
		}
	}
}

func TestProjection(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	id := c.createUser("proj@example.com", "title", "T", "password", "secret-pw", "name", map[string]any{"givenName": "G", "familyName": "F"})
	for _, tc := range []struct {
		query   string
		present []string
		absent  []string
	}{
		{"", []string{"id", "userName", "title", "name", "meta", "schemas"}, []string{"password"}},
		{"?attributes=title", []string{"id", "title", "schemas"}, []string{"name", "password", "meta"}},
		{"?attributes=password", []string{"id"}, []string{"password"}},
		{"?attributes=name.givenName", []string{"id", "name"}, []string{"title"}},
		{"?excludedAttributes=title,name", []string{"id", "userName", "meta"}, []string{"title", "name", "password"}},
	} {
		r := c.get("/Users/" + id + tc.query)
		expectStatus(t, tc.query, r, http.StatusOK)
		doc := r.obj(t)
		for _, k := range tc.present {
			if _, ok := doc[k]; !ok {
				t.Errorf("%q: %s missing in %s", tc.query, k, r.body)
			}
		}
		for _, k := range tc.absent {
			if _, ok := doc[k]; ok {
				t.Errorf("%q: %s present in %s", tc.query, k, r.body)
			}
		}
		if strings.Contains(string(r.body), "secret-pw") {
			t.Errorf("%q: password value returned", tc.query)
		}
	}
	if fam := at(c.get("/Users/"+id+"?attributes=name.givenName").obj(t), "name", "familyName"); fam != nil {
		t.Errorf("attributes=name.givenName returned familyName %v", fam)
	}
}
