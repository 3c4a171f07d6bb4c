package framework

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/scimclient"
)

// Schema URNs used by the body helpers.
const (
	UserSchema           = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupSchema          = "urn:ietf:params:scim:schemas:core:2.0:Group"
	EnterpriseUserSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	PatchOpSchema        = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	ListResponseSchema   = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	SearchRequestSchema  = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
	ErrorSchema          = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// Name returns a unique name carrying the run prefix: "<RunID>-<s>-<n>".
// Everything a spec creates must be named through it so that the residue
// check after the run finds whatever cleanup missed.
func (f *F) Name(s string) string {
	n := f.env.names.Add(1)
	if p := ginkgo.GinkgoParallelProcess(); p > 1 {
		return fmt.Sprintf("%s-%s-%d-%d", f.RunID, s, p, n)
	}
	return fmt.Sprintf("%s-%s-%d", f.RunID, s, n)
}

// UserBody returns a valid, run-prefixed User: userName, externalId, name,
// displayName, a primary work email and active=true. Each key of overrides
// replaces the default; a nil value removes the attribute.
func (f *F) UserBody(overrides map[string]any) map[string]any {
	name := f.Name("user")
	body := map[string]any{
		"schemas":     []any{UserSchema},
		"userName":    name + "@example.com",
		"externalId":  name,
		"displayName": "Conformance " + name,
		"name":        map[string]any{"givenName": "Conformance", "familyName": name, "formatted": "Conformance " + name},
		"emails":      []any{map[string]any{"value": name + "@example.com", "type": "work", "primary": true}},
		"active":      true,
	}
	return merge(body, overrides)
}

// GroupBody returns a valid, run-prefixed Group with no members; overrides
// work as in UserBody.
func (f *F) GroupBody(overrides map[string]any) map[string]any {
	name := f.Name("group")
	body := map[string]any{
		"schemas":     []any{GroupSchema},
		"displayName": name,
		"externalId":  name,
	}
	return merge(body, overrides)
}

func merge(body, overrides map[string]any) map[string]any {
	out := maps.Clone(body)
	for k, v := range overrides {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// CreateUser POSTs body to /Users, asserts 201 with an id, registers the
// user with the tracker and returns its id and the exchange.
func (f *F) CreateUser(ctx context.Context, body map[string]any) (string, *scimclient.Exchange) {
	ginkgo.GinkgoHelper()
	return f.create(ctx, "User", "/Users", body, "create %s", 201)
}

// CreateGroup POSTs body to /Groups, asserts 201 with an id, registers the
// group with the tracker and returns its id and the exchange.
func (f *F) CreateGroup(ctx context.Context, body map[string]any) (string, *scimclient.Exchange) {
	ginkgo.GinkgoHelper()
	return f.create(ctx, "Group", "/Groups", body, "create %s", 201)
}

// create POSTs body to path, registers what it created with the tracker, and
// asserts one of the statuses (what names the check in the failure) and an id.
func (f *F) create(ctx context.Context, kind, path string, body map[string]any, what string, statuses ...int) (string, *scimclient.Exchange) {
	ginkgo.GinkgoHelper()
	x := f.Do(ctx, scimclient.Request{Method: "POST", Path: path, Body: MustJSON(body)})
	id := ""
	if x.Status >= 200 && x.Status < 300 {
		if doc, err := x.JSON(); err == nil {
			id, _ = doc["id"].(string)
		}
		if id != "" {
			f.Track(kind, path+"/"+id)
		}
	}
	gomega.Expect(x).To(HaveStatus(statuses...), what, kind)
	if id == "" {
		fail(fmt.Sprintf("the created %s has no \"id\": RFC 7643 §3.1 says the service provider assigns it and returns it always\n%s", kind, describeExchange(x)), 0)
	}
	return id, x
}

// Track registers a resource the spec created by other means (path like
// "/Users/<id>") so that it is deleted after the spec.
func (f *F) Track(kind, path string) {
	f.Tracker.Track(kind, path)
}

// CleanupBudget bounds the cleanup of one tracker, also after the run was
// interrupted or passed its -deadline.
const CleanupBudget = 2 * time.Minute

// cleanup returns the DeferCleanup body for a tracker: delete everything in
// reverse order (404 counts as done) and fail with every error, or, with
// -keep, only say what was left in place.
func (f *F) cleanup(t *runner.Tracker) func(ginkgo.SpecContext) {
	return func(sctx ginkgo.SpecContext) {
		if f.Config.Keep {
			ginkgo.AddReportEntry(EntryCleanup, "skipped: -keep is set, created resources are left in place", ginkgo.ReportEntryVisibilityNever)
			return
		}
		ctx, cancel := context.WithTimeout(sctx, CleanupBudget)
		defer cancel()
		errs := t.Cleanup(ctx)
		if len(errs) == 0 {
			return
		}
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		ginkgo.AddReportEntry(EntryCleanup, strings.Join(msgs, "\n"), ginkgo.ReportEntryVisibilityNever)
		ginkgo.Fail(fmt.Sprintf("cleanup left %d resource(s) behind:\n%v", len(errs), errors.Join(errs...)))
	}
}
