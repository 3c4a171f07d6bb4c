package rfc

import (
	"context"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

// members is the members value of a Group naming the given user ids.
func members(ids ...string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"value": id}
	}
	return out
}

// memberIDs returns the members[].value of a Group body.
func memberIDs(doc map[string]any) []string {
	list, _ := doc["members"].([]any)
	out := make([]string, 0, len(list))
	for _, m := range list {
		out = append(out, str(m, "/value"))
	}
	return out
}

var _ = framework.Describe("Groups", labels(framework.LabelGroups, framework.LabelRFC7643, framework.LabelRFC7644),
	func(f *framework.F) {
		ginkgo.Context("POST /Groups with a valid group", func() {
			framework.It("returns 201 with the group, its id and meta", must,
				framework.Rule("RFC 7644 §3.3 and RFC 7643 §3.1: a created resource is answered with 201 and carries id and meta (resourceType, created, lastModified, location)"),
				func(ctx context.Context) {
					id, x := f.CreateGroup(ctx, f.GroupBody(nil))
					gomega.Expect(x).To(framework.BeSCIM(schemas.Group))
					gomega.Expect(x).To(framework.HaveJSON("/id", id))
					gomega.Expect(x).To(framework.HaveJSON("/meta/resourceType", "Group"))
					gomega.Expect(x).To(framework.HaveJSON("/meta/created", gomega.Not(gomega.BeEmpty())))
					gomega.Expect(x).To(framework.HaveJSON("/meta/lastModified", gomega.Not(gomega.BeEmpty())))
					gomega.Expect(x).To(framework.HaveJSON("/meta/location", gomega.HaveSuffix("/Groups/"+id)))
				})

			framework.It("returns a Location header equal to meta.location", must,
				framework.Rule("RFC 7644 §3.3: the URI of the created resource is in the Location header and in meta.location"),
				func(ctx context.Context) {
					_, x := f.CreateGroup(ctx, f.GroupBody(nil))
					loc := x.RespHeader.Get("Location")
					gomega.Expect(loc).NotTo(gomega.BeEmpty(), "no Location header:\n%s", framework.DescribeExchange(x))
					gomega.Expect(x).To(framework.HaveJSON("/meta/location", loc))
				})
		})

		ginkgo.Context("GET /Groups/{id} after a POST with members", func() {
			framework.It("returns the group as created, members included", must,
				framework.Rule("RFC 7644 §3.4.1 and RFC 7643 §4.2: the group is returned with its displayName and members"),
				func(ctx context.Context) {
					u1, _ := f.MakeUser(ctx, f.UserBody(nil))
					u2, _ := f.MakeUser(ctx, f.UserBody(nil))
					body := f.GroupBody(map[string]any{"members": members(u1, u2)})
					id, _ := f.MakeGroup(ctx, body)
					x := fetch(ctx, f, groupPath(id))
					gomega.Expect(x).To(framework.BeSCIM(schemas.Group))
					gomega.Expect(x).To(framework.HaveJSON("/id", id))
					gomega.Expect(x).To(framework.HaveJSON("/displayName", body["displayName"]))
					gomega.Expect(x).To(framework.HaveJSON("/externalId", body["externalId"]))
					gomega.Expect(memberIDs(decode(x))).To(gomega.ConsistOf(u1, u2))
				})
		})

		ginkgo.Context("GET /Users/{id} of a group member", func() {
			framework.It("lists the group in the user's groups when the User schema has groups", must,
				framework.Rule("RFC 7643 §4.1.2: groups is the list of groups the user belongs to, derived from group membership"),
				func(ctx context.Context) {
					if !userSchemaDeclares(ctx, f, "groups") {
						ginkgo.Skip("not supported: groups (the User schema at /Schemas does not declare it)")
					}
					uid, _ := f.MakeUser(ctx, f.UserBody(nil))
					gid, _ := f.MakeGroup(ctx, f.GroupBody(map[string]any{"members": members(uid)}))
					x := fetch(ctx, f, userPath(uid))
					gomega.Expect(x).To(framework.HaveJSONSubset(map[string]any{"groups": []any{map[string]any{"value": gid}}}))
				})
		})

		ginkgo.Context("PUT /Groups/{id} without attributes the group had", func() {
			framework.It("clears the attributes left out, members included", must,
				framework.Rule("RFC 7644 §3.5.1: PUT replaces all values of the resource; attributes not sent are cleared"),
				func(ctx context.Context) {
					uid, _ := f.MakeUser(ctx, f.UserBody(nil))
					body := f.GroupBody(map[string]any{"members": members(uid)})
					id, _ := f.MakeGroup(ctx, body)
					replacement := without(body, "members", "externalId")
					x := send(ctx, f, "PUT", groupPath(id), replacement)
					gomega.Expect(x).To(framework.HaveStatus(200))
					gomega.Expect(x).To(framework.BeSCIM(schemas.Group))
					after := fetch(ctx, f, groupPath(id))
					gomega.Expect(after).To(framework.HaveJSON("/displayName", body["displayName"]))
					gomega.Expect(after).To(framework.NotHaveJSON("/members"))
					gomega.Expect(after).To(framework.NotHaveJSON("/externalId"))
				})
		})

		ginkgo.Context("PUT /Groups/{id} with other members", func() {
			framework.It("replaces the members", must,
				framework.Rule("RFC 7644 §3.5.1: PUT replaces all values of the resource, multi-valued attributes as a whole"),
				func(ctx context.Context) {
					u1, _ := f.MakeUser(ctx, f.UserBody(nil))
					u2, _ := f.MakeUser(ctx, f.UserBody(nil))
					body := f.GroupBody(map[string]any{"members": members(u1)})
					id, _ := f.MakeGroup(ctx, body)
					replacement := without(body)
					replacement["members"] = members(u2)
					gomega.Expect(send(ctx, f, "PUT", groupPath(id), replacement)).To(framework.HaveStatus(200))
					gomega.Expect(memberIDs(decode(fetch(ctx, f, groupPath(id))))).To(gomega.ConsistOf(u2))
				})
		})

		ginkgo.Context("PUT /Groups/{id} with readOnly attributes in the body", func() {
			framework.It("ignores them", must,
				framework.Rule("RFC 7644 §3.5.1: values of readOnly attributes in a PUT body SHALL be ignored"),
				func(ctx context.Context) {
					body := f.GroupBody(nil)
					id, created := f.MakeGroup(ctx, body)
					replacement := without(body)
					replacement["meta"] = map[string]any{"resourceType": "User", "created": "2001-01-01T00:00:00Z"}
					gomega.Expect(send(ctx, f, "PUT", groupPath(id), replacement)).To(framework.HaveStatus(200))
					after := decode(fetch(ctx, f, groupPath(id)))
					gomega.Expect(parseTime(str(after, "/meta/created")).Year()).NotTo(gomega.Equal(2001), "meta.created was taken from the PUT body")
					gomega.Expect(str(after, "/meta/resourceType")).To(gomega.Equal("Group"))
					gomega.Expect(str(after, "/meta/location")).To(gomega.Equal(str(decode(created), "/meta/location")))
				})
		})

		ginkgo.Context("PUT /Groups/{id} with a different id in the body", func() {
			framework.It("keeps the id", must,
				framework.Rule("RFC 7643 §3.1: id is readOnly and assigned by the service provider; RFC 7644 §3.5.1: readOnly values are ignored (or the request refused)"),
				func(ctx context.Context) {
					body := f.GroupBody(nil)
					id, _ := f.MakeGroup(ctx, body)
					other := f.Name("other-id")
					replacement := without(body)
					replacement["id"] = other
					x := send(ctx, f, "PUT", groupPath(id), replacement)
					trackIfMoved(ctx, f, groupPath(other))
					gomega.Expect(x).To(framework.HaveStatus(200, 400))
					if x.Status == 200 {
						gomega.Expect(x).To(framework.HaveJSON("/id", id))
					}
					gomega.Expect(fetch(ctx, f, groupPath(id))).To(framework.HaveJSON("/id", id))
					gomega.Expect(get(ctx, f, groupPath(other), nil).Status).To(gomega.BeNumerically(">=", 400), "the group moved to the id sent in the body")
				})
		})

		ginkgo.Context("DELETE /Groups/{id}", func() {
			framework.It("returns 204 with no body", must,
				framework.Rule("RFC 7644 §3.6: a successful DELETE is answered with 204 No Content"),
				func(ctx context.Context) {
					id, _ := f.MakeGroup(ctx, f.GroupBody(nil))
					x := send(ctx, f, "DELETE", groupPath(id), nil)
					gomega.Expect(x).To(framework.HaveStatus(204))
					gomega.Expect(strings.TrimSpace(string(x.RespBody))).To(gomega.BeEmpty(), "a 204 answer has a body")
				})

			framework.It("makes GET, PUT, PATCH and DELETE of the group return 404", must,
				framework.Rule("RFC 7644 §3.6: a deleted resource is no longer available; every operation on it answers 404"),
				func(ctx context.Context) {
					body := f.GroupBody(nil)
					id, _ := f.MakeGroup(ctx, body)
					// The DELETE status is the previous spec's rule; this one is about what follows.
					gomega.Expect(send(ctx, f, "DELETE", groupPath(id), nil)).To(framework.HaveStatus(200, 204))
					gomega.Expect(get(ctx, f, groupPath(id), nil)).To(beNotFound())
					gomega.Expect(send(ctx, f, "PUT", groupPath(id), body)).To(beNotFound())
					if f.Supports(framework.FeaturePatch) {
						gomega.Expect(patch(ctx, f, groupPath(id), op("replace", "displayName", f.Name("renamed")))).To(beNotFound())
					}
					gomega.Expect(send(ctx, f, "DELETE", groupPath(id), nil)).To(beNotFound())
				})

			framework.It("keeps the users that were members", must,
				framework.Rule("RFC 7644 §3.6 and RFC 7643 §4.2: deleting a group removes the group, not the resources it references"),
				func(ctx context.Context) {
					uid, _ := f.MakeUser(ctx, f.UserBody(nil))
					gid, _ := f.MakeGroup(ctx, f.GroupBody(map[string]any{"members": members(uid)}))
					gomega.Expect(send(ctx, f, "DELETE", groupPath(gid), nil)).To(framework.HaveStatus(200, 204))
					fetch(ctx, f, userPath(uid))
				})
		})

		ginkgo.Context("DELETE /Users/{id} of a group member", func() {
			framework.It("removes the user from the group's members", must,
				framework.Rule("RFC 7644 §3.6: a deleted resource is no longer returned; RFC 7643 §4.2: members reference existing resources"),
				func(ctx context.Context) {
					u1, _ := f.MakeUser(ctx, f.UserBody(nil))
					u2, _ := f.MakeUser(ctx, f.UserBody(nil))
					gid, _ := f.MakeGroup(ctx, f.GroupBody(map[string]any{"members": members(u1, u2)}))
					gomega.Expect(send(ctx, f, "DELETE", userPath(u1), nil)).To(framework.HaveStatus(200, 204))
					if get(ctx, f, userPath(u1), nil).Status != 404 {
						ginkgo.Skip("the user was not deleted: the users area reports that")
					}
					gomega.Expect(memberIDs(decode(fetch(ctx, f, groupPath(gid))))).To(gomega.ConsistOf(u2))
				})
		})

		ginkgo.Context("GET /Groups/{id} for an id that never existed", func() {
			framework.It("returns 404", must,
				framework.Rule("RFC 7644 §3.12: a resource that does not exist is answered with 404"),
				func(ctx context.Context) {
					gomega.Expect(get(ctx, f, groupPath(f.Name("no-such-group")), nil)).To(beNotFound())
				})
		})

		ginkgo.Context("POST /Groups without displayName", func() {
			framework.It("returns 400", must,
				framework.Rule("RFC 7643 §4.2: displayName is REQUIRED; RFC 7644 §3.12: a missing required value is 400 invalidValue"),
				func(ctx context.Context) {
					x := send(ctx, f, "POST", "/Groups", f.GroupBody(map[string]any{"displayName": nil}))
					trackIfCreated(f, "Group", "/Groups", x)
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
			{"POST /Groups with a number for the string displayName", "displayName", 42},
			{"POST /Groups with a string for the multi-valued members", "members", "everyone"},
		}
		for _, tc := range wrongTypes {
			ginkgo.Context(tc.context, func() {
				framework.It("returns 400 with scimType invalidValue or invalidSyntax", must,
					framework.Rule("RFC 7643 §2.3: every attribute has one data type; RFC 7644 §3.12: a value of the wrong type is 400 invalidValue (or invalidSyntax)"),
					func(ctx context.Context) {
						x := send(ctx, f, "POST", "/Groups", f.GroupBody(map[string]any{tc.attr: tc.value}))
						trackIfCreated(f, "Group", "/Groups", x)
						gomega.Expect(x).To(beError(400, "invalidValue", "invalidSyntax"))
					})
			})
		}
	})

// userSchemaDeclares reports whether the target's User schema, as served at
// /Schemas, declares the attribute (so optional attributes are only
// required of service providers that claim them).
func userSchemaDeclares(ctx context.Context, f *framework.F, name string) bool {
	ginkgo.GinkgoHelper()
	x := get(ctx, f, "/Schemas/"+framework.UserSchema, nil)
	if x.Status != 200 {
		return false
	}
	attrs, _ := at(decode(x), "/attributes").([]any)
	for _, a := range attrs {
		if strings.EqualFold(str(a, "/name"), name) {
			return true
		}
	}
	return false
}
