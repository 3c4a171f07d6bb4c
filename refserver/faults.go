package refserver

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// fault is the name of one fault.
type fault string

// faultInfo is one row of the fault table.
type faultInfo struct {
	name   fault
	area   string // the suite area whose specs catch it
	does   string // what the server does when the fault is on
	breaks string // the rule it breaks, with its source
}

// Faults make the reference server wrong on purpose, in exactly one way
// each, the way real service providers are wrong. They exist to prove that
// every conformance check can fail: the self-test (suites/selftest) runs
// the suites against the server once per fault and expects exactly the
// checks that guard the broken rule to fail. Options.Faults switches them
// on by name; `scimconform serve -fault NAME[,NAME]` does the same from the
// command line and `scimconform serve -fault list` prints this table.
//
// A fault changes nothing but the behaviour it names: each one flips a
// single branch where the server makes that decision, on the path the
// server takes with no fault on. No fault is on unless named, and an
// unknown name is an error from New.
//
// The branches stay in this package, grouped by area in faults_*.go, and
// are not moved behind a seam of their own (a package wrapping the handler
// or the store). About a quarter of the faults show only in HTTP (a
// status, a header, the shape of an error or list body) and could be a
// wrapper rewriting answers, but that wrapper would decode and re-encode
// bodies and need to know which answer is which. The others change
// decisions inside the server: how a filter is read and which index
// answers it, when uniqueness is checked, how PATCH operations are
// applied, when a version moves, what a race window loses. A seam for
// them would export each of those decisions as a hook, one per fault, to
// a package that would then depend on the server's internals. Two
// mechanisms and a hook interface as wide as the fault table cost more
// than one branch at each decision.
//
// The table (faultTable; FaultCatalog returns it), by the suite area whose
// specs catch the fault: name: what the server then does. Breaks: the rule
// and its source.
//
// Caught in the users area:
//
//   - create-200: POST /Users and /Groups answer 200 OK instead of 201 Created. Breaks RFC 7644 §3.3: a successful create answers 201 Created.
//   - create-no-location: POST answers without a Location header. Breaks RFC 7644 §3.3: the 201 answer carries the resource URI in Location.
//   - no-meta: resources are served without meta. Breaks RFC 7643 §3.1: meta (resourceType, created, lastModified, location) is part of every resource.
//   - no-schemas: resources are served without schemas. Breaks RFC 7643 §3: every resource lists its schema URIs in schemas.
//   - id-changes-on-read: GET /Users/{id} and /Groups/{id} answer with the id in lower case, unlike the id POST returned. Breaks RFC 7643 §3.1: id is stable and issued by the service provider; Entra caches it.
//   - put-merges: PUT merges the body into the resource: attributes left out keep their values. Breaks RFC 7644 §3.5.1: PUT replaces the resource; attributes not sent are cleared.
//   - put-resets-created: PUT recreates the resource: meta.created becomes the time of the PUT. Breaks RFC 7643 §3.1: meta.created is when the resource was added; readOnly values in a PUT are ignored.
//   - put-takes-body-meta: PUT with meta.created in the body stores it as the resource's creation time. Breaks RFC 7644 §3.5.1: values of readOnly attributes in a PUT body SHALL be ignored; RFC 7643 §3.1: meta is readOnly.
//   - put-takes-body-id: PUT with an id in the body moves the resource to that id. Breaks RFC 7643 §3.1 and RFC 7644 §3.5.1: id is readOnly; a PUT never changes it.
//   - delete-200-with-body: DELETE answers 200 with the deleted resource as body. Breaks RFC 7644 §3.6: a successful DELETE answers 204 No Content.
//   - delete-keeps-resource: DELETE answers 204 but keeps the resource. Breaks RFC 7644 §3.6: a deleted resource is gone; every later request for it answers 404.
//   - duplicate-names-accepted: userName (and group displayName) are not unique: a duplicate is created. Breaks RFC 7643 §4.1.1: userName is unique; RFC 7644 §3.3: a duplicate is 409 uniqueness.
//   - username-unique-case-sensitive: userName uniqueness is case-sensitive: a name differing only in case is created. Breaks RFC 7643 §4.1.1: userName is caseExact false, so names differing in case collide (409 uniqueness).
//   - create-without-schemas-accepted: POST /Users and /Groups without schemas create the resource as if the core schema were listed. Breaks RFC 7643 §3: every representation includes a non-empty schemas array; RFC 7644 §3.12: such a body is 400 invalidSyntax (a SHOULD-level check: the MUST binds the request).
//   - required-not-checked: a user without userName (a group without displayName) is created with a generated name. Breaks RFC 7643 §4.1.1 and §4.2: userName and displayName are REQUIRED; RFC 7644 §3.12: 400 invalidValue.
//   - wrong-types-accepted: values of the wrong type are coerced (numbers to strings) or dropped instead of refused. Breaks RFC 7643 §2.3: every attribute has one type; RFC 7644 §3.12: 400 invalidValue.
//   - unknown-id-400: an id the server could not have issued answers 400 invalidValue instead of 404. Breaks RFC 7644 §3.12: a resource that does not exist answers 404.
//
// Caught in the groups area:
//
//   - put-keeps-members: PUT /Groups/{id} ignores members: only PATCH changes them. Breaks RFC 7644 §3.5.1: PUT replaces every attribute, members included.
//   - delete-group-deletes-members: DELETE /Groups/{id} also deletes the users that were its members. Breaks RFC 7644 §3.6: deleting a group removes the group, not the resources it references.
//   - user-groups-missing: users are served without their groups attribute. Breaks RFC 7643 §4.1.2: groups lists the groups the user belongs to.
//   - deleted-user-stays-member: deleting a user leaves its id in the members of its groups. Breaks RFC 7643 §4.2: a member's value is the id of a SCIM resource, which a deleted user's id no longer is (a SHOULD-level check: no MUST requires the removal).
//   - create-foreign-schema-rejected: a POST listing a schema URI the server does not serve (Entra's ADSCIM Group URI) is refused (400 invalidValue). Breaks entra-protocol G2 and quirk 9: Entra's POST /Groups lists http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group; a service provider for Entra ignores it.
//
// Caught in the concurrency area:
//
//   - read-lag: the first GET or PATCH of a resource after its creation answers 404 (a lagging read replica). Breaks RFC 7644 §3.3: the resource exists once 201 is sent (read-your-writes).
//   - create-race: POST checks userName uniqueness, then stores the user in a second step, so racing creates of one name all succeed. Breaks RFC 7643 §4.1.1 and RFC 7644 §3.3: a duplicate userName is 409, also under concurrency.
//   - member-add-lost-update: member-add PATCHes read the member list, then write it back in a second step, so concurrent adds lose each other's members. Breaks RFC 7644 §3.5.2: every PATCH is applied in full; concurrent member adds must not lose updates.
//
// Caught in the discovery area:
//
//   - spc-supported-strings: /ServiceProviderConfig says "supported": "true" (strings) instead of booleans. Breaks RFC 7643 §5: each feature's supported is a REQUIRED boolean.
//   - resourcetypes-missing-group: /ResourceTypes lists User only, though /Groups is served. Breaks RFC 7644 §4: /ResourceTypes lists every resource type the service provider supports.
//   - discovery-unknown-id-200: /ResourceTypes/{id} and /Schemas/{id} answer the first entry for an unknown id. Breaks RFC 7644 §3.12: an unknown resource answers 404.
//   - discovery-by-id-lists: /ResourceTypes/{id} and /Schemas/{id} ignore the id and answer the whole list. Breaks RFC 7644 §4: /ResourceTypes/{id} and /Schemas/{id} return the one resource.
//   - schema-attributes-incomplete: /Schemas leaves mutability and returned out of every attribute. Breaks RFC 7643 §7: every attribute definition carries its characteristics.
//   - schemas-missing-extension: /Schemas omits the enterprise extension schema the User resource type declares. Breaks RFC 7643 §6 and §7: each schemaExtensions URI of a resource type is served at /Schemas.
//   - discovery-writable: POST, PUT, PATCH and DELETE on the discovery endpoints answer 200 like GET, changing nothing. Breaks RFC 9110 §9.1: a method not allowed for the target resource SHOULD be answered 405, one not implemented 501 (RFC 7644 §4 defines GET only).
//   - discovery-writes-applied: writes to the discovery endpoints are applied: a schema or resource type POSTed is served until deleted, PUT and PATCH keep what they set (of a built-in resource only the documentationUri or description, and the authenticationSchemes a PUT of /ServiceProviderConfig gives, stored without primary, which RFC 7643 §5 does not define), DELETE removes built-in resources too. Breaks RFC 7644 §4 and RFC 7643 §7: the discovery resources are served for GET only and their attributes are readOnly (SHALL NOT be modified).
//   - discovery-lists-bare-array: /ResourceTypes and /Schemas answer a bare JSON array instead of a ListResponse. Breaks RFC 7644 §4: the discovery list endpoints answer a ListResponse.
//
// Caught in the filter area:
//
//   - filter-no-match-404: a filter that matches nothing answers 404 instead of an empty list. Breaks RFC 7644 §3.4.2: no match is 200 with totalResults 0; Entra quarantines apps answering 404.
//   - filter-co-as-eq: co compares like eq (whole value) instead of substring. Breaks RFC 7644 §3.4.2.2: co matches a substring.
//   - filter-sw-as-co: sw matches the operand anywhere in the value, not only at the start. Breaks RFC 7644 §3.4.2.2: sw matches a prefix.
//   - filter-ew-rejected: ew is refused as an unsupported operator (400 invalidFilter). Breaks RFC 7644 §3.4.2.2: ew is one of the operators a service provider supporting filters implements.
//   - filter-ne-rejected: ne is refused as an unsupported operator (400 invalidFilter). Breaks RFC 7644 §3.4.2.2: ne is one of the operators a service provider supporting filters implements.
//   - filter-pr-matches-all: pr matches every resource, with or without a value. Breaks RFC 7644 §3.4.2.2: pr matches only when the attribute has a non-empty value.
//   - filter-gt-lt-inclusive: gt and lt include an equal value (compare like ge and le). Breaks RFC 7644 §3.4.2.2: gt and lt are strict comparisons.
//   - filter-ge-le-exclusive: ge and le exclude an equal value (compare like gt and lt). Breaks RFC 7644 §3.4.2.2: ge and le include an equal value.
//   - filter-not-ignored: not (X) is evaluated as X. Breaks RFC 7644 §3.4.2.2: not matches when the expression does not.
//   - filter-no-precedence: a or b and c is evaluated left to right, as (a or b) and c. Breaks RFC 7644 §3.4.2.2: and binds tighter than or.
//   - filter-or-rejected: or is refused as unsupported (400 invalidFilter). Breaks RFC 7644 §3.4.2.2: or is one of the logical operators of the filter grammar.
//   - filter-valuepath-never-matches: value paths (emails[type eq "work"]) never match. Breaks RFC 7644 §3.4.2.2: a valuePath matches resources with a value satisfying the bracketed filter.
//   - filter-valuepath-flattened: the conditions of a value path may hold on different values of the attribute. Breaks RFC 7644 §3.4.2.2: every condition inside brackets applies to the same value.
//   - filter-subattr-rejected: filters on sub-attributes (name.familyName, emails.type, meta.created) are refused (400 invalidFilter). Breaks RFC 7644 §3.4.2.2: a filter names sub-attributes as attribute.subAttribute.
//   - filter-first-value-only: filters on a multi-valued attribute look at its first value only. Breaks RFC 7644 §3.4.2.2: a multi-valued attribute matches when any of its values matches.
//   - filter-urn-rejected: URN-qualified attribute names in filters are refused (400 invalidFilter). Breaks RFC 7644 §3.4.2.2 and RFC 7643 §2.1: attributes may be named by their full schema URN.
//   - filter-meta-rejected: filters on meta.created and meta.lastModified are refused (400 invalidFilter). Breaks RFC 7644 §3.4.2.2: dateTime attributes such as meta.lastModified are filterable and compare chronologically.
//   - filter-attr-names-case-sensitive: attribute names in filters match only in their schema spelling. Breaks RFC 7643 §2.1 and RFC 7644 §3.4.2.2: attribute names are case-insensitive.
//   - filter-operators-case-sensitive: operators in upper or mixed case (EQ, Or) are refused (400 invalidFilter). Breaks RFC 7644 §3.4.2.2: attribute and logical operators are case-insensitive.
//   - filter-values-case-sensitive: string values compare case-sensitively, caseExact false attributes (userName) included. Breaks RFC 7643 §2.2 and §4.1.1: caseExact false values, userName among them, compare case-insensitively.
//   - filter-externalid-case-insensitive: externalId (caseExact true) compares case-insensitively. Breaks RFC 7643 §3.1 and §2.2: externalId is caseExact true and compares case-sensitively.
//   - filter-bool-as-string: the literals true and false are compared as strings, so they never match a boolean. Breaks RFC 7644 §3.4.2.2: true and false are boolean literals compared with boolean attributes.
//   - filter-bool-ordering-accepted: gt, ge, lt and le on a boolean are answered instead of refused. Breaks RFC 7644 §3.4.2.2: ordering operators on a boolean SHALL fail with 400 invalidFilter.
//   - filter-unknown-attribute-ignored: a comparison on an attribute the schema does not define is dropped: it matches every resource. Breaks RFC 7644 §3.4.2.2: only resources matching the filter SHALL be returned; §3.12: such a filter may be refused with 400 invalidFilter.
//   - filter-nested-parentheses-rejected: a group in parentheses inside another group is refused (400 invalidFilter). Breaks RFC 7644 §3.4.2.2: filters conform to the ABNF, in which a group may hold groups.
//   - filter-lookup-case-sensitive: a filter that is only userName eq (group displayName eq), the lookup Entra sends, compares the value case-sensitively; inside a larger filter it does not. Breaks RFC 7643 §8.7.1 and RFC 7644 §3.4.2.2: userName and displayName are caseExact false and compare case-insensitively; Microsoft's SCIM Validator looks them up in another case.
//   - filter-connection-closed: GET /Users and /Groups with a filter on a multi-valued attribute (emails, members) are answered by closing the connection, with no response at all. Breaks RFC 7644 §3.4.2 and §3.12: a query is answered, with a ListResponse or a SCIM error.
//   - filter-malformed-matches-nothing: a filter that does not parse answers 200 with an empty list. Breaks RFC 7644 §3.4.2.2 and §3.12: an unparsable filter is 400 invalidFilter.
//   - index-lag: a new resource is found by userName (group displayName) eq only after its first update (a lagging search index). Breaks RFC 7644 §3.4.2: a query reflects the resources that exist; Entra looks a user up right after creating it.
//
// Caught in the pagination area:
//
//   - list-bare-array: list and search answers are a bare JSON array of resources. Breaks RFC 7644 §3.4.2: list answers are a ListResponse (schemas, totalResults, Resources).
//   - list-total-is-page: totalResults is the number of resources on the page, not of all matches. Breaks RFC 7644 §3.4.2: totalResults is the total number of results of the query.
//   - list-items-per-page-total: itemsPerPage is the total number of matches, not the page size. Breaks RFC 7644 §3.4.2: itemsPerPage is the number of resources returned in this page.
//   - paging-ignored: startIndex and count are ignored: every match is returned. Breaks RFC 7644 §3.4.2.4: startIndex and count select one page.
//   - start-index-zero-based: startIndex is taken as a 0-based offset, skipping one resource. Breaks RFC 7644 §3.4.2.4: startIndex is 1-based.
//   - count-zero-ignored: count=0 (and a negative count) answer the default page. Breaks RFC 7644 §3.4.2.4: count=0 returns no resources, only totalResults; a negative count is 0.
//   - start-index-below-1-rejected: startIndex below 1 is refused (400 invalidValue). Breaks RFC 7644 §3.4.2.4: a startIndex below 1 is interpreted as 1.
//   - search-paging-ignored: POST .search ignores startIndex and count. Breaks RFC 7644 §3.4.3: a SearchRequest pages like the query parameters.
//   - sort-ignored: sortBy is ignored: results come in creation order. Breaks RFC 7644 §3.4.2.3: sortBy orders the results (ServiceProviderConfig sort.supported is true).
//   - sort-order-ignored: sortOrder is ignored: results are always ascending. Breaks RFC 7644 §3.4.2.3: sortOrder descending reverses the order.
//   - sort-per-page: each page is sorted on its own after paging. Breaks RFC 7644 §3.4.2.3 and §3.4.2.4: the whole result set is sorted, then paged.
//   - sort-attr-case-sensitive: sortBy names match only in their schema spelling (else 400 invalidValue). Breaks RFC 7643 §2.1: attribute names are case-insensitive.
//
// Caught in the patch area:
//
//   - patch-op-case-sensitive: op names other than lower case ("Add", "Replace") are refused (400 invalidSyntax). Breaks entra-protocol U6, U9 and G5: without the aadOptscim062020 flag Entra sends Add, Replace and Remove; a service provider for Entra accepts op names in any case.
//   - patch-pathless-rejected: add and replace without a path are refused (400 invalidPath). Breaks RFC 7644 §3.5.2.1 and §3.5.2.3: path is optional for add and replace; Entra sends path-less replaces.
//   - patch-one-member-per-op: an operation adding or removing more than one member is refused (400 invalidValue). Breaks RFC 7644 §3.5.2.1: add takes an array of values; entra-protocol G5: several members in one operation.
//   - patch-remove-value-rejected: remove with a value (Entra's member removal) is refused (400 invalidSyntax). Breaks entra-protocol G6: without the flag Entra removes members with a value array; a service provider for Entra removes only those members.
//   - patch-bool-strings-rejected: "True" and "False" strings for a boolean are refused (400 invalidValue). Breaks entra-protocol U9 and U11: without the flag Entra disables a user with "value": "False"; a service provider for Entra reads it as the boolean.
//   - patch-active-ignored: PATCH operations on active answer success and change nothing. Breaks RFC 7644 §3.5.2: each operation is applied; Entra disables users with replace active.
//   - patch-pathless-ignored: add and replace without a path answer success and change nothing. Breaks RFC 7644 §3.5.2.1 and §3.5.2.3: without a path the value is an object of attributes to set.
//   - patch-valuepath-rejected: value-filter paths (emails[type eq "work"].value, members[value eq "x"]) are refused (400 invalidPath). Breaks RFC 7644 §3.5.2 and §3.10: a path may hold a valuePath filter.
//   - patch-urn-path-rejected: paths naming an extension attribute by its schema URN are refused (400 invalidPath). Breaks RFC 7644 §3.10: a path may be URN-qualified.
//   - patch-readonly-ignored: replace on the readOnly id answers success and is ignored. Breaks RFC 7644 §3.5.2 and §3.12: modifying a readOnly attribute is 400 mutability.
//   - patch-no-target-ignored: remove without a path answers success. Breaks RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code 400 and a "scimType" error code of "noTarget"".
//   - patch-remove-filter-ignored: remove with a value-filter path ignores the filter and removes every value of the attribute. Breaks RFC 7644 §3.5.2.2: a remove with a filter removes the values matched by the filter, and only those.
//   - patch-bad-path-scimtype: a malformed path is 400 with scimType invalidSyntax instead of invalidPath. Breaks RFC 7644 §3.12: an invalid path is 400 invalidPath.
//   - patch-add-replaces: add on a multi-valued attribute (emails, members) replaces its values. Breaks RFC 7644 §3.5.2.1: add on a multi-valued attribute adds the new values to the existing ones.
//   - patch-replace-appends: replace on a multi-valued attribute without a filter adds to its values. Breaks RFC 7644 §3.5.2.3: replace without a filter replaces all the values.
//   - patch-remove-all-ignored: remove on a multi-valued attribute without a filter or value answers success and removes nothing. Breaks RFC 7644 §3.5.2.2: remove without a filter removes all the values.
//   - patch-remove-members-wipes: remove on members with a value array removes every member. Breaks RFC 7644 §3.5.2.2 and entra-protocol G6: only the listed members are removed.
//   - patch-replace-complex-clears: replace on a complex attribute drops the sub-attributes not given. Breaks RFC 7644 §3.5.2.3: sub-attributes not given are left unchanged.
//   - patch-remove-sub-removes-parent: remove on a sub-attribute (name.formatted) removes the whole complex attribute. Breaks RFC 7644 §3.5.2.2: remove deletes the value at the path only.
//   - patch-removes-last: remove operations are applied after every add and replace. Breaks RFC 7644 §3.5.2: operations are applied in the order they appear.
//   - patch-not-atomic: operations before a failing one stay applied. Breaks RFC 7644 §3.5.2: PATCH is atomic; a failed request changes nothing.
//   - patch-response-stale: a PATCH answering 200 returns the resource as it was before the PATCH. Breaks RFC 7644 §3.5.2: a 200 answer holds the updated resource.
//   - patch-not-persisted: PATCH answers with the updated resource but stores nothing. Breaks RFC 7644 §3.5.2: the modifications are applied to the resource.
//   - member-readd-conflict: adding back a member removed from the same group before is refused (409 uniqueness): the removal left a tombstone. Breaks RFC 7644 §3.5.2.1: add adds the value; entra-protocol G5: Entra adds back members it removed before.
//   - patch-existing-member-rejected: adding a member the group already has is refused (409 uniqueness). Breaks RFC 7644 §3.5.2.1: adding a value already present makes no change and succeeds.
//   - patch-empty-operations-rejected: a PATCH whose Operations array is empty is refused (400 invalidValue). Breaks entra-protocol §5.3 and quirk 24: Microsoft's SCIM Validator sends a PATCH with no operations and expects success.
//   - patch-valuepath-no-create: add and replace through a value-filter path no element matches (emails[type eq "work"].value of a user without one) are refused (400 noTarget) instead of creating the element. Breaks entra-protocol U6 and quirk 4: Entra and the SCIM Validator's "Add Attributes" test set values through value paths that must create the element.
//   - manager-clear-rejected: replace of the enterprise manager with an empty value ("" or {"value": ""}) is refused (400 invalidValue). Breaks entra-protocol U8 and §5.2: the SCIM Validator's "Remove Manager" test clears the manager with an empty value.
//
// Caught in the projection area:
//
//   - attributes-ignored: the attributes parameter is ignored: every default attribute is returned. Breaks RFC 7644 §3.9 and §3.4.2.5: attributes limits a response to the named attributes.
//   - excluded-attributes-ignored: the excludedAttributes parameter is ignored. Breaks RFC 7644 §3.9 and §3.4.2.5: excludedAttributes removes the named attributes.
//   - returned-always-dropped: attributes and excludedAttributes also drop id (returned always). Breaks RFC 7643 §7: attributes with returned always are in every response.
//   - projection-names-case-sensitive: attributes and excludedAttributes match names only in their schema spelling. Breaks RFC 7643 §2.1: attribute names are case-insensitive.
//   - projection-drops-schemas: answers to requests with attributes or excludedAttributes leave out schemas. Breaks RFC 7643 §3: every representation, partial ones included, lists its schemas.
//   - password-returned: password is returned like any attribute. Breaks RFC 7643 §4.1.1 and §7: password is returned never.
//
// Caught in the errors area:
//
//   - error-status-number: error bodies carry status as a JSON number. Breaks RFC 7644 §3.12: status is the HTTP status code as a string.
//   - errors-html: errors are HTML pages (text/html). Breaks RFC 7644 §3.12: errors are SCIM Error JSON bodies.
//   - error-no-scimtype: error bodies leave out scimType. Breaks RFC 7644 §3.3, §3.4.2.2, §3.5.2 and §3.5.2.2: a duplicate (uniqueness), an unrecognised filter (invalidFilter), a mutability violation and a remove without path (noTarget) name their scimType.
//   - malformed-json-500: a request body that is not JSON answers 500. Breaks RFC 7644 §3.12: an unparsable body is 400 invalidSyntax.
//   - unknown-path-html-200: a path that is no endpoint answers 200 with an HTML page. Breaks RFC 7644 §3.12: an unknown endpoint answers 404.
//   - content-type-json: responses carry Content-Type application/json. Breaks RFC 7644 §3.1 and §8.1: responses carry application/scim+json.
//   - not-found-plain-text: a missing resource answers 404 with a plain-text body. Breaks RFC 7644 §3.12: a 404 carries a SCIM Error body.
//   - json-request-rejected: request bodies sent as application/json are refused (415). Breaks RFC 7644 §3.1 and §8.1: application/json is accepted like application/scim+json.
//
// Caught in the security area:
//
//   - no-auth: requests without or with a wrong token are served. Breaks RFC 7644 §2 and §7.4: every request is authenticated; 401 otherwise.
//   - auth-403: a missing or wrong token answers 403 instead of 401. Breaks RFC 7644 §3.12 and RFC 6750 §3.1: an invalid or missing credential is 401.
//   - token-echoed: the 401 answer echoes the credential it refused. Breaks RFC 7644 §7.4 and RFC 6750 §5.3: credentials are never disclosed.
//   - no-www-authenticate: 401 answers carry no WWW-Authenticate header. Breaks RFC 6750 §3 and RFC 9110 §11.6.1: a 401 includes WWW-Authenticate.
//   - auth-after-effect: the request is carried out, then refused with 401 when the token is wrong or missing. Breaks RFC 7644 §2 and §7.4: an unauthenticated request has no effect.
//
// Caught in the etag area:
//
//   - etag-missing: responses carry no ETag header. Breaks RFC 7644 §3.14: with etag supported, resources are served with an ETag equal to meta.version.
//   - etag-not-version: the ETag header is a hash that differs from meta.version. Breaks RFC 7644 §3.14 and RFC 7643 §3.1: the ETag header equals meta.version.
//   - if-none-match-ignored: If-None-Match is ignored: GET answers 200 with the resource. Breaks RFC 7644 §3.14 and RFC 9110 §13.1.2: a matching If-None-Match answers 304.
//   - if-match-star-rejected: If-Match: * is compared as a literal tag, so it never matches (412). Breaks RFC 7644 §3.14 and RFC 9110 §13.1.1: If-Match: * matches any current version.
//   - if-match-ignored: If-Match is ignored: stale versions overwrite and delete. Breaks RFC 7644 §3.14 and RFC 9110 §13.1.1: a non-matching If-Match answers 412.
//   - version-bumped-on-noop: every PUT and PATCH bumps meta.version and meta.lastModified, even when nothing changed. Breaks RFC 7644 §3.14 and §3.5.2.1: the version changes only when the resource does.
//   - version-changes-on-read: GET /Users/{id} and /Groups/{id} answer a new meta.version and ETag on every read, though nothing changed. Breaks RFC 7644 §3.14: the version identifies the state of the resource and changes only when the resource does.
//   - version-never-changes: meta.version is always W/"1": it never changes. Breaks RFC 7644 §3.14 and RFC 7643 §3.1: meta.version changes when the resource does.
//
// FaultInfo describes one fault for listings: its name, the area of the
// suites that catches it, what the server then does and the rule it breaks.
type FaultInfo struct {
	Name   string
	Area   string
	Does   string
	Breaks string
}

// FaultCatalog returns every fault, in table order.
func FaultCatalog() []FaultInfo {
	out := make([]FaultInfo, len(faultTable))
	for i, f := range faultTable {
		out[i] = FaultInfo{Name: string(f.name), Area: f.area, Does: f.does, Breaks: f.breaks}
	}
	return out
}

// FaultNames returns the name of every fault, in table order.
func FaultNames() []string {
	out := make([]string, len(faultTable))
	for i, f := range faultTable {
		out[i] = string(f.name)
	}
	return out
}

// faultSet is the set of faults a server runs with. The zero value has none.
type faultSet struct {
	on    map[fault]bool
	state *faultState // what stateful faults remember; nil without faults
}

// faultState is the memory of the faults that depend on history.
type faultState struct {
	mu      sync.Mutex
	read    map[string]bool      // read-lag: ids of resources read once since their creation
	removed map[string]bool      // member-readd-conflict: "<group id> <member id>" of removed members
	arrived map[string]time.Time // racing faults: when the latest racing request of a kind arrived
	reads   uint64               // version-changes-on-read: reads served so far
	// discovery-writes-applied, by discovery resource
	// ("ServiceProviderConfig", "ResourceTypes/<id>", "Schemas/<id>", ids
	// in lower case): the documentationUri or description a write gave a
	// built-in one, the resources POSTed (never changed in place), and the
	// built-in ones a DELETE removed; and the authenticationSchemes a PUT
	// of /ServiceProviderConfig left.
	kept    map[string]string
	stored  map[string]map[string]any
	gone    map[string]bool
	schemes []any
}

// has reports whether f is switched on.
func (s faultSet) has(f fault) bool { return s.on[f] }

// parseFaults checks names against the table. Names are trimmed; blanks
// are ignored; an unknown name is an error listing the valid ones.
func parseFaults(names []string) (faultSet, error) {
	known := make(map[fault]bool, len(faultTable))
	for _, f := range faultTable {
		known[f.name] = true
	}
	var set faultSet
	var unknown []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !known[fault(n)] {
			unknown = append(unknown, fmt.Sprintf("%q", n))
			continue
		}
		if set.on == nil {
			set.on = map[fault]bool{}
			set.state = &faultState{read: map[string]bool{}, removed: map[string]bool{}, arrived: map[string]time.Time{},
				kept: map[string]string{}, stored: map[string]map[string]any{}, gone: map[string]bool{}}
		}
		set.on[fault(n)] = true
	}
	if len(unknown) > 0 {
		valid := FaultNames()
		sort.Strings(valid)
		return faultSet{}, fmt.Errorf("refserver: unknown fault %s; valid faults: %s",
			strings.Join(unknown, ", "), strings.Join(valid, ", "))
	}
	return set, nil
}

// Fault names. Each is one deliberate defect; see faultTable for what it
// does and which rule it breaks.
const (
	// Users and groups.
	fCreate200            fault = "create-200"
	fCreateNoLocation     fault = "create-no-location"
	fNoMeta               fault = "no-meta"
	fNoSchemas            fault = "no-schemas"
	fIDChangesOnRead      fault = "id-changes-on-read"
	fPutMerges            fault = "put-merges"
	fPutKeepsMembers      fault = "put-keeps-members"
	fPutResetsCreated     fault = "put-resets-created"
	fPutTakesBodyID       fault = "put-takes-body-id"
	fPutTakesBodyMeta     fault = "put-takes-body-meta"
	fDelete200            fault = "delete-200-with-body"
	fDeleteKeeps          fault = "delete-keeps-resource"
	fDeleteGroupCascade   fault = "delete-group-deletes-members"
	fDuplicateNames       fault = "duplicate-names-accepted"
	fForeignSchemaReject  fault = "create-foreign-schema-rejected"
	fUniqueCaseSensitive  fault = "username-unique-case-sensitive"
	fRequiredNotChecked   fault = "required-not-checked"
	fNoSchemasAccepted    fault = "create-without-schemas-accepted"
	fWrongTypesAccepted   fault = "wrong-types-accepted"
	fUserGroupsMissing    fault = "user-groups-missing"
	fDeletedUserStays     fault = "deleted-user-stays-member"
	fForeignID400         fault = "unknown-id-400"
	fReadLag              fault = "read-lag"
	fCreateRace           fault = "create-race"
	fMemberLostUpdate     fault = "member-add-lost-update"
	fSPCSupportedStrings  fault = "spc-supported-strings"
	fResourceTypesNoGroup fault = "resourcetypes-missing-group"
	fDiscoveryUnknownID   fault = "discovery-unknown-id-200"
	fDiscoveryByIDList    fault = "discovery-by-id-lists"
	fSchemaAttrsSparse    fault = "schema-attributes-incomplete"
	fSchemasNoExtension   fault = "schemas-missing-extension"
	fDiscoveryWritable    fault = "discovery-writable"
	fDiscoveryWritesKept  fault = "discovery-writes-applied"
	fDiscoveryBareArray   fault = "discovery-lists-bare-array"

	// Filters.
	fFilterNoMatch404      fault = "filter-no-match-404"
	fFilterCoAsEq          fault = "filter-co-as-eq"
	fFilterSwAsCo          fault = "filter-sw-as-co"
	fFilterEwRejected      fault = "filter-ew-rejected"
	fFilterNeRejected      fault = "filter-ne-rejected"
	fFilterPrMatchesAll    fault = "filter-pr-matches-all"
	fFilterGtInclusive     fault = "filter-gt-lt-inclusive"
	fFilterGeExclusive     fault = "filter-ge-le-exclusive"
	fFilterNotIgnored      fault = "filter-not-ignored"
	fFilterNoPrecedence    fault = "filter-no-precedence"
	fFilterOrRejected      fault = "filter-or-rejected"
	fFilterValuePathNever  fault = "filter-valuepath-never-matches"
	fFilterValuePathFlat   fault = "filter-valuepath-flattened"
	fFilterSubAttrRejected fault = "filter-subattr-rejected"
	fFilterFirstValueOnly  fault = "filter-first-value-only"
	fFilterURNRejected     fault = "filter-urn-rejected"
	fFilterMetaRejected    fault = "filter-meta-rejected"
	fFilterNamesCase       fault = "filter-attr-names-case-sensitive"
	fFilterOpsCase         fault = "filter-operators-case-sensitive"
	fFilterValuesCase      fault = "filter-values-case-sensitive"
	fFilterExactIgnored    fault = "filter-externalid-case-insensitive"
	fFilterBoolAsString    fault = "filter-bool-as-string"
	fFilterBoolOrdering    fault = "filter-bool-ordering-accepted"
	fFilterUnknownIgnored  fault = "filter-unknown-attribute-ignored"
	fFilterNestedRejected  fault = "filter-nested-parentheses-rejected"
	fFilterLookupCase      fault = "filter-lookup-case-sensitive"
	fFilterConnClosed      fault = "filter-connection-closed"
	fFilterMalformedEmpty  fault = "filter-malformed-matches-nothing"
	fIndexLag              fault = "index-lag"

	// Lists, pages and sorting.
	fListBareArray        fault = "list-bare-array"
	fListTotalIsPage      fault = "list-total-is-page"
	fListItemsPerPageAll  fault = "list-items-per-page-total"
	fPagingIgnored        fault = "paging-ignored"
	fStartIndexZeroBased  fault = "start-index-zero-based"
	fCountZeroIgnored     fault = "count-zero-ignored"
	fStartIndexBelow1400  fault = "start-index-below-1-rejected"
	fSearchPagingIgnored  fault = "search-paging-ignored"
	fSortIgnored          fault = "sort-ignored"
	fSortOrderIgnored     fault = "sort-order-ignored"
	fSortPerPage          fault = "sort-per-page"
	fSortNameCaseSensitve fault = "sort-attr-case-sensitive"

	// PATCH.
	fPatchOpCase            fault = "patch-op-case-sensitive"
	fPatchPathlessRejected  fault = "patch-pathless-rejected"
	fPatchOneMemberPerOp    fault = "patch-one-member-per-op"
	fPatchRemoveValueReject fault = "patch-remove-value-rejected"
	fPatchBoolStrings       fault = "patch-bool-strings-rejected"
	fPatchActiveIgnored     fault = "patch-active-ignored"
	fPatchPathlessIgnored   fault = "patch-pathless-ignored"
	fPatchValuePathReject   fault = "patch-valuepath-rejected"
	fPatchURNPathRejected   fault = "patch-urn-path-rejected"
	fPatchReadOnlyIgnored   fault = "patch-readonly-ignored"
	fPatchNoTargetIgnored   fault = "patch-no-target-ignored"
	fPatchRemoveFilterAll   fault = "patch-remove-filter-ignored"
	fPatchBadPathScimType   fault = "patch-bad-path-scimtype"
	fPatchAddReplaces       fault = "patch-add-replaces"
	fPatchReplaceAppends    fault = "patch-replace-appends"
	fPatchRemoveAllIgnored  fault = "patch-remove-all-ignored"
	fPatchRemoveMembersAll  fault = "patch-remove-members-wipes"
	fPatchComplexClears     fault = "patch-replace-complex-clears"
	fPatchSubRemovesParent  fault = "patch-remove-sub-removes-parent"
	fPatchRemovesLast       fault = "patch-removes-last"
	fPatchNotAtomic         fault = "patch-not-atomic"
	fPatchResponseStale     fault = "patch-response-stale"
	fPatchNotPersisted      fault = "patch-not-persisted"
	fPatchMemberDupReject   fault = "patch-existing-member-rejected"
	fMemberReaddConflict    fault = "member-readd-conflict"
	fPatchEmptyOpsRejected  fault = "patch-empty-operations-rejected"
	fPatchValuePathNoCreate fault = "patch-valuepath-no-create"
	fManagerClearRejected   fault = "manager-clear-rejected"

	// Projection.
	fAttributesIgnored   fault = "attributes-ignored"
	fExcludedIgnored     fault = "excluded-attributes-ignored"
	fAlwaysDropped       fault = "returned-always-dropped"
	fProjectionNamesCase fault = "projection-names-case-sensitive"
	fPasswordReturned    fault = "password-returned"
	fProjectionNoSchemas fault = "projection-drops-schemas"

	// Errors and media type.
	fErrorStatusNumber fault = "error-status-number"
	fErrorsHTML        fault = "errors-html"
	fErrorNoScimType   fault = "error-no-scimtype"
	fMalformedJSON500  fault = "malformed-json-500"
	fUnknownPath200    fault = "unknown-path-html-200"
	fContentTypeJSON   fault = "content-type-json"
	fNotFoundPlain     fault = "not-found-plain-text"
	fJSONRequestReject fault = "json-request-rejected"

	// Authentication.
	fNoAuth         fault = "no-auth"
	fAuth403        fault = "auth-403"
	fTokenEchoed    fault = "token-echoed"
	fNoChallenge    fault = "no-www-authenticate"
	fAuthAfterWrite fault = "auth-after-effect"

	// ETags and versions.
	fETagMissing         fault = "etag-missing"
	fETagNotVersion      fault = "etag-not-version"
	fIfNoneMatchIgnored  fault = "if-none-match-ignored"
	fIfMatchIgnored      fault = "if-match-ignored"
	fIfMatchStarRejected fault = "if-match-star-rejected"
	fVersionBumpedNoop   fault = "version-bumped-on-noop"
	fVersionStatic       fault = "version-never-changes"
	fVersionOnRead       fault = "version-changes-on-read"
)

// faultTable is the one table of faults: name, area, what the server then
// does and the rule that breaks, with its source.
var faultTable = []faultInfo{
	// Users and groups.
	{fCreate200, "users", "POST /Users and /Groups answer 200 OK instead of 201 Created",
		"RFC 7644 §3.3: a successful create answers 201 Created"},
	{fCreateNoLocation, "users", "POST answers without a Location header",
		"RFC 7644 §3.3: the 201 answer carries the resource URI in Location"},
	{fNoMeta, "users", "resources are served without meta",
		"RFC 7643 §3.1: meta (resourceType, created, lastModified, location) is part of every resource"},
	{fNoSchemas, "users", "resources are served without schemas",
		"RFC 7643 §3: every resource lists its schema URIs in schemas"},
	{fIDChangesOnRead, "users", "GET /Users/{id} and /Groups/{id} answer with the id in lower case, unlike the id POST returned",
		"RFC 7643 §3.1: id is stable and issued by the service provider; Entra caches it"},
	{fPutMerges, "users", "PUT merges the body into the resource: attributes left out keep their values",
		"RFC 7644 §3.5.1: PUT replaces the resource; attributes not sent are cleared"},
	{fPutKeepsMembers, "groups", "PUT /Groups/{id} ignores members: only PATCH changes them",
		"RFC 7644 §3.5.1: PUT replaces every attribute, members included"},
	{fPutResetsCreated, "users", "PUT recreates the resource: meta.created becomes the time of the PUT",
		"RFC 7643 §3.1: meta.created is when the resource was added; readOnly values in a PUT are ignored"},
	{fPutTakesBodyMeta, "users", "PUT with meta.created in the body stores it as the resource's creation time",
		"RFC 7644 §3.5.1: values of readOnly attributes in a PUT body SHALL be ignored; RFC 7643 §3.1: meta is readOnly"},
	{fPutTakesBodyID, "users", "PUT with an id in the body moves the resource to that id",
		"RFC 7643 §3.1 and RFC 7644 §3.5.1: id is readOnly; a PUT never changes it"},
	{fDelete200, "users", "DELETE answers 200 with the deleted resource as body",
		"RFC 7644 §3.6: a successful DELETE answers 204 No Content"},
	{fDeleteKeeps, "users", "DELETE answers 204 but keeps the resource",
		"RFC 7644 §3.6: a deleted resource is gone; every later request for it answers 404"},
	{fDeleteGroupCascade, "groups", "DELETE /Groups/{id} also deletes the users that were its members",
		"RFC 7644 §3.6: deleting a group removes the group, not the resources it references"},
	{fDuplicateNames, "users", "userName (and group displayName) are not unique: a duplicate is created",
		"RFC 7643 §4.1.1: userName is unique; RFC 7644 §3.3: a duplicate is 409 uniqueness"},
	{fForeignSchemaReject, "groups", "a POST listing a schema URI the server does not serve (Entra's ADSCIM Group URI) is refused (400 invalidValue)",
		"entra-protocol G2 and quirk 9: Entra's POST /Groups lists http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group; a service provider for Entra ignores it"},
	{fUniqueCaseSensitive, "users", "userName uniqueness is case-sensitive: a name differing only in case is created",
		"RFC 7643 §4.1.1: userName is caseExact false, so names differing in case collide (409 uniqueness)"},
	{fNoSchemasAccepted, "users", "POST /Users and /Groups without schemas create the resource as if the core schema were listed",
		"RFC 7643 §3: every representation includes a non-empty schemas array; RFC 7644 §3.12: such a body is 400 invalidSyntax (a SHOULD-level check: the MUST binds the request)"},
	{fRequiredNotChecked, "users", "a user without userName (a group without displayName) is created with a generated name",
		"RFC 7643 §4.1.1 and §4.2: userName and displayName are REQUIRED; RFC 7644 §3.12: 400 invalidValue"},
	{fWrongTypesAccepted, "users", "values of the wrong type are coerced (numbers to strings) or dropped instead of refused",
		"RFC 7643 §2.3: every attribute has one type; RFC 7644 §3.12: 400 invalidValue"},
	{fUserGroupsMissing, "groups", "users are served without their groups attribute",
		"RFC 7643 §4.1.2: groups lists the groups the user belongs to"},
	{fDeletedUserStays, "groups", "deleting a user leaves its id in the members of its groups",
		"RFC 7643 §4.2: a member's value is the id of a SCIM resource, which a deleted user's id no longer is (a SHOULD-level check: no MUST requires the removal)"},
	{fForeignID400, "users", "an id the server could not have issued answers 400 invalidValue instead of 404",
		"RFC 7644 §3.12: a resource that does not exist answers 404"},
	{fReadLag, "concurrency", "the first GET or PATCH of a resource after its creation answers 404 (a lagging read replica)",
		"RFC 7644 §3.3: the resource exists once 201 is sent (read-your-writes)"},
	{fCreateRace, "concurrency", "POST checks userName uniqueness, then stores the user in a second step, so racing creates of one name all succeed",
		"RFC 7643 §4.1.1 and RFC 7644 §3.3: a duplicate userName is 409, also under concurrency"},
	{fMemberLostUpdate, "concurrency", "member-add PATCHes read the member list, then write it back in a second step, so concurrent adds lose each other's members",
		"RFC 7644 §3.5.2: every PATCH is applied in full; concurrent member adds must not lose updates"},

	// Discovery.
	{fSPCSupportedStrings, "discovery", `/ServiceProviderConfig says "supported": "true" (strings) instead of booleans`,
		"RFC 7643 §5: each feature's supported is a REQUIRED boolean"},
	{fResourceTypesNoGroup, "discovery", "/ResourceTypes lists User only, though /Groups is served",
		"RFC 7644 §4: /ResourceTypes lists every resource type the service provider supports"},
	{fDiscoveryUnknownID, "discovery", "/ResourceTypes/{id} and /Schemas/{id} answer the first entry for an unknown id",
		"RFC 7644 §3.12: an unknown resource answers 404"},
	{fDiscoveryByIDList, "discovery", "/ResourceTypes/{id} and /Schemas/{id} ignore the id and answer the whole list",
		"RFC 7644 §4: /ResourceTypes/{id} and /Schemas/{id} return the one resource"},
	{fSchemaAttrsSparse, "discovery", "/Schemas leaves mutability and returned out of every attribute",
		"RFC 7643 §7: every attribute definition carries its characteristics"},
	{fSchemasNoExtension, "discovery", "/Schemas omits the enterprise extension schema the User resource type declares",
		"RFC 7643 §6 and §7: each schemaExtensions URI of a resource type is served at /Schemas"},
	{fDiscoveryWritable, "discovery", "POST, PUT, PATCH and DELETE on the discovery endpoints answer 200 like GET, changing nothing",
		"RFC 9110 §9.1: a method not allowed for the target resource SHOULD be answered 405, one not implemented 501 (RFC 7644 §4 defines GET only)"},
	{fDiscoveryWritesKept, "discovery", "writes to the discovery endpoints are applied: a schema or resource type POSTed is served until deleted, PUT and PATCH keep what they set (of a built-in resource only the documentationUri or description, and the authenticationSchemes a PUT of /ServiceProviderConfig gives, stored without primary, which RFC 7643 §5 does not define), DELETE removes built-in resources too",
		"RFC 7644 §4 and RFC 7643 §7: the discovery resources are served for GET only and their attributes are readOnly (SHALL NOT be modified)"},
	{fDiscoveryBareArray, "discovery", "/ResourceTypes and /Schemas answer a bare JSON array instead of a ListResponse",
		"RFC 7644 §4: the discovery list endpoints answer a ListResponse"},

	// Filters.
	{fFilterNoMatch404, "filter", "a filter that matches nothing answers 404 instead of an empty list",
		"RFC 7644 §3.4.2: no match is 200 with totalResults 0; Entra quarantines apps answering 404"},
	{fFilterCoAsEq, "filter", "co compares like eq (whole value) instead of substring",
		"RFC 7644 §3.4.2.2: co matches a substring"},
	{fFilterSwAsCo, "filter", "sw matches the operand anywhere in the value, not only at the start",
		"RFC 7644 §3.4.2.2: sw matches a prefix"},
	{fFilterEwRejected, "filter", "ew is refused as an unsupported operator (400 invalidFilter)",
		"RFC 7644 §3.4.2.2: ew is one of the operators a service provider supporting filters implements"},
	{fFilterNeRejected, "filter", "ne is refused as an unsupported operator (400 invalidFilter)",
		"RFC 7644 §3.4.2.2: ne is one of the operators a service provider supporting filters implements"},
	{fFilterPrMatchesAll, "filter", "pr matches every resource, with or without a value",
		"RFC 7644 §3.4.2.2: pr matches only when the attribute has a non-empty value"},
	{fFilterGtInclusive, "filter", "gt and lt include an equal value (compare like ge and le)",
		"RFC 7644 §3.4.2.2: gt and lt are strict comparisons"},
	{fFilterGeExclusive, "filter", "ge and le exclude an equal value (compare like gt and lt)",
		"RFC 7644 §3.4.2.2: ge and le include an equal value"},
	{fFilterNotIgnored, "filter", "not (X) is evaluated as X",
		"RFC 7644 §3.4.2.2: not matches when the expression does not"},
	{fFilterNoPrecedence, "filter", "a or b and c is evaluated left to right, as (a or b) and c",
		"RFC 7644 §3.4.2.2: and binds tighter than or"},
	{fFilterOrRejected, "filter", "or is refused as unsupported (400 invalidFilter)",
		"RFC 7644 §3.4.2.2: or is one of the logical operators of the filter grammar"},
	{fFilterValuePathNever, "filter", "value paths (emails[type eq \"work\"]) never match",
		"RFC 7644 §3.4.2.2: a valuePath matches resources with a value satisfying the bracketed filter"},
	{fFilterValuePathFlat, "filter", "the conditions of a value path may hold on different values of the attribute",
		"RFC 7644 §3.4.2.2: every condition inside brackets applies to the same value"},
	{fFilterSubAttrRejected, "filter", "filters on sub-attributes (name.familyName, emails.type, meta.created) are refused (400 invalidFilter)",
		"RFC 7644 §3.4.2.2: a filter names sub-attributes as attribute.subAttribute"},
	{fFilterFirstValueOnly, "filter", "filters on a multi-valued attribute look at its first value only",
		"RFC 7644 §3.4.2.2: a multi-valued attribute matches when any of its values matches"},
	{fFilterURNRejected, "filter", "URN-qualified attribute names in filters are refused (400 invalidFilter)",
		"RFC 7644 §3.4.2.2 and RFC 7643 §2.1: attributes may be named by their full schema URN"},
	{fFilterMetaRejected, "filter", "filters on meta.created and meta.lastModified are refused (400 invalidFilter)",
		"RFC 7644 §3.4.2.2: dateTime attributes such as meta.lastModified are filterable and compare chronologically"},
	{fFilterNamesCase, "filter", "attribute names in filters match only in their schema spelling",
		"RFC 7643 §2.1 and RFC 7644 §3.4.2.2: attribute names are case-insensitive"},
	{fFilterOpsCase, "filter", "operators in upper or mixed case (EQ, Or) are refused (400 invalidFilter)",
		"RFC 7644 §3.4.2.2: attribute and logical operators are case-insensitive"},
	{fFilterValuesCase, "filter", "string values compare case-sensitively, caseExact false attributes (userName) included",
		"RFC 7643 §2.2 and §4.1.1: caseExact false values, userName among them, compare case-insensitively"},
	{fFilterExactIgnored, "filter", "externalId (caseExact true) compares case-insensitively",
		"RFC 7643 §3.1 and §2.2: externalId is caseExact true and compares case-sensitively"},
	{fFilterBoolAsString, "filter", "the literals true and false are compared as strings, so they never match a boolean",
		"RFC 7644 §3.4.2.2: true and false are boolean literals compared with boolean attributes"},
	{fFilterBoolOrdering, "filter", "gt, ge, lt and le on a boolean are answered instead of refused",
		"RFC 7644 §3.4.2.2: ordering operators on a boolean SHALL fail with 400 invalidFilter"},
	{fFilterUnknownIgnored, "filter", "a comparison on an attribute the schema does not define is dropped: it matches every resource",
		"RFC 7644 §3.4.2.2: only resources matching the filter SHALL be returned; §3.12: such a filter may be refused with 400 invalidFilter"},
	{fFilterNestedRejected, "filter", "a group in parentheses inside another group is refused (400 invalidFilter)",
		"RFC 7644 §3.4.2.2: filters conform to the ABNF, in which a group may hold groups"},
	{fFilterLookupCase, "filter", "a filter that is only userName eq (group displayName eq), the lookup Entra sends, compares the value case-sensitively; inside a larger filter it does not",
		"RFC 7643 §8.7.1 and RFC 7644 §3.4.2.2: userName and displayName are caseExact false and compare case-insensitively; Microsoft's SCIM Validator looks them up in another case"},
	{fFilterConnClosed, "filter", "GET /Users and /Groups with a filter on a multi-valued attribute (emails, members) are answered by closing the connection, with no response at all",
		"RFC 7644 §3.4.2 and §3.12: a query is answered, with a ListResponse or a SCIM error"},
	{fFilterMalformedEmpty, "filter", "a filter that does not parse answers 200 with an empty list",
		"RFC 7644 §3.4.2.2 and §3.12: an unparsable filter is 400 invalidFilter"},
	{fIndexLag, "filter", "a new resource is found by userName (group displayName) eq only after its first update (a lagging search index)",
		"RFC 7644 §3.4.2: a query reflects the resources that exist; Entra looks a user up right after creating it"},

	// Lists, pages and sorting.
	{fListBareArray, "pagination", "list and search answers are a bare JSON array of resources",
		"RFC 7644 §3.4.2: list answers are a ListResponse (schemas, totalResults, Resources)"},
	{fListTotalIsPage, "pagination", "totalResults is the number of resources on the page, not of all matches",
		"RFC 7644 §3.4.2: totalResults is the total number of results of the query"},
	{fListItemsPerPageAll, "pagination", "itemsPerPage is the total number of matches, not the page size",
		"RFC 7644 §3.4.2: itemsPerPage is the number of resources returned in this page"},
	{fPagingIgnored, "pagination", "startIndex and count are ignored: every match is returned",
		"RFC 7644 §3.4.2.4: startIndex and count select one page"},
	{fStartIndexZeroBased, "pagination", "startIndex is taken as a 0-based offset, skipping one resource",
		"RFC 7644 §3.4.2.4: startIndex is 1-based"},
	{fCountZeroIgnored, "pagination", "count=0 (and a negative count) answer the default page",
		"RFC 7644 §3.4.2.4: count=0 returns no resources, only totalResults; a negative count is 0"},
	{fStartIndexBelow1400, "pagination", "startIndex below 1 is refused (400 invalidValue)",
		"RFC 7644 §3.4.2.4: a startIndex below 1 is interpreted as 1"},
	{fSearchPagingIgnored, "pagination", "POST .search ignores startIndex and count",
		"RFC 7644 §3.4.3: a SearchRequest pages like the query parameters"},
	{fSortIgnored, "pagination", "sortBy is ignored: results come in creation order",
		"RFC 7644 §3.4.2.3: sortBy orders the results (ServiceProviderConfig sort.supported is true)"},
	{fSortOrderIgnored, "pagination", "sortOrder is ignored: results are always ascending",
		"RFC 7644 §3.4.2.3: sortOrder descending reverses the order"},
	{fSortPerPage, "pagination", "each page is sorted on its own after paging",
		"RFC 7644 §3.4.2.3 and §3.4.2.4: the whole result set is sorted, then paged"},
	{fSortNameCaseSensitve, "pagination", "sortBy names match only in their schema spelling (else 400 invalidValue)",
		"RFC 7643 §2.1: attribute names are case-insensitive"},

	// PATCH.
	{fPatchOpCase, "patch", `op names other than lower case ("Add", "Replace") are refused (400 invalidSyntax)`,
		"entra-protocol U6, U9 and G5: without the aadOptscim062020 flag Entra sends Add, Replace and Remove; a service provider for Entra accepts op names in any case"},
	{fPatchPathlessRejected, "patch", "add and replace without a path are refused (400 invalidPath)",
		"RFC 7644 §3.5.2.1 and §3.5.2.3: path is optional for add and replace; Entra sends path-less replaces"},
	{fPatchOneMemberPerOp, "patch", "an operation adding or removing more than one member is refused (400 invalidValue)",
		"RFC 7644 §3.5.2.1: add takes an array of values; entra-protocol G5: several members in one operation"},
	{fPatchRemoveValueReject, "patch", "remove with a value (Entra's member removal) is refused (400 invalidSyntax)",
		"entra-protocol G6: without the flag Entra removes members with a value array; a service provider for Entra removes only those members"},
	{fPatchBoolStrings, "patch", `"True" and "False" strings for a boolean are refused (400 invalidValue)`,
		`entra-protocol U9 and U11: without the flag Entra disables a user with "value": "False"; a service provider for Entra reads it as the boolean`},
	{fPatchActiveIgnored, "patch", "PATCH operations on active answer success and change nothing",
		"RFC 7644 §3.5.2: each operation is applied; Entra disables users with replace active"},
	{fPatchPathlessIgnored, "patch", "add and replace without a path answer success and change nothing",
		"RFC 7644 §3.5.2.1 and §3.5.2.3: without a path the value is an object of attributes to set"},
	{fPatchValuePathReject, "patch", `value-filter paths (emails[type eq "work"].value, members[value eq "x"]) are refused (400 invalidPath)`,
		"RFC 7644 §3.5.2 and §3.10: a path may hold a valuePath filter"},
	{fPatchURNPathRejected, "patch", "paths naming an extension attribute by its schema URN are refused (400 invalidPath)",
		"RFC 7644 §3.10: a path may be URN-qualified"},
	{fPatchReadOnlyIgnored, "patch", "replace on the readOnly id answers success and is ignored",
		"RFC 7644 §3.5.2 and §3.12: modifying a readOnly attribute is 400 mutability"},
	{fPatchNoTargetIgnored, "patch", "remove without a path answers success",
		`RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code 400 and a "scimType" error code of "noTarget""`},
	{fPatchRemoveFilterAll, "patch", "remove with a value-filter path ignores the filter and removes every value of the attribute",
		"RFC 7644 §3.5.2.2: a remove with a filter removes the values matched by the filter, and only those"},
	{fPatchBadPathScimType, "patch", "a malformed path is 400 with scimType invalidSyntax instead of invalidPath",
		"RFC 7644 §3.12: an invalid path is 400 invalidPath"},
	{fPatchAddReplaces, "patch", "add on a multi-valued attribute (emails, members) replaces its values",
		"RFC 7644 §3.5.2.1: add on a multi-valued attribute adds the new values to the existing ones"},
	{fPatchReplaceAppends, "patch", "replace on a multi-valued attribute without a filter adds to its values",
		"RFC 7644 §3.5.2.3: replace without a filter replaces all the values"},
	{fPatchRemoveAllIgnored, "patch", "remove on a multi-valued attribute without a filter or value answers success and removes nothing",
		"RFC 7644 §3.5.2.2: remove without a filter removes all the values"},
	{fPatchRemoveMembersAll, "patch", "remove on members with a value array removes every member",
		"RFC 7644 §3.5.2.2 and entra-protocol G6: only the listed members are removed"},
	{fPatchComplexClears, "patch", "replace on a complex attribute drops the sub-attributes not given",
		"RFC 7644 §3.5.2.3: sub-attributes not given are left unchanged"},
	{fPatchSubRemovesParent, "patch", "remove on a sub-attribute (name.formatted) removes the whole complex attribute",
		"RFC 7644 §3.5.2.2: remove deletes the value at the path only"},
	{fPatchRemovesLast, "patch", "remove operations are applied after every add and replace",
		"RFC 7644 §3.5.2: operations are applied in the order they appear"},
	{fPatchNotAtomic, "patch", "operations before a failing one stay applied",
		"RFC 7644 §3.5.2: PATCH is atomic; a failed request changes nothing"},
	{fPatchResponseStale, "patch", "a PATCH answering 200 returns the resource as it was before the PATCH",
		"RFC 7644 §3.5.2: a 200 answer holds the updated resource"},
	{fPatchNotPersisted, "patch", "PATCH answers with the updated resource but stores nothing",
		"RFC 7644 §3.5.2: the modifications are applied to the resource"},
	{fMemberReaddConflict, "patch", "adding back a member removed from the same group before is refused (409 uniqueness): the removal left a tombstone",
		"RFC 7644 §3.5.2.1: add adds the value; entra-protocol G5: Entra adds back members it removed before"},
	{fPatchMemberDupReject, "patch", "adding a member the group already has is refused (409 uniqueness)",
		"RFC 7644 §3.5.2.1: adding a value already present makes no change and succeeds"},
	{fPatchEmptyOpsRejected, "patch", "a PATCH whose Operations array is empty is refused (400 invalidValue)",
		"entra-protocol §5.3 and quirk 24: Microsoft's SCIM Validator sends a PATCH with no operations and expects success"},
	{fPatchValuePathNoCreate, "patch", `add and replace through a value-filter path no element matches (emails[type eq "work"].value of a user without one) are refused (400 noTarget) instead of creating the element`,
		`entra-protocol U6 and quirk 4: Entra and the SCIM Validator's "Add Attributes" test set values through value paths that must create the element`},
	{fManagerClearRejected, "patch", `replace of the enterprise manager with an empty value ("" or {"value": ""}) is refused (400 invalidValue)`,
		`entra-protocol U8 and §5.2: the SCIM Validator's "Remove Manager" test clears the manager with an empty value`},

	// Projection.
	{fAttributesIgnored, "projection", "the attributes parameter is ignored: every default attribute is returned",
		"RFC 7644 §3.9 and §3.4.2.5: attributes limits a response to the named attributes"},
	{fExcludedIgnored, "projection", "the excludedAttributes parameter is ignored",
		"RFC 7644 §3.9 and §3.4.2.5: excludedAttributes removes the named attributes"},
	{fAlwaysDropped, "projection", "attributes and excludedAttributes also drop id (returned always)",
		"RFC 7643 §7: attributes with returned always are in every response"},
	{fProjectionNamesCase, "projection", "attributes and excludedAttributes match names only in their schema spelling",
		"RFC 7643 §2.1: attribute names are case-insensitive"},
	{fProjectionNoSchemas, "projection", "answers to requests with attributes or excludedAttributes leave out schemas",
		"RFC 7643 §3: every representation, partial ones included, lists its schemas"},
	{fPasswordReturned, "projection", "password is returned like any attribute",
		"RFC 7643 §4.1.1 and §7: password is returned never"},

	// Errors and media type.
	{fErrorStatusNumber, "errors", "error bodies carry status as a JSON number",
		"RFC 7644 §3.12: status is the HTTP status code as a string"},
	{fErrorsHTML, "errors", "errors are HTML pages (text/html)",
		"RFC 7644 §3.12: errors are SCIM Error JSON bodies"},
	{fErrorNoScimType, "errors", "error bodies leave out scimType",
		"RFC 7644 §3.3, §3.4.2.2, §3.5.2 and §3.5.2.2: a duplicate (uniqueness), an unrecognised filter (invalidFilter), a mutability violation and a remove without path (noTarget) name their scimType"},
	{fMalformedJSON500, "errors", "a request body that is not JSON answers 500",
		"RFC 7644 §3.12: an unparsable body is 400 invalidSyntax"},
	{fUnknownPath200, "errors", "a path that is no endpoint answers 200 with an HTML page",
		"RFC 7644 §3.12: an unknown endpoint answers 404"},
	{fContentTypeJSON, "errors", "responses carry Content-Type application/json",
		"RFC 7644 §3.1 and §8.1: responses carry application/scim+json"},
	{fNotFoundPlain, "errors", "a missing resource answers 404 with a plain-text body",
		"RFC 7644 §3.12: a 404 carries a SCIM Error body"},
	{fJSONRequestReject, "errors", "request bodies sent as application/json are refused (415)",
		"RFC 7644 §3.1 and §8.1: application/json is accepted like application/scim+json"},

	// Authentication.
	{fNoAuth, "security", "requests without or with a wrong token are served",
		"RFC 7644 §2 and §7.4: every request is authenticated; 401 otherwise"},
	{fAuth403, "security", "a missing or wrong token answers 403 instead of 401",
		"RFC 7644 §3.12 and RFC 6750 §3.1: an invalid or missing credential is 401"},
	{fTokenEchoed, "security", "the 401 answer echoes the credential it refused",
		"RFC 7644 §7.4 and RFC 6750 §5.3: credentials are never disclosed"},
	{fNoChallenge, "security", "401 answers carry no WWW-Authenticate header",
		"RFC 6750 §3 and RFC 9110 §11.6.1: a 401 includes WWW-Authenticate"},
	{fAuthAfterWrite, "security", "the request is carried out, then refused with 401 when the token is wrong or missing",
		"RFC 7644 §2 and §7.4: an unauthenticated request has no effect"},

	// ETags and versions.
	{fETagMissing, "etag", "responses carry no ETag header",
		"RFC 7644 §3.14: with etag supported, resources are served with an ETag equal to meta.version"},
	{fETagNotVersion, "etag", "the ETag header is a hash that differs from meta.version",
		"RFC 7644 §3.14 and RFC 7643 §3.1: the ETag header equals meta.version"},
	{fIfNoneMatchIgnored, "etag", "If-None-Match is ignored: GET answers 200 with the resource",
		"RFC 7644 §3.14 and RFC 9110 §13.1.2: a matching If-None-Match answers 304"},
	{fIfMatchStarRejected, "etag", "If-Match: * is compared as a literal tag, so it never matches (412)",
		"RFC 7644 §3.14 and RFC 9110 §13.1.1: If-Match: * matches any current version"},
	{fIfMatchIgnored, "etag", "If-Match is ignored: stale versions overwrite and delete",
		"RFC 7644 §3.14 and RFC 9110 §13.1.1: a non-matching If-Match answers 412"},
	{fVersionBumpedNoop, "etag", "every PUT and PATCH bumps meta.version and meta.lastModified, even when nothing changed",
		"RFC 7644 §3.14 and §3.5.2.1: the version changes only when the resource does"},
	{fVersionOnRead, "etag", "GET /Users/{id} and /Groups/{id} answer a new meta.version and ETag on every read, though nothing changed",
		"RFC 7644 §3.14: the version identifies the state of the resource and changes only when the resource does"},
	{fVersionStatic, "etag", "meta.version is always W/\"1\": it never changes",
		"RFC 7644 §3.14 and RFC 7643 §3.1: meta.version changes when the resource does"},
}
