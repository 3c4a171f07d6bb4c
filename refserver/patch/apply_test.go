package patch

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

// expand replaces the URN shorthands used in the test documents.
var expand = strings.NewReplacer(
	"$U", schema.UserURN,
	"$E", schema.EnterpriseUserURN,
	"$G", schema.GroupURN,
	"$P", PatchOpURN,
).Replace

// applyCase is one PATCH: a starting document, a PatchOp body (or just its
// Operations array) and either the expected document or the expected error.
type applyCase struct {
	name     string
	rt       *schema.ResourceType // nil means User
	doc      string
	body     string
	want     string // expected document when err is ""
	err      string // expected scimType
	errMatch string // text the error detail must contain
}

func (c applyCase) run(t *testing.T) {
	t.Helper()
	rt := c.rt
	if rt == nil {
		rt = schema.UserType
	}
	doc := decodeDoc(t, c.doc)
	body := c.body
	if strings.HasPrefix(strings.TrimSpace(body), "[") {
		body = `{"schemas":["$P"],"Operations":` + body + `}`
	}
	ops, err := ParseRequest([]byte(expand(body)))
	if err != nil {
		t.Fatalf("ParseRequest: %v", err)
	}
	err = Apply(rt, doc, ops)
	if c.err != "" {
		if err == nil {
			t.Fatalf("Apply succeeded with %s, want a %s error", encode(doc), c.err)
		}
		assertSCIMError(t, err, c.err, c.errMatch)
		return
	}
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if want := decodeDoc(t, c.want); !reflect.DeepEqual(doc, want) {
		t.Fatalf("document after PATCH\n got %s\nwant %s", encode(doc), encode(want))
	}
}

func decodeDoc(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(expand(s)), &m); err != nil {
		t.Fatalf("bad test document %s: %v", s, err)
	}
	return m
}

func encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func runCases(t *testing.T, cases []applyCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t)
		})
	}
}

const (
	member1 = "2819c223-7f76-453a-919d-413861904646"
	member2 = "902c246b-6245-4190-8e05-00816be7344a"
	groupAB = `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","members":[{"value":"a"},{"value":"b"}]}`
	group0  = `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides"}`
	user0   = `{"schemas":["$U"],"id":"u1","userName":"bjensen"}`
)

// TestApplyRFC7644 covers the examples of RFC 7644 §3.5.2.
func TestApplyRFC7644(t *testing.T) {
	t.Parallel()
	runCases(t, []applyCase{
		{
			name: "3.5.2.1 add a member (readOnly display ignored)",
			rt:   schema.GroupType,
			doc:  group0,
			body: `[{"op":"add","path":"members","value":[{"display":"Babs Jensen","$ref":"https://example.com/v2/Users/` + member1 + `","value":"` + member1 + `"}]}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","members":[{"$ref":"https://example.com/v2/Users/` + member1 + `","value":"` + member1 + `"}]}`,
		},
		{
			name: "3.5.2.1 add without path merges attributes",
			doc:  `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"bjensen@example.com","type":"work"}]}`,
			body: `[{"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"}],"nickname":"Babs"}}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","nickName":"Babs","emails":[{"value":"bjensen@example.com","type":"work"},{"value":"babs@jensen.org","type":"home"}]}`,
		},
		{
			name: "3.5.2.1 adding an existing member changes nothing",
			rt:   schema.GroupType,
			doc:  groupAB,
			body: `[{"op":"add","path":"members","value":[{"value":"b"},{"value":"c"},{"value":"c"}]}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","members":[{"value":"a"},{"value":"b"},{"value":"c"}]}`,
		},
		{
			name: "3.5.2.1 add to a complex attribute merges sub-attributes",
			doc:  `{"schemas":["$U"],"userName":"bjensen","name":{"givenName":"Barbara","familyName":"Jensen"}}`,
			body: `[{"op":"add","path":"name","value":{"middleName":"Jane","familyName":"Jensen-Smith"}}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","name":{"givenName":"Barbara","middleName":"Jane","familyName":"Jensen-Smith"}}`,
		},
		{
			name: "3.5.2 a new primary value demotes the old one",
			doc:  `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"a@example.com","type":"work","primary":true}]}`,
			body: `[{"op":"add","path":"emails","value":[{"value":"b@example.com","type":"home","primary":true}]}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"a@example.com","type":"work","primary":false},{"value":"b@example.com","type":"home","primary":true}]}`,
		},
		{
			name: "3.5.2.2 remove all members",
			rt:   schema.GroupType,
			doc:  groupAB,
			body: `[{"op":"remove","path":"members"}]`,
			want: group0,
		},
		{
			name: "3.5.2.2 remove one member by value filter",
			rt:   schema.GroupType,
			doc:  `{"schemas":["$G"],"displayName":"Tour Guides","members":[{"value":"` + member1 + `"},{"value":"` + member2 + `"}]}`,
			body: `[{"op":"remove","path":"members[value eq \"` + member1 + `\"]"}]`,
			want: `{"schemas":["$G"],"displayName":"Tour Guides","members":[{"value":"` + member2 + `"}]}`,
		},
		{
			name: "3.5.2.2 remove by a complex filter",
			doc:  `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"bjensen@example.com","type":"work"},{"value":"babs@jensen.org","type":"home"}]}`,
			body: `[{"op":"remove","path":"emails[type eq \"work\" and value ew \"example.com\"]"}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"babs@jensen.org","type":"home"}]}`,
		},
		{
			name: "3.5.2.2 remove all members then add new ones",
			rt:   schema.GroupType,
			doc:  groupAB,
			body: `[{"op":"remove","path":"members"},{"op":"add","path":"members","value":[{"display":"Babs Jensen","$ref":"https://example.com/v2/Users/` + member1 + `","value":"` + member1 + `"},{"display":"James Smith","$ref":"https://example.com/v2/Users/` + member2 + `","value":"` + member2 + `"}]}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","members":[{"$ref":"https://example.com/v2/Users/` + member1 + `","value":"` + member1 + `"},{"$ref":"https://example.com/v2/Users/` + member2 + `","value":"` + member2 + `"}]}`,
		},
		{
			name: "3.5.2.2 remove a sub-attribute",
			doc:  `{"schemas":["$U"],"userName":"bjensen","name":{"givenName":"Barbara","middleName":"Jane"}}`,
			body: `[{"op":"remove","path":"name.middleName"}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","name":{"givenName":"Barbara"}}`,
		},
		{
			name: "3.5.2.2 removing the last sub-attribute removes the complex attribute",
			doc:  `{"schemas":["$U"],"userName":"bjensen","name":{"givenName":"Barbara"}}`,
			body: `[{"op":"remove","path":"name.givenName"}]`,
			want: `{"schemas":["$U"],"userName":"bjensen"}`,
		},
		{
			name: "3.5.2.2 remove a sub-attribute of filtered elements",
			doc:  `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"a@example.com","type":"work","display":"A"},{"value":"b@example.com","type":"home","display":"B"}]}`,
			body: `[{"op":"remove","path":"emails[type eq \"work\"].display"}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"a@example.com","type":"work"},{"value":"b@example.com","type":"home","display":"B"}]}`,
		},
		{
			name: "3.5.2.2 removing an absent attribute is a no-op",
			doc:  user0,
			body: `[{"op":"remove","path":"preferredLanguage"}]`,
			want: user0,
		},
		{
			name: "3.5.2.3 replace all members",
			rt:   schema.GroupType,
			doc:  groupAB,
			body: `[{"op":"replace","path":"members","value":[{"display":"Babs Jensen","value":"` + member1 + `"},{"display":"James Smith","value":"` + member2 + `"}]}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","members":[{"value":"` + member1 + `"},{"value":"` + member2 + `"}]}`,
		},
		{
			name: "3.5.2.3 replace the work address",
			doc:  `{"schemas":["$U"],"userName":"bjensen","addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"USA"},{"type":"home","locality":"Burbank"}]}`,
			body: `[{"op":"replace","path":"addresses[type eq \"work\"]","value":{"type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US","primary":true}}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","addresses":[{"type":"work","streetAddress":"911 Universal City Plaza","locality":"Hollywood","region":"CA","postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US","primary":true},{"type":"home","locality":"Burbank"}]}`,
		},
		{
			name: "3.5.2.3 replace the street address of the work address",
			doc:  `{"schemas":["$U"],"userName":"bjensen","addresses":[{"type":"work","streetAddress":"100 Universal City Plaza","locality":"Hollywood"}]}`,
			body: `[{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1010 Broadway Ave"}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","addresses":[{"type":"work","streetAddress":"1010 Broadway Ave","locality":"Hollywood"}]}`,
		},
		{
			name: "3.5.2.3 replace without path",
			doc:  `{"schemas":["$U"],"userName":"bjensen","nickName":"B","emails":[{"value":"old@example.com","type":"home"},{"value":"other@example.com","type":"other"}]}`,
			body: `[{"op":"replace","value":{"emails":[{"value":"bjensen@example.com","type":"work","primary":true}],"nickname":"Babs"}}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","nickName":"Babs","emails":[{"value":"bjensen@example.com","type":"work","primary":true}]}`,
		},
		{
			name: "3.5.2.3 replace of a complex attribute keeps sub-attributes not given",
			doc:  `{"schemas":["$U"],"userName":"bjensen","name":{"givenName":"Barbara","familyName":"Jensen"}}`,
			body: `[{"op":"replace","value":{"name":{"givenName":"Babs"}}}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","name":{"givenName":"Babs","familyName":"Jensen"}}`,
		},
		{
			name: "3.5.2.3 replace of an absent attribute adds it",
			doc:  user0,
			body: `[{"op":"replace","path":"title","value":"Tour Guide"}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"bjensen","title":"Tour Guide"}`,
		},
		{
			name: "3.5.2.3 replace through an extension URN object",
			doc:  user0,
			body: `[{"op":"replace","path":"$E","value":{"department":"Tour Operations","costCenter":"4130"}}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"bjensen","$E":{"department":"Tour Operations","costCenter":"4130"}}`,
		},
		{
			name: "remove of an extension URN removes its object and schema",
			doc:  `{"schemas":["$U","$E"],"userName":"bjensen","$E":{"department":"Tour Operations"}}`,
			body: `[{"op":"remove","path":"$E"}]`,
			want: `{"schemas":["$U"],"userName":"bjensen"}`,
		},
		{
			name: "path-less add with the RFC extension object form",
			doc:  user0,
			body: `[{"op":"add","value":{"schemas":["$U","$E"],"$E":{"employeeNumber":"701984","manager":{"value":"m1"}}}}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"bjensen","$E":{"employeeNumber":"701984","manager":{"value":"m1"}}}`,
		},
		{
			name: "path-less value members naming no attribute are ignored",
			doc:  user0,
			body: `[{"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:CustomAttribute":"x","unknownThing":1,"title":"Boss"}}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"bjensen","title":"Boss"}`,
		},
		{
			name: "adding an empty list changes nothing, replacing with one clears",
			doc:  `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"a@example.com"}],"ims":[{"value":"babs"}]}`,
			body: `[{"op":"add","path":"emails","value":[]},{"op":"replace","path":"ims","value":[]}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"a@example.com"}]}`,
		},
		{
			name: "duplicates are found regardless of case when value is not caseExact",
			doc:  `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"bjensen@example.com","type":"work"}]}`,
			body: `[{"op":"add","path":"emails","value":[{"value":"BJensen@Example.com","type":"work"}]}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"bjensen@example.com","type":"work"}]}`,
		},
		{
			name: "extension object form with a bare manager id",
			doc:  user0,
			body: `[{"op":"replace","value":{"$E":{"Manager":"m2","Department":"Ops"}}}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"bjensen","$E":{"manager":{"value":"m2"},"department":"Ops"}}`,
		},
		{
			name: "an element left empty by a sub-attribute removal is removed",
			doc:  `{"schemas":["$U"],"userName":"bjensen","emails":[{"type":"work"}]}`,
			body: `[{"op":"remove","path":"emails[type eq \"work\"].type"}]`,
			want: `{"schemas":["$U"],"userName":"bjensen"}`,
		},
		{
			name: "null members of a value are absent",
			doc:  `{"schemas":["$U"],"userName":"bjensen","title":"Boss"}`,
			body: `[{"op":"replace","value":{"title":null,"nickName":"B","emails":[null,{"value":"a@example.com","display":null}]}}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","title":"Boss","nickName":"B","emails":[{"value":"a@example.com"}]}`,
		},
		{
			name: "sub-attribute path on a multi-valued attribute sets every element",
			doc:  `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"a@example.com"},{"value":"b@example.com"}]}`,
			body: `[{"op":"replace","path":"emails.type","value":"other"}]`,
			want: `{"schemas":["$U"],"userName":"bjensen","emails":[{"value":"a@example.com","type":"other"},{"value":"b@example.com","type":"other"}]}`,
		},
	})
}
