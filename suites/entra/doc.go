// Package entra declares the Entra provisioning area: every sequence shipped
// in fixtures/sequences/entra, replayed in each dialect it applies to as one
// Ordered container ("Entra <sequence> (<dialect>)") with one spec per step,
// named after the step. A failing step fails its spec with the step's rule,
// every violation and the redacted transcript; the steps after it are
// skipped. The -dialect option selects dialects through their labels and
// -app selects the attribute-mapping profile the bodies are built from.
package entra
