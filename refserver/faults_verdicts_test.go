package refserver

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
)

// listed is the number of resources of a ListResponse body.
func listed(doc map[string]any) int {
	list, _ := doc["Resources"].([]any)
	return len(list)
}

// filtered GETs endpoint with the filter, URL-encoded.
func (c *faultClient) filtered(endpoint, filter string) (int, map[string]any) {
	c.t.Helper()
	return c.do("GET", endpoint+"?filter="+url.QueryEscape(filter), nil)
}

// makeUser creates pat@example.com with a work and a home email.
func (c *faultClient) makeUser() string {
	c.t.Helper()
	status, u := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "pat@example.com", "active": true,
		"emails": []any{map[string]any{"value": "pat@work.example", "type": "work"}, map[string]any{"value": "pat@home.example", "type": "home"}}})
	id, _ := u["id"].(string)
	if status != 201 || id == "" {
		c.t.Fatalf("create a user: %d %v", status, u)
	}
	return id
}

// Each fault is probed through HTTP twice: the probe's observation without
// the fault is what a correct server answers, with it the one defect the
// fault names, and nothing else differs.
func TestVerdictFaultsChangeOnlyTheirBehaviour(t *testing.T) {
	t.Parallel()
	patchOp := func(op map[string]any) map[string]any {
		return map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": []any{op}}
	}
	tests := []struct {
		name            fault
		probe           func(c *faultClient) string
		correct, faulty string
	}{
		{fFilterUnknownIgnored, func(c *faultClient) string {
			c.makeUser()
			status, list := c.filtered("/Users", `nosuchattr eq "x"`)
			scoped, _ := c.filtered("/Users", `userName eq "pat@example.com" and nosuchattr eq "x"`)
			return fmt.Sprint(status, listed(list), scoped)
		}, "400 0 400", "200 1 200"},
		{fFilterNestedRejected, func(c *faultClient) string {
			c.makeUser()
			nested, list := c.filtered("/Users", `(userName eq "pat@example.com" and (active eq true or active eq false))`)
			flat, _ := c.filtered("/Users", `(userName eq "pat@example.com") and not (active eq false)`)
			return fmt.Sprint(nested, listed(list), flat)
		}, "200 1 200", "400 0 200"},
		{fFilterLookupCase, func(c *faultClient) string {
			c.makeUser()
			c.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": "Team"})
			_, bareUser := c.filtered("/Users", `userName eq "PAT@EXAMPLE.COM"`)
			_, andUser := c.filtered("/Users", `userName eq "PAT@EXAMPLE.COM" and active eq true`)
			_, exactUser := c.filtered("/Users", `userName eq "pat@example.com"`)
			_, bareGroup := c.filtered("/Groups", `displayName eq "tEAM"`)
			_, andGroup := c.filtered("/Groups", `displayName eq "tEAM" and displayName pr`)
			return fmt.Sprint(listed(bareUser), listed(andUser), listed(exactUser), listed(bareGroup), listed(andGroup))
		}, "1 1 1 1 1", "0 1 1 0 1"},
		{fFilterConnClosed, func(c *faultClient) string {
			c.unanswered = true
			emails, _ := c.filtered("/Users", `userName sw "x" and emails[type eq "work"]`)
			members, _ := c.filtered("/Groups", `members.value eq "x"`)
			single, _ := c.filtered("/Users", `userName eq "x"`)
			without, _ := c.do("GET", "/Users", nil)
			return fmt.Sprint(emails, members, single, without)
		}, "200 200 200 200", "0 0 200 200"},
		{fNoSchemasAccepted, func(c *faultClient) string {
			user, _ := c.do("POST", "/Users", map[string]any{"userName": "pat@example.com"})
			group, _ := c.do("POST", "/Groups", map[string]any{"displayName": "team"})
			listed, _ := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "lee@example.com"})
			return fmt.Sprint(user, group, listed)
		}, "400 400 201", "201 201 201"},
		{fProjectionNoSchemas, func(c *faultClient) string {
			id := c.makeUser()
			_, projected := c.do("GET", "/Users/"+id+"?attributes=userName", nil)
			_, excluded := c.do("GET", "/Users/"+id+"?excludedAttributes=emails", nil)
			_, whole := c.do("GET", "/Users/"+id, nil)
			_, list := c.do("GET", "/Users?attributes=userName", nil)
			inList := false
			if r, ok := list["Resources"].([]any); ok && len(r) == 1 {
				_, inList = r[0].(map[string]any)["schemas"]
			}
			return fmt.Sprint(projected["schemas"] != nil, excluded["schemas"] != nil, whole["schemas"] != nil, inList)
		}, "true true true true", "false false true false"},
		{fPatchRemoveFilterAll, func(c *faultClient) string {
			id := c.makeUser()
			status, _ := c.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "remove", "path": `emails[type eq "work"]`}))
			_, after := c.do("GET", "/Users/"+id, nil)
			emails, _ := after["emails"].([]any)
			return fmt.Sprint(status, len(emails))
		}, "200 1", "200 0"},
		{fPatchNoTargetIgnored, func(c *faultClient) string {
			id := c.makeUser()
			pathless, _ := c.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "remove"}))
			noMatch, _ := c.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "remove", "path": `emails[type eq "pager"]`}))
			replace, _ := c.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "replace", "path": `emails[type eq "pager"].value`, "value": "x"}))
			return fmt.Sprint(pathless, noMatch, replace)
		}, "400 400 200", "200 400 200"},
		{fDiscoveryWritesKept, func(c *faultClient) string {
			spc, _ := c.do("PUT", "/ServiceProviderConfig", map[string]any{"documentationUri": "https://example.com/changed"})
			_, gotSPC := c.do("GET", "/ServiceProviderConfig", nil)
			sch, _ := c.do("PATCH", "/Schemas/"+userURN, patchOp(map[string]any{"op": "replace", "path": "description", "value": "changed"}))
			_, gotSchema := c.do("GET", "/Schemas/"+userURN, nil)
			const probe = "urn:ietf:params:scim:schemas:extension:probe:2.0:User"
			post, _ := c.do("POST", "/Schemas", map[string]any{"schemas": []any{SchemaSchema}, "id": probe, "description": "posted"})
			served, _ := c.do("GET", "/Schemas/"+probe, nil)
			_, list := c.do("GET", "/Schemas", nil)
			put, _ := c.do("PUT", "/Schemas/"+probe, map[string]any{"schemas": []any{SchemaSchema}, "description": "put"})
			_, afterPut := c.do("GET", "/Schemas/"+probe, nil)
			del, _ := c.do("DELETE", "/Schemas/"+probe, nil)
			gone, _ := c.do("GET", "/Schemas/"+probe, nil)
			delGroup, _ := c.do("DELETE", "/ResourceTypes/Group", nil)
			_, types := c.do("GET", "/ResourceTypes", nil)
			return fmt.Sprint(spc, gotSPC["documentationUri"] == "https://example.com/changed", sch, gotSchema["description"] == "changed",
				post, served, listed(list), put, afterPut["description"] == "put" && afterPut["id"] == probe, del, gone, delGroup, listed(types))
		}, "405 false 405 false 405 404 3 405 false 405 404 405 2", "200 true 200 true 201 200 4 200 true 204 404 204 1"},
		{fPutTakesBodyMeta, func(c *faultClient) string {
			id := c.makeUser()
			status, _ := c.do("PUT", "/Users/"+id, map[string]any{"schemas": []any{userURN}, "userName": "pat@example.com",
				"meta": map[string]any{"created": "2001-01-01T00:00:00Z"}})
			_, after := c.do("GET", "/Users/"+id, nil)
			created, _ := after["meta"].(map[string]any)["created"].(string)
			return fmt.Sprint(status, strings.HasPrefix(created, "2001-"))
		}, "200 false", "200 true"},
		{fVersionOnRead, func(c *faultClient) string {
			id := c.makeUser()
			_, first := c.do("GET", "/Users/"+id, nil)
			_, second := c.do("GET", "/Users/"+id, nil)
			v1, _ := first["meta"].(map[string]any)["version"].(string)
			v2, _ := second["meta"].(map[string]any)["version"].(string)
			return fmt.Sprint(v1 != "", v1 == v2)
		}, "true true", "true false"},
	}
	for _, tc := range tests {
		t.Run(string(tc.name), func(t *testing.T) {
			t.Parallel()
			if got := tc.probe(newFaultServer(t, io.Discard)); got != tc.correct {
				t.Errorf("without the fault: %q, want %q", got, tc.correct)
			}
			if got := tc.probe(newFaultServer(t, io.Discard, string(tc.name))); got != tc.faulty {
				t.Errorf("with the fault: %q, want %q", got, tc.faulty)
			}
		})
	}
}

func TestNestedGroup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		filter string
		nested bool
	}{
		{`title eq "x"`, false},
		{`(a eq "x") and (b eq "y")`, false},
		{`a eq "x" and not (b eq "y")`, false},
		{`(a eq "x" and (b eq "y" or c eq "z"))`, true},
		{`not (not (a eq "x"))`, true},
		{`a eq "((" and (b eq "))")`, false},
		{`a eq "say \"(\"" and (b eq "y")`, false},
		{`emails[type eq "work" and (value co "x")]`, false},
	} {
		if got := nestedGroup(tc.filter); got != tc.nested {
			t.Errorf("nestedGroup(%q) = %v, want %v", tc.filter, got, tc.nested)
		}
	}
}
