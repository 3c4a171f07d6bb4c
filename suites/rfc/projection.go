package rfc

import (
	"bytes"
	"context"
	"net/url"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

// projectionUser creates a user with a title, a nickName, a full name and
// emails, and returns its id and userName.
func projectionUser(ctx context.Context, f *framework.F) (string, string) {
	ginkgo.GinkgoHelper()
	body := f.UserBody(map[string]any{"title": "Engineer", "nickName": "Proj"})
	id, _ := f.MakeUser(ctx, body)
	return id, body["userName"].(string)
}

// The list specs find their user with `userName sw "<its userName>"`: a
// prefix filter as every scoped list of the suite uses, not the eq lookup
// whose freshness the filter area checks.

// search sends POST /Users/.search with a SearchRequest holding the fields,
// and skips the spec when the target does not support search by POST.
func search(ctx context.Context, f *framework.F, fields map[string]any) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	return searchOrSkip(ctx, f, "/Users/.search", fields)
}

// oneUser asserts a 200 ListResponse holding exactly one resource and
// returns the exchange for further JSON checks on /Resources/0. Whether the
// answer is valid per the matcher (BeSCIMList, or BeSCIMPartialList for a
// projected query) is checked as a warning: the specs that own validity
// assert it themselves.
func oneUser(f *framework.F, x *scimclient.Exchange, valid types.GomegaMatcher) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	gomega.Expect(x).To(framework.HaveStatus(200))
	conforms(f, x, valid, "a valid ListResponse")
	gomega.Expect(x).To(framework.HaveJSON("/Resources", gomega.HaveLen(1)))
	return x
}

// validOneUser is oneUser for the specs that own the validity of the
// answer: an invalid one fails them.
func validOneUser(x *scimclient.Exchange, valid types.GomegaMatcher) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	gomega.Expect(x).To(framework.HaveStatus(200))
	gomega.Expect(x).To(valid)
	gomega.Expect(x).To(framework.HaveJSON("/Resources", gomega.HaveLen(1)))
	return x
}

var _ = framework.Describe("Attribute projection", labels(framework.LabelProjection, framework.LabelRFC7644, framework.LabelRFC7643),
	func(f *framework.F) {
		byID := func(ctx context.Context, id string, params ...string) *scimclient.Exchange {
			ginkgo.GinkgoHelper()
			q := url.Values{}
			for i := 0; i+1 < len(params); i += 2 {
				q.Set(params[i], params[i+1])
			}
			x := settledGet(ctx, f, userPath(id), q)
			gomega.Expect(x).To(framework.HaveStatus(200))
			conforms(f, x, framework.BeSCIMPartial(schemas.User), "a valid partial User")
			return x
		}

		ginkgo.Context("GET /Users/{id} with attributes=userName", func() {
			framework.It("returns userName and the always-returned id only", must,
				framework.Rule("RFC 7644 §3.9: attributes limits the response to the named attributes and those returned always (RFC 7643 §7); RFC 7643 §3: the partial representation still lists its schemas"),
				func(ctx context.Context) {
					id, _ := projectionUser(ctx, f)
					x := settledGet(ctx, f, userPath(id), url.Values{"attributes": {"userName"}})
					gomega.Expect(x).To(framework.HaveStatus(200))
					gomega.Expect(x).To(framework.BeSCIMPartial(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/id", gomega.Not(gomega.BeEmpty())))
					gomega.Expect(x).To(framework.HaveJSON("/userName", gomega.Not(gomega.BeEmpty())))
					for _, p := range []string{"/title", "/nickName", "/emails", "/name", "/displayName"} {
						gomega.Expect(x).To(framework.NotHaveJSON(p))
					}
				})
		})

		ginkgo.Context("GET /Users/{id} with attributes naming a sub-attribute", func() {
			framework.It("returns that sub-attribute and not its siblings", must,
				framework.Rule("RFC 7644 §3.9 and §3.10: attributes may name sub-attributes as attribute.subAttribute"),
				func(ctx context.Context) {
					id, _ := projectionUser(ctx, f)
					x := byID(ctx, id, "attributes", "name.givenName")
					gomega.Expect(x).To(framework.HaveJSON("/name/givenName", "Conformance"))
					gomega.Expect(x).To(framework.NotHaveJSON("/name/familyName"))
					gomega.Expect(x).To(framework.NotHaveJSON("/userName"))
				})
		})

		ginkgo.Context("GET /Users/{id} with attributes named in another case", func() {
			framework.It("matches the names case-insensitively", must,
				framework.Rule("RFC 7643 §2.1: attribute names are case-insensitive, in the attributes parameter too"),
				func(ctx context.Context) {
					id, _ := projectionUser(ctx, f)
					x := byID(ctx, id, "attributes", "USERNAME,NickName")
					gomega.Expect(x).To(framework.HaveJSON("/userName", gomega.Not(gomega.BeEmpty())))
					gomega.Expect(x).To(framework.HaveJSON("/nickName", "Proj"))
					gomega.Expect(x).To(framework.NotHaveJSON("/title"))
				})
		})

		ginkgo.Context("GET /Users/{id} with excludedAttributes=title,emails", func() {
			framework.It("returns the user without them", must,
				framework.Rule("RFC 7644 §3.9: excludedAttributes removes the named attributes from the default set"),
				func(ctx context.Context) {
					id, _ := projectionUser(ctx, f)
					x := byID(ctx, id, "excludedAttributes", "title,emails")
					gomega.Expect(x).To(framework.NotHaveJSON("/title"))
					gomega.Expect(x).To(framework.NotHaveJSON("/emails"))
					gomega.Expect(x).To(framework.HaveJSON("/nickName", "Proj"))
					gomega.Expect(x).To(framework.HaveJSON("/userName", gomega.Not(gomega.BeEmpty())))
				})
		})

		ginkgo.Context("GET /Users/{id} with excludedAttributes naming a sub-attribute", func() {
			framework.It("returns the user without that sub-attribute only", must,
				framework.Rule("RFC 7644 §3.9 and §3.10: excludedAttributes may name sub-attributes as attribute.subAttribute"),
				func(ctx context.Context) {
					id, _ := projectionUser(ctx, f)
					x := byID(ctx, id, "excludedAttributes", "name.familyName")
					gomega.Expect(x).To(framework.NotHaveJSON("/name/familyName"))
					gomega.Expect(x).To(framework.HaveJSON("/name/givenName", "Conformance"))
				})
		})

		ginkgo.Context("GET /Users/{id} with excludedAttributes=id", func() {
			framework.It("still returns id, which is returned always", must,
				framework.Rule("RFC 7643 §7: an attribute returned always is returned regardless of excludedAttributes"),
				func(ctx context.Context) {
					id, _ := projectionUser(ctx, f)
					gomega.Expect(byID(ctx, id, "excludedAttributes", "id")).To(framework.HaveJSON("/id", gomega.Not(gomega.BeEmpty())))
				})
		})

		ginkgo.Context("GET /Users with a filter and attributes=userName", func() {
			framework.It("projects every listed resource", must,
				framework.Rule("RFC 7644 §3.4.2.5 and §3.9: attributes applies to each resource of a query response; RFC 7643 §3: each partial representation still lists its schemas"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeatureFilter) // the query is scoped by a filter
					id, name := projectionUser(ctx, f)
					x := validOneUser(get(ctx, f, "/Users", filterQuery("userName sw "+quote(name), "attributes", "userName")), framework.BeSCIMPartialList(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/Resources/0/id", id))
					gomega.Expect(x).To(framework.HaveJSON("/Resources/0/userName", gomega.Not(gomega.BeEmpty())))
					gomega.Expect(x).To(framework.NotHaveJSON("/Resources/0/emails"))
					gomega.Expect(x).To(framework.NotHaveJSON("/Resources/0/title"))
				})
		})

		ginkgo.Context("GET /Users with a filter and excludedAttributes=emails", func() {
			framework.It("leaves the excluded attribute out of every listed resource", must,
				framework.Rule("RFC 7644 §3.4.2.5 and §3.9: excludedAttributes applies to each resource of a query response"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeatureFilter) // the query is scoped by a filter
					_, name := projectionUser(ctx, f)
					x := oneUser(f, get(ctx, f, "/Users", filterQuery("userName sw "+quote(name), "excludedAttributes", "emails")), framework.BeSCIMPartialList(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/Resources/0/userName", gomega.BeEquivalentTo(name)))
					gomega.Expect(x).To(framework.HaveJSON("/Resources/0/title", "Engineer"))
					gomega.Expect(x).To(framework.NotHaveJSON("/Resources/0/emails"))
				})
		})

		ginkgo.Context("POST /Users/.search with a filter", func() {
			framework.It("returns the matching users as a ListResponse", must,
				framework.Rule("RFC 7644 §3.4.3: POST to /.search with a SearchRequest queries like GET with parameters"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeatureFilter) // the query is scoped by a filter
					id, name := projectionUser(ctx, f)
					x := validOneUser(search(ctx, f, map[string]any{"filter": "userName sw " + quote(name)}), framework.BeSCIMList(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/Resources/0/id", id))
				})
		})

		ginkgo.Context("POST /Users/.search with attributes", func() {
			framework.It("projects every listed resource", must,
				framework.Rule("RFC 7644 §3.4.3: a SearchRequest's attributes has the meaning of §3.9"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeatureFilter) // the query is scoped by a filter
					_, name := projectionUser(ctx, f)
					x := oneUser(f, search(ctx, f, map[string]any{"filter": "userName sw " + quote(name), "attributes": []any{"userName"}}), framework.BeSCIMPartialList(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/Resources/0/userName", gomega.BeEquivalentTo(name)))
					gomega.Expect(x).To(framework.NotHaveJSON("/Resources/0/title"))
				})
		})

		ginkgo.Context("POST /Users/.search with excludedAttributes", func() {
			framework.It("leaves the excluded attributes out of every listed resource", must,
				framework.Rule("RFC 7644 §3.4.3: a SearchRequest's excludedAttributes has the meaning of §3.9"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeatureFilter) // the query is scoped by a filter
					_, name := projectionUser(ctx, f)
					x := oneUser(f, search(ctx, f, map[string]any{"filter": "userName sw " + quote(name), "excludedAttributes": []any{"title", "emails"}}), framework.BeSCIMPartialList(schemas.User))
					gomega.Expect(x).To(framework.NotHaveJSON("/Resources/0/title"))
					gomega.Expect(x).To(framework.NotHaveJSON("/Resources/0/emails"))
					gomega.Expect(x).To(framework.HaveJSON("/Resources/0/nickName", "Proj"))
				})
		})

		ginkgo.Context("GET /Groups/{id} with excludedAttributes=members", func() {
			framework.It("returns the group without its members", must,
				framework.Rule("RFC 7644 §3.9: excludedAttributes removes the named attributes from the default set"),
				func(ctx context.Context) {
					uid, _ := f.MakeUser(ctx, f.UserBody(nil))
					body := f.GroupBody(map[string]any{"members": members(uid)})
					gid, _ := f.MakeGroup(ctx, body)
					x := settledGet(ctx, f, groupPath(gid), url.Values{"excludedAttributes": {"members"}})
					gomega.Expect(x).To(framework.HaveStatus(200))
					conforms(f, x, framework.BeSCIMPartial(schemas.Group), "a valid partial Group")
					gomega.Expect(x).To(framework.NotHaveJSON("/members"))
					gomega.Expect(x).To(framework.HaveJSON("/displayName", body["displayName"]))
				})
		})

		ginkgo.Context("POST /Users with attributes=userName", func() {
			framework.It("returns the created user projected", should,
				framework.Rule("RFC 7644 §3.9: attributes applies to any operation that returns a resource, POST included"),
				func(ctx context.Context) {
					body := f.UserBody(map[string]any{"title": "Engineer"})
					name := body["userName"].(string)
					x := f.Do(ctx, scimclient.Request{Method: "POST", Path: "/Users", RawQuery: "attributes=userName", Body: framework.MustJSON(body)})
					if !trackIfCreated(f, "User", "/Users", x) && x.Status < 300 {
						trackByUserName(ctx, f, name) // created, but the answer hides its id
					}
					gomega.Expect(x).To(framework.HaveStatus(200, 201))
					gomega.Expect(x).To(framework.BeSCIMPartial(schemas.User))
					gomega.Expect(x).To(framework.HaveJSON("/userName", gomega.Not(gomega.BeEmpty())))
					gomega.Expect(x).To(framework.NotHaveJSON("/title"))
				})
		})
	})

var _ = framework.Describe("User password (returned never)", labels(framework.LabelProjection, framework.LabelRFC7643, framework.LabelRFC7644),
	func(f *framework.F) {
		// withPassword creates a user with a unique password and returns its
		// id, userName, the password and the POST exchange.
		withPassword := func(ctx context.Context) (string, string, string, *scimclient.Exchange) {
			ginkgo.GinkgoHelper()
			password := "Pw1!" + f.Name("secret")
			body := f.UserBody(map[string]any{"password": password})
			id, x := f.MakeUser(ctx, body)
			return id, body["userName"].(string), password, x
		}
		// noPassword asserts that neither the attribute nor its value appears.
		noPassword := func(x *scimclient.Exchange, pointer, password string) {
			ginkgo.GinkgoHelper()
			gomega.Expect(x).To(framework.NotHaveJSON(pointer))
			gomega.Expect(bytes.Contains(x.RespBody, []byte(password))).To(gomega.BeFalse(), "the response contains the password value")
		}

		ginkgo.Context("POST /Users with a password", func() {
			framework.It("does not return the password", must,
				framework.Rule("RFC 7643 §4.1.1 and §7: password is returned never"),
				func(ctx context.Context) {
					_, _, password, x := withPassword(ctx)
					noPassword(x, "/password", password)
				})
		})

		ginkgo.Context("GET /Users/{id} of a user with a password", func() {
			framework.It("does not return the password", must,
				framework.Rule("RFC 7643 §4.1.1 and §7: password is returned never"),
				func(ctx context.Context) {
					id, _, password, _ := withPassword(ctx)
					noPassword(fetch(ctx, f, userPath(id)), "/password", password)
				})
		})

		ginkgo.Context("GET /Users/{id} with attributes=password", func() {
			framework.It("does not return the password even when asked for", must,
				framework.Rule("RFC 7643 §7: an attribute returned never is not returned, whatever the attributes parameter says"),
				func(ctx context.Context) {
					id, _, password, _ := withPassword(ctx)
					x := settledGet(ctx, f, userPath(id), url.Values{"attributes": {"password,userName"}})
					gomega.Expect(x).To(framework.HaveStatus(200))
					conforms(f, x, framework.BeSCIMPartial(schemas.User), "a valid partial User")
					noPassword(x, "/password", password)
				})
		})

		ginkgo.Context("GET /Users filtered to a user with a password", func() {
			framework.It("does not return the password", must,
				framework.Rule("RFC 7643 §4.1.1 and §7: password is returned never, in query responses too"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeatureFilter) // the query is scoped by a filter
					_, name, password, _ := withPassword(ctx)
					noPassword(oneUser(f, get(ctx, f, "/Users", filterQuery("userName sw "+quote(name))), framework.BeSCIMList(schemas.User)), "/Resources/0/password", password)
				})
		})

		ginkgo.Context("POST /Users/.search for a user with a password", func() {
			framework.It("does not return the password", must,
				framework.Rule("RFC 7643 §4.1.1 and §7: password is returned never, in search responses too"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeatureFilter) // the query is scoped by a filter
					_, name, password, _ := withPassword(ctx)
					x := oneUser(f, search(ctx, f, map[string]any{"filter": "userName sw " + quote(name), "attributes": []any{"userName", "password"}}), framework.BeSCIMPartialList(schemas.User))
					noPassword(x, "/Resources/0/password", password)
				})
		})
	})
