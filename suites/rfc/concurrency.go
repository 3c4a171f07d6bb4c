package rfc

import (
	"context"
	"fmt"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

// Sizes of the concurrent bursts: what Microsoft Entra ID sends when it
// assigns many users to one group, or retries a create.
const (
	parallelMemberAdds = 20
	parallelCreates    = 10
	// concurrencyBudget bounds a whole concurrency spec, setup included.
	concurrencyBudget = 3 * time.Minute
)

var _ = framework.Describe("Concurrent requests", labels(framework.LabelConcurrency, framework.LabelRFC7644),
	func(f *framework.F) {
		ginkgo.Context(itoa(parallelMemberAdds)+" concurrent PATCHes each adding one member to a group", func() {
			framework.It("keep every member", must, ginkgo.Label(framework.LabelSourceEntra), ginkgo.SpecTimeout(concurrencyBudget),
				framework.Rule("RFC 7644 §3.5.2: each PATCH is applied in full; concurrent member adds without If-Match must not lose updates"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeaturePatch)
					gid, kept := memberAddWorks(ctx, f)
					users := make([]string, parallelMemberAdds)
					reqs := make([]scimclient.Request, parallelMemberAdds)
					for i := range users {
						users[i], _ = f.MakeUser(ctx, f.UserBody(nil))
						reqs[i] = scimclient.Request{Method: "PATCH", Path: groupPath(gid),
							Body: framework.MustJSON(patchBody(op("add", "members", members(users[i]))))}
					}
					for _, x := range f.DoConcurrently(ctx, reqs) {
						gomega.Expect(x).To(patched())
					}
					got := memberIDs(decode(fetch(ctx, f, groupPath(gid))))
					gomega.Expect(got).To(gomega.ConsistOf(append(kept, users...)), "members after %d concurrent adds (%d kept)", parallelMemberAdds, len(got))
				})
		})

		ginkgo.Context(itoa(parallelCreates)+" concurrent POSTs of users with the same userName", func() {
			framework.It("create exactly one user and answer 409 to the others", must, ginkgo.SpecTimeout(concurrencyBudget),
				framework.Rule("RFC 7643 §4.1.1: userName is unique; RFC 7644 §3.3: a create that would duplicate it fails with 409, also under concurrency"),
				func(ctx context.Context) {
					uniquenessWorks(ctx, f)
					name := f.Name("race") + "@example.com"
					reqs := make([]scimclient.Request, parallelCreates)
					for i := range reqs {
						reqs[i] = scimclient.Request{Method: "POST", Path: "/Users", Body: framework.MustJSON(f.UserBody(map[string]any{"userName": name}))}
					}
					created, conflicts := 0, 0
					for _, x := range f.DoConcurrently(ctx, reqs) {
						trackIfCreated(f, "User", "/Users", x)
						switch {
						case x.Status == 200 || x.Status == 201: // 201 itself is the users area's rule
							created++
						case x.Status == 409:
							conflicts++
						default:
							gomega.Expect(x).To(framework.HaveStatus(201, 409))
						}
					}
					gomega.Expect(created).To(gomega.Equal(1), "%d of %d concurrent creates of %s succeeded", created, parallelCreates, name)
					gomega.Expect(conflicts).To(gomega.Equal(parallelCreates - 1))
				})
		})

		ginkgo.Context("GET /Users/{id} right after the POST", func() {
			framework.It("returns the created user", must,
				framework.Rule("RFC 7644 §3.3: the resource exists once the 201 answer is sent (read-your-writes)"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, _ := f.MakeUser(ctx, body)
					x := get(ctx, f, userPath(id), nil)
					gomega.Expect(x).To(framework.HaveStatus(200))
					conforms(f, x, framework.BeSCIM(schemas.User), "a valid User")
					gomega.Expect(x).To(framework.HaveJSON("/userName", body["userName"]))
				})
		})

		ginkgo.Context("PATCH /Users/{id} right after the POST", func() {
			framework.It("finds the created user", must,
				framework.Rule("RFC 7644 §3.3 and §3.5.2: the resource exists once the 201 answer is sent; an immediate PATCH finds it"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeaturePatch)
					id, _ := f.MakeUser(ctx, f.UserBody(nil))
					// Found is enough: that the change is stored is the patch area's rule.
					gomega.Expect(patchOnce(ctx, f, userPath(id), op("replace", "title", "Right after"))).To(patched())
				})
		})
	})

// memberAddWorks creates a group with one member and adds a second one with
// a single PATCH. Unless that works, the spec is skipped: add semantics are
// the patch area's rule, concurrency is this area's. It returns the group
// and its two members.
func memberAddWorks(ctx context.Context, f *framework.F) (string, []string) {
	ginkgo.GinkgoHelper()
	first, _ := f.MakeUser(ctx, f.UserBody(nil))
	second, _ := f.MakeUser(ctx, f.UserBody(nil))
	gid, _ := f.MakeGroup(ctx, f.GroupBody(map[string]any{"members": members(first)}))
	x := patch(ctx, f, groupPath(gid), op("add", "members", members(second)))
	got := memberIDs(decode(fetch(ctx, f, groupPath(gid))))
	if x.Status > 299 || len(got) != 2 {
		ginkgo.Skip(fmt.Sprintf("one PATCH adding a member does not keep both members (status %d, %d members): the patch area reports that", x.Status, len(got)))
	}
	return gid, []string{first, second}
}

// uniquenessWorks skips the spec unless a sequential duplicate userName is
// refused with 409: uniqueness itself is the users area's rule; this area
// checks it under concurrency.
func uniquenessWorks(ctx context.Context, f *framework.F) {
	ginkgo.GinkgoHelper()
	taken := f.UserBody(nil)
	f.MakeUser(ctx, taken)
	x := send(ctx, f, "POST", "/Users", f.UserBody(map[string]any{"userName": taken["userName"]}))
	trackIfCreated(f, "User", "/Users", x)
	if x.Status != 409 {
		ginkgo.Skip(fmt.Sprintf("a sequential duplicate userName answered %d, not 409: the users area reports that", x.Status))
	}
}
