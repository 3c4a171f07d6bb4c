package refserver

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/filter"
)

// listFixture creates five users in a known order.
func listFixture(t *testing.T, opts Options) (*client, []string) {
	_, c := newServer(t, opts)
	var out []string
	for i, u := range []struct {
		name, ext, family string
		active            bool
	}{
		{"carol@example.com", "ext-c", "Young", true},
		{"alice@example.com", "ext-a", "Smith", false},
		{"Bob@Example.com", "shared", "Brown", true},
		{"dave@example.com", "shared", "", true},
		{"erin@example.com", "", "Adams", false},
	} {
		extra := []any{"active", u.active, "emails", []any{map[string]any{"value": fmt.Sprintf("mail%d@corp.example", i), "type": "work"}}}
		if u.ext != "" {
			extra = append(extra, "externalId", u.ext)
		}
		if u.family != "" {
			extra = append(extra, "name", map[string]any{"familyName": u.family})
		}
		out = append(out, c.createUser(u.name, extra...))
	}
	return c, out
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	c, u := listFixture(t, Options{})
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{`userName eq "ALICE@example.com"`, []string{u[1]}},
		{`USERNAME EQ "bob@example.com"`, []string{u[2]}},
		{`userName eq "nobody@example.com"`, nil},
		{`externalId eq "shared"`, []string{u[2], u[3]}},
		{`externalId eq "SHARED"`, nil},
		{`id eq "` + u[4] + `"`, []string{u[4]}},
		{`userName eq "dave@example.com" and active eq true`, []string{u[3]}},
		{`active eq false and userName eq "dave@example.com"`, nil},
		{`externalId eq "shared" and active eq true`, []string{u[2], u[3]}},
		{`active eq true`, []string{u[0], u[2], u[3]}},
		{`name.familyName sw "S" or name.familyName sw "Y"`, []string{u[0], u[1]}},
		{`emails[type eq "work" and value co "mail4"]`, []string{u[4]}},
		{`emails[type eq "work"].value eq "mail2@corp.example"`, []string{u[2]}},
		{`not (active eq true)`, []string{u[1], u[4]}},
		{`meta.resourceType eq "User" and externalId pr`, []string{u[0], u[1], u[2], u[3]}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "erin@example.com"`, []string{u[4]}},
	} {
		r := c.get("/Users?filter=" + q(tc.filter))
		expectStatus(t, tc.filter, r, http.StatusOK)
		list := resources(t, r)
		if got := ids(list); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.filter, got, tc.want)
		}
		m := r.obj(t)
		if m["totalResults"] != float64(len(tc.want)) || m["itemsPerPage"] != float64(len(tc.want)) || m["startIndex"] != float64(1) {
			t.Errorf("%s: totals %v/%v/%v", tc.filter, m["totalResults"], m["itemsPerPage"], m["startIndex"])
		}
	}
	for _, bad := range []string{`userName eq`, `nosuch eq "x"`, `userName xx "y"`, `(userName eq "a"`, strings.Repeat("(", 200) + `userName eq "a"` + strings.Repeat(")", 200)} {
		expectStatus(t, bad, c.get("/Users?filter="+q(bad)), http.StatusBadRequest, "invalidFilter")
	}
}

func TestFilterWireEncodings(t *testing.T) {
	t.Parallel()
	c, u := listFixture(t, Options{})
	for _, raw := range []string{
		`filter=userName+eq+"alice%40example.com"`,
		`filter=userName%20eq%20%22alice@example.com%22`,
		`filter=userName eq "alice@example.com"`,
	} {
		r := c.get("/Users?" + strings.ReplaceAll(raw, " ", "%20"))
		if got := ids(resources(t, r)); !slices.Equal(got, []string{u[1]}) {
			t.Errorf("%s: got %v", raw, got)
		}
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	c, u := listFixture(t, Options{MaxResults: 3})
	for _, tc := range []struct {
		query      string
		want       []string
		startIndex float64
	}{
		{"", u[:3], 1},
		{"?count=2", u[:2], 1},
		{"?startIndex=2&count=2", u[1:3], 2},
		{"?startIndex=0&count=1", u[:1], 1},
		{"?startIndex=-5&count=1", u[:1], 1},
		{"?count=-1", nil, 1},
		{"?count=0", nil, 1},
		{"?count=1000", u[:3], 1},
		{"?startIndex=5", u[4:], 5},
		{"?startIndex=6", nil, 6},
		{"?startIndex=9223372036854775807&count=3", nil, 9223372036854775807},
	} {
		r := c.get("/Users" + tc.query)
		expectStatus(t, tc.query, r, http.StatusOK)
		m := r.obj(t)
		if got := ids(resources(t, r)); !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %v, want %v", tc.query, got, tc.want)
		}
		if m["totalResults"] != float64(5) || m["itemsPerPage"] != float64(len(tc.want)) || m["startIndex"] != tc.startIndex {
			t.Errorf("%q: totalResults %v itemsPerPage %v startIndex %v", tc.query, m["totalResults"], m["itemsPerPage"], m["startIndex"])
		}
	}
	for _, bad := range []string{"?count=abc", "?startIndex=1.5"} {
		expectStatus(t, bad, c.get("/Users"+bad), http.StatusBadRequest, "invalidValue")
	}
}

// ticking returns a clock that advances one second per reading.
func ticking() func() time.Time {
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
}

func TestSorting(t *testing.T) {
	t.Parallel()
	c, u := listFixture(t, Options{Now: ticking()})
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?sortBy=userName", []string{u[1], u[2], u[0], u[3], u[4]}},
		{"?sortBy=userName&sortOrder=descending", []string{u[4], u[3], u[0], u[2], u[1]}},
		{"?sortBy=name.familyName", []string{u[4], u[2], u[1], u[0], u[3]}},
		{"?sortBy=name.familyName&sortOrder=DESCENDING", []string{u[3], u[0], u[1], u[2], u[4]}},
		{"?sortBy=meta.created&sortOrder=descending&count=2", []string{u[4], u[3]}},
		{"?sortBy=emails.value&startIndex=2&count=2", []string{u[1], u[2]}},
		{"?sortBy=userName&filter=" + q(`active eq true`), []string{u[2], u[0], u[3]}},
	} {
		r := c.get("/Users" + tc.query)
		expectStatus(t, tc.query, r, http.StatusOK)
		if got := ids(resources(t, r)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.query, got, tc.want)
		}
	}
	expectStatus(t, "bad sortOrder", c.get("/Users?sortBy=userName&sortOrder=sideways"), http.StatusBadRequest, "invalidValue")
	expectStatus(t, "unknown sortBy", c.get("/Users?sortBy=nope"), http.StatusBadRequest, "invalidValue")
	expectStatus(t, "complex sortBy", c.get("/Users?sortBy=name"), http.StatusBadRequest, "invalidValue")
}

func TestSearch(t *testing.T) {
	t.Parallel()
	c, u := listFixture(t, Options{})
	g := c.createGroup("alice@example.com team", u[1])
	search := func(path string, body any) response {
		return c.do(req{method: "POST", path: path, body: body})
	}
	sr := func(fields ...any) map[string]any {
		m := map[string]any{"schemas": []any{SearchRequestSchema}}
		for i := 0; i+1 < len(fields); i += 2 {
			m[fields[i].(string)] = fields[i+1]
		}
		return m
	}
	for _, tc := range []struct {
		name string
		path string
		body any
		want []string
	}{
		{"users by filter", "/Users/.search", sr("filter", `userName eq "bob@example.com"`), []string{u[2]}},
		{"users paged", "/Users/.search", sr("startIndex", 2, "count", 2), u[1:3]},
		{"users sorted", "/Users/.search", sr("sortBy", "userName", "sortOrder", "descending", "count", 1), []string{u[4]}},
		{"groups", "/Groups/.search", sr("filter", `displayName eq "ALICE@example.com TEAM"`), []string{g}},
		{"root spans users and groups", "/.search", sr("filter", `externalId eq "ext-a" or displayName sw "alice"`), []string{u[1], g}},
		{"root with a user-only attribute", "/.search", sr("filter", `userName eq "erin@example.com"`), []string{u[4]}},
		{"root without filter", "/.search", sr("count", 100), append(slices.Clone(u), g)},
		{"no schemas tolerated", "/Users/.search", map[string]any{"filter": `id eq "` + u[0] + `"`}, []string{u[0]}},
	} {
		r := search(tc.path, tc.body)
		expectStatus(t, tc.name, r, http.StatusOK)
		if got := ids(resources(t, r)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	proj := search("/Users/.search", sr("filter", `userName eq "bob@example.com"`, "attributes", []any{"userName"}))
	if doc := at(resources(t, proj), 0).(map[string]any); doc["active"] != nil || doc["userName"] == nil {
		t.Errorf("search attributes not applied: %s", proj.body)
	}
	excl := search("/Users/.search", sr("excludedAttributes", []any{"emails"}, "count", 1))
	if at(resources(t, excl), 0, "emails") != nil {
		t.Errorf("search excludedAttributes not applied: %s", excl.body)
	}
	for _, tc := range []struct {
		name     string
		body     any
		scimType string
	}{
		{"wrong schema", map[string]any{"schemas": []any{"urn:nope"}}, "invalidSyntax"},
		{"bad filter", sr("filter", `userName eq`), "invalidFilter"},
		{"count not a number", sr("count", "ten"), "invalidValue"},
		{"fractional count", sr("count", 1.5), "invalidValue"},
		{"bad sortOrder", sr("sortOrder", "up"), "invalidValue"},
		{"malformed", `{"filter":`, "invalidSyntax"},
	} {
		expectStatus(t, tc.name, search("/Users/.search", tc.body), http.StatusBadRequest, tc.scimType)
	}
	expectStatus(t, "root filter valid for no type", search("/.search", sr("filter", `nosuch eq "x"`)), http.StatusBadRequest, "invalidFilter")
}

func TestIndexedLookupsDoNotScan(t *testing.T) {
	t.Parallel()
	st := newStore(time.Now)
	for i := range 3 {
		for _, k := range []resourceKind{kindUser, kindGroup} {
			doc := map[string]any{k.nameAttr(): fmt.Sprintf("Name%d", i), "externalId": fmt.Sprintf("e%d", i)}
			if _, _, err := st.create(k, doc); err != nil {
				t.Fatal(err)
			}
		}
	}
	someID := st.users.order[1].id
	for _, tc := range []struct {
		kind    resourceKind
		filter  string
		indexed bool
		n       int
	}{
		{kindUser, `userName eq "NAME1"`, true, 1},
		{kindUser, `externalId eq "e2"`, true, 1},
		{kindUser, `id eq "` + someID + `"`, true, 1},
		{kindUser, `active eq true and userName eq "name0"`, true, 1},
		{kindUser, `userName eq "nobody"`, true, 0},
		{kindUser, `urn:ietf:params:scim:schemas:core:2.0:User:userName eq "name0"`, true, 1},
		{kindGroup, `displayName eq "name2"`, true, 1},
		{kindGroup, `externalId eq "e0" and displayName co "x"`, true, 1},
		{kindUser, `userName eq "name0" or userName eq "name1"`, false, 0},
		{kindUser, `userName co "name"`, false, 0},
		{kindUser, `displayName eq "name0"`, false, 0},
		{kindUser, `emails[type eq "work"].value eq "x"`, false, 0},
		{kindUser, `userName eq "ñame"`, false, 0},
	} {
		e, err := filter.Parse(tc.filter)
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		recs, indexed := st.candidatesLocked(tc.kind, e)
		if indexed != tc.indexed || len(recs) != tc.n {
			t.Errorf("%s: indexed=%v with %d candidates, want %v with %d", tc.filter, indexed, len(recs), tc.indexed, tc.n)
		}
	}
}

// TestIndexesFollowChanges checks that renames and externalId changes by
// PUT, PATCH and DELETE move the index entries the lookups use.
func TestIndexesFollowChanges(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	a := c.createUser("first@example.com", "externalId", "x1")
	b := c.createUser("second@example.com", "externalId", "x1")
	find := func(f string) []string { return ids(resources(t, c.get("/Users?filter="+q(f)))) }
	steps := []struct {
		name   string
		change req
		checks map[string][]string // filter -> ids
	}{
		{"PATCH renames and moves externalId", req{method: "PATCH", path: "/Users/" + a, body: patchBody(
			map[string]any{"op": "replace", "path": "userName", "value": "Renamed@example.com"},
			map[string]any{"op": "replace", "path": "externalId", "value": "x2"})},
			map[string][]string{`userName eq "first@example.com"`: nil, `userName eq "renamed@example.com"`: {a},
				`externalId eq "x1"`: {b}, `externalId eq "x2"`: {a}}},
		{"PUT drops externalId", req{method: "PUT", path: "/Users/" + b, body: map[string]any{"schemas": []any{userURN}, "userName": "second@example.com"}},
			map[string][]string{`externalId eq "x1"`: nil, `userName eq "SECOND@example.com"`: {b}}},
		{"old name is free again", req{method: "POST", path: "/Users", body: map[string]any{"schemas": []any{userURN}, "userName": "first@example.com", "externalId": "x2"}},
			map[string][]string{`externalId eq "x2" and userName eq "renamed@example.com"`: {a}}},
		{"DELETE unindexes", req{method: "DELETE", path: "/Users/" + a},
			map[string][]string{`userName eq "renamed@example.com"`: nil, `id eq "` + a + `"`: nil}},
	}
	for _, s := range steps {
		if r := c.do(s.change); r.status >= 300 {
			t.Fatalf("%s: %d %s", s.name, r.status, r.body)
		}
		for f, want := range s.checks {
			if got := find(f); !slices.Equal(got, want) {
				t.Errorf("%s: %s found %v, want %v", s.name, f, got, want)
			}
		}
	}
	if got := find(`externalId eq "x2"`); len(got) != 1 || got[0] == a {
		t.Errorf("externalId x2 after the delete: %v", got)
	}
}
