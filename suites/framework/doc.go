// Package framework is what scimconform's conformance specs are written
// with: a per-spec context (F) holding the client for the target, the run's
// identity and capabilities and a cleanup tracker; SCIM-aware Gomega
// matchers whose failures explain themselves; and the labels that profiles
// select on. Specs read no package globals: they get an *F.
//
// # Writing specs
//
// One file per area declares its specs with Describe and It:
//
//	var _ = framework.Describe("Users", ginkgo.Label(framework.LabelUsers, framework.LabelRFC7644),
//		func(f *framework.F) {
//			ginkgo.Context("POST /Users", func() {
//				framework.It("returns 201 with id, meta and a Location header",
//					ginkgo.Label(framework.LabelMust),
//					framework.Rule("RFC 7644 §3.3: a created resource is returned with 201 and Location"),
//					func(ctx context.Context) {
//						id, x := f.CreateUser(ctx, f.UserBody(nil))
//						gomega.Expect(x).To(framework.BeSCIM(schemas.User))
//						gomega.Expect(x).To(framework.HaveJSON("/id", id))
//						gomega.Expect(x.RespHeader.Get("Location")).To(gomega.HaveSuffix("/Users/" + id))
//					})
//			})
//		})
//
// Names read as the requirement: Describe = resource or endpoint, Context =
// operation and condition, It = the outcome ("returns 409 with scimType
// uniqueness"). Keep them unique and stable: users paste them into
// -ginkgo.focus. Every spec outside the Entra sequences is independent
// (-ginkgo.randomize-all is safe).
//
// # The context F
//
// Describe fills F before each spec (before the first spec of an Ordered
// container, for the whole container) from the environment the suite entry
// installed with SetEnv:
//
//   - f.Do(ctx, scimclient.Request) sends a request and records the redacted
//     exchange in the spec's transcript (never the token). Every attempt is
//     bounded by -timeout. Always use f.Do, never f.Client.Do, so reports
//     show what was sent. When the server fails on the request (no
//     response, a reset, a 5xx other than 501) the spec fails at once,
//     whatever its level: Record, which every transcript goes through
//     (the Entra executor's included), enforces it. Once the client gives
//     up on the target (-give-up-after requests in a row with no usable
//     answer), f.Do aborts the run with one message saying what the target
//     did; code sending through a client of its own calls
//     AbortIfTargetUnusable after it.
//   - f.Name(s) returns "<RunID>-<s>-<n>": every resource a spec creates
//     carries the run prefix, so the residue check after the run can find it.
//     f.Client changes (PUT, PATCH, DELETE) only users and groups the run
//     created or saw with the prefix, and ids that start with it (an id that
//     never existed is made with f.Name); anything else fails with
//     scimclient.ErrNotOwned before it is sent.
//   - f.UserBody(overrides) and f.GroupBody(overrides) build valid,
//     run-prefixed resources; an override with a nil value removes the key.
//   - f.CreateUser(ctx, body) and f.CreateGroup(ctx, body) POST, assert 201
//     with an id and register the resource with f.Tracker. Anything created
//     otherwise must be registered with f.Track(kind, "/Users/<id>").
//     After the spec (or the Ordered container) the tracker deletes what was
//     registered, in reverse order; 404 counts as deleted; every error fails
//     the spec. This runs on failure and on interrupt too; -keep disables it.
//   - f.SPC is the parsed /ServiceProviderConfig, or the features the user
//     stated with -features. f.Supports(feature) reads it;
//     f.RequireFeature(feature) skips the spec with "not supported:
//     <feature> (...)" so that optional features are never failed, and with
//     "feature support unknown: ..." when there is neither. A spec labelled
//     entra never skips for PATCH or filter (EntraFeatures): Entra uses them
//     whatever the target advertises. Features: patch, bulk, filter,
//     changePassword, sort, etag (the Feature* constants).
//
// # Matchers
//
// All take the *scimclient.Exchange returned by f.Do. Their failure messages
// list every problem found, then the method, URL, status, content type and
// the redacted, truncated request and response bodies.
//
// Plain Gomega matchers work too: the suite's fail handler (GomegaFail)
// restates their messages without Gomega's type dumps (Explain) and adds
// the spec's rules. A description is a format string: pass text such as
// DescribeExchange(x) as an argument ("%s", text), never as the format.
//
//   - HaveStatus(codes...): the status is one of codes.
//   - BeSCIM(kind): Content-Type application/scim+json and the body
//     validates against the JSON Schema of kind (schemas.User, ...); every
//     violation is listed. BeSCIMList(kind): a ListResponse whose every
//     resource validates as kind.
//   - HaveJSON(pointer, value): the value at the RFC 6901 JSON Pointer equals
//     value (numbers compare as JSON numbers) or satisfies it when value is a
//     Gomega matcher. NotHaveJSON(pointer): nothing at pointer.
//     HaveJSONSubset(map): the body contains the map recursively; an
//     expected array element may match any element of the response's array.
//     Object keys match exactly, else case-insensitively (RFC 7643 §2.1).
//   - HaveSCIMError(status, scimType): the status, the media type, the Error
//     schema, "status" as a JSON string and, if not "", the scimType.
//
// # Levels: MUST fails, SHOULD warns
//
// Every spec carries one level label on its It: LabelMust or LabelShould.
// Declare specs with framework.It (not ginkgo.It): when a spec labelled
// "should" fails a Gomega assertion, the failure is recorded as a warning
// (report entry EntryWarning, printed on the console, counted under
// "warnings" in every report) and the spec passes, so SHOULD-level
// deviations never fail the run. Inside a MUST spec, f.Should(description,
// func(){...}) turns a failure of just that block into a warning.
// framework.Rule("RFC 7644 §3.4.2: ...") among It's arguments records the
// requirement the spec enforces; reports show it next to the verdict.
//
// # Labels
//
// Each spec carries: an area (LabelDiscovery, LabelUsers, LabelGroups,
// LabelFilter, LabelPatch, LabelPagination, LabelProjection, LabelErrors,
// LabelSecurity, LabelETag, LabelConcurrency; LabelEntra for the sequence
// replays), a level (LabelMust, LabelShould), one or more sources
// (LabelRFC7643, LabelRFC7644, LabelSourceEntra for what Entra relies on)
// and, for optional features, the feature's label (Feature*). Profiles are
// label filters: "entra" selects LabelSourceEntra, "rfc" selects
// rfc7643 || rfc7644, "all" selects everything.
package framework
