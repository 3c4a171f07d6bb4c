package selftest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
)

// The discovery area's writes run on real tenants, whose service provider
// may apply them: the run may send a discovery resource that existed
// before it only a write that changes nothing if applied, and may delete
// none.

// discoveryWatch sits in front of a server and judges every request that
// may change a discovery resource (anything but GET, HEAD and OPTIONS to
// /ServiceProviderConfig, /Schemas or /ResourceTypes): whether it names a
// resource the server served before the run and, if so, whether it could
// change what the server serves there just before it.
type discoveryWatch struct {
	mu sync.Mutex
	// existing maps the lower-cased path of every discovery resource
	// served before the run to its document; set before the run.
	existing map[string]any
	seen     map[string]bool // "<METHOD> existing|new <area>" of every write
	problems []string        // the writes that could change or delete an existing resource
}

func (d *discoveryWatch) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		area := discoveryArea(r.URL.Path)
		method := r.Method
		if o := r.Header.Get("X-HTTP-Method-Override"); o != "" && method == http.MethodPost {
			method = strings.ToUpper(o)
		}
		switch {
		case area == "", method == http.MethodGet, method == http.MethodHead, method == http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			scimError(w, http.StatusBadRequest, "unreadable body")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		d.mu.Lock()
		before := d.existing
		d.mu.Unlock()
		_, existing := before[discoveryKey(r.URL.Path)]
		kind := "new"
		var current any
		if existing {
			kind = "existing"
			current = currentDocument(next, r)
		}
		problem := judgeDiscoveryWrite(before, current, method, r.URL.Path, body)
		d.mu.Lock()
		d.seen[method+" "+kind+" "+area] = true
		if problem != "" {
			d.problems = append(d.problems, problem)
		}
		d.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

// currentDocument is what next serves at the path of r to a GET with r's
// credential, nil when it serves no JSON document there.
func currentDocument(next http.Handler, r *http.Request) any {
	get := httptest.NewRequest(http.MethodGet, r.URL.EscapedPath(), nil)
	get.Host = r.Host
	get.Header.Set("Authorization", r.Header.Get("Authorization"))
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, get)
	var doc any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
		return nil
	}
	return doc
}

// discoveryArea is the discovery endpoint a path is under, in any case as
// servers may route it ("ServiceProviderConfig", "Schemas",
// "ResourceTypes"), "" for another.
func discoveryArea(p string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	for _, area := range []string{"ServiceProviderConfig", "Schemas", "ResourceTypes"} {
		if strings.HasPrefix(p, "/") && strings.EqualFold(first, area) {
			return area
		}
	}
	return ""
}

// discoveryKey is how existing names a path: lower-cased (ids of
// discovery resources are matched case-insensitively), without a
// trailing slash.
func discoveryKey(p string) string { return strings.ToLower(strings.TrimSuffix(p, "/")) }

// judgeDiscoveryWrite returns why a write to a discovery path (as the
// server saw it, percent-decoded) could change or delete a resource of
// existing (see discoveryWatch), whose document just before the write is
// current, "" when it cannot: a create that names no existing id, a PUT
// or POST of the current document, a PATCH replacing attributes with the
// values they have, or any write to a path no existing resource has.
func judgeDiscoveryWrite(existing map[string]any, current any, method, p string, body []byte) string {
	key := discoveryKey(p)
	what := method + " " + p
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return what + ": a dot segment, which the server may resolve to an existing resource"
		}
	}
	if key == "/schemas" || key == "/resourcetypes" {
		if method != http.MethodPost {
			return what + ": a write to a whole collection"
		}
		var doc map[string]any
		if json.Unmarshal(body, &doc) != nil {
			return what + ": a create whose body is not a JSON object, so it names no new id"
		}
		id, _ := doc["id"].(string)
		name, _ := doc["name"].(string)
		if id == "" {
			return what + ": a create that names no id"
		}
		for _, n := range []string{id, name} {
			if _, ok := existing[key+"/"+strings.ToLower(n)]; n != "" && ok {
				return fmt.Sprintf("%s: a create naming %q, which an existing resource has", what, n)
			}
		}
		return ""
	}
	if _, ok := existing[key]; !ok {
		return "" // a resource of the run's, or none
	}
	switch method {
	case http.MethodDelete:
		return what + ": a DELETE of an existing discovery resource"
	case http.MethodPut, http.MethodPost:
		var doc any
		if json.Unmarshal(body, &doc) != nil || !reflect.DeepEqual(doc, current) {
			return fmt.Sprintf("%s: a body that is not the document served just before: %s", what, clipped(body))
		}
		return ""
	case http.MethodPatch:
		var req struct {
			Operations []struct {
				Op    string `json:"op"`
				Path  string `json:"path"`
				Value any    `json:"value"`
			} `json:"Operations"`
		}
		if json.Unmarshal(body, &req) != nil || len(req.Operations) == 0 {
			return fmt.Sprintf("%s: not a PatchOp with operations: %s", what, clipped(body))
		}
		for _, op := range req.Operations {
			v, found := attributeAt(current, op.Path)
			if !strings.EqualFold(op.Op, "replace") || op.Path == "" || !found || !reflect.DeepEqual(v, op.Value) {
				return fmt.Sprintf("%s: an operation that does not replace an attribute with the value it has: %s", what, clipped(body))
			}
		}
		return ""
	}
	return what + ": a write to an existing discovery resource"
}

// encodeJSON encodes a decoded document for a message.
func encodeJSON(doc any) []byte {
	b, _ := json.Marshal(doc)
	return b
}

// clipped is a body for a message, cut after 300 bytes.
func clipped(body []byte) string {
	const most = 300
	if len(body) > most {
		return string(body[:most]) + "…"
	}
	return string(body)
}

// attributeAt resolves a SCIM attribute path of dotted names ("patch.supported")
// in doc, names matched case-insensitively (RFC 7643 §2.1).
func attributeAt(doc any, attrPath string) (any, bool) {
	for _, name := range strings.Split(attrPath, ".") {
		m, ok := doc.(map[string]any)
		if !ok {
			return nil, false
		}
		found := false
		for k, v := range m {
			if strings.EqualFold(k, name) {
				doc, found = v, true
				break
			}
		}
		if !found {
			return nil, false
		}
	}
	return doc, true
}

// servedDiscovery reads every discovery resource target serves: the
// configuration, each listed schema and resource type, the latter under
// its id and its name. It maps the lower-cased paths to the documents.
func servedDiscovery(t *testing.T, target, token string) map[string]any {
	t.Helper()
	read := func(p string) any {
		status, body := tenantRequest(t, http.MethodGet, target+p, token, nil)
		var doc any
		if status != http.StatusOK || json.Unmarshal(body, &doc) != nil {
			t.Fatalf("read %s: HTTP %d %s", p, status, body)
		}
		return doc
	}
	out := map[string]any{discoveryKey("/ServiceProviderConfig"): read("/ServiceProviderConfig")}
	for _, collection := range []string{"/Schemas", "/ResourceTypes"} {
		var list struct{ Resources []map[string]any }
		b, _ := json.Marshal(read(collection))
		if json.Unmarshal(b, &list) != nil || len(list.Resources) == 0 {
			t.Fatalf("%s lists nothing: %s", collection, b)
		}
		for _, r := range list.Resources {
			id, _ := r["id"].(string)
			name, _ := r["name"].(string)
			ref := id
			if loc, _ := r["meta"].(map[string]any)["location"].(string); ref == "" && loc != "" {
				ref = path.Base(loc)
			}
			doc := read(collection + "/" + url.PathEscape(ref))
			for _, n := range []string{id, ref} {
				if n != "" {
					out[discoveryKey(collection+"/"+n)] = doc
				}
			}
			if collection == "/ResourceTypes" && name != "" {
				out[discoveryKey(collection+"/"+name)] = doc
			}
		}
	}
	return out
}

func TestDiscoveryArea(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ path, area string }{
		{"/ServiceProviderConfig", "ServiceProviderConfig"},
		{"/serviceproviderconfig/", "ServiceProviderConfig"},
		{"/Schemas", "Schemas"},
		{"/schemas/urn:ietf:params:scim:schemas:core:2.0:User", "Schemas"},
		{"/RESOURCETYPES/User", "ResourceTypes"},
		{"/ServiceProviderConfigs", ""},
		{"/Users/Schemas", ""},
		{"/Users", ""},
		{"Schemas", ""},
	} {
		if got := discoveryArea(tc.path); got != tc.area {
			t.Errorf("discoveryArea(%q) = %q, want %q", tc.path, got, tc.area)
		}
	}
}

func TestJudgeDiscoveryWrite(t *testing.T) {
	t.Parallel()
	spc := map[string]any{"documentationUri": "https://example.com/doc", "patch": map[string]any{"supported": true}}
	user := map[string]any{"id": "urn:ietf:params:scim:schemas:core:2.0:User", "name": "User", "description": "User Account"}
	userType := map[string]any{"id": "User", "name": "User", "description": "User Account"}
	existing := map[string]any{
		"/serviceproviderconfig":                              spc,
		"/schemas/urn:ietf:params:scim:schemas:core:2.0:user": user,
		"/resourcetypes/user":                                 userType,
	}
	encode := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	patch := func(op, path string, value any) []byte {
		return encode(map[string]any{"Operations": []any{map[string]any{"op": op, "path": path, "value": value}}})
	}
	changed := map[string]any{"id": "User", "name": "User", "description": "changed"}
	for _, tc := range []struct {
		name, method, path string
		body               []byte
		problem            string // a part of the problem, "" for none
		gone               bool   // the resource is no longer served
	}{
		{"a PUT of the configuration as served", "PUT", "/ServiceProviderConfig", encode(spc), "", false},
		{"a POST of the configuration as served", "POST", "/ServiceProviderConfig", encode(spc), "", false},
		{"a PUT of another configuration", "PUT", "/ServiceProviderConfig", encode(map[string]any{"documentationUri": "https://example.com/other"}), "not the document served just before", false},
		{"a DELETE of the configuration", "DELETE", "/ServiceProviderConfig", nil, "a DELETE of an existing", false},
		{"a PATCH repeating documentationUri", "PATCH", "/ServiceProviderConfig", patch("replace", "documentationUri", "https://example.com/doc"), "", false},
		{"a PATCH repeating patch.supported", "PATCH", "/ServiceProviderConfig", patch("replace", "patch.supported", true), "", false},
		{"a PATCH changing documentationUri", "PATCH", "/ServiceProviderConfig", patch("replace", "documentationUri", "https://example.com/other"), "does not replace", false},
		{"a PATCH adding the value it has", "PATCH", "/ServiceProviderConfig", patch("add", "documentationUri", "https://example.com/doc"), "does not replace", false},
		{"a PATCH of an attribute it lacks", "PATCH", "/ResourceTypes/User", patch("replace", "endpoint", nil), "does not replace", false},
		{"a PATCH without operations", "PATCH", "/ResourceTypes/User", encode(map[string]any{"Operations": []any{}}), "not a PatchOp", false},
		{"a PUT of the User schema as served", "PUT", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", encode(user), "", false},
		{"a DELETE of the User schema in another case", "DELETE", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:user", nil, "a DELETE of an existing", false},
		{"a PUT of another User resource type", "PUT", "/ResourceTypes/User/", encode(changed), "not the document served just before", false},
		{"a DELETE of the User resource type", "DELETE", "/ResourceTypes/user", nil, "a DELETE of an existing", false},
		{"a write of another method", "POST", "/ResourceTypes/User", encode(changed), "not the document served just before", false},
		{"a TRACE of the User resource type", "TRACE", "/ResourceTypes/User", nil, "a write to an existing", false},
		{"a create of a new schema", "POST", "/Schemas", encode(map[string]any{"id": "urn:x:run-1:2.0:User", "name": "Probe"}), "", false},
		{"a create of the User schema's id", "POST", "/Schemas", encode(user), "which an existing resource has", false},
		{"a create of a resource type named User", "POST", "/ResourceTypes", encode(map[string]any{"id": "run-1", "name": "user"}), "which an existing resource has", false},
		{"a create without an id", "POST", "/ResourceTypes", encode(map[string]any{"name": "run-1"}), "names no id", false},
		{"a DELETE of a collection", "DELETE", "/Schemas", nil, "a whole collection", false},
		{"a PUT of a run-named schema", "PUT", "/Schemas/urn:x:run-1:2.0:User", encode(changed), "", false},
		{"a DELETE of a run-named resource type", "DELETE", "/ResourceTypes/run-1", nil, "", false},
		{"a DELETE through a dot segment", "DELETE", "/ResourceTypes/run-1/../User", nil, "a dot segment", false},
		{"a PUT of the document served before, no longer served", "PUT", "/ResourceTypes/User", encode(userType), "not the document served just before", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			current := existing[discoveryKey(tc.path)]
			if tc.gone {
				current = nil
			}
			got := judgeDiscoveryWrite(existing, current, tc.method, tc.path, tc.body)
			if tc.problem == "" && got != "" || tc.problem != "" && !strings.Contains(got, tc.problem) {
				t.Errorf("judgeDiscoveryWrite(%s %s) = %q, want a problem containing %q", tc.method, tc.path, got, tc.problem)
			}
		})
	}
}

// TestDiscoveryWritesSpareExistingResources runs the discovery area's
// write specs behind a discoveryWatch, against servers that refuse the
// writes, answer them like GETs, apply them, or serve only the REQUIRED
// discovery attributes: no write may change or delete a discovery resource
// that existed before the run, the writes must have reached both the
// existing resources and the run's own, and afterwards the server must
// serve what it served before (what the run created is deleted). Only a
// server that stores a write of a resource's own document lossily changes
// on it (the specs report that); the table names what it changes.
func TestDiscoveryWritesSpareExistingResources(t *testing.T) {
	t.Parallel()
	const (
		spcUnchanged   = "ServiceProviderConfig a write to /ServiceProviderConfig of the values it serves leaves the configuration unchanged"
		spcRefused     = "ServiceProviderConfig a write to /ServiceProviderConfig of the values it serves is refused with 405 or 501"
		typesUnchanged = "ResourceTypes a write to /ResourceTypes leaves the resource types unchanged"
		typesRefused   = "ResourceTypes a write to /ResourceTypes is refused with 405 or 501"
		schemaUnchange = "Schemas a write to /Schemas leaves the schemas unchanged"
		schemaRefused  = "Schemas a write to /Schemas is refused with 405 or 501"
	)
	specs := []string{spcUnchanged, spcRefused, typesUnchanged, typesRefused, schemaUnchange, schemaRefused}
	// Every run sends these writes: PUT and PATCH of each kind of existing
	// resource, and POST, PUT, PATCH and DELETE of the run's own schema
	// and resource type.
	var reached []string
	for _, area := range []string{"ServiceProviderConfig", "Schemas", "ResourceTypes"} {
		reached = append(reached, "PUT existing "+area, "PATCH existing "+area)
		if area != "ServiceProviderConfig" {
			reached = append(reached, "POST new "+area, "PUT new "+area, "PATCH new "+area, "DELETE new "+area)
		}
	}
	tests := []struct {
		name           string
		opts           refserver.Options
		failed, warned []string
		lossy          []string // what the server changes on a write of its own document
	}{
		{name: "writes refused with 405", opts: refserver.Options{}},
		{name: "writes answered like GETs", opts: refserver.Options{Faults: []string{"discovery-writable"}},
			warned: []string{spcRefused, typesRefused, schemaRefused}},
		{name: "writes applied", opts: refserver.Options{Faults: []string{"discovery-writes-applied"}},
			failed: []string{spcUnchanged, typesUnchanged, schemaUnchange}, warned: []string{spcRefused, typesRefused, schemaRefused},
			lossy: []string{"/ServiceProviderConfig"}},
		{name: "only the REQUIRED discovery attributes", opts: refserver.Options{Variants: []string{"discovery-minimal"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runSlots <- struct{}{}
			defer func() { <-runSlots }()
			tc.opts.Token = rand.Text()
			watch := &discoveryWatch{seen: map[string]bool{}}
			ts := refservertest.Start(t, tc.opts, watch.wrap)
			before := servedDiscovery(t, ts.URL, tc.opts.Token)
			watch.mu.Lock()
			watch.existing = maps.Clone(before)
			watch.mu.Unlock()

			res, out, runErr := runSuites(t, ts.URL, tc.opts.Token, "-ginkgo.focus=a write to /")
			if res == nil {
				t.Fatalf("no report (exit: %v):\n%s", runErr, tail(out, 40))
			}

			problems, seen := watch.report()
			for _, p := range problems {
				t.Errorf("a write that could change or delete what existed before the run: %s", p)
			}
			for _, w := range reached {
				if !seen[w] {
					t.Errorf("the run sent no %s; writes seen: %q", w, slices.Sorted(maps.Keys(seen)))
				}
			}
			after := servedDiscovery(t, ts.URL, tc.opts.Token)
			for _, p := range tc.lossy {
				delete(after, discoveryKey(p))
				delete(before, discoveryKey(p))
			}
			if added, removed := setDiff(slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before))); len(added)+len(removed) > 0 {
				t.Errorf("after the run the server serves the discovery resources %q it did not serve before, and no longer serves %q", added, removed)
			}
			for p, doc := range before {
				if got, ok := after[p]; ok && !reflect.DeepEqual(got, doc) {
					t.Errorf("after the run %s serves another document:\nbefore: %s\nafter:  %s", p, clipped(encodeJSON(doc)), clipped(encodeJSON(got)))
				}
			}
			ran := append(append(res.names(passed), res.names(warned)...), res.names(failed)...)
			for _, s := range specs {
				if !slices.Contains(ran, s) {
					t.Errorf("the spec %q did not run; specs run: %q", s, ran)
				}
			}
			for _, o := range []struct {
				outcome outcome
				what    string
				want    []string
			}{{failed, "failed", tc.failed}, {warned, "warned", tc.warned}} {
				if got, want := res.names(o.outcome), slices.Sorted(slices.Values(o.want)); !slices.Equal(got, want) {
					t.Errorf("specs that %s:\n  got  %q\n  want %q", o.what, got, want)
				}
			}
			for _, name := range res.names(failed) {
				t.Logf("%s failed:\n%s", name, res.message(name))
			}
		})
	}
}

// report returns the problems found and the writes seen so far.
func (d *discoveryWatch) report() (problems []string, seen map[string]bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.problems), maps.Clone(d.seen)
}
