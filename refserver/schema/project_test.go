package schema

import (
	"reflect"
	"strings"
	"testing"
)

// storedUser is a canonical User as the store holds it (with id, meta, the
// derived groups and the write-only password).
const storedUser = `{
	"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
	"id": "u1",
	"externalId": "e1",
	"userName": "bjensen",
	"name": {"givenName": "Barbara", "familyName": "Jensen"},
	"active": true,
	"password": "t1meMa$heen",
	"emails": [{"value": "b@x", "type": "work", "primary": true}, {"value": "b@y", "type": "home"}],
	"groups": [{"value": "g1", "display": "Tour Guides"}],
	"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours", "manager": {"value": "m1", "displayName": "Boss"}},
	"meta": {"resourceType": "User", "created": "2010-01-23T04:56:22.000Z", "lastModified": "2011-05-13T04:42:34.000Z",
		"location": "https://example.com/v2/Users/u1", "version": "W/\"3\""}
}`

// Pieces of storedUser for building expected documents.
const (
	pSchemas = `"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"], "id": "u1"`
	pRest    = `"externalId": "e1", "userName": "bjensen", "name": {"givenName": "Barbara", "familyName": "Jensen"}, "active": true,
		"groups": [{"value": "g1", "display": "Tour Guides"}]`
	pEmails = `"emails": [{"value": "b@x", "type": "work", "primary": true}, {"value": "b@y", "type": "home"}]`
	pExt    = `"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Tours", "manager": {"value": "m1", "displayName": "Boss"}}`
	pMeta   = `"meta": {"resourceType": "User", "created": "2010-01-23T04:56:22.000Z", "lastModified": "2011-05-13T04:42:34.000Z",
		"location": "https://example.com/v2/Users/u1", "version": "W/\"3\""}`
)

func obj(parts ...string) string { return "{" + strings.Join(parts, ",") + "}" }

func list(names string) []string {
	if names == "" {
		return nil
	}
	return strings.Split(names, ",")
}

func TestProjectUser(t *testing.T) {
	t.Parallel()
	ext := EnterpriseUserURN
	cases := []struct {
		name                 string
		attributes, excluded string // comma-separated, as in the query
		want                 string
	}{
		// returned characteristics alone
		{name: "defaults: everything but the password", want: obj(pSchemas, pRest, pEmails, pExt, pMeta)},

		// attributes=
		{name: "one attribute", attributes: "userName", want: obj(pSchemas, `"userName": "bjensen"`)},
		{name: "name in other case", attributes: "USERNAME", want: obj(pSchemas, `"userName": "bjensen"`)},
		{name: "surrounding spaces", attributes: " userName , active", want: obj(pSchemas, `"userName": "bjensen", "active": true`)},
		{name: "sub-attribute", attributes: "name.givenName", want: obj(pSchemas, `"name": {"givenName": "Barbara"}`)},
		{name: "sub-attribute in other case", attributes: "NAME.GIVENNAME", want: obj(pSchemas, `"name": {"givenName": "Barbara"}`)},
		{name: "sub-attribute of every value", attributes: "emails.value", want: obj(pSchemas, `"emails": [{"value": "b@x"}, {"value": "b@y"}]`)},
		{name: "sub-attribute missing from some values", attributes: "emails.primary", want: obj(pSchemas, `"emails": [{"primary": true}]`)},
		{name: "whole and part", attributes: "name.givenName,name", want: obj(pSchemas, `"name": {"givenName": "Barbara", "familyName": "Jensen"}`)},
		{name: "part after whole", attributes: "name,name.givenName", want: obj(pSchemas, `"name": {"givenName": "Barbara", "familyName": "Jensen"}`)},
		{name: "core URN-qualified", attributes: "urn:ietf:params:scim:schemas:core:2.0:User:userName", want: obj(pSchemas, `"userName": "bjensen"`)},
		{name: "core URN-qualified sub-attribute", attributes: "urn:ietf:params:scim:schemas:core:2.0:user:name.familyName",
			want: obj(pSchemas, `"name": {"familyName": "Jensen"}`)},
		{name: "extension attribute", attributes: ext + ":manager", want: obj(pSchemas, `"`+ext+`": {"manager": {"value": "m1", "displayName": "Boss"}}`)},
		{name: "extension sub-attribute", attributes: ext + ":manager.value", want: obj(pSchemas, `"`+ext+`": {"manager": {"value": "m1"}}`)},
		{name: "extension attribute in other case", attributes: strings.ToUpper(ext) + ":DEPARTMENT", want: obj(pSchemas, `"`+ext+`": {"department": "Tours"}`)},
		{name: "whole extension", attributes: ext, want: obj(pSchemas, pExt)},
		{name: "whole extension in other case", attributes: strings.ToLower(ext), want: obj(pSchemas, pExt)},
		{name: "extension attribute without its URN", attributes: "department", want: obj(pSchemas, `"`+ext+`": {"department": "Tours"}`)},
		{name: "password is never returned", attributes: "password,userName", want: obj(pSchemas, `"userName": "bjensen"`)},
		{name: "id alone", attributes: "id", want: obj(pSchemas)},
		{name: "meta", attributes: "meta", want: obj(pSchemas, pMeta)},
		{name: "meta sub-attribute", attributes: "meta.created,meta.Version", want: obj(pSchemas, `"meta": {"created": "2010-01-23T04:56:22.000Z", "version": "W/\"3\""}`)},
		{name: "derived groups", attributes: "groups.display", want: obj(pSchemas, `"groups": [{"display": "Tour Guides"}]`)},
		{name: "unknown names ignored", attributes: "favouriteColour,userName,name.nickname,emails.value.x", want: obj(pSchemas, `"userName": "bjensen"`)},
		{name: "only unknown names", attributes: "favouriteColour", want: obj(pSchemas)},
		{name: "extension attribute under the core URN is unknown", attributes: "urn:ietf:params:scim:schemas:core:2.0:User:department", want: obj(pSchemas)},
		{name: "core URN alone names nothing", attributes: "urn:ietf:params:scim:schemas:core:2.0:User", want: obj(pSchemas)},
		{name: "attribute absent from the document", attributes: "title", want: obj(pSchemas)},

		// excludedAttributes=
		{name: "exclude one", excluded: "emails", want: obj(pSchemas, pRest, pExt, pMeta)},
		{name: "exclude in other case", excluded: "EMAILS,Meta", want: obj(pSchemas, pRest, pExt)},
		{name: "exclude id has no effect", excluded: "id", want: obj(pSchemas, pRest, pEmails, pExt, pMeta)},
		{name: "exclude unknown has no effect", excluded: "nope,name.nope", want: obj(pSchemas, pRest, pEmails, pExt, pMeta)},
		{name: "exclude meta sub-attributes", excluded: "meta.created,meta.lastModified,meta.location,meta.version",
			want: obj(pSchemas, pRest, pEmails, pExt, `"meta": {"resourceType": "User"}`)},
		{name: "exclude sub-attribute of every value", excluded: "emails.type,emails.primary",
			want: obj(pSchemas, pRest, `"emails": [{"value": "b@x"}, {"value": "b@y"}]`, pExt, pMeta)},
		{name: "object left empty is removed", excluded: "name.givenName,name.familyName,groups,externalId,userName,active,emails,meta,urn:ietf:params:scim:schemas:core:2.0:User:password",
			want: obj(pSchemas, pExt)},
		{name: "exclude whole extension", excluded: ext, want: obj(pSchemas, pRest, pEmails, pMeta)},
		{name: "exclude extension attribute", excluded: ext + ":department", want: obj(pSchemas, pRest, pEmails, `"`+ext+`": {"manager": {"value": "m1", "displayName": "Boss"}}`, pMeta)},
		{name: "extension left empty is removed; schemas stays", excluded: ext + ":department," + ext + ":manager", want: obj(pSchemas, pRest, pEmails, pMeta)},
		{name: "exclude extension sub-attribute", excluded: ext + ":manager.displayName", want: obj(pSchemas, pRest, pEmails, `"`+ext+`": {"department": "Tours", "manager": {"value": "m1"}}`, pMeta)},

		// both
		{name: "attributes then exclusions", attributes: "name,emails", excluded: "name.givenName,emails.type,emails.primary",
			want: obj(pSchemas, `"name": {"familyName": "Jensen"}`, `"emails": [{"value": "b@x"}, {"value": "b@y"}]`)},
		{name: "excluding what was asked for", attributes: "userName", excluded: "userName", want: obj(pSchemas)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc := decode(t, storedUser)
			got, err := Project(UserType, doc, list(tc.attributes), list(tc.excluded))
			if err != nil {
				t.Fatal(err)
			}
			if want := decode(t, tc.want); !reflect.DeepEqual(got, want) {
				t.Errorf("attributes=%q excludedAttributes=%q\n got %s\nwant %s", tc.attributes, tc.excluded, toJSON(got), toJSON(want))
			}
			if !reflect.DeepEqual(doc, decode(t, storedUser)) {
				t.Errorf("document changed to %s", toJSON(doc))
			}
		})
	}
}

func TestProjectGroup(t *testing.T) {
	t.Parallel()
	const stored = `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1", "externalId": "e", "displayName": "Tour Guides",
		"members": [{"value": "u1", "display": "Babs", "type": "User", "$ref": "https://x/Users/u1"}],
		"meta": {"resourceType": "Group", "created": "2010-01-23T04:56:22.000Z"}}`
	const head = `"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "g1"`
	cases := []struct {
		name, attributes, excluded, want string
	}{
		// Microsoft Entra ID reads groups with excludedAttributes=members.
		{name: "excludedAttributes=members", excluded: "members",
			want: obj(head, `"externalId": "e", "displayName": "Tour Guides", "meta": {"resourceType": "Group", "created": "2010-01-23T04:56:22.000Z"}`)},
		{name: "members only", attributes: "members.value", want: obj(head, `"members": [{"value": "u1"}]`)},
		{name: "displayName only", attributes: "displayName", want: obj(head, `"displayName": "Tour Guides"`)},
		{name: "enterprise extension is unknown for groups", attributes: EnterpriseUserURN + ":department,displayName", want: obj(head, `"displayName": "Tour Guides"`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Project(GroupType, decode(t, stored), list(tc.attributes), list(tc.excluded))
			if err != nil {
				t.Fatal(err)
			}
			if want := decode(t, tc.want); !reflect.DeepEqual(got, want) {
				t.Errorf("\n got %s\nwant %s", toJSON(got), toJSON(want))
			}
		})
	}
}

// TestProjectReturned covers returned=always/never/request at every level
// with a schema made for the test (the built-in ones use only some of them).
func TestProjectReturned(t *testing.T) {
	t.Parallel()
	returned := func(r Returned) func(*Attribute) { return func(a *Attribute) { a.Returned = r } }
	ext := &Schema{ID: "urn:example:ext", Attributes: []*Attribute{
		attr("badge", String, returnedAlways),
		attr("pin", String, returned(Never)),
		attr("notes", String, returned(OnRequest)),
		attr("floor", String),
	}}
	rt := &ResourceType{ID: "Thing", Schema: &Schema{ID: "urn:example:Thing", Attributes: []*Attribute{
		attr("label", String),
		attr("serial", String, returnedAlways),
		attr("secret", String, returned(Never)),
		attr("audit", String, returned(OnRequest)),
		attr("keys", Complex, multi, subs(
			attr("value", String),
			attr("kid", String, returnedAlways),
			attr("private", String, returned(Never)),
			attr("history", String, returned(OnRequest)),
		)),
	}}, Extensions: []Extension{{Schema: ext}}}
	const stored = `{"schemas": ["urn:example:Thing", "urn:example:ext"], "id": "t1", "label": "L", "serial": "S", "secret": "X", "audit": "A",
		"keys": [{"value": "v", "kid": "k", "private": "p", "history": "h"}],
		"urn:example:ext": {"badge": "B", "pin": "1234", "notes": "N", "floor": "F"},
		"meta": {"resourceType": "Thing"}, "stray": "not in the schema"}`
	const head = `"schemas": ["urn:example:Thing", "urn:example:ext"], "id": "t1", "serial": "S"`
	cases := []struct {
		name, attributes, excluded, want string
	}{
		{name: "defaults", want: obj(head, `"label": "L", "keys": [{"value": "v", "kid": "k"}], "urn:example:ext": {"badge": "B", "floor": "F"}, "meta": {"resourceType": "Thing"}`)},
		{name: "request-only when named", attributes: "audit,keys.history,urn:example:ext:notes",
			want: obj(head, `"audit": "A", "keys": [{"kid": "k", "history": "h"}], "urn:example:ext": {"badge": "B", "notes": "N"}`)},
		{name: "request-only sub-attribute with its parent named", attributes: "keys",
			want: obj(head, `"keys": [{"value": "v", "kid": "k", "history": "h"}]`)},
		{name: "never, even when named", attributes: "secret,keys.private,urn:example:ext:pin", want: obj(head, `"keys": [{"kid": "k"}], "urn:example:ext": {"badge": "B"}`)},
		{name: "always, even when excluded", excluded: "serial,keys.kid,urn:example:ext:badge,id",
			want: obj(head, `"label": "L", "keys": [{"value": "v", "kid": "k"}], "urn:example:ext": {"badge": "B", "floor": "F"}, "meta": {"resourceType": "Thing"}`)},
		{name: "always inside an excluded parent goes with it", excluded: "keys,urn:example:ext",
			want: obj(head, `"label": "L", "meta": {"resourceType": "Thing"}`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Project(rt, decode(t, stored), list(tc.attributes), list(tc.excluded))
			if err != nil {
				t.Fatal(err)
			}
			if want := decode(t, tc.want); !reflect.DeepEqual(got, want) {
				t.Errorf("attributes=%q excludedAttributes=%q\n got %s\nwant %s", tc.attributes, tc.excluded, toJSON(got), toJSON(want))
			}
		})
	}
}

// TestProjectSharesNoContainers: changing the result, at any depth, must not
// change the stored document.
func TestProjectSharesNoContainers(t *testing.T) {
	t.Parallel()
	for _, attrs := range [][]string{nil, {"name", "emails", "schemas", EnterpriseUserURN, "meta"}} {
		doc := decode(t, storedUser)
		got, err := Project(UserType, doc, attrs, nil)
		if err != nil {
			t.Fatal(err)
		}
		got["schemas"].([]any)[0] = "x"
		got["name"].(map[string]any)["givenName"] = "x"
		got["emails"].([]any)[0].(map[string]any)["value"] = "x"
		got["emails"].([]any)[1] = "x"
		got[EnterpriseUserURN].(map[string]any)["manager"].(map[string]any)["value"] = "x"
		got["meta"].(map[string]any)["location"] = "x"
		if !reflect.DeepEqual(doc, decode(t, storedUser)) {
			t.Errorf("attributes=%q: document changed to %s", attrs, toJSON(doc))
		}
	}
}

func TestProjectNilResourceType(t *testing.T) {
	t.Parallel()
	if _, err := Project(nil, map[string]any{}, nil, nil); err == nil {
		t.Error("Project(nil rt) succeeded, want an error")
	}
}

func BenchmarkProject(b *testing.B) {
	doc := decode(b, storedUser)
	for _, bc := range []struct {
		name                 string
		attributes, excluded []string
	}{
		{name: "defaults"},
		{name: "attributes", attributes: []string{"userName", "emails.value", EnterpriseUserURN + ":manager"}},
		{name: "excluded", excluded: []string{"members", "meta.version"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Project(UserType, doc, bc.attributes, bc.excluded); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzProject feeds arbitrary attributes / excludedAttributes lists to
// Project: it must never panic, never change the document, always keep id
// and schemas, and never show the password.
func FuzzProject(f *testing.F) {
	f.Add("userName,emails.value", "")
	f.Add("", "meta.created,"+EnterpriseUserURN)
	f.Add(EnterpriseUserURN+":manager.value", "name")
	f.Add("urn:ietf:params:scim:schemas:core:2.0:User:password,,.", "id,schemas")
	f.Fuzz(func(t *testing.T, attributes, excluded string) {
		doc := decode(t, storedUser)
		got, err := Project(UserType, doc, list(attributes), list(excluded))
		if err != nil {
			t.Fatalf("Project: %v", err)
		}
		if got["id"] != "u1" || got["schemas"] == nil {
			t.Fatalf("id or schemas missing: %s", toJSON(got))
		}
		if _, ok := got["password"]; ok {
			t.Fatalf("password shown: %s", toJSON(got))
		}
		if !reflect.DeepEqual(doc, decode(t, storedUser)) {
			t.Fatalf("document changed to %s", toJSON(doc))
		}
	})
}
