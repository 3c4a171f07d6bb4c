package rfc

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"slices"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

var _ = framework.Describe("ServiceProviderConfig", labels(framework.LabelDiscovery, framework.LabelRFC7643, framework.LabelRFC7644),
	func(f *framework.F) {
		ginkgo.Context("GET /ServiceProviderConfig", func() {
			framework.It("returns 200 with a valid ServiceProviderConfig", must,
				framework.Rule("RFC 7644 §4 and RFC 7643 §5: the service provider configuration is served at /ServiceProviderConfig"),
				func(ctx context.Context) {
					x := get(ctx, f, "/ServiceProviderConfig", nil)
					gomega.Expect(x).To(framework.HaveStatus(200))
					gomega.Expect(x).To(framework.BeSCIM(schemas.ServiceProviderConfig))
				})

			framework.It("declares supported for every optional feature and lists the authentication schemes", must,
				framework.Rule("RFC 7643 §5: patch, bulk, filter, changePassword, sort and etag each carry a REQUIRED boolean supported; authenticationSchemes is REQUIRED"),
				func(ctx context.Context) {
					x := get(ctx, f, "/ServiceProviderConfig", nil)
					gomega.Expect(x).To(framework.HaveStatus(200))
					for _, feature := range framework.Features {
						gomega.Expect(x).To(framework.HaveJSON("/"+feature+"/supported", gomega.BeAssignableToTypeOf(true)))
					}
					gomega.Expect(x).To(framework.HaveJSON("/authenticationSchemes", gomega.BeAssignableToTypeOf([]any{})))
				})

			framework.It("decides which optional features this run tests", must,
				framework.Rule("RFC 7643 §5: clients discover the optional features a service provider supports from its configuration"),
				func(ctx context.Context) {
					x := get(ctx, f, "/ServiceProviderConfig", nil)
					gomega.Expect(x).To(framework.HaveStatus(200))
					spc, err := framework.ParseSPC(x.RespBody)
					gomega.Expect(err).NotTo(gomega.HaveOccurred())
					gomega.Expect(f.SPC).NotTo(gomega.BeNil(), "the run could not read /ServiceProviderConfig before the specs")
					gomega.Expect(*spc).To(gomega.Equal(*f.SPC), "the configuration changed during the run")
					var on, off []string
					for _, feature := range framework.Features {
						if spc.Supported(feature) {
							on = append(on, feature)
						} else {
							off = append(off, feature)
						}
					}
					ginkgo.AddReportEntry("features", fmt.Sprintf("tested: %v; skipped as unsupported: %v", on, off))
				})
		})

		// The run never changes what it did not create, and the
		// configuration exists once per service provider, so the run has
		// none of its own to write: the writes carry the values it serves
		// and change nothing where they are applied faithfully (see
		// discoverywrites.go). The spec fails where applying one changes
		// the configuration all the same (a store that keeps only the
		// attributes it knows); a service provider that applies writes
		// faithfully is caught at /ResourceTypes and /Schemas, where the
		// run writes resources of its own.
		ginkgo.Context("a write to /ServiceProviderConfig of the values it serves", func() {
			framework.It("leaves the configuration unchanged", must,
				framework.Rule(ruleDiscoveryReadOnly),
				func(ctx context.Context) {
					keepsUnchanged(ctx, f, spcWrites(), "/ServiceProviderConfig")
				})

			framework.It("is refused with 405 or 501", should,
				framework.Rule(ruleRefuseMethod),
				func(ctx context.Context) { refusesWrites(ctx, f, spcWrites()) })
		})
	})

var _ = framework.Describe("ResourceTypes", labels(framework.LabelDiscovery, framework.LabelRFC7643, framework.LabelRFC7644),
	func(f *framework.F) {
		// list returns the resource types the target serves.
		list := func(ctx context.Context) []map[string]any {
			ginkgo.GinkgoHelper()
			return discoveryList(ctx, f, "/ResourceTypes", schemas.ResourceType)
		}

		ginkgo.Context("GET /ResourceTypes", func() {
			framework.It("returns a ListResponse of valid resource types including User", must,
				framework.Rule("RFC 7644 §4 and RFC 7643 §6: /ResourceTypes lists every resource type the service provider supports"),
				func(ctx context.Context) {
					names := make([]string, 0)
					for _, rt := range validDiscoveryList(ctx, f, "/ResourceTypes", schemas.ResourceType) {
						names = append(names, str(rt, "/name"))
					}
					gomega.Expect(names).To(gomega.ContainElement("User"))
				})

			framework.It("lists Group when the service provider serves /Groups", must,
				framework.Rule("RFC 7644 §4 and RFC 7643 §6: /ResourceTypes lists every resource type the service provider supports"),
				func(ctx context.Context) {
					probe := get(ctx, f, "/Groups", url.Values{"count": {"0"}})
					if probe.Status != 200 {
						ginkgo.Skip(fmt.Sprintf("not supported: Group (GET /Groups answered %d)", probe.Status))
					}
					names := make([]string, 0)
					for _, rt := range list(ctx) {
						names = append(names, str(rt, "/name"))
					}
					gomega.Expect(names).To(gomega.ContainElement("Group"))
				})
		})

		ginkgo.Context("GET /ResourceTypes/{id} for each listed id", func() {
			framework.It("returns the same resource type", must,
				framework.Rule("RFC 7644 §4: a resource type is retrievable at /ResourceTypes/{id}"),
				func(ctx context.Context) {
					for _, rt := range list(ctx) {
						ref := resourceTypeRef(rt)
						gomega.Expect(ref).NotTo(gomega.BeEmpty(), "a listed resource type has neither id nor name")
						x := get(ctx, f, "/ResourceTypes/"+url.PathEscape(ref), nil)
						gomega.Expect(x).To(framework.HaveStatus(200))
						gomega.Expect(x).To(framework.BeSCIM(schemas.ResourceType))
						if id := str(rt, "/id"); id != "" {
							gomega.Expect(x).To(framework.HaveJSON("/id", id))
						}
						gomega.Expect(x).To(framework.HaveJSON("/name", str(rt, "/name")))
						gomega.Expect(x).To(framework.HaveJSON("/endpoint", str(rt, "/endpoint")))
						gomega.Expect(x).To(framework.HaveJSON("/schema", str(rt, "/schema")))
					}
				})
		})

		ginkgo.Context("GET /ResourceTypes/{id} for an unknown id", func() {
			framework.It("returns 404", must,
				framework.Rule("RFC 7644 §3.12: a resource that does not exist is answered with 404 and a SCIM error"),
				func(ctx context.Context) {
					gomega.Expect(get(ctx, f, "/ResourceTypes/"+f.Name("no-such-type"), nil)).To(beNotFound())
				})
		})

		ginkgo.Context("the schema and schemaExtensions of every resource type", func() {
			framework.It("resolve at /Schemas/{urn}", must,
				framework.Rule("RFC 7643 §6: schema and schemaExtensions.schema are URIs of schemas the service provider publishes at /Schemas"),
				func(ctx context.Context) {
					for _, rt := range list(ctx) {
						urns := []string{str(rt, "/schema")}
						exts, _ := at(rt, "/schemaExtensions").([]any)
						for _, e := range exts {
							urns = append(urns, str(e, "/schema"))
						}
						for _, urn := range urns {
							gomega.Expect(urn).NotTo(gomega.BeEmpty(), "resource type %q names an empty schema URI", str(rt, "/id"))
							x := get(ctx, f, "/Schemas/"+urn, nil)
							gomega.Expect(x).To(framework.HaveStatus(200), "resource type %q names %s", str(rt, "/id"), urn)
							conforms(f, x, framework.BeSCIM(schemas.Schema), "a valid Schema")
							gomega.Expect(x).To(framework.HaveJSON("/id", urn))
						}
					}
				})
		})

		// The run never changes what it did not create: the changing
		// writes go to a run-named resource type (a POST, then a PUT, a
		// PATCH and a DELETE of its path), the User resource type receives
		// only writes of the values it has, and no existing resource type
		// is deleted (see discoverywrites.go).
		ginkgo.Context("a write to /ResourceTypes", func() {
			framework.It("leaves the resource types unchanged", must,
				framework.Rule(ruleDiscoveryReadOnly),
				func(ctx context.Context) {
					writes, path := resourceTypeWrites(ctx, f)
					keepsUnchanged(ctx, f, writes, "/ResourceTypes", path)
				})

			framework.It("is refused with 405 or 501", should,
				framework.Rule(ruleRefuseMethod),
				func(ctx context.Context) {
					writes, _ := resourceTypeWrites(ctx, f)
					refusesWrites(ctx, f, writes)
				})
		})
	})

// resourceTypeRef is how a listed resource type is addressed under
// /ResourceTypes: its id, which is OPTIONAL (RFC 7643 §6: "id The resource
// type's server unique id. This is often the same value as the "name"
// attribute."), else the last segment of its meta.location, else its name.
func resourceTypeRef(rt map[string]any) string {
	if id := str(rt, "/id"); id != "" {
		return id
	}
	if loc := str(rt, "/meta/location"); loc != "" {
		if u, err := url.Parse(loc); err == nil && path.Base(u.Path) != "." && path.Base(u.Path) != "/" {
			return path.Base(u.Path)
		}
	}
	return str(rt, "/name")
}

// attributeCharacteristics lists, for a failure message, what an attribute
// definition of /Schemas lacks or gets wrong (RFC 7643 §7).
func attributeCharacteristics(path string, a map[string]any) []string {
	var out []string
	name, _ := a["name"].(string)
	if name == "" {
		out = append(out, path+": no name")
	}
	path += "." + name
	oneOf := func(key string, allowed ...string) {
		v, ok := a[key].(string)
		if !ok || !slices.Contains(allowed, v) {
			out = append(out, fmt.Sprintf("%s: %s is %v, expected one of %v", path, key, a[key], allowed))
		}
	}
	oneOf("type", "string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex")
	oneOf("mutability", "readOnly", "readWrite", "immutable", "writeOnly")
	oneOf("returned", "always", "never", "default", "request")
	for _, key := range []string{"multiValued", "required"} {
		if _, ok := a[key].(bool); !ok {
			out = append(out, fmt.Sprintf("%s: %s is %v, expected a boolean", path, key, a[key]))
		}
	}
	switch a["type"] {
	case "complex":
		subs, ok := a["subAttributes"].([]any)
		if !ok || len(subs) == 0 {
			out = append(out, path+": a complex attribute without subAttributes")
		}
		for _, s := range subs {
			sub, _ := s.(map[string]any)
			out = append(out, attributeCharacteristics(path, sub)...)
		}
	case "reference":
		if refs, ok := a["referenceTypes"].([]any); !ok || len(refs) == 0 {
			out = append(out, path+": a reference attribute without referenceTypes")
		}
	}
	return out
}

var _ = framework.Describe("Schemas", labels(framework.LabelDiscovery, framework.LabelRFC7643, framework.LabelRFC7644),
	func(f *framework.F) {
		// list returns the schemas the target serves.
		list := func(ctx context.Context) []map[string]any {
			ginkgo.GinkgoHelper()
			return discoveryList(ctx, f, "/Schemas", schemas.Schema)
		}

		ginkgo.Context("GET /Schemas", func() {
			framework.It("returns a ListResponse of valid schemas including the core User schema", must, ginkgo.Label(framework.LabelSourceEntra),
				framework.Rule("RFC 7644 §4 and RFC 7643 §7: /Schemas lists the schemas the service provider supports"),
				func(ctx context.Context) {
					ids := make([]string, 0)
					for _, s := range validDiscoveryList(ctx, f, "/Schemas", schemas.Schema) {
						ids = append(ids, str(s, "/id"))
					}
					gomega.Expect(ids).To(gomega.ContainElement(framework.UserSchema))
				})

			framework.It("declares name, type, multiValued, required, mutability and returned for every attribute", must,
				framework.Rule("RFC 7643 §7: every attribute definition carries its characteristics; complex ones their subAttributes, references their referenceTypes"),
				func(ctx context.Context) {
					var problems []string
					for _, s := range list(ctx) {
						attrs, _ := at(s, "/attributes").([]any)
						if len(attrs) == 0 {
							problems = append(problems, str(s, "/id")+": no attributes")
						}
						for _, a := range attrs {
							def, _ := a.(map[string]any)
							problems = append(problems, attributeCharacteristics(str(s, "/id"), def)...)
						}
					}
					gomega.Expect(problems).To(gomega.BeEmpty())
				})
		})

		ginkgo.Context("GET /Schemas/{id} for each listed id", func() {
			framework.It("returns the same schema", must,
				framework.Rule("RFC 7644 §4: a schema is retrievable at /Schemas/{id}, its URI"),
				func(ctx context.Context) {
					for _, s := range list(ctx) {
						id := str(s, "/id")
						x := get(ctx, f, "/Schemas/"+id, nil)
						gomega.Expect(x).To(framework.HaveStatus(200))
						gomega.Expect(x).To(framework.BeSCIM(schemas.Schema))
						gomega.Expect(x).To(framework.HaveJSON("/id", id))
						listed, _ := at(s, "/attributes").([]any)
						gomega.Expect(x).To(framework.HaveJSON("/attributes", gomega.HaveLen(len(listed))))
					}
				})
		})

		ginkgo.Context("GET /Schemas/{id} for an unknown id", func() {
			framework.It("returns 404", must,
				framework.Rule("RFC 7644 §3.12: a resource that does not exist is answered with 404 and a SCIM error"),
				func(ctx context.Context) {
					x := get(ctx, f, "/Schemas/urn:ietf:params:scim:schemas:extension:"+f.Name("none")+":2.0:User", nil)
					gomega.Expect(x).To(beNotFound())
				})
		})

		// The run never changes what it did not create: the changing
		// writes go to a run-named schema (a POST, then a PUT, a PATCH and
		// a DELETE of its path), the core User schema receives only writes
		// of the values it has, and no existing schema is deleted (see
		// discoverywrites.go).
		ginkgo.Context("a write to /Schemas", func() {
			framework.It("leaves the schemas unchanged", must,
				framework.Rule(ruleDiscoveryReadOnly),
				func(ctx context.Context) {
					keepsUnchanged(ctx, f, schemaWrites(f), "/Schemas", "/Schemas/"+framework.UserSchema)
				})

			framework.It("is refused with 405 or 501", should,
				framework.Rule(ruleRefuseMethod),
				func(ctx context.Context) { refusesWrites(ctx, f, schemaWrites(f)) })
		})
	})

// discoveryGet GETs a discovery endpoint and asserts 200.
func discoveryGet(ctx context.Context, f *framework.F, path string) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	x := get(ctx, f, path, nil)
	gomega.Expect(x).To(framework.HaveStatus(200))
	return x
}

// discoveryList GETs a discovery collection and returns its resources. That
// the answer is a valid ListResponse of kind is the rule of the spec
// "returns a ListResponse of valid ..." of the collection; here a violation
// is a warning.
func discoveryList(ctx context.Context, f *framework.F, path string, kind schemas.Kind) []map[string]any {
	ginkgo.GinkgoHelper()
	x := discoveryGet(ctx, f, path)
	conforms(f, x, framework.BeSCIMList(kind), "a valid ListResponse of "+string(kind))
	return resources(x)
}

// validDiscoveryList is discoveryList for the spec that owns the validity of
// the ListResponse: an invalid one fails it.
func validDiscoveryList(ctx context.Context, f *framework.F, path string, kind schemas.Kind) []map[string]any {
	ginkgo.GinkgoHelper()
	x := discoveryGet(ctx, f, path)
	gomega.Expect(x).To(framework.BeSCIMList(kind))
	return resources(x)
}
