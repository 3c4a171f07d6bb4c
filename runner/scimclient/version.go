// Package scimclient sends SCIM requests to one target: retries, giving up, preflight, redaction, transcripts and the guard of the run's own resources.
package scimclient

// Version is scimconform's version, sent in the User-Agent.
const Version = "0.1.0"
