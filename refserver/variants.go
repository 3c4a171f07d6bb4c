package refserver

import (
	"fmt"
	"sort"
	"strings"
)

// variant is the name of one variant.
type variant string

// variantInfo is one row of the variant table.
type variantInfo struct {
	name   variant
	does   string // what the server does when the variant is on
	allows string // the sentence of the RFC that allows it, with its section
}

// Variants make the reference server different from its default in a way
// RFC 7643 and RFC 7644 allow: answering PATCH with 204, leaving ETags or
// sorting out, paging with one resource per page, writing times with an
// offset, showing unassigned attributes as null. They exist to prove that
// no conformance check fails a compliant service provider: the self-test
// (suites/selftest) runs the whole suite against the server once per
// variant and requires every spec to pass without a warning.
// Options.Variants switches them on by name; `scimconform serve -variant
// NAME[,NAME]` does the same from the command line and `scimconform serve
// -variant list` prints this table. VARIANTS.md lists every latitude of the
// RFCs, with the variant that exercises it or the reason none does.
//
// A variant changes nothing but the behaviour it names, no variant is on
// unless named, and an unknown name is an error from New. The table
// (variantTable; VariantCatalog returns it): name: what the server then
// does. Allowed by: the sentence and its source.
//
//   - content-type-charset: every response carries Content-Type: application/scim+json; charset=utf-8. Allowed by RFC 8259 §11, the JSON registration application/scim+json builds on (RFC 7644 §8.1): "No "charset" parameter is defined for this registration. Adding one really has no effect on compliant recipients."
//   - no-content-type-when-empty: 204 and 304 answers carry no Content-Type. Allowed by RFC 9110 §8.3: "A sender that generates a message containing content SHOULD generate a Content-Type header field in that message" (an answer without content has no media type).
//   - connection-close: every response carries Connection: close and the server closes the connection after it. Allowed by RFC 9112 §9.3: "If the "close" connection option is present (Section 9.6), the connection will not persist after the current response".
//   - location-relative: the Location header of a create is a relative reference (the path of meta.location). Allowed by RFC 9110 §10.2.2: Location "consists of a single URI-reference. When it has the form of a relative reference, the final value is computed by resolving it against the target URI".
//   - spc-public: GET /ServiceProviderConfig answers without credentials (every other request still needs them). Allowed by RFC 7643 §5: "the service provider SHOULD, with the appropriate security considerations, make the authenticationSchemes attribute publicly accessible without prior authentication".
//   - patch-204: a successful PATCH of a user or a group answers 204 No Content (200 with the resource when attributes or excludedAttributes is given). Allowed by RFC 7644 §3.5.2: "the server either MUST return a 200 OK response code and the entire resource within the response body ... or MAY return HTTP status code 204 (No Content)".
//   - patch-200: a successful PATCH of a group answers 200 with the group, like users. Allowed by RFC 7644 §3.5.2: "the server either MUST return a 200 OK response code and the entire resource within the response body ... or MAY return HTTP status code 204 (No Content)".
//   - page-size-1: list and search answers hold at most one resource, whatever count asks (filter.maxResults is 1). Allowed by RFC 7644 §3.4.2.4: "When specified, the service provider MUST NOT return more results than specified, although it MAY return fewer results. If unspecified, the maximum number of results is set by the service provider."
//   - list-fields-minimal: a ListResponse holding every result leaves out startIndex and itemsPerPage, and one with no result leaves out Resources. Allowed by RFC 7644 §3.4.2: Resources is "REQUIRED if "totalResults" is non-zero"; startIndex and itemsPerPage are "REQUIRED when partial results are returned due to pagination".
//   - etag-unsupported: no ETag headers and no meta.version; /ServiceProviderConfig says etag.supported false; an If-Match naming a tag never matches (412) and an If-None-Match naming one never does either. Allowed by RFC 7644 §3.14: "Service providers MAY support weak ETags as the preferred mechanism for performing conditional retrievals"; RFC 7643 §3.1 (version): "Service provider support for this attribute is optional".
//   - sort-unsupported: sortBy and sortOrder are ignored and /ServiceProviderConfig says sort.supported false. Allowed by RFC 7644 §3.4.2.3: "Sort is OPTIONAL."
//   - search-unsupported: POST /.search, /Users/.search and /Groups/.search answer 501 Not Implemented. Allowed by RFC 7644 §3.12: "501 (Not Implemented) ... Service provider does not support the request operation".
//   - change-password-unsupported: /ServiceProviderConfig says changePassword.supported false, and a PUT or PATCH that sets a password answers 501. Allowed by RFC 7643 §5: changePassword "supported: A Boolean value specifying whether or not the operation is supported"; RFC 7644 §3.12: 501 for an operation the service provider does not support.
//   - unassigned-explicit: full representations show every unassigned attribute returned by default: null for a single value, [] for a multi-valued one. Allowed by RFC 7643 §2.5: "Unassigned attributes, the null value, or empty array (in the case of a multi-valued attribute) SHALL be considered to be equivalent in "state"" (omitting them is only a "MAY ... for compactness").
//   - members-value-only: group members and a user's groups carry value only, without $ref, display and type. Allowed by RFC 7643 §2.5: "unassigned attributes, although they are defined in schema, MAY be omitted for compactness" ($ref, display and type are optional sub-attributes of members and groups, RFC 7643 §4.1.2 and §4.2).
//   - user-groups-unsupported: users have no groups attribute: it is neither served nor declared at /Schemas. Allowed by RFC 7643 §4.1.2: groups is a read-only, not required attribute of the User schema; RFC 7644 §4: /Schemas "is used to retrieve information about resource schemas supported by a SCIM service provider".
//   - ids-sequential: ids are 1, 2, 3 ... in creation order, across users and groups. Allowed by RFC 7643 §3.1: id is "A unique identifier for a SCIM resource as defined by the service provider" and "MUST be unique across the SCIM service provider's entire set of resources".
//   - time-seconds: meta.created and meta.lastModified have a precision of one second and are written without fractional seconds. Allowed by RFC 7643 §2.3.5: a dateTime "MUST be encoded as a valid xsd:dateTime as specified in Section 3.3.7 of [XML-Schema] and MUST include both a date and a time" (fractional seconds are optional there).
//   - time-offset: meta.created and meta.lastModified are written in the time zone UTC+05:30 with its offset instead of Z. Allowed by RFC 7643 §2.3.5: a dateTime "MUST be encoded as a valid xsd:dateTime" (a timezone offset is one).
//   - schemas-extension-first: the schemas of a user with the enterprise extension list the extension URN first. Allowed by RFC 7643 §3: in schemas "Value order is not specified and MUST NOT impact behavior."
//   - error-no-detail: error bodies have no detail. Allowed by RFC 7644 §3.12: detail is "A detailed human-readable message. OPTIONAL."
//   - error-scimtype-minimal: error bodies name a scimType only where RFC 7644 requires one (uniqueness, noTarget, invalidFilter, mutability); invalidSyntax, invalidValue and invalidPath are left out. Allowed by RFC 7644 §3.12: scimType is "A SCIM detail error keyword. See Table 9. OPTIONAL."
//   - discovery-minimal: /ServiceProviderConfig has no documentationUri and its authentication scheme no specUri; resource types have no id, and no schemaExtensions when they have none. Allowed by RFC 7643 §5: documentationUri and specUri are each "OPTIONAL"; RFC 7643 §6: "id The resource type's server unique id. This is often the same value as the "name" attribute. OPTIONAL." and "schemaExtensions A list of URIs of the resource type's schema extensions. OPTIONAL."
//
// VariantInfo describes one variant for listings: its name, what the
// server then does and the sentence of the RFC that allows it.
type VariantInfo struct {
	Name   string
	Does   string
	Allows string
}

// VariantCatalog returns every variant, in table order.
func VariantCatalog() []VariantInfo {
	out := make([]VariantInfo, len(variantTable))
	for i, v := range variantTable {
		out[i] = VariantInfo{Name: string(v.name), Does: v.does, Allows: v.allows}
	}
	return out
}

// VariantNames returns the name of every variant, in table order.
func VariantNames() []string {
	out := make([]string, len(variantTable))
	for i, v := range variantTable {
		out[i] = string(v.name)
	}
	return out
}

// variantSet is the set of variants a server runs with. The zero value has
// none.
type variantSet struct{ on map[variant]bool }

// has reports whether v is switched on.
func (s variantSet) has(v variant) bool { return s.on[v] }

// parseVariants checks names against the table. Names are trimmed; blanks
// are ignored; an unknown name is an error listing the valid ones.
func parseVariants(names []string) (variantSet, error) {
	known := make(map[variant]bool, len(variantTable))
	for _, v := range variantTable {
		known[v.name] = true
	}
	var set variantSet
	var unknown []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !known[variant(n)] {
			unknown = append(unknown, fmt.Sprintf("%q", n))
			continue
		}
		if set.on == nil {
			set.on = map[variant]bool{}
		}
		set.on[variant(n)] = true
	}
	if len(unknown) > 0 {
		valid := VariantNames()
		sort.Strings(valid)
		return variantSet{}, fmt.Errorf("refserver: unknown variant %s; valid variants: %s",
			strings.Join(unknown, ", "), strings.Join(valid, ", "))
	}
	return set, nil
}

// Variant names. Each is one behaviour the RFCs allow; see variantTable
// for what it does and the sentence that allows it.
const (
	vContentTypeCharset   variant = "content-type-charset"
	vNoContentTypeEmpty   variant = "no-content-type-when-empty"
	vConnectionClose      variant = "connection-close"
	vLocationRelative     variant = "location-relative"
	vSPCPublic            variant = "spc-public"
	vPatch204             variant = "patch-204"
	vPatch200             variant = "patch-200"
	vPageSize1            variant = "page-size-1"
	vListFieldsMinimal    variant = "list-fields-minimal"
	vETagUnsupported      variant = "etag-unsupported"
	vSortUnsupported      variant = "sort-unsupported"
	vSearchUnsupported    variant = "search-unsupported"
	vChangePasswordOff    variant = "change-password-unsupported"
	vUnassignedExplicit   variant = "unassigned-explicit"
	vMembersValueOnly     variant = "members-value-only"
	vUserGroupsOff        variant = "user-groups-unsupported"
	vIDsSequential        variant = "ids-sequential"
	vTimeSeconds          variant = "time-seconds"
	vTimeOffset           variant = "time-offset"
	vSchemasExtensionLead variant = "schemas-extension-first"
	vErrorNoDetail        variant = "error-no-detail"
	vErrorScimTypeMinimal variant = "error-scimtype-minimal"
	vDiscoveryMinimal     variant = "discovery-minimal"
)

// patchAllows is the sentence of RFC 7644 §3.5.2 that both PATCH variants
// rest on.
const patchAllows = `RFC 7644 §3.5.2: "the server either MUST return a 200 OK response code and the entire resource within the response body ... or MAY return HTTP status code 204 (No Content)"`

// variantTable is every variant with what it does and what allows it.
var variantTable = []variantInfo{
	// HTTP and media type.
	{vContentTypeCharset, "every response carries Content-Type: application/scim+json; charset=utf-8",
		`RFC 8259 §11, the JSON registration application/scim+json builds on (RFC 7644 §8.1): "No "charset" parameter is defined for this registration. Adding one really has no effect on compliant recipients."`},
	{vNoContentTypeEmpty, "204 and 304 answers carry no Content-Type",
		`RFC 9110 §8.3: "A sender that generates a message containing content SHOULD generate a Content-Type header field in that message" (an answer without content has no media type)`},
	{vConnectionClose, "every response carries Connection: close and the server closes the connection after it",
		`RFC 9112 §9.3: "If the "close" connection option is present (Section 9.6), the connection will not persist after the current response"`},
	{vLocationRelative, "the Location header of a create is a relative reference (the path of meta.location)",
		`RFC 9110 §10.2.2: Location "consists of a single URI-reference. When it has the form of a relative reference, the final value is computed by resolving it against the target URI"`},
	{vSPCPublic, "GET /ServiceProviderConfig answers without credentials (every other request still needs them)",
		`RFC 7643 §5: "the service provider SHOULD, with the appropriate security considerations, make the authenticationSchemes attribute publicly accessible without prior authentication"`},

	// Writes.
	{vPatch204, "a successful PATCH of a user or a group answers 204 No Content (200 with the resource when attributes or excludedAttributes is given)",
		patchAllows},
	{vPatch200, "a successful PATCH of a group answers 200 with the group, like users", patchAllows},

	// Lists.
	{vPageSize1, "list and search answers hold at most one resource, whatever count asks (filter.maxResults is 1)",
		`RFC 7644 §3.4.2.4: "When specified, the service provider MUST NOT return more results than specified, although it MAY return fewer results. If unspecified, the maximum number of results is set by the service provider."`},
	{vListFieldsMinimal, "a ListResponse holding every result leaves out startIndex and itemsPerPage, and one with no result leaves out Resources",
		`RFC 7644 §3.4.2: Resources is "REQUIRED if "totalResults" is non-zero"; startIndex and itemsPerPage are "REQUIRED when partial results are returned due to pagination"`},

	// Optional features.
	{vETagUnsupported, "no ETag headers and no meta.version; /ServiceProviderConfig says etag.supported false; an If-Match naming a tag never matches (412) and an If-None-Match naming one never does either",
		`RFC 7644 §3.14: "Service providers MAY support weak ETags as the preferred mechanism for performing conditional retrievals"; RFC 7643 §3.1 (version): "Service provider support for this attribute is optional"`},
	{vSortUnsupported, "sortBy and sortOrder are ignored and /ServiceProviderConfig says sort.supported false",
		`RFC 7644 §3.4.2.3: "Sort is OPTIONAL."`},
	{vSearchUnsupported, "POST /.search, /Users/.search and /Groups/.search answer 501 Not Implemented",
		`RFC 7644 §3.12: "501 (Not Implemented) ... Service provider does not support the request operation"`},
	{vChangePasswordOff, "/ServiceProviderConfig says changePassword.supported false, and a PUT or PATCH that sets a password answers 501",
		`RFC 7643 §5: changePassword "supported: A Boolean value specifying whether or not the operation is supported"; RFC 7644 §3.12: 501 for an operation the service provider does not support`},

	// Representations.
	{vUnassignedExplicit, "full representations show every unassigned attribute returned by default: null for a single value, [] for a multi-valued one",
		`RFC 7643 §2.5: "Unassigned attributes, the null value, or empty array (in the case of a multi-valued attribute) SHALL be considered to be equivalent in "state"" (omitting them is only a "MAY ... for compactness")`},
	{vMembersValueOnly, "group members and a user's groups carry value only, without $ref, display and type",
		`RFC 7643 §2.5: "unassigned attributes, although they are defined in schema, MAY be omitted for compactness" ($ref, display and type are optional sub-attributes of members and groups, RFC 7643 §4.1.2 and §4.2)`},
	{vUserGroupsOff, "users have no groups attribute: it is neither served nor declared at /Schemas",
		`RFC 7643 §4.1.2: groups is a read-only, not required attribute of the User schema; RFC 7644 §4: /Schemas "is used to retrieve information about resource schemas supported by a SCIM service provider"`},
	{vIDsSequential, "ids are 1, 2, 3 ... in creation order, across users and groups",
		`RFC 7643 §3.1: id is "A unique identifier for a SCIM resource as defined by the service provider" and "MUST be unique across the SCIM service provider's entire set of resources"`},
	{vTimeSeconds, "meta.created and meta.lastModified have a precision of one second and are written without fractional seconds",
		`RFC 7643 §2.3.5: a dateTime "MUST be encoded as a valid xsd:dateTime as specified in Section 3.3.7 of [XML-Schema] and MUST include both a date and a time" (fractional seconds are optional there)`},
	{vTimeOffset, "meta.created and meta.lastModified are written in the time zone UTC+05:30 with its offset instead of Z",
		`RFC 7643 §2.3.5: a dateTime "MUST be encoded as a valid xsd:dateTime" (a timezone offset is one)`},
	{vSchemasExtensionLead, "the schemas of a user with the enterprise extension list the extension URN first",
		`RFC 7643 §3: in schemas "Value order is not specified and MUST NOT impact behavior."`},

	// Errors.
	{vErrorNoDetail, "error bodies have no detail",
		`RFC 7644 §3.12: detail is "A detailed human-readable message. OPTIONAL."`},
	{vErrorScimTypeMinimal, "error bodies name a scimType only where RFC 7644 requires one (uniqueness, noTarget, invalidFilter, mutability); invalidSyntax, invalidValue and invalidPath are left out",
		`RFC 7644 §3.12: scimType is "A SCIM detail error keyword. See Table 9. OPTIONAL."`},

	// Discovery.
	{vDiscoveryMinimal, "/ServiceProviderConfig has no documentationUri and its authentication scheme no specUri; resource types have no id, and no schemaExtensions when they have none",
		`RFC 7643 §5: documentationUri and specUri are each "OPTIONAL"; RFC 7643 §6: "id The resource type's server unique id. This is often the same value as the "name" attribute. OPTIONAL." and "schemaExtensions A list of URIs of the resource type's schema extensions. OPTIONAL."`},
}

// variantDocLine is the line of the package documentation above that
// describes v.
func variantDocLine(v VariantInfo) string {
	end := "."
	if strings.HasSuffix(v.Allows, ".") || strings.HasSuffix(v.Allows, `."`) {
		end = ""
	}
	return "//   - " + v.Name + ": " + v.Does + ". Allowed by " + v.Allows + end
}
