package rfc

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// Schema URIs of the discovery resources (RFC 7643 §5, §6, §7).
const (
	resourceTypeSchema = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	schemaSchema       = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// The rules of the writes to the discovery endpoints. RFC 7644 defines no
// status for them, so only the effect is a MUST.
const (
	ruleDiscoveryReadOnly = "RFC 7644 §4: the discovery endpoints \"MAY be retrieved using HTTP GET\", no other method is defined; " +
		"RFC 7643 §8.7.2 makes every attribute of their resources readOnly, and readOnly means \"The attribute SHALL NOT be modified\" (RFC 7643 §7)"
	ruleRefuseMethod = "RFC 9110 §9.1: a method \"not implemented\" by the origin server SHOULD be answered 501 (Not Implemented), " +
		"one \"not allowed for the target resource\" 405 (Method Not Allowed); RFC 7644 §4 defines only GET on the discovery endpoints"
)

// discoveryWrite is one request that would change a discovery endpoint if
// the service provider applied it. RFC 7644 §4 defines the endpoints for
// GET only and RFC 7643 §8.7.2 makes every attribute of their resources
// readOnly.
type discoveryWrite struct {
	method, path string
	body         any // nil for none
}

func (w discoveryWrite) String() string { return w.method + " " + w.path }

// writesTo returns the writes to one discovery resource: post, the POST to
// its collection (nil for /ServiceProviderConfig, which has none), then a
// PUT of current (the resource at path) and a PATCH, each changing field to
// a run-named value, and a DELETE of path.
func writesTo(f *framework.F, post *discoveryWrite, path string, current map[string]any, field string) []discoveryWrite {
	value := "https://example.com/" + f.Name("changed")
	changed := without(current)
	changed[field] = value
	out := []discoveryWrite{}
	if post != nil {
		out = append(out, *post)
	}
	return append(out,
		discoveryWrite{http.MethodPut, path, changed},
		discoveryWrite{http.MethodPatch, path, patchBody(op("replace", field, value))},
		discoveryWrite{http.MethodDelete, path, nil},
	)
}

// spcWrites are the writes to /ServiceProviderConfig: a POST and a PUT of
// the configuration with another documentationUri, a PATCH replacing it, a
// DELETE.
func spcWrites(ctx context.Context, f *framework.F) []discoveryWrite {
	ginkgo.GinkgoHelper()
	current := decode(discoveryGet(ctx, f, "/ServiceProviderConfig"))
	writes := writesTo(f, nil, "/ServiceProviderConfig", current, "documentationUri")
	return append([]discoveryWrite{{http.MethodPost, "/ServiceProviderConfig", writes[0].body}}, writes...)
}

// resourceTypeWrites are the writes to /ResourceTypes: a POST of a new
// resource type and a PUT, PATCH and DELETE of the User resource type,
// whose path it returns too.
func resourceTypeWrites(ctx context.Context, f *framework.F) ([]discoveryWrite, string) {
	ginkgo.GinkgoHelper()
	name := f.Name("type")
	post := discoveryWrite{http.MethodPost, "/ResourceTypes", map[string]any{
		"schemas": []any{resourceTypeSchema}, "id": name, "name": name, "endpoint": "/" + name,
		"description": "written by a conformance check", "schema": framework.UserSchema,
	}}
	user := userResourceType(ctx, f)
	path := "/ResourceTypes/" + url.PathEscape(str(user, "/id"))
	return writesTo(f, &post, path, user, "description"), path
}

// schemaWrites are the writes to /Schemas: a POST of a new extension schema
// and a PUT, PATCH and DELETE of the core User schema.
func schemaWrites(ctx context.Context, f *framework.F) []discoveryWrite {
	ginkgo.GinkgoHelper()
	post := discoveryWrite{http.MethodPost, "/Schemas", map[string]any{
		"schemas": []any{schemaSchema}, "id": "urn:ietf:params:scim:schemas:extension:" + f.Name("schema") + ":2.0:User",
		"name": "Probe", "description": "written by a conformance check",
		"attributes": []any{map[string]any{"name": "probe", "type": "string", "multiValued": false, "required": false,
			"caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "none", "description": "probe"}},
	}}
	user := decode(discoveryGet(ctx, f, "/Schemas/"+framework.UserSchema))
	return writesTo(f, &post, "/Schemas/"+framework.UserSchema, user, "description")
}

// userResourceType returns the listed resource type whose endpoint is
// /Users, and skips the spec when /ResourceTypes does not list one: the
// listing is the rule of "GET /ResourceTypes returns a ListResponse of
// valid resource types including User".
func userResourceType(ctx context.Context, f *framework.F) map[string]any {
	ginkgo.GinkgoHelper()
	x := discoveryGet(ctx, f, "/ResourceTypes")
	var list struct {
		Resources []map[string]any `json:"Resources"`
	}
	_ = json.Unmarshal(x.RespBody, &list) // not a ListResponse: nothing listed
	for _, rt := range list.Resources {
		if strings.EqualFold(strings.TrimSuffix(str(rt, "/endpoint"), "/"), "/Users") {
			return rt
		}
	}
	ginkgo.Skip("/ResourceTypes lists no resource type with the endpoint /Users: the spec \"GET /ResourceTypes returns a ListResponse of valid resource types including User\" reports that")
	return nil
}

// refusesWrites asserts that every write is answered 405 Method Not
// Allowed or 501 Not Implemented, listing every other answer.
func refusesWrites(ctx context.Context, f *framework.F, writes []discoveryWrite) {
	ginkgo.GinkgoHelper()
	var other []string
	for _, w := range writes {
		x := send(ctx, f, w.method, w.path, w.body)
		if x.Status != http.StatusMethodNotAllowed && x.Status != http.StatusNotImplemented {
			other = append(other, fmt.Sprintf("%s answered %s", w, statusText(x)))
		}
	}
	gomega.Expect(other).To(gomega.BeEmpty(), "writes to a read-only discovery endpoint not answered 405 or 501")
}

// keepsUnchanged sends every write and, after each, reads the endpoints
// back: what they serve (meta aside) must be what they served before.
func keepsUnchanged(ctx context.Context, f *framework.F, writes []discoveryWrite, readBack ...string) {
	ginkgo.GinkgoHelper()
	snapshot := func() map[string]string {
		out := map[string]string{}
		for _, p := range readBack {
			out[p] = canonicalDiscovery(discoveryGet(ctx, f, p).RespBody)
		}
		return out
	}
	before := snapshot()
	var changed []string
	for _, w := range writes {
		x := send(ctx, f, w.method, w.path, w.body)
		after := snapshot()
		for _, p := range readBack {
			if after[p] != before[p] {
				changed = append(changed, fmt.Sprintf("%s (answered %s) changed what GET %s serves", w, statusText(x), p))
			}
		}
		before = after
	}
	gomega.Expect(changed).To(gomega.BeEmpty(), "writes to a read-only discovery endpoint took effect")
}

// statusText is an answer's status for a message, or why there was none.
func statusText(x *scimclient.Exchange) string {
	if x.Status == 0 {
		return fmt.Sprintf("no response (%v)", x.Err)
	}
	return strconv.Itoa(x.Status)
}

// canonicalDiscovery renders a discovery answer for comparison: meta left
// out of every resource (a service provider may compute it per request),
// the resources of a list keyed by id, and arrays in a canonical order (a
// service provider may list attributes in any order).
func canonicalDiscovery(body []byte) string {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return string(body)
	}
	if m, ok := doc.(map[string]any); ok {
		if list, ok := m["Resources"].([]any); ok {
			byID := map[string]any{}
			for i, r := range list {
				id := str(r, "/id")
				if id == "" {
					id = "#" + strconv.Itoa(i)
				}
				byID[id] = r
			}
			doc = byID
		}
	}
	return canonicalJSON(withoutMeta(doc))
}

// withoutMeta removes the meta of a resource or of each resource of a map
// of resources.
func withoutMeta(doc any) any {
	m, ok := doc.(map[string]any)
	if !ok {
		return doc
	}
	if _, isResource := m["meta"]; isResource {
		return without(m, "meta")
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		if r, ok := v.(map[string]any); ok {
			v = without(r, "meta")
		}
		out[k] = v
	}
	return out
}

// canonicalJSON encodes v with object keys sorted (encoding/json does that)
// and the elements of every array sorted by their own encoding.
func canonicalJSON(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = canonicalJSON(e)
		}
		slices.Sort(parts)
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		keys := slices.Sorted(maps.Keys(x))
		parts := make([]string, len(keys))
		for i, k := range keys {
			key, _ := json.Marshal(k)
			parts[i] = string(key) + ":" + canonicalJSON(x[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
