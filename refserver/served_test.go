package refserver

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

// generalServed is the served form built the general way: decode, project,
// encode.
func generalServed(t *testing.T, s *store, r *record, base string) []byte {
	t.Helper()
	s.mu.RLock()
	doc := s.docLocked(r, base)
	s.mu.RUnlock()
	out, err := schema.Project(r.kind.resourceType(), doc, nil, nil)
	if err != nil {
		t.Fatalf("project %s: %v", r.id, err)
	}
	b, err := appendJSON(nil, out)
	if err != nil {
		t.Fatalf("encode %s: %v", r.id, err)
	}
	return b
}

// TestSplicedMatchesGeneral checks that the spliced served form is byte for
// byte what decoding, projecting and encoding the resource gives, for
// resources of every shape: minimal and full users, the enterprise
// extension, passwords, escapes, users in direct and nested groups, groups
// with user and group members, and resources changed by PATCH.
func TestSplicedMatchesGeneral(t *testing.T) {
	t.Parallel()
	srv, c := newServer(t, Options{})
	full := map[string]any{
		"schemas": []any{
			"urn:ietf:params:scim:schemas:core:2.0:User",
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
		},
		"userName":          "full.user@example.com",
		"externalId":        "ext \"quoted\" \u2028 é",
		"name":              map[string]any{"givenName": "Zoë", "familyName": "O'Brien\n", "formatted": "<b>&</b>"},
		"displayName":       "Full User",
		"nickName":          "full",
		"profileUrl":        "https://example.com/u/1",
		"title":             "Engineer",
		"userType":          "Employee",
		"preferredLanguage": "en-US",
		"locale":            "en-US",
		"timezone":          "Europe/Paris",
		"active":            "True",
		"password":          "s3cret",
		"emails":            []any{map[string]any{"value": "a@example.com", "type": "work", "primary": true}, map[string]any{"value": "b@example.com"}},
		"phoneNumbers":      []any{map[string]any{"value": "+1 555", "type": "mobile"}},
		"addresses":         []any{map[string]any{"streetAddress": "1 Main St", "locality": "X", "postalCode": "1", "country": "US", "type": "work"}},
		"roles":             []any{map[string]any{"value": "admin"}},
		"x509Certificates":  []any{map[string]any{"value": "TUlJQg=="}},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{
			"employeeNumber": "42", "department": "R&D", "costCenter": "1.5e3",
			"manager": map[string]any{"value": "boss-id"},
		},
	}
	users := []string{
		c.createUser("minimal"),
		c.createUser("with-ext-id", "externalId", "e1"),
		c.create("/Users", full),
		c.create("/Users", map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:User"},
			"userName": "only-password", "password": "p"}),
	}
	for i := range 5 {
		users = append(users, c.create("/Users", map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:User"},
			"userName": fmt.Sprintf("entra%d@contoso.example", i), "active": i%2 == 0, "externalId": fmt.Sprint(i),
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"department": "D"}}))
	}
	inner := c.createGroup("inner", users[0], users[2])
	outer := c.createGroup("outer", inner, users[1])
	empty := c.createGroup("empty")
	r := c.do(req{method: "PATCH", path: "/Users/" + users[2], body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],` +
		`"Operations":[{"op":"Replace","path":"active","value":"False"},{"op":"add","path":"nickName","value":"x\\u0001y"}]}`})
	expectStatus(t, "PATCH", r, http.StatusOK)

	base := "http://127.0.0.1:1/scim"
	type item struct {
		k  resourceKind
		id string
	}
	var items []item
	for _, id := range users {
		items = append(items, item{kindUser, id})
	}
	for _, id := range []string{inner, outer, empty} {
		items = append(items, item{kindGroup, id})
	}
	for _, it := range items {
		rec := srv.store.table(it.k).byID[it.id]
		if rec == nil {
			t.Fatalf("%s not stored", it.id)
		}
		want := generalServed(t, srv.store, rec, base)
		srv.store.mu.RLock()
		got, ok := srv.store.appendServedLocked([]byte("prefix"), rec, base)
		srv.store.mu.RUnlock()
		if !ok {
			t.Errorf("%s %s: splice refused", it.k.endpoint(), it.id)
			continue
		}
		if !bytes.HasPrefix(got, []byte("prefix")) || !bytes.Equal(got[len("prefix"):], want) {
			t.Errorf("%s %s:\nspliced %s\ngeneral %s", it.k.endpoint(), it.id, got, want)
		}
	}
}

// TestSplicedRefusesForeignBodies checks that a stored body the splice does
// not understand is left to the general path, unchanged.
func TestSplicedRefusesForeignBodies(t *testing.T) {
	t.Parallel()
	s := newStore(nil)
	for _, body := range []string{
		`{"unknownAttr":1}`,
		`{"nick\u0041Name":"x"}`,
		`{"nickName":}`,
		`{"nickName":"x"`,
		`{"nickName":"x"}trailing`,
		`["nickName"]`,
		`{"nickName" "x"}`,
		`{"nickName":"unterminated}`,
	} {
		r := &record{kind: kindUser, id: "i", name: "n", body: []byte(body), version: 1}
		got, ok := s.appendServedLocked([]byte("keep"), r, "http://h")
		if ok || string(got) != "keep" {
			t.Errorf("body %s: ok=%v, got %q; want refusal with the buffer unchanged", body, ok, got)
		}
	}
}

func TestSkipValue(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		end  int
		want bool
	}{
		{`"a\"b",`, 6, true},
		{`{"a":[1,{"b":"]"}]},`, 19, true},
		{`true}`, 4, true},
		{`-1.5e3,`, 6, true},
		{`[1,2`, 4, false},
		{`"abc`, 4, false},
		{`}`, 0, false},
	} {
		end, ok := skipValue([]byte(tc.in), 0)
		if ok != tc.want || (ok && end != tc.end) {
			t.Errorf("skipValue(%q) = %d, %v; want %d, %v", tc.in, end, ok, tc.end, tc.want)
		}
	}
}

// TestSplicedAnswersMatchGeneral sends the same requests with and without
// splicing and expects identical statuses, bodies and entity tags.
func TestSplicedAnswersMatchGeneral(t *testing.T) {
	t.Parallel()
	srv, c := newServer(t, Options{})
	var users []string
	for i := range 4 {
		users = append(users, c.createUser(fmt.Sprintf("User%d@Example.com", i), "externalId", fmt.Sprint("x", i%2),
			"password", "pw", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", map[string]any{"department": "D"}))
	}
	group := c.createGroup("Group One", users[0], users[1])
	for _, path := range []string{
		"/Users/" + users[0],
		"/Users/" + users[3],
		"/Groups/" + group,
		"/Users",
		"/Users?count=2&startIndex=2",
		"/Users?filter=" + q(`userName eq "user1@example.com"`),
		"/Users?filter=" + q(`userName eq "nobody"`),
		"/Users?filter=" + q(`externalId eq "x1"`),
		"/Users?filter=" + q(`id eq "`+users[2]+`"`),
		"/Users?filter=" + q(`userName eq "user1@example.com" and active eq true`),
		"/Users?filter=" + q(`userName sw "user"`) + "&sortBy=userName&sortOrder=descending",
		"/Users?filter=" + q(`userName eq "user1@example.com"`) + "&attributes=userName",
		"/Groups?filter=" + q(`displayName eq "group one"`),
		"/Users/" + users[1] + "?excludedAttributes=emails",
	} {
		srv.store.noSplice.Store(false)
		spliced := c.get(path)
		srv.store.noSplice.Store(true)
		general := c.get(path)
		if spliced.status != general.status || !bytes.Equal(spliced.body, general.body) ||
			spliced.header.Get("ETag") != general.header.Get("ETag") {
			t.Errorf("GET %s:\nspliced %d %s %s\ngeneral %d %s %s", path, spliced.status, spliced.header.Get("ETag"), spliced.body,
				general.status, general.header.Get("ETag"), general.body)
		}
	}
}

func TestAppendMillis(t *testing.T) {
	t.Parallel()
	for _, ms := range []int64{0, 1, 999, 1_700_000_000_123, 253_402_300_799_999, 253_402_300_800_000, -1, -62_135_596_800_001} {
		got := string(appendMillis(nil, ms))
		if want := `"` + formatMillis(ms) + `"`; got != want {
			t.Errorf("appendMillis(%d) = %s, want %s", ms, got, want)
		}
	}
}

func TestAppendLocation(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://127.0.0.1:8080", "http://h/scim/v2", `http://h"q`} {
		got := string(appendLocation([]byte("x"), base, kindGroup, "ID\u2028"))
		if want := "x" + string(appendString(nil, location(base, kindGroup, "ID\u2028"))); got != want {
			t.Errorf("appendLocation(%q) = %s, want %s", base, got, want)
		}
	}
}
