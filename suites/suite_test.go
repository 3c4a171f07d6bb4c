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
// (SCIM_CA_FILE), -give-up-after N requests in a row with no usable answer
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
// after its spec, also on failure or Ctrl-C; afterwards the target is
// searched for the run id and anything left is reported as a failure.
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

	"github.com/scimconform/scimconform/runner"
	_ "github.com/scimconform/scimconform/suites/entra"
	"github.com/scimconform/scimconform/suites/framework"
	"github.com/scimconform/scimconform/suites/report"
	_ "github.com/scimconform/scimconform/suites/rfc"
)

// flags are registered on the test binary's command line; their
// environment mirrors are read in TestSuites.
var flags = framework.RegisterFlags(flag.CommandLine)

// TestSuites validates the configuration, then runs the specs selected by
// the profile, the dialect and Ginkgo's own filters.
func TestSuites(t *testing.T) {
	cfg, err := configure()
	if err != nil {
		t.Fatal(err)
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
	current = &suiteState{cfg: cfg, labelFilter: filter, deadline: deadline, deadlineAt: time.Now().Add(deadline.timeout)}

	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "scimconform", suiteConfig, reporterConfig)

	if current.summary != nil {
		if err := report.WriteConsole(os.Stdout, *current.summary); err != nil {
			t.Errorf("print the summary: %v", err)
		}
	}
	if msg := current.stopMessage(time.Now()); msg != "" {
		fmt.Printf("\n%s\n", msg)
		t.Fail()
	}
}

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
	_, err := runner.LoadApp(name)
	return err
}
