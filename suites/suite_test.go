// Package suites is scimconform's conformance suite.
//
//	go test ./suites                         # against the built-in reference server
//	SCIM_TOKEN=... go test ./suites -target=https://app.example.com/scim
//
// Vendors without the source run the same suite as a standalone binary,
// built with `make conformance-bin` (go test -c -o bin/scimconform-conformance ./suites):
//
//	export SCIM_TOKEN=...                    # keeps the token off the command line
//	./scimconform-conformance -target=https://app.example.com/scim -report-dir=reports
//	./scimconform-conformance -help          # every option and its environment variable
//
// Options (each also read from its environment variable): -target
// (SCIM_TARGET), -token (SCIM_TOKEN), -auth-header "Name: value"
// (SCIM_AUTH_HEADER), -app (SCIM_APP, default entra-default), -dialect
// default|aadOptscim062020|both (SCIM_DIALECT), -profile entra|rfc|all
// (SCIM_PROFILE), -report-dir (SCIM_REPORT_DIR), -keep (SCIM_KEEP),
// -timeout per request (SCIM_TIMEOUT), -insecure (SCIM_INSECURE), -ca-file
// (SCIM_CA_FILE), -features patch,filter,... (SCIM_FEATURES: what the
// target supports, instead of its /ServiceProviderConfig), -accept FILE
// (SCIM_ACCEPT: accepted deviations, see framework.Baseline),
// -give-up-after N requests in a row with no usable answer
// (SCIM_GIVE_UP_AFTER, default 10, 0 never), -max-response bytes of one
// response (SCIM_MAX_RESPONSE, default 16MiB), -deadline for the whole run
// (SCIM_DEADLINE, default 30m; it is Ginkgo's suite timeout and replaces
// -ginkgo.timeout). Ginkgo's own flags work as usual:
// -ginkgo.focus='<spec name>', -ginkgo.label-filter='users && must',
// -ginkgo.v, -ginkgo.dry-run.
//
// Under `go test`, -timeout is go test's own limit for the whole binary
// (default 10m): set the per-request limit with SCIM_TIMEOUT or after -args
// (go test ./suites -args -timeout=10s), and raise go test's limit for long
// runs against slow targets (go test -timeout=60m ./suites). The run's
// -deadline is kept far enough below go test's limit for the cleanup after
// it, so a long run ends with the run's own message rather than go test's
// panic.
//
// Every resource the run creates is named after the run id and deleted
// after its spec, also on failure or Ctrl-C; the run changes no user or
// group it did not create (scimclient.ErrNotOwned). Afterwards the target is
// searched for the run id: anything left, a target that does not apply
// the filter, or a search that fails is reported as a failure.
package suites

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/mapping"
	_ "github.com/scimconform/scimconform/suites/entra"
	"github.com/scimconform/scimconform/suites/framework"
	"github.com/scimconform/scimconform/suites/report"
	_ "github.com/scimconform/scimconform/suites/rfc"
)

// flags are registered on the test binary's command line; their
// environment mirrors are read in TestSuites.
var flags = framework.RegisterFlags(flag.CommandLine)

// TestSuites validates the configuration, then runs the specs selected by
// the profile, the dialect and Ginkgo's own filters. The run fails when a
// spec or a suite node failed, unless every failed spec is accepted by the
// -accept baseline; go test never caches its verdict (see uncacheable).
func TestSuites(t *testing.T) {
	cfg, err := configure()
	if err != nil {
		t.Fatal(err)
	}
	var baseline *framework.Baseline
	if cfg.Accept != "" {
		if baseline, err = framework.LoadBaseline(cfg.Accept); err != nil {
			t.Fatal(err) // Validate read it a moment ago: the file changed
		}
	}
	testEnd, _ := t.Deadline()
	deadline, err := runDeadline(cfg.Deadline, testEnd, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if ginkgo.GinkgoParallelProcess() == 1 {
		fmt.Print(cfg.String())
		if deadline.cut {
			fmt.Printf("  %-11s %s\n", "note", deadline)
		}
	}
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	filter, err := cfg.LabelFilter(suiteConfig.LabelFilter)
	if err != nil {
		t.Fatal(err)
	}
	suiteConfig.LabelFilter = filter
	suiteConfig.Timeout = deadline.timeout
	now := time.Now()
	current = &suiteState{cfg: cfg, labelFilter: filter, baseline: baseline, now: now, deadline: deadline, deadlineAt: now.Add(deadline.timeout)}

	gomega.RegisterFailHandler(framework.GomegaFail)
	var ginkgoVerdict failRecorder
	passed := ginkgo.RunSpecs(&ginkgoVerdict, "scimconform", suiteConfig, reporterConfig)

	if current.summary != nil {
		if err := report.WriteConsole(os.Stdout, *current.summary); err != nil {
			t.Errorf("print the summary: %v", err)
		}
	}
	ok := passed || current.allFailuresAccepted()
	if msg := current.stopMessage(time.Now()); msg != "" {
		fmt.Printf("\n%s\n", msg)
		ok = false // a run cut short is never a pass, whatever the baseline accepts
	}
	if !ok {
		t.Fail()
	}
	if err := uncacheable(ok); err != nil {
		t.Error(err)
	}
}

// failRecorder stands in for *testing.T in RunSpecs, which fails it when
// any spec failed: TestSuites decides afterwards, with the baseline.
type failRecorder struct{ failed bool }

func (r *failRecorder) Fail() { r.failed = true }

// configure resolves flags and environment and validates everything, so a
// bad option fails before any request with one message.
func configure() (framework.Config, error) {
	cfg, err := flags.Resolve(os.Getenv)
	if err != nil {
		return cfg, err
	}
	if err := cfg.Validate(appExists); err != nil {
		return cfg, err
	}
	if cfg.ReportDir != "" {
		// go test runs the suite in the package directory: say where the
		// files really go.
		abs, err := filepath.Abs(cfg.ReportDir)
		if err != nil {
			return cfg, fmt.Errorf("invalid configuration:\n  - -report-dir %q: %v", cfg.ReportDir, err)
		}
		cfg.ReportDir = abs
		if err := os.MkdirAll(cfg.ReportDir, 0o755); err != nil {
			return cfg, fmt.Errorf("invalid configuration:\n  - -report-dir %q cannot be created: %v", cfg.ReportDir, err)
		}
	}
	return cfg, nil
}

func appExists(name string) error {
	_, err := mapping.Load(name)
	return err
}
