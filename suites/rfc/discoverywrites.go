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

	"github.com/scimconform/scimconform/runner/jsonptr"
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

// The writes to the discovery endpoints. The run never changes what it did
// not create, and a service provider may apply such writes (generic SCIM
// frameworks store their schemas and resource types like any resource):
// a changing write to an existing discovery resource would change the
// vendor's configuration or schemas, a DELETE remove them. So no such
// write is sent:
//   - an existing discovery resource receives only writes that change
//     nothing if applied: a PUT (of /ServiceProviderConfig, which has no
//     collection, a POST too) of the exact document GET answered just
//     before, and a PATCH replacing one attribute with the value it has;
//     it is never deleted, and nothing existing is POSTed to a collection
//     (a generic store might keep a copy the run could not tell apart);
//   - the writes that would change something go to a resource the run
//     names: a POST of a run-named schema or resource type to its
//     collection, then a PUT, a PATCH and a DELETE of its path, which
//     exists only if the service provider created it. What it created is
//     registered with the spec's tracker and deleted after the spec.
// A created resource is what shows that writes are applied: nothing the
// run did not create needs to change for that.

// discoveryWrite is one write to a discovery endpoint.
type discoveryWrite struct {
	method, path string
	// body is the body of a write to the run's own resource (nil for none).
	body any
	// echo: the body is the document GET path answers just before the
	// write, byte for byte.
	echo bool
	// same lists attributes (SCIM paths) of the document at path: the
	// PATCH replaces the first one the document GET answers just before
	// holds with the value it holds, and is not sent if it holds none.
	same []string
	// creates is the path of the run-named resource the write creates if
	// the service provider applies it, kind that resource's kind for the
	// tracker ("" for a write that creates nothing).
	creates, kind string
}

func (w discoveryWrite) String() string { return w.method + " " + w.path }

// ownWrites are the writes to a run-named resource of kind: a POST of doc
// to collection, then a PUT and a PATCH of another description and a
// DELETE of own, its path.
func ownWrites(kind, collection, own string, doc map[string]any) []discoveryWrite {
	replaced := maps.Clone(doc)
	replaced["description"] = "replaced by a conformance check"
	return []discoveryWrite{
		{method: http.MethodPost, path: collection, body: doc, creates: own, kind: kind},
		{method: http.MethodPut, path: own, body: replaced, creates: own, kind: kind},
		{method: http.MethodPatch, path: own, body: patchBody(op("replace", "description", "patched by a conformance check"))},
		{method: http.MethodDelete, path: own},
	}
}

// sameWrites are the writes to the existing resource at path that change
// nothing if applied: a PUT of its document and a PATCH of one of the
// attributes same with its value.
func sameWrites(path string, same ...string) []discoveryWrite {
	return []discoveryWrite{
		{method: http.MethodPut, path: path, echo: true},
		{method: http.MethodPatch, path: path, same: same},
	}
}

// spcWrites are the writes to /ServiceProviderConfig, which exists once per
// service provider, so the run has no resource of its own to write there:
// a POST and a PUT of the configuration it serves, and a PATCH replacing
// its documentationUri (or, without one, patch.supported) with the value
// it has.
func spcWrites() []discoveryWrite {
	const path = "/ServiceProviderConfig"
	return append([]discoveryWrite{{method: http.MethodPost, path: path, echo: true}},
		sameWrites(path, "documentationUri", "patch.supported")...)
}

// resourceTypeWrites are the writes to /ResourceTypes: those to a
// run-named resource type, then those to the User resource type, whose
// path it returns too.
func resourceTypeWrites(ctx context.Context, f *framework.F) ([]discoveryWrite, string) {
	ginkgo.GinkgoHelper()
	name := f.Name("type")
	own := ownWrites("ResourceType", "/ResourceTypes", "/ResourceTypes/"+url.PathEscape(name), map[string]any{
		"schemas": []any{resourceTypeSchema}, "id": name, "name": name, "endpoint": "/" + name,
		"description": "written by a conformance check", "schema": framework.UserSchema,
	})
	path := "/ResourceTypes/" + url.PathEscape(resourceTypeRef(userResourceType(ctx, f)))
	return append(own, sameWrites(path, "description", "name")...), path
}

// schemaWrites are the writes to /Schemas: those to a run-named extension
// schema, then those to the core User schema.
func schemaWrites(f *framework.F) []discoveryWrite {
	id := "urn:ietf:params:scim:schemas:extension:" + f.Name("schema") + ":2.0:User"
	own := ownWrites("Schema", "/Schemas", "/Schemas/"+id, map[string]any{
		"schemas": []any{schemaSchema}, "id": id,
		"name": "Probe", "description": "written by a conformance check",
		"attributes": []any{map[string]any{"name": "probe", "type": "string", "multiValued": false, "required": false,
			"caseExact": false, "mutability": "readWrite", "returned": "default", "uniqueness": "none", "description": "probe"}},
	})
	return append(own, sameWrites("/Schemas/"+framework.UserSchema, "description", "name")...)
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

// sendWrite sends w, reading what it echoes or repeats just before; it
// returns nil when w is a PATCH the document gives no value for. What a
// write created is registered with the tracker, and reported by created.
func sendWrite(ctx context.Context, f *framework.F, w discoveryWrite) (x *scimclient.Exchange, created bool) {
	ginkgo.GinkgoHelper()
	r := scimclient.Request{Method: w.method, Path: w.path}
	switch {
	case w.echo:
		r.Body = discoveryGet(ctx, f, w.path).RespBody
	case w.same != nil:
		doc := decode(discoveryGet(ctx, f, w.path))
		for _, attr := range w.same {
			if v, ok, _ := jsonptr.Lookup(doc, "/"+strings.ReplaceAll(attr, ".", "/"), jsonptr.Unique); ok && v != nil {
				r.Body = framework.MustJSON(patchBody(op("replace", attr, v)))
				break
			}
		}
		if r.Body == nil {
			return nil, false
		}
	case w.body != nil:
		r.Body = framework.MustJSON(w.body)
	}
	x = f.Do(ctx, r)
	if w.creates == "" || x.Status < 200 || x.Status > 299 {
		return x, false
	}
	// A 2xx that is not 201 may answer a write like a GET, creating
	// nothing: the resource is created when it is served at its path.
	if x.Status == http.StatusCreated || get(ctx, f, w.creates, nil).Status == http.StatusOK {
		f.Track(w.kind, w.creates)
		return x, true
	}
	return x, false
}

// refusesWrites asserts that every write is answered 405 Method Not
// Allowed or 501 Not Implemented, listing every other answer.
func refusesWrites(ctx context.Context, f *framework.F, writes []discoveryWrite) {
	ginkgo.GinkgoHelper()
	var other []string
	for _, w := range writes {
		x, _ := sendWrite(ctx, f, w)
		if x != nil && x.Status != http.StatusMethodNotAllowed && x.Status != http.StatusNotImplemented {
			other = append(other, fmt.Sprintf("%s answered %s", w, statusText(x)))
		}
	}
	gomega.Expect(other).To(gomega.BeEmpty(), "writes to a read-only discovery endpoint not answered 405 or 501")
}

// keepsUnchanged sends every write and, after each, reads the endpoints
// back: what they serve (meta aside) must be what they served before, and
// no write may have created a resource.
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
	made := map[string]bool{} // the run-named resources reported as created
	for _, w := range writes {
		x, created := sendWrite(ctx, f, w)
		if x == nil {
			continue
		}
		if created && !made[w.creates] {
			made[w.creates] = true
			changed = append(changed, fmt.Sprintf("%s (answered %s) created %s: the service provider applies writes to its discovery resources", w, statusText(x), w.creates))
		}
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
