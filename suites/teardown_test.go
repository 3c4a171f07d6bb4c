package suites

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/suites/framework"
	"github.com/scimconform/scimconform/suites/report"
)

// residueBudget bounds the residue check, deletions included.
const residueBudget = 2 * time.Minute

// After every process is done, process 1 searches the target for the run
// prefix: anything found escaped cleanup, so it is deleted and reported as
// a failure, and so is a target that ignores the filter or a search that
// fails (the run cannot claim to be clean). A target that cannot be
// searched by prefix gets a loud warning. Then the built-in reference
// server stops. NodeTimeout: after an interrupt or the -deadline Ginkgo
// would give it only its grace period.
var _ = ginkgo.SynchronizedAfterSuite(func() {}, func(sctx ginkgo.SpecContext) {
	defer func() {
		if current.server != nil {
			current.server.Close()
		}
	}()
	env := framework.CurrentEnv()
	if env == nil {
		return // the setup failed; it said why
	}
	if current.cfg.Keep {
		fmt.Printf("-keep is set: the resources this run created (named %s-...) are left on the target\n", env.RunID)
		return
	}
	ctx, cancel := context.WithTimeout(sctx, residueBudget)
	defer cancel()
	if err := env.Client.AwaitUsable(ctx); err != nil {
		ginkgo.Fail(fmt.Sprintf("could not verify that the run left nothing behind: the residue check sent nothing (%v); look for resources named %s-... by hand", err, env.RunID))
	}
	v := framework.CheckResidue(ctx, env.Client, env.RunID, env.SPC)
	if v.Warning != "" {
		fmt.Println("WARNING: " + v.Warning)
		framework.Warn(v.Warning)
	}
	if v.Failure != "" {
		ginkgo.Fail(v.Failure)
	}
}, ginkgo.NodeTimeout(residueBudget))

// Reports are written by process 1 from the whole run's report; the
// console summary is printed once the run is over.
var _ = ginkgo.ReportAfterSuite("scimconform reports", func(r types.Report) {
	current.aborted = abortReason(r)
	opts := current.reportOptions()
	s := report.Summarize(r, opts)
	if r.SuiteConfig.ParallelTotal > 1 {
		// Under ginkgo -p only this node's output reaches the console.
		if err := report.WriteConsole(os.Stdout, s); err != nil {
			ginkgo.Fail(fmt.Sprintf("print the summary: %v", err))
		}
	} else {
		current.summary = &s // printed once RunSpecs returns, as the last word
	}
	if current.cfg.ReportDir == "" {
		return
	}
	if err := report.Write(current.cfg.ReportDir, r, opts); err != nil {
		current.reportErr = err
		ginkgo.Fail(fmt.Sprintf("write the reports: %v", err))
	}
	fmt.Fprintf(ginkgo.GinkgoWriter, "reports written to %s\n", current.cfg.ReportDir)
})

// abortReason is the message of the spec that aborted the run, "" if none
// did. Only the framework aborts, when the client gives up on the target.
func abortReason(r types.Report) string {
	for _, sr := range r.SpecReports {
		if sr.State == types.SpecStateAborted {
			return sr.Failure.Message
		}
	}
	return ""
}
