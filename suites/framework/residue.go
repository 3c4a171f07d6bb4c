package framework

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/scimclient"
)

// ResidueVerdict is what the residue check after a run reports.
type ResidueVerdict struct {
	// Failure fails the run: residue was found, the target ignored the
	// filter, or a listing failed so the run cannot claim to be clean.
	Failure string
	// Warning is reported loudly without failing the run: the target
	// cannot be searched by prefix, which alone is no fault of it.
	Warning string
}

// residueShown bounds the residue paths a failure lists.
const residueShown = 20

// CheckResidue searches the target for users and groups named with the
// run prefix, deletes what it finds (within runner's caps) and says what
// the run must report. spc is the target's configuration, nil if unknown:
// a target that says it does not support filter is not searched.
func CheckResidue(ctx context.Context, c *scimclient.Client, runID string, spc *SPC) ResidueVerdict {
	prefix := runID + "-"
	byHand := "look for users and groups named " + prefix + "... by hand"
	if spc != nil && !spc.Filter {
		return ResidueVerdict{Warning: "the residue check did not run: the target's /ServiceProviderConfig says filter is not supported, so it cannot be searched for the run prefix; " + byHand}
	}
	scan := runner.FindResidue(ctx, c.Do, prefix, runner.ResidueLimits{})
	red := c.Redactor().String
	var v ResidueVerdict
	var failures []string
	if len(scan.Ignored) > 0 {
		lines := []string{"the target does not apply filters: a client that trusts them, as Entra's matching does, acts on the wrong resources, and this run cannot tell what it left behind"}
		for _, ig := range scan.Ignored {
			lines = append(lines, "  "+ig.String())
		}
		failures = append(failures, strings.Join(lines, "\n"))
	}
	if scan.OnlyFilterRefused() {
		v.Warning = "could not verify that the run left nothing behind: " + red(unverifiedReasons(scan)) + "; " + byHand
	} else if len(scan.Unverified) > 0 {
		failures = append(failures, "could not verify that the run left nothing behind: "+red(unverifiedReasons(scan))+"; "+byHand)
	}
	if scan.Left() > 0 {
		failures = append(failures, red(deleteResidue(ctx, c, scan, prefix)))
	}
	v.Failure = strings.Join(failures, "\n\n")
	return v
}

func unverifiedReasons(scan runner.ResidueScan) string {
	reasons := make([]string, len(scan.Unverified))
	for i, u := range scan.Unverified {
		reasons[i] = u.Reason
	}
	return strings.Join(reasons, "; ")
}

// deleteResidue deletes what the scan found and describes it.
func deleteResidue(ctx context.Context, c *scimclient.Client, scan runner.ResidueScan, prefix string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "the run left %d resource(s) on the target that cleanup did not delete:\n", scan.Left())
	for i, r := range scan.Found {
		if i == residueShown {
			fmt.Fprintf(&b, "  … and %d more\n", len(scan.Found)-residueShown)
			break
		}
		fmt.Fprintf(&b, "  %s %s\n", r.Kind, r.Path)
	}
	deleted, errs := runner.DeleteResidue(ctx, c.Do, scan.Found)
	switch {
	case len(errs) > 0:
		fmt.Fprintf(&b, "deleting them now failed for %d of %d:\n%v", len(errs), len(scan.Found), errors.Join(errs...))
	case deleted > 0:
		b.WriteString("they have now been deleted")
	}
	if scan.Over > 0 {
		fmt.Fprintf(&b, "\n%d more carrying the prefix were left: one residue check deletes at most %d and lists at most %d per collection; delete the resources named %s... by hand",
			scan.Over, runner.DefaultResidueMaxDeletes, runner.DefaultResidueMaxPages*runner.DefaultResiduePageSize, prefix)
	}
	return b.String()
}
