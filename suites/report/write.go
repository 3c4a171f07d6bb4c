package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// File names written into the report directory.
const (
	JUnitFile = "junit.xml"
	JSONFile  = "report.json"
	HTMLFile  = "report.html"
)

// Options are what the reports show besides the Ginkgo report.
type Options struct {
	// Info is the run's redacted configuration, shown at the top of
	// report.html (target, app profile, dialects, profile, run id...).
	Info []Info
	// Secrets (the token, the auth header value) must appear in no file,
	// in any encoding; see Write.
	Secrets []string
	// Baseline is the -accept file of the run, nil without one: the
	// failures it accepts are reported apart and do not count as failures.
	Baseline *framework.Baseline
	// Now judges the baseline's expiry dates; the zero value means the
	// time of writing.
	Now time.Time
}

// Summarize builds the summary of r the reports show: Build, with the
// run's configuration and the baseline applied.
func Summarize(r types.Report, opts Options) Summary {
	s := Build(r)
	s.Info = opts.Info
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	s.ApplyBaseline(opts.Baseline, now)
	return s
}

// Info is one line of the run's configuration.
type Info struct{ Name, Value string }

// Write creates dir and writes the three reports of r into it. Every
// occurrence of a secret is replaced in every file as a last line of
// defence: transcripts are redacted when recorded, so this should find
// nothing.
func Write(dir string, r types.Report, opts Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create report directory: %w", err)
	}
	summary := Summarize(r, opts)
	forJSON, forJUnit := annotate(r, summary)
	junit := filepath.Join(dir, JUnitFile)
	if err := reporters.GenerateJUnitReportWithConfig(forJUnit, junit, reporters.JunitReportConfig{
		OmitLeafNodeType:          true,
		OmitSpecLabels:            true,
		OmitTimelinesForSpecState: types.SpecStatePassed | types.SpecStateSkipped,
	}); err != nil {
		return fmt.Errorf("write %s: %w", JUnitFile, err)
	}
	if err := reporters.GenerateJSONReport(forJSON, filepath.Join(dir, JSONFile)); err != nil {
		return fmt.Errorf("write %s: %w", JSONFile, err)
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, summary); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, HTMLFile), html.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", HTMLFile, err)
	}
	red := scimclient.NewRedactor(0, opts.Secrets)
	for _, name := range []string{JUnitFile, JSONFile, HTMLFile} {
		if err := scrub(filepath.Join(dir, name), red); err != nil {
			return err
		}
	}
	return nil
}

// scrub hides every secret in the file the way transcripts hide them: in
// every encoding, secrets shorter than scimclient.MinSecretLen left alone.
func scrub(path string, red *scimclient.Redactor) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("scrub %s: %w", filepath.Base(path), err)
	}
	out := red.String(string(data))
	if out == string(data) {
		return nil
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		return fmt.Errorf("scrub %s: %w", filepath.Base(path), err)
	}
	return nil
}
