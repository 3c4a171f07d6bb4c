// Package rfc holds the conformance specs for RFC 7643 (SCIM core schema)
// and RFC 7644 (SCIM protocol), one file per area: discovery, users,
// groups, filter, patch, pagination, projection, errors, security, etag and
// concurrency. Every spec is independent of every other (randomize-all
// safe), names the requirement it enforces with framework.Rule, creates
// only run-prefixed data through the framework's tracker, and scopes every
// list request to its own data so that other resources on a shared tenant
// never change a verdict. Optional features are skipped, not failed, when
// /ServiceProviderConfig says they are unsupported.
package rfc
