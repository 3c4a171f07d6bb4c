// Package entra declares the Entra provisioning area: every sequence shipped
// in fixtures/sequences/entra, replayed in each dialect it applies to as one
// Ordered container ("Entra <sequence> (<dialect>)") with one spec per step,
// named after the step. A failing step fails its spec with the step's rule,
// every violation and the redacted transcript. The steps after it still
// run, except those that depend on it: a step that uses a value the failed
// step was to capture, or that checks its effect, is skipped with the
// reason ("needs ${userId} captured by step 'creates the user ...', which
// failed: ..."), unless the capturing step has a setup request that
// establishes the value instead (see runner.Replay). The -dialect option
// selects dialects through their labels and -app selects the
// attribute-mapping profile the bodies are built from.
//
// validator.go declares the checks of Microsoft's SCIM Validator that the
// replays do not make; README.md maps every validator test to the specs
// that cover it and says where they are stricter or looser.
package entra
