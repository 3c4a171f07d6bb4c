// Package rfc holds the conformance specs for RFC 7643 (SCIM core schema)
// and RFC 7644 (SCIM protocol), one file per area: discovery, users,
// groups, filter, patch, pagination, projection, errors, security, etag and
// concurrency. Every spec is independent of every other (randomize-all
// safe), names the requirement it enforces with framework.Rule, creates
// only run-prefixed data through the framework's tracker, and scopes every
// list request to its own data so that other resources on a shared tenant
// never change a verdict. Optional features are skipped, not failed, when
// /ServiceProviderConfig says they are unsupported, or, for search by POST,
// when the target answers that it does not offer it.
//
// A spec's verdict is its own rule. Each request exercises only the
// feature the spec names (no boolean literal, grouping or operator the
// spec is not about), and a violation of another rule seen on the way —
// an invalid representation or ListResponse, the wrong media type, a 404
// for a query matching nothing — is reported as a warning (conforms): the
// spec that owns that rule fails for it. A precondition another spec owns
// that does not hold (the resource carries no meta, a setup PATCH failed)
// skips the spec with the name of that spec.
package rfc
