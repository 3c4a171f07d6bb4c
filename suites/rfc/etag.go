package rfc

import (
	"context"
	"net/http"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

// version returns meta.version of a resource answer. Without one the spec
// is skipped: that a service provider supporting etag serves meta.version
// is the rule of the specs "returns an ETag header equal to meta.version".
func version(x *scimclient.Exchange) string {
	ginkgo.GinkgoHelper()
	v := str(decode(x), "/meta/version")
	if v == "" {
		ginkgo.Skip("the resource carries no meta.version although etag is supported: the specs \"returns an ETag header equal to meta.version\" report that")
	}
	return v
}

// expectETagIsVersion asserts that the ETag header of an answer equals its
// meta.version (RFC 7643 §3.1).
func expectETagIsVersion(x *scimclient.Exchange) {
	ginkgo.GinkgoHelper()
	etag := x.RespHeader.Get("ETag")
	gomega.Expect(etag).NotTo(gomega.BeEmpty(), "no ETag header\n%s", framework.DescribeExchange(x))
	gomega.Expect(x).To(framework.HaveJSON("/meta/version", etag))
}

// withHeader sends method path with a JSON body (nil for none) and one
// extra header. A GET or PATCH answered 404 is retried once, as
// settledGet does.
func withHeader(ctx context.Context, f *framework.F, method, path string, body any, name, value string) *scimclient.Exchange {
	r := scimclient.Request{Method: method, Path: path, Header: http.Header{name: {value}}}
	if body != nil {
		r.Body = framework.MustJSON(body)
	}
	x := f.Do(ctx, r)
	if (method == "GET" || method == "PATCH") && x.Status == 404 {
		x = f.Do(ctx, r)
	}
	return x
}

var _ = framework.Describe("ETags and versions", labels(framework.LabelETag, framework.LabelRFC7644, framework.LabelRFC7643, framework.FeatureETag),
	func(f *framework.F) {
		ginkgo.BeforeEach(func() { f.RequireFeature(framework.FeatureETag) })

		// staleUser creates a user, changes it once with PUT and returns its
		// id, the body now stored and the version from before the change.
		staleUser := func(ctx context.Context) (string, map[string]any, string) {
			ginkgo.GinkgoHelper()
			body := f.UserBody(map[string]any{"title": "First"})
			id, created := f.MakeUser(ctx, body)
			stale := version(created)
			body["title"] = "Second"
			gomega.Expect(send(ctx, f, "PUT", userPath(id), body)).To(framework.HaveStatus(200))
			if version(fetch(ctx, f, userPath(id))) == stale {
				ginkgo.Skip("the PUT did not change meta.version, so no version is stale: the spec \"a PUT that changes the user changes meta.version\" reports that")
			}
			return id, body, stale
		}

		ginkgo.Context("POST /Users", func() {
			framework.It("returns an ETag header equal to meta.version", must,
				framework.Rule("RFC 7644 §3.14 and RFC 7643 §3.1: meta.version is the same as the ETag response header"),
				func(ctx context.Context) {
					_, x := f.MakeUser(ctx, f.UserBody(nil))
					expectETagIsVersion(x)
				})
		})

		ginkgo.Context("GET /Users/{id}", func() {
			framework.It("returns an ETag header equal to meta.version", must,
				framework.Rule("RFC 7644 §3.14 and RFC 7643 §3.1: meta.version is the same as the ETag response header"),
				func(ctx context.Context) {
					id, _ := f.MakeUser(ctx, f.UserBody(nil))
					expectETagIsVersion(fetch(ctx, f, userPath(id)))
				})

			framework.It("returns the same version twice when nothing changed in between", must,
				framework.Rule("RFC 7644 §3.14: the version identifies the state of the resource; reads do not change it"),
				func(ctx context.Context) {
					id, _ := f.MakeUser(ctx, f.UserBody(nil))
					first := version(fetch(ctx, f, userPath(id)))
					gomega.Expect(version(fetch(ctx, f, userPath(id)))).To(gomega.Equal(first))
				})
		})

		ginkgo.Context("PUT /Users/{id}", func() {
			framework.It("returns an ETag header equal to the new meta.version", must,
				framework.Rule("RFC 7644 §3.14 and RFC 7643 §3.1: meta.version is the same as the ETag response header"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, _ := f.MakeUser(ctx, body)
					body["title"] = "Changed"
					x := send(ctx, f, "PUT", userPath(id), body)
					gomega.Expect(x).To(framework.HaveStatus(200))
					conforms(f, x, framework.BeSCIM(schemas.User), "a valid User")
					expectETagIsVersion(x)
				})
		})

		ginkgo.Context("GET /Users/{id} with If-None-Match of the current version", func() {
			framework.It("returns 304 Not Modified without a body", must,
				framework.Rule("RFC 7644 §3.14 (RFC 9110 §13.1.2): If-None-Match naming the current version is answered 304"),
				func(ctx context.Context) {
					id, created := f.MakeUser(ctx, f.UserBody(nil))
					x := withHeader(ctx, f, "GET", userPath(id), nil, "If-None-Match", version(created))
					gomega.Expect(x).To(framework.HaveStatus(304))
					gomega.Expect(x.RespBody).To(gomega.BeEmpty(), "a 304 answer has no body")
				})
		})

		ginkgo.Context("GET /Users/{id} with If-None-Match of an older version", func() {
			framework.It("returns 200 with the user", must,
				framework.Rule("RFC 7644 §3.14 (RFC 9110 §13.1.2): If-None-Match not naming the current version is answered normally"),
				func(ctx context.Context) {
					id, _, stale := staleUser(ctx)
					x := withHeader(ctx, f, "GET", userPath(id), nil, "If-None-Match", stale)
					gomega.Expect(x).To(framework.HaveStatus(200))
					conforms(f, x, framework.BeSCIM(schemas.User), "a valid User")
					gomega.Expect(x).To(framework.HaveJSON("/title", "Second"))
				})
		})

		ginkgo.Context("PUT /Users/{id} with a stale If-Match", func() {
			framework.It("returns 412 and leaves the user unchanged", must,
				framework.Rule("RFC 7644 §3.14 and §3.12: a write whose If-Match does not name the current version fails with 412 Precondition Failed"),
				func(ctx context.Context) {
					id, body, stale := staleUser(ctx)
					body["title"] = "Lost update"
					gomega.Expect(withHeader(ctx, f, "PUT", userPath(id), body, "If-Match", stale)).To(framework.HaveStatus(412))
					gomega.Expect(fetch(ctx, f, userPath(id))).To(framework.HaveJSON("/title", "Second"))
				})
		})

		ginkgo.Context("PATCH /Users/{id} with a stale If-Match", func() {
			framework.It("returns 412 and leaves the user unchanged", must,
				framework.Rule("RFC 7644 §3.14 and §3.12: a write whose If-Match does not name the current version fails with 412 Precondition Failed"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeaturePatch)
					id, _, stale := staleUser(ctx)
					x := withHeader(ctx, f, "PATCH", userPath(id), patchBody(op("replace", "title", "Lost update")), "If-Match", stale)
					gomega.Expect(x).To(framework.HaveStatus(412))
					gomega.Expect(fetch(ctx, f, userPath(id))).To(framework.HaveJSON("/title", "Second"))
				})
		})

		ginkgo.Context("DELETE /Users/{id} with a stale If-Match", func() {
			framework.It("returns 412 and keeps the user", must,
				framework.Rule("RFC 7644 §3.14 and §3.12: a write whose If-Match does not name the current version fails with 412 Precondition Failed"),
				func(ctx context.Context) {
					id, _, stale := staleUser(ctx)
					gomega.Expect(withHeader(ctx, f, "DELETE", userPath(id), nil, "If-Match", stale)).To(framework.HaveStatus(412))
					gomega.Expect(settledGet(ctx, f, userPath(id), nil)).To(framework.HaveStatus(200), "the refused DELETE deleted the user")
				})
		})

		ginkgo.Context("PUT /Users/{id} with If-Match of the current version", func() {
			framework.It("applies the change", must,
				framework.Rule("RFC 7644 §3.14: a write whose If-Match names the current version proceeds"),
				func(ctx context.Context) {
					id, body, _ := staleUser(ctx)
					current := version(fetch(ctx, f, userPath(id)))
					body["title"] = "Third"
					gomega.Expect(withHeader(ctx, f, "PUT", userPath(id), body, "If-Match", current)).To(framework.HaveStatus(200))
					gomega.Expect(fetch(ctx, f, userPath(id))).To(framework.HaveJSON("/title", "Third"))
				})
		})

		ginkgo.Context("PUT /Users/{id} with If-Match: *", func() {
			framework.It("applies the change", should,
				framework.Rule("RFC 7644 §3.14 (RFC 9110 §13.1.1): If-Match: * matches any current version"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, _ := f.MakeUser(ctx, body)
					body["title"] = "Any"
					gomega.Expect(withHeader(ctx, f, "PUT", userPath(id), body, "If-Match", "*")).To(framework.HaveStatus(200))
					gomega.Expect(fetch(ctx, f, userPath(id))).To(framework.HaveJSON("/title", "Any"))
				})
		})

		ginkgo.Context("a PUT that changes the user", func() {
			framework.It("changes meta.version", must,
				framework.Rule("RFC 7644 §3.14 and RFC 7643 §3.1: the version changes whenever the resource changes"),
				func(ctx context.Context) {
					body := f.UserBody(map[string]any{"title": "First"})
					id, created := f.MakeUser(ctx, body)
					before := version(created)
					body["title"] = "Second"
					gomega.Expect(send(ctx, f, "PUT", userPath(id), body)).To(framework.HaveStatus(200))
					gomega.Expect(version(fetch(ctx, f, userPath(id)))).NotTo(gomega.Equal(before))
				})
		})

		ginkgo.Context("a PATCH that changes the user", func() {
			framework.It("changes meta.version", must,
				framework.Rule("RFC 7644 §3.14 and RFC 7643 §3.1: the version changes whenever the resource changes"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeaturePatch)
					id, created := f.MakeUser(ctx, f.UserBody(map[string]any{"title": "First"}))
					before := version(created)
					gomega.Expect(patch(ctx, f, userPath(id), op("replace", "title", "Patched"))).To(patched())
					after := fetch(ctx, f, userPath(id))
					if str(decode(after), "/title") != "Patched" {
						ginkgo.Skip("the PATCH did not change the user: the patch area reports that")
					}
					gomega.Expect(version(after)).NotTo(gomega.Equal(before))
				})
		})

		ginkgo.Context("a PATCH adding a value the user already has", func() {
			framework.It("keeps meta.version and meta.lastModified", must,
				framework.Rule("RFC 7644 §3.5.2.1: adding a value already present makes no change and SHALL NOT change the modify timestamp; §3.14: the version changes only when the resource does"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeaturePatch)
					id, created := f.MakeUser(ctx, f.UserBody(map[string]any{"title": "Same"}))
					before := decode(created)
					// Let the clock move past lastModified's precision, so that a
					// bumped timestamp shows.
					time.Sleep(5 * time.Millisecond)
					gomega.Expect(patch(ctx, f, userPath(id), op("add", "title", "Same"))).To(patched())
					after := fetch(ctx, f, userPath(id))
					gomega.Expect(version(after)).To(gomega.Equal(str(before, "/meta/version")))
					gomega.Expect(after).To(framework.HaveJSON("/meta/lastModified", str(before, "/meta/lastModified")))
				})
		})
	})
