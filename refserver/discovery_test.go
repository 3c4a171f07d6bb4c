package refserver

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

func TestServiceProviderConfig(t *testing.T) {
	t.Parallel()
	_, c := newServer(t, Options{MaxResults: 50})
	r := c.get("/ServiceProviderConfig")
	expectStatus(t, "GET /ServiceProviderConfig", r, http.StatusOK)
	doc := r.obj(t)
	for _, tc := range []struct {
		path []any
		want any
	}{
		{[]any{"schemas", 0}, ServiceProviderConfigSchema},
		{[]any{"documentationUri"}, DocumentationURI},
		{[]any{"patch", "supported"}, true},
		{[]any{"bulk", "supported"}, false},
		{[]any{"filter", "supported"}, true},
		{[]any{"filter", "maxResults"}, float64(50)},
		{[]any{"changePassword", "supported"}, true},
		{[]any{"sort", "supported"}, true},
		{[]any{"etag", "supported"}, true},
		{[]any{"authenticationSchemes", 0, "type"}, "oauthbearertoken"},
		{[]any{"authenticationSchemes", 0, "primary"}, true},
		{[]any{"meta", "resourceType"}, "ServiceProviderConfig"},
		{[]any{"meta", "location"}, c.url + "/ServiceProviderConfig"},
	} {
		if got := at(doc, tc.path...); got != tc.want {
			t.Errorf("%v = %#v, want %#v", tc.path, got, tc.want)
		}
	}
}

func TestResourceTypes(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	list := resources(t, c.get("/ResourceTypes"))
	if len(list) != 2 {
		t.Fatalf("%d resource types", len(list))
	}
	for i, want := range []struct{ id, endpoint, schema, ext string }{
		{"User", "/Users", userURN, enterpriseURN},
		{"Group", "/Groups", groupURN, ""},
	} {
		rt := list[i]
		if at(rt, "id") != want.id || at(rt, "endpoint") != want.endpoint || at(rt, "schema") != want.schema ||
			at(rt, "meta", "location") != c.url+"/ResourceTypes/"+want.id || at(rt, "meta", "resourceType") != "ResourceType" {
			t.Errorf("resource type %d = %v", i, rt)
		}
		ext, _ := at(rt, "schemaExtensions", 0, "schema").(string)
		if ext != want.ext {
			t.Errorf("%s extension = %q, want %q", want.id, ext, want.ext)
		}
		one := c.get("/ResourceTypes/" + want.id)
		expectStatus(t, "GET /ResourceTypes/"+want.id, one, http.StatusOK)
		if one.obj(t)["endpoint"] != want.endpoint {
			t.Errorf("single resource type %s: %s", want.id, one.body)
		}
	}
	expectStatus(t, "unknown resource type", c.get("/ResourceTypes/Device"), http.StatusNotFound)
}

// TestSchemasAreTruthful checks /Schemas against the definitions the server
// enforces, attribute by attribute and characteristic by characteristic.
func TestSchemasAreTruthful(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	list := resources(t, c.get("/Schemas"))
	if len(list) != len(schema.Schemas) {
		t.Fatalf("%d schemas, want %d", len(list), len(schema.Schemas))
	}
	for i, def := range schema.Schemas {
		served := list[i].(map[string]any)
		if served["id"] != def.ID || at(served, "meta", "location") != c.url+"/Schemas/"+def.ID || at(served, "meta", "resourceType") != "Schema" {
			t.Errorf("schema %d: id %v meta %v", i, served["id"], served["meta"])
		}
		attrs := def.Attributes
		if def == schema.User || def == schema.Group {
			attrs = append(append([]*schema.Attribute{}, schema.CommonAttributes...), attrs...)
		}
		checkAttributes(t, def.ID, attrs, served["attributes"])
		one := c.get("/Schemas/" + url.PathEscape(def.ID))
		expectStatus(t, "GET /Schemas/"+def.ID, one, http.StatusOK)
		if one.obj(t)["id"] != def.ID {
			t.Errorf("single schema %s: %s", def.ID, one.body)
		}
	}
	expectStatus(t, "unknown schema", c.get("/Schemas/urn:nope"), http.StatusNotFound)
}

func checkAttributes(t *testing.T, where string, defs []*schema.Attribute, served any) {
	t.Helper()
	list, _ := served.([]any)
	if len(list) != len(defs) {
		t.Fatalf("%s: %d attributes served, %d defined", where, len(list), len(defs))
	}
	for i, a := range defs {
		got := list[i].(map[string]any)
		name := where + "." + a.Name
		for key, want := range map[string]any{
			"name": a.Name, "type": string(a.Type), "multiValued": a.MultiValued, "required": a.Required,
			"caseExact": a.CaseExact, "mutability": string(a.Mutability), "returned": string(a.Returned),
		} {
			if got[key] != want {
				t.Errorf("%s: %s = %#v, want %#v", name, key, got[key], want)
			}
		}
		if d, _ := got["description"].(string); d == "" {
			t.Errorf("%s: no description", name)
		}
		if a.Uniqueness != "" && got["uniqueness"] != string(a.Uniqueness) {
			t.Errorf("%s: uniqueness %v, want %s", name, got["uniqueness"], a.Uniqueness)
		}
		if cv, _ := got["canonicalValues"].([]any); len(cv) != len(a.CanonicalValues) {
			t.Errorf("%s: canonicalValues %v, want %v", name, cv, a.CanonicalValues)
		}
		if a.Type == schema.Reference {
			if rt, _ := got["referenceTypes"].([]any); len(rt) == 0 {
				t.Errorf("%s: reference without referenceTypes", name)
			}
		}
		if len(a.SubAttributes) > 0 {
			checkAttributes(t, name, a.SubAttributes, got["subAttributes"])
		}
	}
}
