package suites

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// stampFile is written into the package directory at the end of every
// `go test ./suites` run that go test could cache.
const stampFile = ".scimconform-last-run"

// uncacheable makes sure go test never caches the run's verdict. go test
// replays a cached "ok" when the test binary ran with only cacheable flags
// and the environment variables and files it read are unchanged: a run
// configured through SCIM_* variables alone would then pass again without
// sending a request, the target down or not. go test passes
// -test.testlogfile exactly when it may cache, and refuses to cache a run
// that opened a file of the module modified less than two seconds before
// the run ended; so such a run ends by writing stampFile here, in the
// package directory. Where it cannot, the run fails rather than leave a
// verdict that a later run would replay.
func uncacheable(passed bool) error {
	if f := flag.Lookup("test.testlogfile"); f == nil || f.Value.String() == "" {
		return nil // not run by go test, or with caching off (-count=1, a non-cacheable flag)
	}
	dir, err := os.Getwd()
	if err == nil {
		verdict := "PASSED"
		if !passed {
			verdict = "FAILED"
		}
		content := fmt.Sprintf("scimconform: a go test run ended %s (%s).\n"+
			"Every run writes this file so that go test never caches a verdict; it can be deleted.\n",
			time.Now().UTC().Format(time.RFC3339), verdict)
		err = os.WriteFile(filepath.Join(dir, stampFile), []byte(content), 0o644)
	}
	if err != nil {
		return fmt.Errorf("go test would cache this verdict and replay it without testing the target, and the file that prevents it cannot be written (%v): "+
			"run with -count=1, or the compiled suite (make conformance-bin)", err)
	}
	return nil
}
