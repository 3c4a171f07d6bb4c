package refserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestVariantTableIsComplete(t *testing.T) {
	t.Parallel()
	name := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	for _, v := range VariantCatalog() {
		switch {
		case !name.MatchString(v.Name):
			t.Errorf("variant name %q is not lower-case words joined by hyphens", v.Name)
		case seen[v.Name]:
			t.Errorf("variant %q is listed twice", v.Name)
		case v.Does == "" || v.Allows == "":
			t.Errorf("variant %q: says neither what the server does or what allows it", v.Name)
		case !strings.Contains(v.Allows, "RFC ") || !strings.Contains(v.Allows, "§"):
			t.Errorf("variant %q: %q names no RFC section", v.Name, v.Allows)
		}
		seen[v.Name] = true
		if _, ok := variantChecks[v.Name]; !ok {
			t.Errorf("variant %q has no check in variantChecks: nothing shows it changes the server", v.Name)
		}
		if faultNamed(v.Name) {
			t.Errorf("variant %q has the name of a fault", v.Name)
		}
	}
	for n := range variantChecks {
		if !seen[n] {
			t.Errorf("variantChecks has %q, which is not a variant", n)
		}
	}
}

func faultNamed(name string) bool {
	for _, f := range FaultNames() {
		if f == name {
			return true
		}
	}
	return false
}

// The package documentation of variants.go lists every variant exactly as
// the table says, so that the two cannot drift apart.
func TestVariantDocListsEveryVariant(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("variants.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range VariantCatalog() {
		if line := variantDocLine(v); !bytes.Contains(src, []byte(line+"\n")) {
			t.Errorf("the doc comment of variants.go lacks the line\n%s", line)
		}
	}
}

// VARIANTS.md, the list of the RFCs' latitudes, names every variant.
func TestVariantsDocumentNamesEveryVariant(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("VARIANTS.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range VariantNames() {
		if !bytes.Contains(doc, []byte("`"+name+"`")) {
			t.Errorf("VARIANTS.md does not name the variant `%s`", name)
		}
	}
}

func TestNewRejectsUnknownVariants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		variants []string
		want     []string
	}{
		{[]string{"no-such-variant"}, []string{`"no-such-variant"`, "patch-204", "valid variants"}},
		{[]string{"patch-204", "Patch-204"}, []string{`"Patch-204"`}},
		{[]string{"create-200"}, []string{`"create-200"`}}, // a fault is no variant
	} {
		_, err := New(Options{NoAuth: true, Variants: tc.variants})
		if err == nil {
			t.Errorf("New with variants %q: no error", tc.variants)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("New with variants %q: error %q does not mention %s", tc.variants, err, w)
			}
		}
	}
	set, err := parseVariants([]string{"", " patch-204 ", ""})
	if err != nil || !set.has(vPatch204) || len(set.on) != 1 {
		t.Errorf("parseVariants of blanks and patch-204: got %v, %v; want patch-204 only", set.on, err)
	}
}

// variantClient talks to one server with variants through real HTTP,
// without the invariants newServer's client checks (variants change some
// of them on purpose).
type variantClient struct {
	t    *testing.T
	base string
	http *http.Client
}

// variantAnswer is one received answer.
type variantAnswer struct {
	status int
	header http.Header
	body   []byte
	close  bool // the server asked to close the connection
}

func (a variantAnswer) obj(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("decode %q: %v", a.body, err)
	}
	return m
}

// variantClock is the time every server of the variant checks runs at.
var variantClock = time.Date(2024, 1, 2, 3, 4, 5, 678_000_000, time.UTC)

func newVariantServer(t *testing.T, variants ...string) *variantClient {
	t.Helper()
	srv, err := New(Options{Token: testToken, Variants: variants, Now: func() time.Time { return variantClock }})
	if err != nil {
		t.Fatalf("New with variants %v: %v", variants, err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &variantClient{t: t, base: ts.URL, http: &http.Client{Timeout: 10 * time.Second, Transport: tr}}
}

// do sends one request; body is a string (sent as is) or a JSON value;
// header holds name, value pairs (an empty value removes the header).
func (c *variantClient) do(method, path string, body any, header ...string) variantAnswer {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	hr, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	hr.Header.Set("Authorization", "Bearer "+testToken)
	if rd != nil {
		hr.Header.Set("Content-Type", ContentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			hr.Header.Del(header[i])
			continue
		}
		hr.Header.Set(header[i], header[i+1])
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return variantAnswer{status: resp.StatusCode, header: resp.Header, body: data, close: resp.Close}
}

// expect fails unless the answer has the status.
func (c *variantClient) expect(what string, a variantAnswer, status int) variantAnswer {
	c.t.Helper()
	if a.status != status {
		c.t.Fatalf("%s: status %d, want %d; body %s", what, a.status, status, a.body)
	}
	return a
}

func (c *variantClient) user(name string, extra ...any) string {
	c.t.Helper()
	body := map[string]any{"schemas": []any{userURN}, "userName": name}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i].(string)] = extra[i+1]
	}
	id, _ := c.expect("POST /Users", c.do("POST", "/Users", body), http.StatusCreated).obj(c.t)["id"].(string)
	return id
}

func (c *variantClient) group(name string, members ...string) string {
	c.t.Helper()
	body := map[string]any{"schemas": []any{groupURN}, "displayName": name}
	var list []any
	for _, m := range members {
		list = append(list, map[string]any{"value": m})
	}
	if list != nil {
		body["members"] = list
	}
	id, _ := c.expect("POST /Groups", c.do("POST", "/Groups", body), http.StatusCreated).obj(c.t)["id"].(string)
	return id
}

func (c *variantClient) spc() map[string]any {
	c.t.Helper()
	return c.expect("GET /ServiceProviderConfig", c.do("GET", "/ServiceProviderConfig", nil), http.StatusOK).obj(c.t)
}

func patchOps(ops ...map[string]any) map[string]any {
	list := make([]any, len(ops))
	for i, o := range ops {
		list[i] = o
	}
	return map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": list}
}

// variantChecks shows, for each variant, that the server does what the
// variant says, through HTTP. Each runs against a server with only that
// variant on.
var variantChecks = map[string]func(t *testing.T, c *variantClient){
	"content-type-charset": func(t *testing.T, c *variantClient) {
		for _, a := range []variantAnswer{c.do("GET", "/Users", nil), c.do("GET", "/Users/none", nil)} {
			if ct := a.header.Get("Content-Type"); ct != "application/scim+json; charset=utf-8" {
				t.Errorf("Content-Type %q, want application/scim+json; charset=utf-8", ct)
			}
		}
	},
	"no-content-type-when-empty": func(t *testing.T, c *variantClient) {
		id := c.user("empty")
		a := c.expect("DELETE", c.do("DELETE", "/Users/"+id, nil), http.StatusNoContent)
		if ct, ok := a.header["Content-Type"]; ok {
			t.Errorf("204 carries Content-Type %q", ct)
		}
		if ct := c.do("GET", "/Users", nil).header.Get("Content-Type"); ct != ContentType {
			t.Errorf("an answer with a body has Content-Type %q, want %s", ct, ContentType)
		}
	},
	"connection-close": func(t *testing.T, c *variantClient) {
		if a := c.do("GET", "/ServiceProviderConfig", nil); !a.close {
			t.Errorf("the answer does not close the connection (Connection %q)", a.header.Get("Connection"))
		}
	},
	"location-relative": func(t *testing.T, c *variantClient) {
		a := c.expect("POST", c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "located"}), http.StatusCreated)
		id, _ := a.obj(t)["id"].(string)
		loc, meta := a.header.Get("Location"), at(a.obj(t), "meta", "location")
		if loc != "/Users/"+id || meta != c.base+"/Users/"+id {
			t.Errorf("Location %q and meta.location %v; want /Users/%s and its absolute URL", loc, meta, id)
		}
	},
	"spc-public": func(t *testing.T, c *variantClient) {
		c.expect("GET /ServiceProviderConfig without credentials", c.do("GET", "/ServiceProviderConfig", nil, "Authorization", ""), http.StatusOK)
		c.expect("GET /ResourceTypes without credentials", c.do("GET", "/ResourceTypes", nil, "Authorization", ""), http.StatusUnauthorized)
		c.expect("GET /Users without credentials", c.do("GET", "/Users", nil, "Authorization", ""), http.StatusUnauthorized)
		c.expect("POST /ServiceProviderConfig without credentials", c.do("POST", "/ServiceProviderConfig", "{}", "Authorization", ""), http.StatusUnauthorized)
	},
	"user-groups-unsupported": func(t *testing.T, c *variantClient) {
		uid := c.user("member")
		c.group("team", uid)
		if user := c.expect("GET user", c.do("GET", "/Users/"+uid, nil), http.StatusOK).obj(t); hasKey(user, "groups") {
			t.Errorf("the user shows groups: %v", user)
		}
		for _, a := range c.expect("GET /Schemas/User", c.do("GET", "/Schemas/"+userURN, nil), http.StatusOK).obj(t)["attributes"].([]any) {
			if at(a, "name") == "groups" {
				t.Error("/Schemas declares groups")
			}
		}
	},
	"patch-204": func(t *testing.T, c *variantClient) {
		id := c.user("patched")
		a := c.expect("PATCH user", c.do("PATCH", "/Users/"+id, patchOps(map[string]any{"op": "replace", "path": "title", "value": "T"})), http.StatusNoContent)
		if len(a.body) != 0 || a.header.Get("ETag") == "" {
			t.Errorf("204: body %q, ETag %q; want no body and the ETag", a.body, a.header.Get("ETag"))
		}
		gid := c.group("patched")
		c.expect("PATCH group", c.do("PATCH", "/Groups/"+gid, patchOps(map[string]any{"op": "replace", "path": "displayName", "value": "g2"})), http.StatusNoContent)
		projected := c.expect("PATCH with attributes", c.do("PATCH", "/Users/"+id+"?attributes=title", patchOps(map[string]any{"op": "replace", "path": "title", "value": "U"})), http.StatusOK)
		if got := projected.obj(t)["title"]; got != "U" {
			t.Errorf("PATCH with attributes: title %v, want U", got)
		}
	},
	"patch-200": func(t *testing.T, c *variantClient) {
		gid := c.group("before")
		a := c.expect("PATCH group", c.do("PATCH", "/Groups/"+gid, patchOps(map[string]any{"op": "replace", "path": "displayName", "value": "after"})), http.StatusOK)
		if got := a.obj(t)["displayName"]; got != "after" {
			t.Errorf("PATCH group answered displayName %v, want after", got)
		}
	},
	"page-size-1": func(t *testing.T, c *variantClient) {
		for _, n := range []string{"p1", "p2", "p3"} {
			c.user(n)
		}
		m := c.expect("GET /Users", c.do("GET", "/Users?count=10", nil), http.StatusOK).obj(t)
		if list, _ := m["Resources"].([]any); len(list) != 1 || m["totalResults"] != 3.0 || m["itemsPerPage"] != 1.0 {
			t.Errorf("GET /Users?count=10: %d resources, totalResults %v, itemsPerPage %v; want 1, 3, 1", len(list), m["totalResults"], m["itemsPerPage"])
		}
		if got := at(c.spc(), "filter", "maxResults"); got != 1.0 {
			t.Errorf("filter.maxResults %v, want 1", got)
		}
	},
	"list-fields-minimal": func(t *testing.T, c *variantClient) {
		c.user("l1")
		c.user("l2")
		whole := c.expect("GET /Users", c.do("GET", "/Users", nil), http.StatusOK).obj(t)
		if _, ok := whole["startIndex"]; ok || whole["itemsPerPage"] != nil || len(whole["Resources"].([]any)) != 2 {
			t.Errorf("a list of every result: %v; want Resources without startIndex and itemsPerPage", whole)
		}
		page := c.expect("GET /Users?count=1", c.do("GET", "/Users?count=1", nil), http.StatusOK).obj(t)
		if page["startIndex"] != 1.0 || page["itemsPerPage"] != 1.0 {
			t.Errorf("a partial page: %v; want startIndex 1 and itemsPerPage 1", page)
		}
		none := c.expect("GET /Users?filter", c.do("GET", "/Users?filter="+q(`userName eq "nobody"`), nil), http.StatusOK).obj(t)
		if _, ok := none["Resources"]; ok || none["totalResults"] != 0.0 {
			t.Errorf("an empty list: %v; want totalResults 0 without Resources", none)
		}
	},
	"etag-unsupported": func(t *testing.T, c *variantClient) {
		created := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "untagged"})
		id, _ := created.obj(t)["id"].(string)
		if etag := created.header.Get("ETag"); etag != "" || at(created.obj(t), "meta", "version") != nil {
			t.Errorf("POST answered ETag %q and meta.version %v; want neither", etag, at(created.obj(t), "meta", "version"))
		}
		if got := at(c.spc(), "etag", "supported"); got != false {
			t.Errorf("etag.supported %v, want false", got)
		}
		body := map[string]any{"schemas": []any{userURN}, "userName": "untagged", "title": "x"}
		c.expect("PUT with a tag", c.do("PUT", "/Users/"+id, body, "If-Match", `W/"1"`), http.StatusPreconditionFailed)
		c.expect("PUT with *", c.do("PUT", "/Users/"+id, body, "If-Match", "*"), http.StatusOK)
		c.expect("GET with a tag", c.do("GET", "/Users/"+id, nil, "If-None-Match", `W/"2"`), http.StatusOK)
		c.expect("GET with *", c.do("GET", "/Users/"+id, nil, "If-None-Match", "*"), http.StatusNotModified)
	},
	"sort-unsupported": func(t *testing.T, c *variantClient) {
		b, a := c.user("b"), c.user("a")
		list := c.expect("GET sorted", c.do("GET", "/Users?sortBy=userName&sortOrder=descending", nil), http.StatusOK).obj(t)["Resources"].([]any)
		if got := ids(list); len(got) != 2 || got[0] != b || got[1] != a {
			t.Errorf("sortBy ignored: got %v, want creation order %v", got, []string{b, a})
		}
		if got := at(c.spc(), "sort", "supported"); got != false {
			t.Errorf("sort.supported %v, want false", got)
		}
	},
	"search-unsupported": func(t *testing.T, c *variantClient) {
		search := map[string]any{"schemas": []any{SearchRequestSchema}}
		for _, p := range []string{"/.search", "/Users/.search", "/Groups/.search"} {
			if a := c.do("POST", p, search); a.status != http.StatusNotImplemented || a.obj(t)["status"] != "501" {
				t.Errorf("POST %s: %d %s; want a 501 SCIM error", p, a.status, a.body)
			}
		}
	},
	"change-password-unsupported": func(t *testing.T, c *variantClient) {
		id := c.user("pw", "password", "Initial-1")
		if got := at(c.spc(), "changePassword", "supported"); got != false {
			t.Errorf("changePassword.supported %v, want false", got)
		}
		c.expect("PUT with a password", c.do("PUT", "/Users/"+id, map[string]any{"schemas": []any{userURN}, "userName": "pw", "Password": "New-1"}), http.StatusNotImplemented)
		for _, op := range []map[string]any{
			{"op": "replace", "path": "password", "value": "New-1"},
			{"op": "add", "path": userURN + ":password", "value": "New-1"},
			{"op": "replace", "value": map[string]any{"PASSWORD": "New-1"}},
		} {
			c.expect("PATCH of the password", c.do("PATCH", "/Users/"+id, patchOps(op)), http.StatusNotImplemented)
		}
		c.expect("PATCH of the title", c.do("PATCH", "/Users/"+id, patchOps(map[string]any{"op": "replace", "path": "title", "value": "T"})), http.StatusOK)
	},
	"unassigned-explicit": func(t *testing.T, c *variantClient) {
		id := c.user("bare", "name", map[string]any{"givenName": "B"}, "password", "Secret-1")
		m := c.expect("GET", c.do("GET", "/Users/"+id, nil), http.StatusOK).obj(t)
		for key, want := range map[string]any{"title": nil, "externalId": nil, "active": nil} {
			if v, ok := m[key]; !ok || v != want {
				t.Errorf("%s: %v (present %v), want null", key, v, ok)
			}
		}
		for _, key := range []string{"emails", "groups"} {
			if v, ok := m[key].([]any); !ok || len(v) != 0 {
				t.Errorf("%s: %v, want []", key, m[key])
			}
		}
		if v, ok := at(m, "name").(map[string]any); !ok || v["familyName"] != nil || !hasKey(v, "familyName") {
			t.Errorf("name: %v, want familyName null", m["name"])
		}
		if hasKey(m, "password") {
			t.Error("password (returned never) is shown")
		}
		projected := c.expect("GET with attributes", c.do("GET", "/Users/"+id+"?attributes=userName", nil), http.StatusOK).obj(t)
		if hasKey(projected, "title") {
			t.Errorf("a projected answer shows title: %v", projected)
		}
	},
	"members-value-only": func(t *testing.T, c *variantClient) {
		uid := c.user("member")
		gid := c.group("team", uid)
		group := c.expect("GET group", c.do("GET", "/Groups/"+gid, nil), http.StatusOK).obj(t)
		user := c.expect("GET user", c.do("GET", "/Users/"+uid, nil), http.StatusOK).obj(t)
		if got, want := at(group, "members", 0), map[string]any{"value": uid}; !jsonEqual(got, want) {
			t.Errorf("members[0] %v, want %v", got, want)
		}
		if got, want := at(user, "groups", 0), map[string]any{"value": gid}; !jsonEqual(got, want) {
			t.Errorf("groups[0] %v, want %v", got, want)
		}
	},
	"ids-sequential": func(t *testing.T, c *variantClient) {
		if got := []string{c.user("one"), c.group("two"), c.user("three")}; strings.Join(got, ",") != "1,2,3" {
			t.Errorf("ids %v, want 1, 2, 3", got)
		}
		c.expect("GET /Users/3", c.do("GET", "/Users/3", nil), http.StatusOK)
	},
	"time-seconds": func(t *testing.T, c *variantClient) {
		id := c.user("secs")
		m := c.expect("GET", c.do("GET", "/Users/"+id, nil), http.StatusOK).obj(t)
		if got := at(m, "meta", "created"); got != "2024-01-02T03:04:05Z" {
			t.Errorf("meta.created %v, want 2024-01-02T03:04:05Z", got)
		}
		found := c.expect("filter", c.do("GET", "/Users?filter="+q(`meta.created eq "2024-01-02T03:04:05Z"`), nil), http.StatusOK).obj(t)
		if found["totalResults"] != 1.0 {
			t.Errorf("meta.created eq the time shown: totalResults %v, want 1", found["totalResults"])
		}
	},
	"time-offset": func(t *testing.T, c *variantClient) {
		id := c.user("offset")
		m := c.expect("GET", c.do("GET", "/Users/"+id, nil), http.StatusOK).obj(t)
		if got := at(m, "meta", "lastModified"); got != "2024-01-02T08:34:05.678+05:30" {
			t.Errorf("meta.lastModified %v, want 2024-01-02T08:34:05.678+05:30", got)
		}
	},
	"schemas-extension-first": func(t *testing.T, c *variantClient) {
		id := c.user("ext", enterpriseURN, map[string]any{"department": "D"})
		m := c.expect("GET", c.do("GET", "/Users/"+id, nil), http.StatusOK).obj(t)
		if got, want := m["schemas"], []any{enterpriseURN, userURN}; !jsonEqual(got, want) {
			t.Errorf("schemas %v, want %v", got, want)
		}
	},
	"error-no-detail": func(t *testing.T, c *variantClient) {
		m := c.expect("GET unknown", c.do("GET", "/Users/none", nil), http.StatusNotFound).obj(t)
		if hasKey(m, "detail") || m["status"] != "404" {
			t.Errorf("error body %v; want status 404 without detail", m)
		}
	},
	"error-scimtype-minimal": func(t *testing.T, c *variantClient) {
		if m := c.expect("malformed", c.do("POST", "/Users", `{"userName":`), http.StatusBadRequest).obj(t); hasKey(m, "scimType") {
			t.Errorf("invalidSyntax is named: %v", m)
		}
		c.user("taken")
		if m := c.expect("duplicate", c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "taken"}), http.StatusConflict).obj(t); m["scimType"] != "uniqueness" {
			t.Errorf("a duplicate does not name uniqueness: %v", m)
		}
	},
	"discovery-minimal": func(t *testing.T, c *variantClient) {
		spc := c.spc()
		scheme, _ := at(spc, "authenticationSchemes", 0).(map[string]any)
		if hasKey(spc, "documentationUri") || scheme == nil || hasKey(scheme, "specUri") {
			t.Errorf("ServiceProviderConfig keeps its optional URIs: %v", spc)
		}
		for _, rt := range c.expect("GET /ResourceTypes", c.do("GET", "/ResourceTypes", nil), http.StatusOK).obj(t)["Resources"].([]any) {
			m := rt.(map[string]any)
			if hasKey(m, "id") || (m["name"] == "Group" && hasKey(m, "schemaExtensions")) || (m["name"] == "User" && !hasKey(m, "schemaExtensions")) {
				t.Errorf("resource type %v: want no id, and schemaExtensions only where there are some", m)
			}
		}
		c.expect("GET /ResourceTypes/User", c.do("GET", "/ResourceTypes/User", nil), http.StatusOK)
	},
}

// Each variant does what it says, through HTTP.
func TestVariantsChangeTheServer(t *testing.T) {
	t.Parallel()
	for _, name := range VariantNames() {
		check, ok := variantChecks[name]
		if !ok {
			continue // TestVariantTableIsComplete reports it
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			check(t, newVariantServer(t, name))
		})
	}
}

func hasKey(m map[string]any, key string) bool {
	_, ok := m[key]
	return ok
}

func jsonEqual(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}
