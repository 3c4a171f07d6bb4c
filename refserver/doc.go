// Package refserver is the reference SCIM 2.0 service provider (RFC 7643,
// RFC 7644): a strict, fast, in-memory server, served by one http.Handler,
// that the conformance suites calibrate against and that vendors can build
// their clients against.
//
//	srv, err := refserver.New(refserver.Options{Token: "secret", BasePath: "/scim/v2"})
//	ts := httptest.NewServer(srv)
//
// # Endpoints
//
// Under Options.BasePath: /Users and /Groups (GET list, POST), /Users/{id}
// and /Groups/{id} (GET, PUT, PATCH, DELETE), POST /Users/.search,
// /Groups/.search and /.search (the root search spans Users and Groups),
// and the discovery endpoints /ServiceProviderConfig, /ResourceTypes[/{id}]
// and /Schemas[/{id}], generated from the same schema definitions the server
// enforces. Discovery endpoints are read-only (405 for writes). /Me and /Bulk
// answer 501. Unknown paths answer 404 and wrong methods 405 with an Allow
// header. Duplicate slashes, dot segments and a trailing slash in the path
// are tolerated.
//
// # Authentication
//
// Every endpoint, the discovery endpoints included, requires
// "Authorization: Bearer <Options.Token>" (compared in constant time);
// otherwise the answer is 401 with WWW-Authenticate: Bearer
// realm="scimconform". Authentication is off only with Options.NoAuth.
//
// # Responses
//
// Every response, errors and 204s included, has Content-Type
// application/scim+json (net/http strips it from 304 Not Modified, which
// has no body). Errors are RFC 7644 §3.12 bodies (status as a
// string, scimType where one is defined). A detail quotes at most
// scimerr.MaxQuoted (256) bytes of any client input it names (an id, a
// path, filter text, an attribute name, a value, a header), marked with the
// input's length when cut: User "AAAA…" (1048576 bytes, truncated) not
// found. No detail is longer than scimerr.MaxDetail (4096) bytes and its
// marker. Request bodies may be
// application/scim+json or application/json (parameters such as charset
// allowed); a missing Content-Type is tolerated, any other type is 415.
// Malformed JSON is 400 invalidSyntax; wrong attribute types and missing
// required attributes are 400 invalidValue; unknown attributes and unknown
// extension schemas in a body are ignored, as Microsoft Entra ID sends
// them. Unknown query parameters are ignored (Entra may forward
// ?aadOptscim062020). Bodies over Options.MaxBodyBytes (default 1 MiB) are
// 413. A panic in a handler becomes a logged 500 SCIM error.
//
// # Resource semantics
//
//   - POST answers 201 with a Location header equal to meta.location. Ids
//     are random, unguessable and URL-safe. meta.location and member $ref
//     values are absolute URLs built from the request's scheme and Host.
//   - PUT replaces: readOnly attributes and id in the body are ignored,
//     omitted attributes are cleared, required attributes are checked.
//   - PATCH applies every operation to a copy and stores the result only if
//     all of them succeed and it is still a valid resource. The Microsoft
//     Entra ID dialect is accepted (op names in any case, "True"/"False" for
//     booleans, path-less dotted and URN keys, Remove of members with a value
//     array removing only those members). Users answer 200 with the
//     resource. Groups answer 204 with no body, as Entra prefers for group
//     updates, unless the request has an attributes or excludedAttributes
//     query parameter; then 200 with the projected resource.
//   - DELETE answers 204 with no body. Deleting a user or group removes it
//     from every group that lists it.
//   - userName (users) and displayName (groups) are unique
//     case-insensitively: a clash on POST, PUT or PATCH is 409 uniqueness.
//   - members[].value must be the id of an existing User or Group (else 400
//     invalidValue); the server fills in type, $ref and display (a user's
//     userName or a group's displayName). A user's read-only groups
//     attribute is derived from membership, direct and through nested groups
//     ("indirect").
//   - The ETag header equals meta.version (W/"<n>"). It changes only when a
//     resource really changes: a PUT or PATCH that leaves it as it was keeps
//     the version. If-None-Match on GET answers 304; an If-Match that does
//     not match on PUT, PATCH or DELETE answers 412.
//   - password is write-only and never returned; the attributes and
//     excludedAttributes parameters apply to every returned resource.
//
// # Limits
//
// Hostile input gets a SCIM error, never a panic, a hang or a request that
// costs more than a fraction of a second:
//
//   - Request bodies over Options.MaxBodyBytes (default 1 MiB) are 413.
//   - Filters and PATCH paths over 4096 bytes or nested deeper than 32
//     are 400 invalidFilter (invalidPath for paths).
//   - One PATCH request may examine at most patch.MaxElementVisits
//     (1 048 576) elements of multi-valued attributes in all; beyond that
//     it is refused as a whole with 400 tooMany. Operations that name
//     elements by value (emails[value eq "x"], members[value eq "<id>"],
//     either with more terms and-ed on, and adding or removing values that
//     carry a value) are answered, from the second on an attribute, from
//     an index built once per request, and examine only those elements
//     (the first scans, as one operation alone costs no more than one pass
//     over the attribute), so such requests stay far below the
//     bound at any size the body limit allows (14 000 operations on 20 000
//     emails examine about 75 000). Operations that must examine every
//     element (other value filters, a sub-attribute path such as
//     emails.type, values without a value) each spend the size of the
//     attribute. RFC 7644 defines no PATCH limit: ServiceProviderConfig's
//     patch (RFC 7643 §5) has only "supported", and §3.7.4 and §3.12 give
//     413 to bulk's maxOperations and maxPayloadSize, not to a body within
//     the size limit. tooMany is the §3.12 scimType for a filter that
//     "yields many more results than the server is willing to calculate or
//     process"; §3.12 lists it for queries, and a PATCH value filter is the
//     same filter applied to one resource. A client that meets it should
//     split the request.
//
// # Strings and control characters
//
// String attributes are JSON strings. RFC 7643 §2.3.1 defines a string as "A
// sequence of zero or more Unicode characters encoded using UTF-8 as per
// [RFC2277] and [RFC3629]. The JSON format is defined in Section 7 of
// [RFC7159]", and RFC 7159 §7 says "All Unicode characters may be placed
// within the quotation marks, except for the characters that must be
// escaped: quotation mark, reverse solidus, and the control characters
// (U+0000 through U+001F)." The server stores such strings as sent, NUL
// included, and every answer escapes them (\u0000, \n, ...). Bytes that are
// not UTF-8 inside a string of a request body become U+FFFD, as
// encoding/json decodes them, so answers are always UTF-8.
//
// userName, displayName (users and groups) and externalId are the exception:
// a control character (Unicode category Cc: U+0000-U+001F and U+007F-U+009F)
// other than tab, line feed and carriage return in them is refused with 400
// invalidValue (RFC 7644 §3.12: "the value specified was not compatible with
// the operation or attribute type"). These are identifiers: filters match
// them (Entra's userName eq and externalId eq lookups), people type them and
// consoles show them, and many providers keep them where NUL cannot be
// stored at all (PostgreSQL text, C strings). A client that sends one is
// better refused by the reference than by a provider's 500, or by a name
// nobody can type or see. Tab, line feed and carriage return stay allowed:
// they are the whitespace JSON, XML and text stores all carry. The schema
// does not advertise the constraint (RFC 7643 §7 has no characteristic for
// it).
//
// # Lists, filters and pages
//
// Filters cover the whole RFC 7644 §3.4.2.2 grammar. Equality on id,
// userName, externalId or group displayName, alone or as one side of an
// "and", is answered from an index, not a scan: those are the lookups
// Entra makes. A filter matching nothing is 200 with an empty ListResponse,
// never 404. startIndex below 1 is treated as 1, a negative count as 0;
// count defaults to and is capped at Options.MaxResults (default 200,
// advertised as filter.maxResults). Results come in creation order unless
// sortBy is given (sortOrder ascending or descending; anything else is 400
// invalidValue); resources without a sortBy value come last when ascending.
//
// # Variants
//
// Options.Variants switches on behaviours RFC 7643 and RFC 7644 allow that
// differ from the defaults above (PATCH answered 204 for users too, no
// ETags, one resource per page, null for unassigned attributes, ...); see
// variants.go and VARIANTS.md, which goes through every latitude of the
// RFCs. The suites' self-test runs the whole suite against each and requires
// a pass. Faults (faults.go) are their opposite: deliberate defects.
//
// # Memory and speed
//
// Each resource is held as its compact canonical JSON (written by
// encoding/json, keys sorted) plus the indexed fields, which keeps an
// Entra-shaped user under 1 KB of heap (about 690 to 750 bytes at 100k to 1M
// users). Every answer is built one way, with faults and variants on or
// not: the stored JSON is decoded, the record's own fields, id, meta and
// the derived members or groups are added, and the document is projected
// and encoded; a write answers from the attributes it has just encoded
// rather than decoding them again. Request bodies are decoded with
// encoding/json too. scimconform serve runs the garbage collector at
// GOGC=50 unless GOGC is set: the store is large and lives as long as the
// process, and Go's default lets the heap grow to twice the live data.
// Group members are an insertion-ordered set with a reverse index from
// member to groups. Every PATCH goes through one engine, which works on
// the decoded document, so a group's PATCH costs time in proportion to its
// members (about 20 ms of CPU for one member added to a group of 10 000).
// The engine opens each multi-valued attribute a request touches once:
// removed elements are only marked until the request ends, and the value
// filters and duplicate checks of later operations use an index of the
// open list, built at the second lookup, so a request's cost grows with
// its size plus the attribute's, not with their product. The benchmarks in
// bench_test.go report ns/op, allocations and bytes per stored user for
// create, get by id, userName lookup and PATCH active at 1k and 100k users
// (the lookup also as a ratio to 1k), a member PATCH on a 10k-member
// group, and loopback filter-GET throughput against a trivial net/http
// handler serving the same bytes (both as requests per second and as CPU
// per request); bench_patch_test.go the largest PATCH requests: 14 000
// value-path operations on a user with 20 000 emails, the removal of
// 10 000 members of a 100 000-member group by value filter, and requests
// the element budget refuses:
//
//	make bench
//	REFSERVER_BENCH_1M=1 go test -run '^$' -bench . -benchmem ./refserver/   # adds 1M users (minutes, ~2 GB)
package refserver
