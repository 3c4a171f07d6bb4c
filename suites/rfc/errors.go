package rfc

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// malformedJSON is a request body that is not JSON.
var malformedJSON = []byte(`{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": `)

// raw sends a request with a literal body (not encoded by the spec).
func raw(ctx context.Context, f *framework.F, method, path string, body []byte, header http.Header) *scimclient.Exchange {
	return f.Do(ctx, scimclient.Request{Method: method, Path: path, Body: body, Header: header})
}

// errorCase is one way to provoke a SCIM error and the error it must be.
//
// owner is the area whose specs enforce the status and scimType of this
// error ("" when only the errors area provokes it). For an owned case the
// errors area checks the shape of the Error (media type, schema, status as
// a string, scimType present where required) and skips when the status is
// not the expected one, so that a wrong status or scimType fails the
// owning area's spec only. For an unowned case it checks everything.
//
// scimType is OPTIONAL in an Error (RFC 7644 §3.12: "scimType A SCIM
// detail error keyword. See Table 9. OPTIONAL."): it must be present only
// where a sentence of RFC 7644 requires it, which scimTypeRequired quotes;
// elsewhere a scimType, when given, must be the one Table 9 names.
type errorCase struct {
	context          string
	feature          string // optional feature the request needs, "" for none
	owner            string
	status           int
	scimType         string
	scimTypeRequired string // the sentence requiring scimType, "" where it is optional
	rule             string
	provoke          func(ctx context.Context, f *framework.F) *scimclient.Exchange
}

var errorCases = []errorCase{
	{"GET /Users/{id} for an unknown id", "", framework.LabelUsers, 404, "", "",
		"RFC 7644 §3.12: 404 Not Found — the specified resource does not exist",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			return get(ctx, f, userPath(f.Name("no-such-user")), nil)
		}},
	{"GET /Groups/{id} for an unknown id", "", framework.LabelGroups, 404, "", "",
		"RFC 7644 §3.12: 404 Not Found — the specified resource does not exist",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			return get(ctx, f, groupPath(f.Name("no-such-group")), nil)
		}},
	{"GET /Schemas/{id} for an unknown schema", "", framework.LabelDiscovery, 404, "", "",
		"RFC 7644 §3.12: 404 Not Found — the specified resource does not exist",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			return get(ctx, f, "/Schemas/urn:ietf:params:scim:schemas:extension:"+f.Name("none")+":2.0:User", nil)
		}},
	{"GET /ResourceTypes/{id} for an unknown resource type", "", framework.LabelDiscovery, 404, "", "",
		"RFC 7644 §3.12: 404 Not Found — the specified resource does not exist",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			return get(ctx, f, "/ResourceTypes/"+f.Name("no-such-type"), nil)
		}},
	{"GET on a path that is no SCIM endpoint", "", "", 404, "", "",
		"RFC 7644 §3.12: 404 Not Found — the specified endpoint does not exist",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			return get(ctx, f, "/"+f.Name("NoSuchEndpoint"), nil)
		}},
	{"POST /Users with a userName already taken", "", framework.LabelUsers, 409, "uniqueness",
		`RFC 7644 §3.3: "the service provider MUST return HTTP status code 409 (Conflict) with a "scimType" error code of "uniqueness""`,
		"RFC 7644 §3.12: 409 uniqueness — one or more unique attribute values are in use",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			body := f.UserBody(nil)
			f.MakeUser(ctx, body)
			x := send(ctx, f, "POST", "/Users", f.UserBody(map[string]any{"userName": body["userName"]}))
			trackIfCreated(f, "User", "/Users", x)
			return x
		}},
	{"POST /Users with a body that is not JSON", "", "", 400, "invalidSyntax", "",
		"RFC 7644 §3.12: 400 invalidSyntax — the request body message structure was invalid",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			return raw(ctx, f, "POST", "/Users", malformedJSON, nil)
		}},
	{"PUT /Users/{id} with a body that is not JSON", "", "", 400, "invalidSyntax", "",
		"RFC 7644 §3.12: 400 invalidSyntax — the request body message structure was invalid",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			id, _ := f.MakeUser(ctx, f.UserBody(nil))
			return raw(ctx, f, "PUT", userPath(id), malformedJSON, nil)
		}},
	{"PATCH /Users/{id} with a body that is not JSON", framework.FeaturePatch, "", 400, "invalidSyntax", "",
		"RFC 7644 §3.12: 400 invalidSyntax — the request body message structure was invalid",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			id, _ := f.MakeUser(ctx, f.UserBody(nil))
			return raw(ctx, f, "PATCH", userPath(id), []byte(`{"schemas":["`+framework.PatchOpSchema+`"],"Operations":[`), nil)
		}},
	{"POST /Users without the required userName", "", framework.LabelUsers, 400, "invalidValue", "",
		"RFC 7644 §3.12: 400 invalidValue — a required value was missing",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			x := send(ctx, f, "POST", "/Users", f.UserBody(map[string]any{"userName": nil}))
			trackIfCreated(f, "User", "/Users", x)
			return x
		}},
	{"GET /Users with a malformed filter", framework.FeatureFilter, framework.LabelFilter, 400, "invalidFilter",
		`RFC 7644 §3.4.2.2: "Providers MUST decline to filter results if the specified filter operation is not recognized and return an HTTP 400 error with a "scimType" error of "invalidFilter""`,
		"RFC 7644 §3.12: 400 invalidFilter — the filter syntax was invalid",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			return get(ctx, f, "/Users", url.Values{"filter": {`userName eq`}})
		}},
	{"PATCH /Users/{id} replacing the readOnly id", framework.FeaturePatch, framework.LabelPatch, 400, "mutability",
		`RFC 7644 §3.5.2: "An operation that is not compatible with an attribute's mutability or schema SHALL return the appropriate HTTP response status code and a JSON detail error response as defined in Section 3.12"`,
		"RFC 7644 §3.12: 400 mutability — the modification is incompatible with the attribute's mutability",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			id, _ := f.MakeUser(ctx, f.UserBody(nil))
			return patch(ctx, f, userPath(id), op("replace", "id", f.Name("new-id")))
		}},
	{"PATCH /Users/{id} with a malformed path", framework.FeaturePatch, framework.LabelPatch, 400, "invalidPath", "",
		"RFC 7644 §3.12: 400 invalidPath — the path attribute was invalid or malformed",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			id, _ := f.MakeUser(ctx, f.UserBody(nil))
			return patch(ctx, f, userPath(id), op("replace", "name..givenName", "x"))
		}},
	{"PATCH /Users/{id} removing without a path", framework.FeaturePatch, framework.LabelPatch, 400, "noTarget",
		`RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code 400 and a "scimType" error code of "noTarget"."`,
		"RFC 7644 §3.12: 400 noTarget — the path did not yield an attribute that could be operated on",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			id, _ := f.MakeUser(ctx, f.UserBody(nil))
			return patch(ctx, f, userPath(id), op("remove", "", nil))
		}},
	{"PUT /Users/{id} with a stale If-Match", framework.FeatureETag, framework.LabelETag, 412, "", "",
		"RFC 7644 §3.12: 412 Precondition Failed — the resource changed on the service provider",
		func(ctx context.Context, f *framework.F) *scimclient.Exchange {
			body := f.UserBody(nil)
			id, _ := f.MakeUser(ctx, body)
			return f.Do(ctx, scimclient.Request{Method: "PUT", Path: userPath(id), Body: framework.MustJSON(body),
				Header: http.Header{"If-Match": {`W/"` + f.Name("stale") + `"`}}})
		}},
}

// isSCIMMediaType reports whether a Content-Type header names
// application/scim+json.
func isSCIMMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && strings.EqualFold(mt, framework.SCIMMediaType)
}

var _ = framework.Describe("SCIM errors and media type", labels(framework.LabelErrors, framework.LabelRFC7644),
	func(f *framework.F) {
		for _, tc := range errorCases {
			it := fmt.Sprintf("returns %d with a SCIM Error whose status is the string %q", tc.status, strconv.Itoa(tc.status))
			required := tc.scimType != "" && tc.scimTypeRequired != ""
			switch {
			case tc.scimType != "" && tc.owner == "" && !required:
				it += " and, if it names a scimType, " + tc.scimType
			case tc.scimType != "" && tc.owner == "":
				it += " and scimType " + tc.scimType
			case required:
				it += " and a scimType"
			}
			rules := []any{framework.Rule(tc.rule)}
			if required {
				rules = append(rules, framework.Rule(tc.scimTypeRequired))
			}
			ginkgo.Context(tc.context, func() {
				// No feature label: feature names double as area labels, and
				// these specs belong to the errors area. RequireFeature skips.
				framework.It(it, append(append([]any{must}, rules...), func(ctx context.Context) {
					if tc.feature != "" {
						f.RequireFeature(tc.feature)
					}
					x := tc.provoke(ctx, f)
					if tc.owner == "" && required {
						gomega.Expect(x).To(framework.HaveSCIMError(tc.status, tc.scimType))
						return
					}
					if tc.owner == "" {
						gomega.Expect(x).To(framework.HaveSCIMError(tc.status, ""))
						if tc.scimType != "" {
							gomega.Expect(x).To(&scimTypeMatcher{want: []string{tc.scimType}})
						}
						return
					}
					if x.Status != tc.status {
						ginkgo.Skip(fmt.Sprintf("the target answered %d, not %d: the %s area reports that; this spec checks the Error's shape", x.Status, tc.status, tc.owner))
					}
					gomega.Expect(x).To(framework.HaveSCIMError(tc.status, ""))
					if required {
						gomega.Expect(x).To(framework.HaveJSON("/scimType", gomega.Not(gomega.BeEmpty())), "%s", tc.scimTypeRequired)
					}
				})...)
			})
		}

		ginkgo.Context("POST /Users with an empty body", func() {
			framework.It("returns a SCIM Error with status 400", must,
				framework.Rule("RFC 7644 §3.3 and §3.12: a POST body is a resource; an empty body is an invalid request"),
				func(ctx context.Context) {
					x := raw(ctx, f, "POST", "/Users", []byte{}, http.Header{"Content-Type": {framework.SCIMMediaType}})
					trackIfCreated(f, "User", "/Users", x)
					gomega.Expect(x).To(framework.HaveSCIMError(400, ""))
					// scimType is OPTIONAL (RFC 7644 §3.12); one that is given should fit.
					f.Should("scimType, when given, is invalidSyntax or invalidValue (RFC 7644 §3.12)", func() {
						gomega.Expect(x).To(&scimTypeMatcher{want: []string{"invalidSyntax", "invalidValue"}})
					})
				})
		})

		ginkgo.Context("successful requests", func() {
			framework.It("are answered with Content-Type application/scim+json", must, ginkgo.Label(framework.LabelSourceEntra),
				framework.Rule("RFC 7644 §3.8 and §8.1: SCIM responses carry the media type application/scim+json"),
				func(ctx context.Context) {
					body := f.UserBody(nil)
					id, created := f.MakeUser(ctx, body)
					exchanges := []*scimclient.Exchange{
						created,
						settledGet(ctx, f, userPath(id), nil),
						send(ctx, f, "PUT", userPath(id), body),
						get(ctx, f, "/ServiceProviderConfig", nil),
						get(ctx, f, "/ResourceTypes", nil),
						get(ctx, f, "/Schemas", nil),
					}
					if f.Supports(framework.FeatureFilter) {
						exchanges = append(exchanges, get(ctx, f, "/Users", filterQuery("userName eq "+quote(body["userName"].(string)))))
					}
					for _, x := range exchanges {
						gomega.Expect(x.Status).To(gomega.BeNumerically("<", 300), "%s", framework.DescribeExchange(x))
						gomega.Expect(isSCIMMediaType(x.RespHeader.Get("Content-Type"))).To(gomega.BeTrue(),
							"Content-Type %q is not %s\n%s", x.RespHeader.Get("Content-Type"), framework.SCIMMediaType, framework.DescribeExchange(x))
					}
				})
		})

		ginkgo.Context("POST /Users with a body sent as application/json", func() {
			framework.It("is accepted like application/scim+json", must,
				framework.Rule("RFC 7644 §3.8: servers MUST accept JSON-structured requests; application/json is the generic JSON media type (RFC 8259)"),
				func(ctx context.Context) {
					x := raw(ctx, f, "POST", "/Users", framework.MustJSON(f.UserBody(nil)), http.Header{"Content-Type": {"application/json"}})
					trackIfCreated(f, "User", "/Users", x)
					gomega.Expect(x).To(framework.HaveStatus(200, 201)) // 201 itself is the users area's rule
				})
		})
	})
