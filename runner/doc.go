// Package runner executes identity-provider sequences against a SCIM target, judges every response, and cleans up what a run created.
package runner
