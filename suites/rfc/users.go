package rfc

import (
	"context"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

var _ = framework.Describe("Users", labels(framework.LabelUsers, framework.LabelRFC7643, framework.LabelRFC7644),
	func(f *framework.F) {
		ginkgo.Context("POST /Users with a valid user", func() {
			framework.It("returns 201 with the user, its id and meta", must,
				framework.Rule("RFC 7644 §3.3 and RFC 7643 §3.1: a created resource is answered with 201 and carries id and meta (resourceType, created, lastModified, location)"),
				func(ctx context.Context) {
					id, x := f.CreateUser(ctx, f.UserBody(nil))
					gomega.Expect(x).To(framework.BeSCIM(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/id", id))
					gomega.Expect(x).To(framework.HaveJSON("/meta/resourceType", "User"))
					gomega.Expect(x).To(framework.HaveJSON("/meta/created", gomega.Not(gomega.BeEmpty())))
					gomega.Expect(x).To(framework.HaveJSON("/meta/lastModified", gomega.Not(gomega.BeEmpty())))
					gomega.Expect(x).To(framework.HaveJSON("/meta/location", gomega.HaveSuffix("/Users/"+id)))
				})

			framework.It("returns a Location header equal to meta.location", must,
				framework.Rule("RFC 7644 §3.3: the URI of the created resource is in the Location header and in meta.location"),
				func(ctx context.Context) {
					_, x := f.CreateUser(ctx, f.UserBody(nil))
					loc := x.RespHeader.Get("Location")
					gomega.Expect(loc).NotTo(gomega.BeEmpty(), "no Location header:\n%s", framework.DescribeExchange(x))
					gomega.Expect(x).To(framework.HaveJSON("/meta/location", loc))
				})

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
			framework.It("recognises them", must,
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
					gomega.Expect(x).To(framework.BeSCIM(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/userName", gomega.BeEquivalentTo(name)))
					gomega.Expect(x).To(framework.HaveJSON("/displayName", "Case Tester"))
					gomega.Expect(x).To(framework.HaveJSON("/name/givenName", "Case"))
					gomega.Expect(x).To(framework.HaveJSON("/name/familyName", "Tester"))
				})
		})

		ginkgo.Context("PUT /Users/{id} without attributes the user had", func() {
			framework.It("clears the attributes left out", must,
				framework.Rule("RFC 7644 §3.5.1: PUT replaces all values of the resource; attributes not sent are cleared"),
				func(ctx context.Context) {
					body := f.UserBody(map[string]any{"title": "Conformance Tester", "nickName": "tester"})
					id, _ := f.MakeUser(ctx, body)
					replacement := without(body, "title", "nickName", "emails")
					replacement["displayName"] = "Replaced " + str(body, "/userName")
					x := send(ctx, f, "PUT", userPath(id), replacement)
					gomega.Expect(x).To(framework.HaveStatus(200))
					gomega.Expect(x).To(framework.BeSCIM(schemas.User))
					after := fetch(ctx, f, userPath(id))
					gomega.Expect(after).To(framework.HaveJSON("/displayName", replacement["displayName"]))
					gomega.Expect(after).To(framework.NotHaveJSON("/title"))
					gomega.Expect(after).To(framework.NotHaveJSON("/nickName"))
					gomega.Expect(after).To(framework.NotHaveJSON("/emails"))
				})
		})

		ginkgo.Context("PUT /Users/{id} with readOnly attributes in the body", func() {
			framework.It("ignores them", must,
				framework.Rule("RFC 7644 §3.5.1: values of readOnly attributes in a PUT body SHALL be ignored"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, created := f.MakeUser(ctx, body)
					replacement := map[string]any{}
					for k, v := range body {
						replacement[k] = v
					}
					replacement["meta"] = map[string]any{"resourceType": "Group", "created": "2001-01-01T00:00:00Z", "location": "https://example.com/elsewhere"}
					x := send(ctx, f, "PUT", userPath(id), replacement)
					gomega.Expect(x).To(framework.HaveStatus(200))
					after := decode(fetch(ctx, f, userPath(id)))
					gomega.Expect(parseTime(str(after, "/meta/created")).Year()).NotTo(gomega.Equal(2001), "meta.created was taken from the PUT body")
					gomega.Expect(str(after, "/meta/resourceType")).To(gomega.Equal("User"))
					gomega.Expect(str(after, "/meta/location")).To(gomega.Equal(str(decode(created), "/meta/location")))
				})
		})

		ginkgo.Context("PUT /Users/{id} with a different id in the body", func() {
			framework.It("keeps the id", must,
				framework.Rule("RFC 7643 §3.1: id is readOnly and assigned by the service provider; RFC 7644 §3.5.1: readOnly values are ignored (or the request refused)"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, _ := f.MakeUser(ctx, body)
					other := f.Name("other-id")
					replacement := without(body)
					replacement["id"] = other
					x := send(ctx, f, "PUT", userPath(id), replacement)
					trackIfMoved(ctx, f, userPath(other))
					gomega.Expect(x).To(framework.HaveStatus(200, 400))
					if x.Status == 200 {
						gomega.Expect(x).To(framework.HaveJSON("/id", id))
					}
					gomega.Expect(fetch(ctx, f, userPath(id))).To(framework.HaveJSON("/id", id))
					gomega.Expect(get(ctx, f, userPath(other), nil).Status).To(gomega.BeNumerically(">=", 400), "the user moved to the id sent in the body")
				})
		})

		ginkgo.Context("PUT /Users/{id} with a change", func() {
			framework.It("keeps meta.created and does not move meta.lastModified backwards", must,
				framework.Rule("RFC 7643 §3.1: meta.created is when the resource was added; meta.lastModified the most recent update"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, created := f.MakeUser(ctx, body)
					before := decode(created)
					// Let the clock move past created's precision, so that a server
					// recreating the resource on PUT shows a new meta.created.
					time.Sleep(5 * time.Millisecond)
					replacement := without(body)
					replacement["title"] = "Changed"
					x := send(ctx, f, "PUT", userPath(id), replacement)
					gomega.Expect(x).To(framework.HaveStatus(200))
					after := decode(fetch(ctx, f, userPath(id)))
					gomega.Expect(str(after, "/meta/created")).To(gomega.Equal(str(before, "/meta/created")))
					gomega.Expect(parseTime(str(after, "/meta/lastModified"))).NotTo(gomega.BeTemporally("<", parseTime(str(before, "/meta/lastModified"))))
				})
		})

		ginkgo.Context("DELETE /Users/{id}", func() {
			framework.It("returns 204 with no body", must,
				framework.Rule("RFC 7644 §3.6: a successful DELETE is answered with 204 No Content"),
				func(ctx context.Context) {
					id, _ := f.MakeUser(ctx, f.UserBody(nil))
					x := send(ctx, f, "DELETE", userPath(id), nil)
					gomega.Expect(x).To(framework.HaveStatus(204))
					gomega.Expect(strings.TrimSpace(string(x.RespBody))).To(gomega.BeEmpty(), "a 204 answer has a body")
				})

			framework.It("makes GET, PUT, PATCH and DELETE of the user return 404", must,
				framework.Rule("RFC 7644 §3.6: a deleted resource is no longer available; every operation on it answers 404"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, _ := f.MakeUser(ctx, body)
					// The DELETE status is the previous spec's rule; this one is about what follows.
					gomega.Expect(send(ctx, f, "DELETE", userPath(id), nil)).To(framework.HaveStatus(200, 204))
					gomega.Expect(get(ctx, f, userPath(id), nil)).To(beNotFound())
					gomega.Expect(send(ctx, f, "PUT", userPath(id), body)).To(beNotFound())
					if f.Supports(framework.FeaturePatch) {
						gomega.Expect(patch(ctx, f, userPath(id), op("replace", "title", "x"))).To(beNotFound())
					}
					gomega.Expect(send(ctx, f, "DELETE", userPath(id), nil)).To(beNotFound())
				})
		})

		ginkgo.Context("GET /Users/{id} for an id that never existed", func() {
			framework.It("returns 404", must,
				framework.Rule("RFC 7644 §3.12: a resource that does not exist is answered with 404"),
				func(ctx context.Context) {
					gomega.Expect(get(ctx, f, userPath(f.Name("no-such-user")), nil)).To(beNotFound())
				})
		})

		ginkgo.Context("POST /Users with a userName already taken", func() {
			framework.It("returns 409 with scimType uniqueness", must,
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

		ginkgo.Context("POST /Users without userName", func() {
			framework.It("returns 400", must,
				framework.Rule("RFC 7643 §4.1.1: userName is REQUIRED; RFC 7644 §3.12: a missing required value is 400 invalidValue"),
				func(ctx context.Context) {
					x := send(ctx, f, "POST", "/Users", f.UserBody(map[string]any{"userName": nil}))
					trackIfCreated(f, "User", "/Users", x)
					gomega.Expect(x).To(framework.HaveStatus(400))
					f.Should("scimType is invalidValue (RFC 7644 §3.12)", func() {
						gomega.Expect(x).To(&scimTypeMatcher{want: []string{"invalidValue"}})
					})
				})
		})

		wrongTypes := []struct {
			context, attr string
			value         any
		}{
			{"POST /Users with a number for the string userName", "userName", 42},
			{"POST /Users with a string for the complex name", "name", "Jane Doe"},
			{"POST /Users with an object for the boolean active", "active", map[string]any{"value": true}},
			{"POST /Users with a string for the multi-valued emails", "emails", "jane@example.com"},
		}
		for _, tc := range wrongTypes {
			ginkgo.Context(tc.context, func() {
				framework.It("returns 400 with scimType invalidValue or invalidSyntax", must,
					framework.Rule("RFC 7643 §2.3: every attribute has one data type; RFC 7644 §3.12: a value of the wrong type is 400 invalidValue (or invalidSyntax)"),
					func(ctx context.Context) {
						x := send(ctx, f, "POST", "/Users", f.UserBody(map[string]any{tc.attr: tc.value}))
						trackIfCreated(f, "User", "/Users", x)
						gomega.Expect(x).To(beError(400, "invalidValue", "invalidSyntax"))
					})
			})
		}
	})

// parseTime reads an RFC 3339 dateTime (RFC 7643 §2.3.5), failing the spec
// when it is not one.
func parseTime(s string) time.Time {
	ginkgo.GinkgoHelper()
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		ginkgo.Fail("not an xsd:dateTime (RFC 7643 §2.3.5): " + err.Error())
	}
	return t
}
