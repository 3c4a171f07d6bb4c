package rfc

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

// resourceKind describes a resource type to the specs below, which check the
// RFC 7644 create / read / replace / delete rules that hold the same way for
// every resource type. The Users and Groups areas call them for their kind
// and keep what only their kind has (members, userName uniqueness, ...).
//
// Ginkgo runs the specs of a container in the order of their code locations,
// so every Context here is declared with Offset(1): it sorts at the line of
// its caller, among the caller's own Contexts (Contexts of one call sort by
// the lines of their Its here). Extra Its a caller adds to a shared Context
// (the more arguments) are in users.go or groups.go, whose names sort after
// crud.go, so they run after the shared ones.
type resourceKind struct {
	name     string       // the resource type, as in meta.resourceType: "User"
	other    string       // another resource type, sent as a wrong meta.resourceType
	noun     string       // how spec texts name one resource: "user"
	endpoint string       // "/Users"
	schema   schemas.Kind // what every representation validates against

	// body is a valid, run-prefixed resource with overrides applied
	// (a nil value removes the attribute): f.UserBody.
	body func(f *framework.F, overrides map[string]any) map[string]any
	// create POSTs a body and asserts 201 (f.CreateUser); make accepts
	// any success (f.MakeUser). Both track what they create.
	create, make func(f *framework.F, ctx context.Context, body map[string]any) (string, *scimclient.Exchange)

	required     string // the attribute the schema requires: "userName"
	requiredRule string // where RFC 7643 requires it: "RFC 7643 §4.1.1"

	// full returns a body with optional attributes set, and which of them
	// a PUT leaves out; clearsNote ends the It text of that spec.
	full       func(ctx context.Context, f *framework.F) (body map[string]any, optional []string)
	clearsNote string

	wrongTypes []wrongType // values of the wrong data type, each its own Context
}

// wrongType is a POST body attribute set to a value of another data type;
// context is the full Context text.
type wrongType struct {
	context, attr string
	value         any
}

// path is the endpoint of one resource.
func (k resourceKind) path(id string) string { return k.endpoint + "/" + id }

// createSpecs declares "POST <endpoint> with a valid <noun>" with the
// create rules; more declares kind-specific Its in the same Context.
func createSpecs(f *framework.F, k resourceKind, more ...func()) {
	ginkgo.Context("POST "+k.endpoint+" with a valid "+k.noun, ginkgo.Offset(1), func() {
		framework.It("returns 201 with the "+k.noun+", its id and meta", must,
			framework.Rule("RFC 7644 §3.3 and RFC 7643 §3.1: a created resource is answered with 201 and carries id and meta (resourceType, created, lastModified, location)"),
			func(ctx context.Context) {
				id, x := k.create(f, ctx, k.body(f, nil))
				gomega.Expect(x).To(framework.BeSCIM(k.schema))
				gomega.Expect(x).To(framework.HaveJSON("/id", id))
				gomega.Expect(x).To(framework.HaveJSON("/meta/resourceType", k.name))
				gomega.Expect(x).To(framework.HaveJSON("/meta/created", gomega.Not(gomega.BeEmpty())))
				gomega.Expect(x).To(framework.HaveJSON("/meta/lastModified", gomega.Not(gomega.BeEmpty())))
				gomega.Expect(x).To(framework.HaveJSON("/meta/location", gomega.HaveSuffix(k.path(id))))
			})

		framework.It("returns a Location header equal to meta.location", must,
			framework.Rule("RFC 7644 §3.3: the URI of the created resource is in the Location header and in meta.location"),
			framework.Rule("RFC 9110 §10.2.2: a Location that is a relative reference is resolved against the target URI"),
			func(ctx context.Context) {
				_, x := k.create(f, ctx, k.body(f, nil))
				loc := x.RespHeader.Get("Location")
				gomega.Expect(loc).NotTo(gomega.BeEmpty(), "no Location header:\n%s", framework.DescribeExchange(x))
				gomega.Expect(x).To(framework.HaveJSON("/meta/location", resolveReference(x.URL, loc)))
			})

		for _, m := range more {
			m()
		}
	})
}

// putClearsSpecs declares the PUT that leaves optional attributes out and
// changes displayName (an attribute of User and Group alike).
func putClearsSpecs(f *framework.F, k resourceKind) {
	ginkgo.Context("PUT "+k.path("{id}")+" without attributes the "+k.noun+" had", ginkgo.Offset(1), func() {
		framework.It("clears the attributes left out"+k.clearsNote, must,
			framework.Rule("RFC 7644 §3.5.1: PUT replaces all values of the resource; attributes not sent are cleared"),
			func(ctx context.Context) {
				body, optional := k.full(ctx, f)
				id, _ := k.make(f, ctx, body)
				replacement := without(body, optional...)
				replacement["displayName"] = f.Name("replaced")
				x := send(ctx, f, "PUT", k.path(id), replacement)
				gomega.Expect(x).To(framework.HaveStatus(200))
				conforms(f, x, framework.BeSCIM(k.schema), "a valid "+k.name)
				after := fetch(ctx, f, k.path(id))
				gomega.Expect(after).To(framework.HaveJSON("/displayName", replacement["displayName"]))
				for _, attr := range optional {
					gomega.Expect(after).To(beUnassigned("/" + attr))
				}
			})
	})
}

// putReadOnlySpecs declares the PUT carrying readOnly values: another meta
// and another id.
func putReadOnlySpecs(f *framework.F, k resourceKind) {
	ginkgo.Context("PUT "+k.path("{id}")+" with readOnly attributes in the body", ginkgo.Offset(1), func() {
		framework.It("ignores them", must,
			framework.Rule("RFC 7644 §3.5.1: values of readOnly attributes in a PUT body SHALL be ignored"),
			func(ctx context.Context) {
				body := k.body(f, nil)
				id, created := k.make(f, ctx, body)
				replacement := without(body)
				replacement["meta"] = map[string]any{"resourceType": k.other, "created": "2001-01-01T00:00:00Z", "location": "https://example.com/elsewhere"}
				gomega.Expect(send(ctx, f, "PUT", k.path(id), replacement)).To(framework.HaveStatus(200))
				after := decode(fetch(ctx, f, k.path(id)))
				requireMeta(after, k)
				gomega.Expect(parseTime(str(after, "/meta/created")).Year()).NotTo(gomega.Equal(2001), "meta.created was taken from the PUT body")
				gomega.Expect(str(after, "/meta/resourceType")).To(gomega.Equal(k.name))
				gomega.Expect(str(after, "/meta/location")).To(gomega.Equal(str(decode(created), "/meta/location")))
			})
	})

	ginkgo.Context("PUT "+k.path("{id}")+" with a different id in the body", ginkgo.Offset(1), func() {
		framework.It("keeps the id", must,
			framework.Rule("RFC 7643 §3.1: id is readOnly and assigned by the service provider; RFC 7644 §3.5.1: readOnly values are ignored (or the request refused)"),
			func(ctx context.Context) {
				body := k.body(f, nil)
				id, _ := k.make(f, ctx, body)
				other := f.Name("other-id")
				replacement := without(body)
				replacement["id"] = other
				x := send(ctx, f, "PUT", k.path(id), replacement)
				trackIfMoved(ctx, f, k.path(other))
				gomega.Expect(x).To(framework.HaveStatus(200, 400))
				// The id is compared ignoring case: that ids are served exactly as
				// issued is the rule of "GET <endpoint>/{id} after a POST".
				if x.Status == 200 {
					gomega.Expect(x).To(framework.HaveJSON("/id", gomega.WithTransform(strings.ToLower, gomega.Equal(strings.ToLower(id)))))
				}
				gomega.Expect(fetch(ctx, f, k.path(id))).To(framework.HaveJSON("/id", gomega.WithTransform(strings.ToLower, gomega.Equal(strings.ToLower(id)))))
				gomega.Expect(get(ctx, f, k.path(other), nil).Status).To(gomega.BeNumerically(">=", 400), "the "+k.noun+" moved to the id sent in the body")
			})
	})
}

// putTimestampSpecs declares the PUT that changes displayName: its answer,
// and the meta timestamps it must leave consistent.
func putTimestampSpecs(f *framework.F, k resourceKind) {
	ginkgo.Context("PUT "+k.path("{id}")+" with a change", ginkgo.Offset(1), func() {
		framework.It("returns 200 with the replaced "+k.noun, must,
			framework.Rule("RFC 7644 §3.5.1: \"Unless otherwise specified, a successful PUT operation returns a 200 OK response code and the entire resource within the response body\""),
			func(ctx context.Context) {
				body := k.body(f, nil)
				id, _ := k.make(f, ctx, body)
				replacement := without(body)
				replacement["displayName"] = f.Name("replaced")
				x := send(ctx, f, "PUT", k.path(id), replacement)
				gomega.Expect(x).To(framework.HaveStatus(200))
				gomega.Expect(x).To(framework.BeSCIM(k.schema))
				gomega.Expect(x).To(framework.HaveJSON("/id", id))
				gomega.Expect(x).To(framework.HaveJSON("/displayName", replacement["displayName"]))
			})

		framework.It("keeps meta.created and does not move meta.lastModified backwards", must,
			framework.Rule("RFC 7643 §3.1: meta.created is when the resource was added; meta.lastModified the most recent update"),
			func(ctx context.Context) {
				body := k.body(f, nil)
				id, created := k.make(f, ctx, body)
				before := decode(created)
				requireMeta(before, k)
				// Let the clock move past created's precision, so that a server
				// recreating the resource on PUT shows a new meta.created.
				time.Sleep(5 * time.Millisecond)
				replacement := without(body)
				replacement["displayName"] = f.Name("changed")
				x := send(ctx, f, "PUT", k.path(id), replacement)
				gomega.Expect(x).To(framework.HaveStatus(200))
				after := decode(fetch(ctx, f, k.path(id)))
				gomega.Expect(str(after, "/meta/created")).To(gomega.Equal(str(before, "/meta/created")))
				gomega.Expect(parseTime(str(after, "/meta/lastModified"))).NotTo(gomega.BeTemporally("<", parseTime(str(before, "/meta/lastModified"))))
			})
	})
}

// deleteSpecs declares "DELETE <endpoint>/{id}" with the delete rules; more
// declares kind-specific Its in the same Context.
func deleteSpecs(f *framework.F, k resourceKind, more ...func()) {
	ginkgo.Context("DELETE "+k.path("{id}"), ginkgo.Offset(1), func() {
		framework.It("returns 204 with no body", must,
			framework.Rule("RFC 7644 §3.6: a successful DELETE is answered with 204 No Content"),
			func(ctx context.Context) {
				id, _ := k.make(f, ctx, k.body(f, nil))
				x := send(ctx, f, "DELETE", k.path(id), nil)
				gomega.Expect(x).To(framework.HaveStatus(204))
				gomega.Expect(strings.TrimSpace(string(x.RespBody))).To(gomega.BeEmpty(), "a 204 answer has a body")
			})

		framework.It("makes GET, PUT, PATCH and DELETE of the "+k.noun+" return 404", must,
			framework.Rule("RFC 7644 §3.6: a deleted resource is no longer available; every operation on it answers 404"),
			func(ctx context.Context) {
				body := k.body(f, nil)
				id, _ := k.make(f, ctx, body)
				// The DELETE status is the previous spec's rule; this one is about what follows.
				gomega.Expect(send(ctx, f, "DELETE", k.path(id), nil)).To(framework.HaveStatus(200, 204))
				gomega.Expect(get(ctx, f, k.path(id), nil)).To(beNotFound())
				gomega.Expect(send(ctx, f, "PUT", k.path(id), body)).To(beNotFound())
				if f.Supports(framework.FeaturePatch) {
					gomega.Expect(patch(ctx, f, k.path(id), op("replace", "displayName", f.Name("renamed")))).To(beNotFound())
				}
				gomega.Expect(send(ctx, f, "DELETE", k.path(id), nil)).To(beNotFound())
			})

		for _, m := range more {
			m()
		}
	})
}

// unknownIDSpecs declares the GET of an id the target never assigned.
func unknownIDSpecs(f *framework.F, k resourceKind) {
	ginkgo.Context("GET "+k.path("{id}")+" for an id that never existed", ginkgo.Offset(1), func() {
		framework.It("returns 404", must,
			framework.Rule("RFC 7644 §3.12: a resource that does not exist is answered with 404"),
			func(ctx context.Context) {
				gomega.Expect(get(ctx, f, k.path(f.Name("no-such-"+k.noun)), nil)).To(beNotFound())
			})
	})
}

// invalidBodySpecs declares the POSTs the target must refuse: without the
// required attribute, and with each value of the wrong data type.
func invalidBodySpecs(f *framework.F, k resourceKind) {
	ginkgo.Context("POST "+k.endpoint+" without "+k.required, ginkgo.Offset(1), func() {
		framework.It("returns 400", must,
			framework.Rule(k.requiredRule+": "+k.required+" is REQUIRED; RFC 7644 §3.12: a missing required value is 400 invalidValue"),
			func(ctx context.Context) {
				x := send(ctx, f, "POST", k.endpoint, k.body(f, map[string]any{k.required: nil}))
				trackIfCreated(f, k.name, k.endpoint, x)
				gomega.Expect(x).To(framework.HaveStatus(400))
				f.Should("scimType is invalidValue (RFC 7644 §3.12)", func() {
					gomega.Expect(x).To(&scimTypeMatcher{want: []string{"invalidValue"}})
				})
			})
	})

	ginkgo.Context("POST "+k.endpoint+" without schemas", ginkgo.Offset(1), func() {
		framework.It("returns 400 with scimType invalidSyntax or invalidValue", should,
			framework.Rule("RFC 7643 §3: \"All representations of SCIM schemas MUST include a non-empty array\" in schemas — a requirement on the request, "+
				"no sentence obliges the service provider to refuse one without; refusing it is RFC 7644 §3.12 invalidSyntax (\"did not conform to the request schema\") or invalidValue"),
			func(ctx context.Context) {
				x := send(ctx, f, "POST", k.endpoint, k.body(f, map[string]any{"schemas": nil}))
				trackIfCreated(f, k.name, k.endpoint, x)
				gomega.Expect(x).To(beError(400, "invalidSyntax", "invalidValue"))
			})
	})

	for _, tc := range k.wrongTypes {
		ginkgo.Context(tc.context, ginkgo.Offset(1), func() {
			framework.It("returns 400 with scimType invalidValue or invalidSyntax", must,
				framework.Rule("RFC 7643 §2.3: every attribute has one data type; RFC 7644 §3.12: a value of the wrong type is 400 invalidValue (or invalidSyntax)"),
				func(ctx context.Context) {
					x := send(ctx, f, "POST", k.endpoint, k.body(f, map[string]any{tc.attr: tc.value}))
					trackIfCreated(f, k.name, k.endpoint, x)
					gomega.Expect(x).To(beError(400, "invalidValue", "invalidSyntax"))
				})
		})
	}
}

// requireMeta skips a spec about meta when the resource carries no
// meta.created: that every resource has meta is the rule of the spec
// "returns 201 with the <noun>, its id and meta", not of the caller.
func requireMeta(doc map[string]any, k resourceKind) {
	ginkgo.GinkgoHelper()
	if str(doc, "/meta/created") == "" {
		ginkgo.Skip("the " + k.noun + " carries no meta.created: the spec \"POST " + k.endpoint + " with a valid " + k.noun + " returns 201 with the " + k.noun + ", its id and meta\" reports that")
	}
}

// resolveReference resolves ref against the absolute URL base (RFC 3986
// §5), or returns ref as it is when either does not parse.
func resolveReference(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

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
