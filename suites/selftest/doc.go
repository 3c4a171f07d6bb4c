// Package selftest proves that every conformance check can fail. It builds
// the suites once as a test binary, then, for each fault of the reference
// server (refserver.FaultCatalog), starts the server with that fault and
// runs the suites against it with a JSON report. For every fault the specs
// that fail (and, for SHOULD-level specs, warn) and the specs it leaves
// skipped must be exactly the ones declared in testdata/matrix.json, and
// with no fault every spec passes.
// Every spec must be caught by some fault, or be listed in the same file
// with the reason none does.
//
//	go test ./suites/selftest/                    # the matrix
//	go test ./suites/selftest/ -run 'TestFaultMatrix/create-200' -v
//	go test ./suites/selftest/ -update            # rewrite matrix.json from what was observed
//	go test ./suites/selftest/ -run 'TestFaultMatrix/fault/create-200' -update   # just that fault's entry
//
// After -update, review the diff: a fault that trips specs unrelated to the
// rule it breaks is either not wrong in exactly one way, or the spec is
// imprecise.
//
// TestVariants does the opposite: it runs the suites once per variant of
// the reference server (refserver.VariantCatalog, a behaviour RFC 7643 or
// RFC 7644 allows) and requires every spec to pass without a warning; only
// the specs declared in testdata/variants.json (those of an optional
// feature the variant switches off) may skip.
//
//	go test ./suites/selftest/ -run 'TestVariants/variant/page-size-1' -v
//	go test ./suites/selftest/ -run TestVariants -update   # rewrite variants.json
package selftest
