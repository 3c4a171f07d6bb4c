package rfc

import (
	"context"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

// userKind is the User resource type (RFC 7643 §4.1) for the shared CRUD specs.
var userKind = resourceKind{
	name:         "User",
	other:        "Group",
	noun:         "user",
	endpoint:     "/Users",
	schema:       schemas.User,
	body:         (*framework.F).UserBody,
	create:       (*framework.F).CreateUser,
	make:         (*framework.F).MakeUser,
	required:     "userName",
	requiredRule: "RFC 7643 §4.1.1",
	full: func(_ context.Context, f *framework.F) (map[string]any, []string) {
		return f.UserBody(map[string]any{"title": "Conformance Tester", "nickName": "tester"}), []string{"title", "nickName", "emails"}
	},
	wrongTypes: []wrongType{
		{"POST /Users with a number for the string userName", "userName", 42},
		{"POST /Users with a string for the complex name", "name", "Jane Doe"},
		{"POST /Users with an object for the boolean active", "active", map[string]any{"value": true}},
		{"POST /Users with a string for the multi-valued emails", "emails", "jane@example.com"},
	},
}

var _ = framework.Describe("Users", labels(framework.LabelUsers, framework.LabelRFC7643, framework.LabelRFC7644),
	func(f *framework.F) {
		createSpecs(f, userKind, func() {
			framework.It("returns the attributes that were sent", should,
				framework.Rule("RFC 7644 §3.3: the response body SHOULD contain the service provider's representation of the created resource"),
				func(ctx context.Context) {
					body := f.UserBody(map[string]any{"title": "Conformance Tester", "nickName": "tester"})
					_, x := f.MakeUser(ctx, body)
					gomega.Expect(x).To(framework.HaveJSONSubset(body))
				})
		})

		ginkgo.Context("GET /Users/{id} after a POST", func() {
			framework.It("returns the user as created", must,
				framework.Rule("RFC 7644 §3.4.1: a resource is retrieved by GET on its URI; RFC 7643 §2: what was stored is returned"),
				func(ctx context.Context) {
					body := f.UserBody(map[string]any{"title": "Conformance Tester", "nickName": "tester"})
					id, created := f.MakeUser(ctx, body)
					x := fetch(ctx, f, userPath(id))
					gomega.Expect(x).To(framework.BeSCIM(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/id", id))
					gomega.Expect(x).To(framework.HaveJSONSubset(body))
					gomega.Expect(x).To(framework.HaveJSON("/meta/created", str(decode(created), "/meta/created")))
				})
		})

		ginkgo.Context("POST /Users with attribute names in another case", func() {
			framework.It("recognises them", must, ginkgo.Label(framework.LabelSourceEntra),
				framework.Rule("RFC 7643 §2.1: attribute names are case-insensitive, in request bodies too"),
				func(ctx context.Context) {
					name := f.Name("case") + "@example.com"
					id, _ := f.MakeUser(ctx, map[string]any{
						"SCHEMAS":     []any{framework.UserSchema},
						"USERNAME":    name,
						"DisplayName": "Case Tester",
						"NAME":        map[string]any{"GivenName": "Case", "FAMILYNAME": "Tester"},
					})
					x := fetch(ctx, f, userPath(id))
					conforms(f, x, framework.BeSCIM(schemas.User), "a valid User")
					gomega.Expect(x).To(framework.HaveJSON("/userName", gomega.BeEquivalentTo(name)))
					gomega.Expect(x).To(framework.HaveJSON("/displayName", "Case Tester"))
					gomega.Expect(x).To(framework.HaveJSON("/name/givenName", "Case"))
					gomega.Expect(x).To(framework.HaveJSON("/name/familyName", "Tester"))
				})
		})

		putClearsSpecs(f, userKind)
		putReadOnlySpecs(f, userKind)
		putTimestampSpecs(f, userKind)
		deleteSpecs(f, userKind)
		unknownIDSpecs(f, userKind)

		ginkgo.Context("POST /Users with a userName already taken", func() {
			framework.It("returns 409 with scimType uniqueness", must, ginkgo.Label(framework.LabelSourceEntra),
				framework.Rule("RFC 7643 §4.1.1: userName is unique; RFC 7644 §3.3 and §3.12: a duplicate is answered 409 uniqueness"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					f.MakeUser(ctx, body)
					dup := f.UserBody(map[string]any{"userName": body["userName"]})
					x := send(ctx, f, "POST", "/Users", dup)
					trackIfCreated(f, "User", "/Users", x)
					gomega.Expect(x).To(beError(409, "uniqueness"))
				})

			framework.It("returns 409 with scimType uniqueness when the userName differs only in case", must,
				framework.Rule("RFC 7643 §4.1.1: userName is unique and caseExact false, so names differing only in case collide"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					f.MakeUser(ctx, body)
					dup := f.UserBody(map[string]any{"userName": strings.ToUpper(body["userName"].(string))})
					x := send(ctx, f, "POST", "/Users", dup)
					trackIfCreated(f, "User", "/Users", x)
					gomega.Expect(x).To(beError(409, "uniqueness"))
				})
		})

		invalidBodySpecs(f, userKind)
	})
