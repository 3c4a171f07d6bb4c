package rfc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/runner/jsonptr"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// labels returns a Ginkgo label decorator; a shorthand for the many specs
// that carry an area, a source and a level.
func labels(l ...string) ginkgo.Labels { return ginkgo.Label(l...) }

// must and should are the level labels of an It.
var (
	must   = ginkgo.Label(framework.LabelMust)
	should = ginkgo.Label(framework.LabelShould)
)

// get sends GET path with the query (nil for none).
func get(ctx context.Context, f *framework.F, path string, query url.Values) *scimclient.Exchange {
	return f.Do(ctx, scimclient.Request{Method: "GET", Path: path, RawQuery: query.Encode()})
}

// send sends method path with body encoded as JSON (nil for no body).
func send(ctx context.Context, f *framework.F, method, path string, body any) *scimclient.Exchange {
	r := scimclient.Request{Method: method, Path: path}
	if body != nil {
		r.Body = framework.MustJSON(body)
	}
	return f.Do(ctx, r)
}

// decode returns the response body as a JSON object, failing the spec when
// it is not one. It fails through Gomega, so that in a SHOULD-level spec an
// answer it cannot read is a warning like any other failed expectation.
func decode(x *scimclient.Exchange) map[string]any {
	ginkgo.GinkgoHelper()
	var doc map[string]any
	err := json.Unmarshal(x.RespBody, &doc)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "the response body is not a JSON object\n%s", framework.DescribeExchange(x))
	return doc
}

// at returns the value at a JSON Pointer of doc (nil when absent).
func at(doc any, pointer string) any {
	v, _, _ := jsonptr.Lookup(doc, pointer, jsonptr.Unique)
	return v
}

// str returns the string at a JSON Pointer of doc ("" when absent or not a
// string).
func str(doc any, pointer string) string {
	s, _ := at(doc, pointer).(string)
	return s
}

// resources returns the Resources of a ListResponse body, failing the spec
// (through Gomega, as decode) when the body is not one.
func resources(x *scimclient.Exchange) []map[string]any {
	ginkgo.GinkgoHelper()
	var list struct {
		Resources []map[string]any `json:"Resources"`
	}
	err := json.Unmarshal(x.RespBody, &list)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "the response body is not a ListResponse\n%s", framework.DescribeExchange(x))
	return list.Resources
}

// values returns the string at pointer in every resource of a ListResponse,
// in response order.
func values(x *scimclient.Exchange, pointer string) []string {
	ginkgo.GinkgoHelper()
	var out []string
	for _, r := range resources(x) {
		out = append(out, str(r, pointer))
	}
	return out
}

// beError matches an error answer by its status and, when the body names
// one, its scimType. The shape of the Error itself (media type, schema,
// status as a string, scimType present) is the errors area's to check with
// HaveSCIMError, so that a server with malformed error bodies fails those
// specs and not every area that provokes an error.
func beError(status int, scimTypes ...string) types.GomegaMatcher {
	if len(scimTypes) == 0 || scimTypes[0] == "" {
		return framework.HaveStatus(status)
	}
	return gomega.And(framework.HaveStatus(status), &scimTypeMatcher{want: scimTypes})
}

// beNotFound matches a 404 answer (see beError for why the body is not
// checked here).
func beNotFound() types.GomegaMatcher { return framework.HaveStatus(404) }

// scimTypeMatcher succeeds unless the body is a JSON object whose scimType
// is none of want: a wrong scimType fails, an absent one is left to the
// errors area.
type scimTypeMatcher struct {
	want []string
	got  string
	x    *scimclient.Exchange
}

func (m *scimTypeMatcher) Match(actual any) (bool, error) {
	x, ok := actual.(*scimclient.Exchange)
	if !ok || x == nil {
		return false, fmt.Errorf("scimType matcher expects a *scimclient.Exchange, got %T", actual)
	}
	m.x = x
	var body struct {
		ScimType *string `json:"scimType"`
	}
	if json.Unmarshal(x.RespBody, &body) != nil || body.ScimType == nil {
		return true, nil
	}
	m.got = *body.ScimType
	return slices.Contains(m.want, m.got), nil
}

func (m *scimTypeMatcher) FailureMessage(any) string {
	return fmt.Sprintf("Expected scimType %s, got %q (RFC 7644 §3.12)\n%s", strings.Join(m.want, " or "), m.got, framework.DescribeExchange(m.x))
}

func (m *scimTypeMatcher) NegatedFailureMessage(any) string {
	return fmt.Sprintf("Expected a scimType other than %s\n%s", strings.Join(m.want, " or "), framework.DescribeExchange(m.x))
}

// conforms checks x against a rule that other specs own (a valid
// representation, a ListResponse, the media type) and reports a violation
// on this spec as a warning instead of failing it: a spec's verdict is its
// own rule, and the owning specs fail for the violation. what names the
// expectation in the warning.
func conforms(f *framework.F, x *scimclient.Exchange, m types.GomegaMatcher, what string) {
	f.Should(what+" (another spec's rule, seen on the way)", func() { gomega.Expect(x).To(m) })
}

// searchNotSupported reports why a POST to a /.search endpoint was answered
// as unsupported, or "" when it was not: RFC 7644 §3.4.3 makes search by
// POST a client option ("Clients MAY execute queries without passing
// parameters on the URL by using the HTTP POST verb combined with the
// "/.search" path extension") and defines no capability for it, so a 501
// Not Implemented (RFC 7644 §3.12), or a 404 or 405 carrying a SCIM Error,
// says the service provider does not offer it.
func searchNotSupported(x *scimclient.Exchange) string {
	switch {
	case x.Status == 501:
		return "501 Not Implemented"
	case (x.Status == 404 || x.Status == 405) && isSCIMError(x):
		return fmt.Sprintf("%d with a SCIM Error", x.Status)
	}
	return ""
}

// isSCIMError reports whether the body of x is a SCIM Error (its schemas
// name the Error schema).
func isSCIMError(x *scimclient.Exchange) bool {
	var body struct {
		Schemas []string `json:"schemas"`
	}
	return json.Unmarshal(x.RespBody, &body) == nil && slices.ContainsFunc(body.Schemas, func(s string) bool {
		return strings.EqualFold(s, framework.ErrorSchema)
	})
}

// searchOrSkip POSTs a SearchRequest with the fields to path (an endpoint
// ending in /.search) and skips the spec when the target answers that it
// does not support search by POST (see searchNotSupported).
func searchOrSkip(ctx context.Context, f *framework.F, path string, fields map[string]any) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	req := map[string]any{"schemas": []any{framework.SearchRequestSchema}}
	for k, v := range fields {
		req[k] = v
	}
	x := send(ctx, f, "POST", path, req)
	if why := searchNotSupported(x); why != "" {
		ginkgo.Skip(fmt.Sprintf("not supported: search by POST (POST %s answered %s; RFC 7644 §3.4.3 makes it optional)", path, why))
	}
	return x
}

// patchBody is a PatchOp request with the operations in order.
func patchBody(ops ...map[string]any) map[string]any {
	list := make([]any, len(ops))
	for i, o := range ops {
		list[i] = o
	}
	return map[string]any{"schemas": []any{framework.PatchOpSchema}, "Operations": list}
}

// op is one PATCH operation; an empty path or a nil value is left out.
func op(name, path string, value any) map[string]any {
	o := map[string]any{"op": name}
	if path != "" {
		o["path"] = path
	}
	if value != nil {
		o["value"] = value
	}
	return o
}

// patch sends a PatchOp to path, retried once after a 404 as settledGet
// does (a 404 applied nothing, so the retry is safe).
func patch(ctx context.Context, f *framework.F, path string, ops ...map[string]any) *scimclient.Exchange {
	x := patchOnce(ctx, f, path, ops...)
	if x.Status == 404 {
		x = patchOnce(ctx, f, path, ops...)
	}
	return x
}

// patchOnce sends a PatchOp to path once; the concurrency area's
// read-your-writes specs use it.
func patchOnce(ctx context.Context, f *framework.F, path string, ops ...map[string]any) *scimclient.Exchange {
	return send(ctx, f, "PATCH", path, patchBody(ops...))
}

// patched matches a successful PATCH answer: 200 with the resource or 204
// No Content (RFC 7644 §3.5.2).
func patched() types.GomegaMatcher { return framework.HaveStatus(200, 204) }

// quote renders s as a SCIM filter string literal (a JSON string).
func quote(s string) string { return strconv.Quote(s) }

// filterQuery is the query of a list request with a filter.
func filterQuery(filter string, extra ...string) url.Values {
	q := url.Values{"filter": {filter}}
	for i := 0; i+1 < len(extra); i += 2 {
		q.Set(extra[i], extra[i+1])
	}
	return q
}

// fetch GETs a resource that must exist and asserts 200.
func fetch(ctx context.Context, f *framework.F, path string) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	x := settledGet(ctx, f, path, nil)
	gomega.Expect(x).To(framework.HaveStatus(200), "GET %s", path)
	return x
}

// settledGet is get, retried once after a 404: a read that lags behind a
// write is the concurrency area's to report (its read-your-writes specs use
// get), not that of every spec that reads what it just wrote.
func settledGet(ctx context.Context, f *framework.F, path string, query url.Values) *scimclient.Exchange {
	x := get(ctx, f, path, query)
	if x.Status == 404 {
		x = get(ctx, f, path, query)
	}
	return x
}

// userPath and groupPath are the endpoints of one resource.
func userPath(id string) string  { return "/Users/" + id }
func groupPath(id string) string { return "/Groups/" + id }

// without returns a copy of m without the keys.
func without(m map[string]any, keys ...string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}

// trackIfCreated registers a resource a spec created outside MakeUser (or
// expected the target to refuse but which was created anyway), so that
// cleanup still deletes it. It reports whether it found an id to track.
func trackIfCreated(f *framework.F, kind, endpoint string, x *scimclient.Exchange) bool {
	if x.Status < 200 || x.Status > 299 {
		return false
	}
	var doc map[string]any
	if json.Unmarshal(x.RespBody, &doc) != nil {
		return false
	}
	id, _ := doc["id"].(string)
	if id != "" {
		f.Track(kind, endpoint+"/"+id)
	}
	return id != ""
}

// itoa is strconv.Itoa, for spec names built from constants.
func itoa(n int) string { return strconv.Itoa(n) }

// trackIfMoved registers path for cleanup when a resource answers there: a
// spec that sent a new id in a body checks that the id did not move, and
// cleans up if it did.
func trackIfMoved(ctx context.Context, f *framework.F, path string) {
	if get(ctx, f, path, nil).Status == 200 {
		kind := "User"
		if strings.HasPrefix(path, "/Groups/") {
			kind = "Group"
		}
		f.Track(kind, path)
	}
}

// enterpriseSupported reports whether the target's User resource type
// declares the Enterprise User extension (RFC 7643 §4.3), which is
// optional: specs use it only where the target says it has it.
func enterpriseSupported(ctx context.Context, f *framework.F) bool {
	x := get(ctx, f, "/ResourceTypes", nil)
	if x.Status != 200 {
		return false
	}
	var list struct {
		Resources []struct {
			Endpoint   string `json:"endpoint"`
			Extensions []struct {
				Schema string `json:"schema"`
			} `json:"schemaExtensions"`
		} `json:"Resources"`
	}
	if json.Unmarshal(x.RespBody, &list) != nil {
		return false
	}
	for _, rt := range list.Resources {
		if !strings.EqualFold(strings.TrimSuffix(rt.Endpoint, "/"), "/Users") {
			continue
		}
		for _, e := range rt.Extensions {
			if strings.EqualFold(e.Schema, framework.EnterpriseUserSchema) {
				return true
			}
		}
	}
	return false
}

// requireEnterprise skips the spec unless the target declares the
// Enterprise User extension.
func requireEnterprise(ctx context.Context, f *framework.F) {
	ginkgo.GinkgoHelper()
	if !enterpriseSupported(ctx, f) {
		ginkgo.Skip("not supported: the enterprise User extension (the User resource type does not declare it)")
	}
}
