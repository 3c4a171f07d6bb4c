package framework

import (
	"context"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
)

// DoConcurrently sends every request at the same moment, waits for all of
// them and records the redacted exchanges in request order. It is for specs
// about concurrent behaviour: f.Do records from the spec's goroutine, this
// records only after every goroutine is done. The whole batch is bounded
// like one f.Do call.
func (f *F) DoConcurrently(ctx context.Context, reqs []scimclient.Request) []*scimclient.Exchange {
	ginkgo.GinkgoHelper()
	ctx, cancel := context.WithTimeout(ctx, f.env.requestBudget())
	defer cancel()
	out := make([]*scimclient.Exchange, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = f.Client.Do(ctx, r)
		}()
	}
	close(start) // release every request at once to maximise overlap
	wg.Wait()
	// Every exchange is recorded before the first server failure, if any,
	// fails the spec (see Record).
	var failed *scimclient.Record
	reason := ""
	for _, x := range out {
		rec := f.Client.Redactor().Exchange(x)
		if r := record(rec); r != "" && failed == nil {
			failed, reason = &rec, r
		}
	}
	if failed != nil {
		fail(serverFailureMessage(reason, *failed), 1)
	}
	AbortIfTargetUnusable(f.Client)
	return out
}

// RecordWith attaches an exchange made by another client (e.g. one holding
// a deliberately wrong credential) to the spec's transcript, redacted by
// that client's redactor and by the run's own.
func RecordWith(c *scimclient.Client, x *scimclient.Exchange) {
	ginkgo.GinkgoHelper()
	rec := c.Redactor().Exchange(x)
	if r := redactor(); r != nil {
		rec.RespBody = r.String(rec.RespBody)
		rec.ReqBody = r.String(rec.ReqBody)
	}
	Record(rec)
}

// DescribeExchange renders an exchange for a failure message the way the
// SCIM matchers do: redacted, bodies truncated.
func DescribeExchange(x *scimclient.Exchange) string { return describeExchange(x) }

// BeSCIMPartial is BeSCIM for a partial representation, the answer to a
// request with attributes or excludedAttributes (RFC 7644 §3.9): the body
// must validate as kind except that attributes the request left out may be
// missing, even required ones; "schemas" and "id" (returned always) may not.
func BeSCIMPartial(kind schemas.Kind) types.GomegaMatcher {
	return partialMatcher(kind, "", "", schemas.Validate)
}

// BeSCIMPartialList is BeSCIMList for a query whose resources are partial
// representations (see BeSCIMPartial).
func BeSCIMPartialList(kind schemas.Kind) types.GomegaMatcher {
	return partialMatcher(kind, "ListResponse of ", "/Resources/", schemas.ValidateList)
}

// missingRequired is the message schemas.Validate gives a missing required
// attribute.
const missingRequired = "required attribute is missing"

// within is the pointer prefix of the partial resources in the body.
func partialMatcher(kind schemas.Kind, what, within string, validate func(schemas.Kind, []byte) ([]schemas.Violation, error)) types.GomegaMatcher {
	return &exchangeMatcher{
		expect: fmt.Sprintf("be a valid partial SCIM %s%s (%s)", what, kind, SCIMMediaType),
		check: func(x *scimclient.Exchange) []string {
			out := contentTypeProblems(x)
			vs, err := validate(kind, x.RespBody)
			if err != nil {
				return append(out, fmt.Sprintf("body cannot be validated as %s: %v", kind, err))
			}
			for _, v := range vs {
				if v.Message == missingRequired && strings.HasPrefix(v.Path, within) {
					if name := path.Base(v.Path); name != "schemas" && name != "id" {
						continue
					}
				}
				out = append(out, "schema: "+v.String())
			}
			return out
		},
	}
}

// MakeUser creates a user as test data for a spec about something else:
// like CreateUser it POSTs, registers the user for cleanup and fails the
// spec without an id, but it accepts any 2xx status, so that a target
// answering 200 instead of 201 fails the specs about creation only.
func (f *F) MakeUser(ctx context.Context, body map[string]any) (string, *scimclient.Exchange) {
	ginkgo.GinkgoHelper()
	return f.create(ctx, "User", "/Users", body, "create %s as test data", 200, 201)
}

// MakeGroup is MakeUser for groups.
func (f *F) MakeGroup(ctx context.Context, body map[string]any) (string, *scimclient.Exchange) {
	ginkgo.GinkgoHelper()
	return f.create(ctx, "Group", "/Groups", body, "create %s as test data", 200, 201)
}
