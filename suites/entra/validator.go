package entra

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// The checks Microsoft's SCIM Validator makes (entra-protocol §5) that the
// replays of Entra's sequences do not: each names the validator test it
// stands for. Mandatory validator tests are MUST-level; tests the validator
// reports as preview, and behaviour only a single third-party report or a
// "should" in Microsoft's guidance asks for, are SHOULD-level (a warning).
// README.md maps every validator test to the specs that cover it.

var (
	must   = ginkgo.Label(framework.LabelMust)
	should = ginkgo.Label(framework.LabelShould)
)

// managerPath is the enterprise manager's URN path, as the validator and
// Entra under aadOptscim062020 write it.
const managerPath = framework.EnterpriseUserSchema + ":manager"

var _ = framework.Describe("Microsoft SCIM Validator", ginkgo.Label(framework.LabelSourceEntra), func(f *framework.F) {
	ginkgo.Context("POST /Groups with a displayName already taken", ginkgo.Label(framework.LabelGroups), func() {
		framework.It("returns 409", must,
			framework.Rule(`SCIM Validator "Create a duplicate Group" (mandatory) expects 409; Entra SCIM tutorial: group displayName must be unique in the target (entra-protocol §3, §7.6)`),
			func(ctx context.Context) {
				body := f.GroupBody(nil)
				f.MakeGroup(ctx, body)
				x := create(ctx, f, "Group", "/Groups", body)
				gomega.Expect(x).To(framework.HaveStatus(409))
			})
	})

	ginkgo.Context("GET /Groups with displayName eq and no excludedAttributes", ginkgo.Label(framework.LabelGroups, framework.LabelFilter), func() {
		framework.It("returns the one group", must,
			framework.Rule(`SCIM Validator "Filter for an existing group" (mandatory): filter=displayName eq "..." answers 200 with exactly that group (entra-protocol §5.2)`),
			func(ctx context.Context) {
				body := f.GroupBody(nil)
				id, _ := f.MakeGroup(ctx, body)
				expectOnly(ctx, f, "/Groups", "displayName", body["displayName"].(string), id)
			})
	})

	ginkgo.Context("GET /Groups with displayName eq in another case", ginkgo.Label(framework.LabelGroups, framework.LabelFilter), func() {
		framework.It("finds the group", must,
			framework.Rule(`SCIM Validator "Filter for existing group different case" (mandatory) expects the group to match (entra-protocol §5.2, quirk 11); RFC 7643 §8.7.1: Group displayName is caseExact false`),
			func(ctx context.Context) {
				body := f.GroupBody(map[string]any{"displayName": f.Name("Team")})
				id, _ := f.MakeGroup(ctx, body)
				expectOnly(ctx, f, "/Groups", "displayName", strings.ToUpper(body["displayName"].(string)), id)
			})
	})

	ginkgo.Context("PATCH /Groups/{id} replace without a path of externalId", ginkgo.Label(framework.LabelGroups, framework.LabelPatch), func() {
		framework.It("changes externalId", must,
			framework.Rule(`SCIM Validator "Patch Group - Replace Attributes" (mandatory) sends {"op":"replace","value":{"externalId":"..."}} and checks the new value (entra-protocol G4, §5.2)`),
			func(ctx context.Context) {
				id, _ := f.MakeGroup(ctx, f.GroupBody(nil))
				next := f.Name("external")
				expectPatched(ctx, f, "/Groups/"+id, map[string]any{"op": "replace", "value": map[string]any{"externalId": next}})
				gomega.Expect(read(ctx, f, "/Groups/"+id, "excludedAttributes=members")).To(framework.HaveJSON("/externalId", next))
			})
	})

	ginkgo.Context("PATCH /Users/{id} adding or replacing through a value path no element matches", ginkgo.Label(framework.LabelUsers, framework.LabelPatch), func() {
		for _, tc := range []struct {
			op, attr, typ, sub, value, validator string
		}{
			{"add", "emails", "work", "value", "added@work.example", `"Patch User - Add Attributes"`},
			{"replace", "emails", "work", "value", "replaced@work.example", `"Patch User - Replace Attributes"`},
			{"add", "phoneNumbers", "mobile", "value", "+1 555 0100", `"Patch User - Add Attributes"`},
			{"add", "addresses", "work", "streetAddress", "1 Validator Way", `"Patch User - Add Attributes"`},
		} {
			path := fmt.Sprintf(`%s[type eq "%s"].%s`, tc.attr, tc.typ, tc.sub)
			framework.It(fmt.Sprintf("%s on %s creates the %s element", tc.op, path, tc.typ), must,
				framework.Rule(fmt.Sprintf(`SCIM Validator %s (mandatory) and Entra's own updates set values through value paths; when no element matches, the element is created with that type (entra-protocol U6 and quirk 4, GitHub Captain-P-Goldfish/SCIM-SDK#416)`, tc.validator)),
				func(ctx context.Context) {
					home := []any{map[string]any{"type": "home", "value": "home@home.example"}}
					id, _ := f.MakeUser(ctx, f.UserBody(map[string]any{"emails": home}))
					expectPatched(ctx, f, "/Users/"+id, map[string]any{"op": tc.op, "path": path, "value": tc.value})
					doc := decode(read(ctx, f, "/Users/"+id, ""))
					gomega.Expect(elements(doc, tc.attr, tc.typ)).To(gomega.ContainElement(gomega.HaveKeyWithValue(tc.sub, tc.value)),
						"the user should have a %s element of type %q with %s %q:\n%s", tc.attr, tc.typ, tc.sub, tc.value, brief(doc))
				})
		}
	})

	ginkgo.Context("PATCH /Users/{id} clearing the enterprise manager", ginkgo.Label(framework.LabelUsers, framework.LabelPatch), func() {
		for _, tc := range []struct {
			how   string
			op    map[string]any
			level ginkgo.Labels
			rule  string
		}{
			{"with remove on its URN path", map[string]any{"op": "remove", "path": managerPath}, must,
				`SCIM Validator "Patch User - Remove Manager" (mandatory) sends {"op":"remove","path":"urn:...:enterprise:2.0:User:manager"}; the manager is gone afterwards (entra-protocol U8, §5.2; RFC 7644 §3.5.2.2)`},
			{`with replace and {"value": ""}`, map[string]any{"op": "replace", "path": managerPath, "value": map[string]any{"value": ""}}, should,
				`SCIM Validator "Patch User - Remove Manager" was also captured sending replace with {"value": ""}, which servers passed by accepting it (entra-protocol U8, §5.2; third-party captures only)`},
			{`with replace and ""`, map[string]any{"op": "replace", "path": managerPath, "value": ""}, should,
				`SCIM Validator "Patch User - Remove Manager" was also captured sending replace with "", which servers passed by accepting it (entra-protocol U8, §5.2; third-party captures only)`},
		} {
			framework.It(tc.how+" clears it", tc.level, framework.Rule(tc.rule), func(ctx context.Context) {
				if f.App == nil || !f.App.Maps(managerPath) {
					ginkgo.Skip("the app profile does not map the enterprise manager, so the validator would not test it")
				}
				body := f.UserBody(map[string]any{"schemas": []any{framework.UserSchema, framework.EnterpriseUserSchema}})
				id, _ := f.MakeUser(ctx, body)
				manager, _ := f.MakeUser(ctx, f.UserBody(nil))
				expectPatched(ctx, f, "/Users/"+id, map[string]any{"op": "replace", "path": managerPath, "value": map[string]any{"value": manager}})
				expectPatched(ctx, f, "/Users/"+id, tc.op)
				doc := decode(read(ctx, f, "/Users/"+id, ""))
				gomega.Expect(managerValue(doc)).To(gomega.BeEmpty(), "the manager should be gone:\n%s", brief(doc))
			})
		}
	})

	ginkgo.Context("PATCH /Users/{id} replacing attributes", ginkgo.Label(framework.LabelUsers, framework.LabelPatch), func() {
		framework.It("answers 200 with the updated user", should,
			framework.Rule(`The SCIM Validator was reported to want 200 with the resource for user PATCHes (entra-protocol U6, GitHub jelhub/scimgateway#89); Entra's tutorial: "It isn't necessary to include the entire resource in the PATCH response", so only a warning`),
			func(ctx context.Context) {
				id, _ := f.MakeUser(ctx, f.UserBody(nil))
				name := f.Name("renamed")
				x := f.Do(ctx, scimclient.Request{Method: "PATCH", Path: "/Users/" + id,
					Body: framework.MustJSON(map[string]any{"schemas": []any{framework.PatchOpSchema},
						"Operations": []any{map[string]any{"op": "replace", "path": "displayName", "value": name}}})})
				if x.Status == http.StatusNoContent {
					// RFC 7644 §3.5.2 "MAY return HTTP status code 204" and Microsoft's own
					// tutorial allow it; only a third-party report says the validator wants
					// 200. Not a deviation to warn about, so not judged.
					ginkgo.Skip("not judged: PATCH answered 204 No Content, which RFC 7644 §3.5.2 and Entra's tutorial allow; if Microsoft's validator flags it (reported, not documented), answer 200 with the user")
				}
				gomega.Expect(x).To(framework.HaveStatus(200))
				gomega.Expect(x).To(framework.HaveJSON("/id", id))
				gomega.Expect(x).To(framework.HaveJSON("/displayName", name))
			})
	})

	ginkgo.Context("PATCH /Users/{id} with an empty Operations array", ginkgo.Label(framework.LabelUsers, framework.LabelPatch), func() {
		framework.It("answers 200 or 204 and changes nothing", should,
			framework.Rule(`The SCIM Validator is reported to send a PATCH whose Operations is empty and to expect success (entra-protocol §5.3 and quirk 24, GitHub scimmyjs/scimmy#59); RFC 7644 §3.5.2 asks for one or more operations, so only a warning`),
			func(ctx context.Context) {
				body := f.UserBody(nil)
				id, _ := f.MakeUser(ctx, body)
				x := f.Do(ctx, scimclient.Request{Method: "PATCH", Path: "/Users/" + id,
					Body: framework.MustJSON(map[string]any{"schemas": []any{framework.PatchOpSchema}, "Operations": []any{}})})
				gomega.Expect(x).To(framework.HaveStatus(200, 204))
				gomega.Expect(read(ctx, f, "/Users/"+id, "")).To(framework.HaveJSON("/userName", body["userName"]))
			})
	})

	ginkgo.Context("an error answer", ginkgo.Label(framework.LabelErrors), func() {
		for _, tc := range []struct {
			what  string
			cause func(ctx context.Context) *scimclient.Exchange
		}{
			{"to GET /Users/{id} of a user that does not exist", func(ctx context.Context) *scimclient.Exchange {
				return f.Do(ctx, scimclient.Request{Method: "GET", Path: "/Users/" + url.PathEscape(f.Name("missing"))})
			}},
			{"to POST /Users of a userName already taken", func(ctx context.Context) *scimclient.Exchange {
				body := f.UserBody(nil)
				f.MakeUser(ctx, body)
				return create(ctx, f, "User", "/Users", body)
			}},
		} {
			framework.It(tc.what+" carries Content-Type application/scim+json", should,
				framework.Rule(`Entra SCIM tutorial: "The header for all the responses should be of content-Type: application/scim+json" (entra-protocol §1.2); the SCIM Validator was seen passing errors answered with application/json (§5.3), so only a warning`),
				func(ctx context.Context) {
					x := tc.cause(ctx)
					if x.Status < 400 {
						// The specs about that request's status report it.
						ginkgo.Skip(fmt.Sprintf("the target answered HTTP %d, not an error, so there is no error answer to judge", x.Status))
					}
					gomega.Expect(mediaType(x)).To(gomega.Equal(scimclient.ScimContentType), "Content-Type of the error:\n%s", framework.DescribeExchange(x))
				})
		}
	})

	// Preview tests: the validator reports them without failing the run.
	ginkgo.Context("a preview test", func() {
		framework.It(`"Patch Group - Multiple Ops on same attribute": adding and removing one member in one PATCH leaves it out`,
			should, ginkgo.Label(framework.LabelGroups, framework.LabelPatch),
			framework.Rule(`SCIM Validator preview test "Patch Group - Multiple Ops on same attribute": add members then remove members[value eq "<id>"] in one request succeeds, member absent (entra-protocol §5.2); RFC 7644 §3.5.2: operations apply in order`),
			func(ctx context.Context) {
				user, _ := f.MakeUser(ctx, f.UserBody(nil))
				id, _ := f.MakeGroup(ctx, f.GroupBody(nil))
				expectPatched(ctx, f, "/Groups/"+id,
					map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": user}}},
					map[string]any{"op": "remove", "path": fmt.Sprintf("members[value eq %q]", user)})
				gomega.Expect(decode(read(ctx, f, "/Groups/"+id, ""))).NotTo(gomega.HaveKeyWithValue("members",
					gomega.ContainElement(gomega.HaveKeyWithValue("value", user))))
			})

		framework.It(`"Patch User - Multiple Ops on same attribute": remove, add and replace of externalId in one PATCH apply in order`,
			should, ginkgo.Label(framework.LabelUsers, framework.LabelPatch),
			framework.Rule(`SCIM Validator preview test "Patch User - Multiple Ops on same attribute": remove, add and replace on one attribute apply sequentially (entra-protocol §5.2, quirk 24); RFC 7644 §3.5.2: operations apply in order`),
			func(ctx context.Context) {
				id, _ := f.MakeUser(ctx, f.UserBody(nil))
				last := f.Name("last")
				expectPatched(ctx, f, "/Users/"+id,
					map[string]any{"op": "remove", "path": "externalId"},
					map[string]any{"op": "add", "path": "externalId", "value": f.Name("added")},
					map[string]any{"op": "replace", "path": "externalId", "value": last})
				gomega.Expect(read(ctx, f, "/Users/"+id, "")).To(framework.HaveJSON("/externalId", last))
			})

		for _, tc := range []struct{ kind, collection string }{{"User", "/Users"}, {"Group", "/Groups"}} {
			framework.It(fmt.Sprintf(`"Delete a non-existent %s": DELETE %s/{id} of an id that never existed returns 404`, tc.kind, tc.collection),
				should, ginkgo.Label(strings.ToLower(tc.kind)+"s"),
				framework.Rule(fmt.Sprintf(`SCIM Validator preview test "Delete a non-existent %s" sends DELETE with a random GUID and expects 404 (entra-protocol §5.2, §7.6)`, tc.kind)),
				func(ctx context.Context) {
					x := f.Do(ctx, scimclient.Request{Method: "DELETE", Path: tc.collection + "/" + f.Client.UnusedID()})
					gomega.Expect(x).To(framework.HaveStatus(404))
				})
		}
	})
})

// create POSTs body to collection, tracking whatever it creates (a server
// wrongly accepting a duplicate must not leave it behind), and returns the
// exchange without judging it.
func create(ctx context.Context, f *framework.F, kind, collection string, body map[string]any) *scimclient.Exchange {
	x := f.Do(ctx, scimclient.Request{Method: "POST", Path: collection, Body: framework.MustJSON(body)})
	if x.Status >= 200 && x.Status < 300 {
		if doc, err := x.JSON(); err == nil {
			if id, _ := doc["id"].(string); id != "" {
				f.Track(kind, collection+"/"+url.PathEscape(id))
			}
		}
	}
	return x
}

// expectPatched sends the operations as one PATCH and expects success.
func expectPatched(ctx context.Context, f *framework.F, path string, ops ...map[string]any) {
	ginkgo.GinkgoHelper()
	list := make([]any, len(ops))
	for i, op := range ops {
		list[i] = op
	}
	x := f.Do(ctx, scimclient.Request{Method: "PATCH", Path: path,
		Body: framework.MustJSON(map[string]any{"schemas": []any{framework.PatchOpSchema}, "Operations": list})})
	gomega.Expect(x).To(framework.HaveStatus(200, 204))
}

// read GETs path (with the raw query, "" for none) and expects 200.
func read(ctx context.Context, f *framework.F, path, query string) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	x := f.Do(ctx, scimclient.Request{Method: "GET", Path: path, RawQuery: query})
	gomega.Expect(x).To(framework.HaveStatus(200))
	return x
}

// expectOnly filters collection on attr eq value and expects exactly the
// resource id.
func expectOnly(ctx context.Context, f *framework.F, collection, attr, value, id string) {
	ginkgo.GinkgoHelper()
	filter := fmt.Sprintf("%s eq %q", attr, value)
	x := read(ctx, f, collection, "filter="+url.QueryEscape(filter))
	gomega.Expect(x).To(framework.HaveJSON("/totalResults", 1))
	gomega.Expect(x).To(framework.HaveJSON("/Resources/0/id", id))
}

// decode returns the response body as a JSON object, failing the spec when
// it is not one.
func decode(x *scimclient.Exchange) map[string]any {
	ginkgo.GinkgoHelper()
	doc, err := x.JSON()
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("the response body is not a JSON object: %v\n%s", err, framework.DescribeExchange(x)))
	}
	return doc
}

// elements returns the elements of the multi-valued attr (named in any
// case) whose type is typ.
func elements(doc map[string]any, attr, typ string) []map[string]any {
	var out []map[string]any
	for k, v := range doc {
		if !strings.EqualFold(k, attr) {
			continue
		}
		list, _ := v.([]any)
		for _, e := range list {
			if m, ok := e.(map[string]any); ok && m["type"] == typ {
				out = append(out, m)
			}
		}
	}
	return out
}

// managerValue is the enterprise manager's value, "" when there is none
// (absent, null, or cleared to an empty value, which the validator accepts).
func managerValue(doc map[string]any) string {
	for k, ext := range doc {
		if !strings.EqualFold(k, framework.EnterpriseUserSchema) {
			continue
		}
		obj, _ := ext.(map[string]any)
		for name, m := range obj {
			if !strings.EqualFold(name, "manager") {
				continue
			}
			switch v := m.(type) {
			case string:
				return v
			case map[string]any:
				s, _ := v["value"].(string)
				return s
			}
		}
	}
	return ""
}

// mediaType is the media type of a response's Content-Type, lower case.
func mediaType(x *scimclient.Exchange) string {
	mt, _, err := mime.ParseMediaType(x.RespHeader.Get("Content-Type"))
	if err != nil {
		return x.RespHeader.Get("Content-Type")
	}
	return mt
}

// brief renders a document for a failure message.
func brief(doc map[string]any) string {
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Sprint(doc)
	}
	return string(b)
}
