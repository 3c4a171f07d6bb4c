// Package runner is the scimconform engine: an HTTP client for SCIM targets
// with retries and redacted transcripts, identity-provider sequences and app
// mapping profiles, an executor that judges every response, and a cleanup
// tracker. It is importable as a library.
package runner

// Version is scimconform's version, sent in the User-Agent.
const Version = "0.1.0"
