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

// groupKind is the Group resource type (RFC 7643 §4.2) for the shared CRUD specs.
var groupKind = resourceKind{
	name:         "Group",
	other:        "User",
	noun:         "group",
	endpoint:     "/Groups",
	schema:       schemas.Group,
	body:         (*framework.F).GroupBody,
	create:       (*framework.F).CreateGroup,
	make:         (*framework.F).MakeGroup,
	required:     "displayName",
	requiredRule: "RFC 7643 §4.2",
	full: func(ctx context.Context, f *framework.F) (map[string]any, []string) {
		uid, _ := f.MakeUser(ctx, f.UserBody(nil))
		return f.GroupBody(map[string]any{"members": members(uid)}), []string{"members", "externalId"}
	},
	clearsNote: ", members included",
	wrongTypes: []wrongType{
		{"POST /Groups with a number for the string displayName", "displayName", 42},
		{"POST /Groups with a string for the multi-valued members", "members", "everyone"},
	},
}

var _ = framework.Describe("Groups", labels(framework.LabelGroups, framework.LabelRFC7643, framework.LabelRFC7644),
	func(f *framework.F) {
		createSpecs(f, groupKind)

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

		putClearsSpecs(f, groupKind)

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

		putReadOnlySpecs(f, groupKind)
		putTimestampSpecs(f, groupKind)

		deleteSpecs(f, groupKind, func() {
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
			framework.It("removes the user from the group's members", should,
				framework.Rule("No MUST requires it: RFC 7644 §3.6 requires of a deleted resource only that the service provider \"MUST return a 404 (Not Found) error code for all operations associated with the previously deleted resource\" "+
					"and \"MUST omit the resource from future query results\"; a group is another resource, and RFC 7643 §4.2 only says members' value \"contains the value of an \"id\" attribute of a SCIM resource\", "+
					"which a deleted user's id no longer is — a member left behind is reported as a warning"),
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

		unknownIDSpecs(f, groupKind)
		invalidBodySpecs(f, groupKind)
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
