// Package suites is scimconform's conformance suite: `go test ./suites`
// runs every spec against the built-in reference server, and
// `go test ./suites -target=https://host/scim` (with SCIM_TOKEN set) runs
// them against any SCIM endpoint. `go test -c ./suites` builds the same
// suite as a standalone binary. Run with -help for every option.
package suites

import (
	"flag"
	"fmt"
	"os"
	"testing"

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
	if ginkgo.GinkgoParallelProcess() == 1 {
		fmt.Print(cfg.String())
	}
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	filter, err := cfg.LabelFilter(suiteConfig.LabelFilter)
	if err != nil {
		t.Fatal(err)
	}
	suiteConfig.LabelFilter = filter
	current = &suiteState{cfg: cfg}

	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "scimconform", suiteConfig, reporterConfig)

	if current.summary != nil {
		if err := report.WriteConsole(os.Stdout, *current.summary); err != nil {
			t.Errorf("print the summary: %v", err)
		}
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
