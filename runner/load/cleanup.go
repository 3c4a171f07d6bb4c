package load

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/scimclient"
)

// Residue is what the sweep after cleanup found under the run prefix.
type Residue struct {
	// Skipped: -keep left everything in place.
	Skipped bool `json:"skipped,omitempty"`
	// Found is what the first listing showed carrying the prefix.
	Found   int `json:"found"`
	Deleted int `json:"deleted"`
	// Left is what the last listing showed and the sweep did not delete.
	Left int `json:"left"`
	// Rounds counts the sweep's listings of both collections.
	Rounds int `json:"rounds,omitempty"`
	// Unverified says why the sweep could not check the target ("could
	// not verify: ..."); the run is then not clean.
	Unverified string `json:"unverified,omitempty"`
}

// Bounds of the sweep. Each round lists both collections and deletes
// what carries the prefix; runner.FindResidue caps one round.
const (
	maxSweepRounds = 50
	// maxFailedRounds in a row whose listings failed end the sweep: a
	// target failing systematically gets no 50 silent rounds.
	maxFailedRounds = 3
	// maxIdleRounds in a row that found residue and deleted none of it
	// end the sweep.
	maxIdleRounds = 3
)

// cleanup deletes every group, then every user the run still knows of
// (404 counts as deleted), then sweeps the target for anything under the
// run prefix that a lost response or an interruption hid from it.
func (e *engine) cleanup(ctx context.Context) Residue {
	if err := e.cfg.Client.AwaitUsable(ctx); err != nil {
		kept := len(left(e.groupIDs)) + len(left(e.userIDs))
		return Residue{Left: kept, Unverified: fmt.Sprintf("cleanup sent nothing, %d created resource(s) are left: %v", kept, err)}
	}
	if groups := left(e.groupIDs); len(groups) > 0 {
		e.phase(ctx, "cleanup-groups", "groups", len(groups), func(ctx context.Context, w *worker, i int) {
			w.delete(ctx, "/Groups/"+url.PathEscape(groups[i]), OpDeleteGroup)
		})
	}
	if users := left(e.userIDs); len(users) > 0 {
		e.phase(ctx, "cleanup-users", "users", len(users), func(ctx context.Context, w *worker, i int) {
			w.delete(ctx, "/Users/"+url.PathEscape(users[i]), OpDeleteUser)
		})
	}
	start := time.Now()
	w := e.newWorker()
	r := w.sweep(ctx)
	e.tally.merge(w.tally)
	for op := range w.tally {
		e.active[op] += time.Since(start)
	}
	return r
}

// left returns the ids still set.
func left(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

// delete sends DELETE path; 2xx and 404 mean gone.
func (w *worker) delete(ctx context.Context, path string, op Op) bool {
	x := w.do(ctx, scimclient.Request{Method: http.MethodDelete, Path: path})
	switch {
	case x == nil:
		return false
	case x.Err == nil && (x.Status == http.StatusNotFound || x.Status/100 == 2):
		w.tally.add(op, x.Duration, "")
		return true
	case errors.Is(x.Err, scimclient.ErrNotOwned):
		w.fail(op, x, "cleanup: DELETE "+path+" not sent: the run never saw it as its own")
	default:
		w.fail(op, x, "cleanup: DELETE "+path+" did not answer 204 or 404")
	}
	return false
}

// do sends one request outside the sequences (cleanup and sweep), under
// the rate limit; nil when ctx ended before it was sent.
func (w *worker) do(ctx context.Context, r scimclient.Request) *scimclient.Exchange {
	if wait(ctx, w.e.limit) != nil {
		return nil
	}
	x := w.e.cfg.Client.Do(ctx, r)
	w.e.requests.Add(1)
	return x
}

// fail accounts for a failed request made outside the sequences.
func (w *worker) fail(op Op, x *scimclient.Exchange, what string) {
	status := StatusTransport
	if x.Status != 0 {
		status = strconv.Itoa(x.Status)
	}
	w.tally.add(op, x.Duration, status)
	w.e.errors.Add(1)
	red := w.e.cfg.Client.Redactor()
	res := runner.StepResult{Name: what, Records: []scimclient.Record{red.Exchange(x)}}
	msg := "HTTP " + status
	if x.Err != nil {
		msg = red.String(x.Err.Error())
	}
	res.Violations = []runner.Violation{{Kind: runner.ViolationStatus, Message: msg}}
	w.e.fails.add(op, status, &res)
}

// sweep lists the target for the run prefix and deletes what carries it,
// round after round, until a listing finds nothing, or the target is shown
// to ignore or refuse the filter, or listings keep failing, or deleting
// gets nowhere. Each round is reported on the progress writer.
func (w *worker) sweep(ctx context.Context) Residue {
	prefix := w.e.cfg.RunID + "-"
	red := w.e.cfg.Client.Redactor()
	var r Residue
	failed, idle := 0, 0
	for r.Rounds < maxSweepRounds {
		if err := context.Cause(ctx); err != nil {
			r.Unverified = fmt.Sprintf("could not verify: cleanup ended (%v) after %d sweep round(s)", err, r.Rounds)
			return r
		}
		r.Rounds++
		scan := runner.FindResidue(ctx, w.list, prefix, runner.ResidueLimits{})
		deleted := 0
		for _, res := range scan.Found {
			if w.delete(ctx, res.Path, opForKind(res.Kind)) {
				deleted++
			}
		}
		if r.Rounds == 1 {
			r.Found = scan.Left()
		}
		r.Deleted += deleted
		r.Left = scan.Left() - deleted
		w.e.sweepProgress(r, scan, deleted)
		switch {
		case len(scan.Ignored) > 0 || scan.OnlyFilterRefused():
			r.Unverified = red.String(scan.Problem()) // listing again cannot help
			return r
		case !scan.Verified():
			if failed++; failed == maxFailedRounds {
				r.Unverified = red.String(scan.Problem()) + fmt.Sprintf(" (the listings failed %d rounds in a row)", failed)
				return r
			}
			continue
		case scan.Left() == 0:
			return r // a listing found nothing: clean
		case deleted == 0:
			if idle++; idle == maxIdleRounds {
				return r // Left says what is left
			}
			continue
		}
		failed, idle = 0, 0
	}
	return r
}

// sweepProgress writes one line per sweep round.
func (e *engine) sweepProgress(r Residue, scan runner.ResidueScan, deleted int) {
	if e.cfg.Progress == nil {
		return
	}
	line := fmt.Sprintf("load: sweep round %d: %d found under %s, %d deleted, %d left",
		r.Rounds, scan.Left(), e.cfg.RunID+"-", deleted, scan.Left()-deleted)
	if p := scan.Problem(); p != "" {
		line += "; " + e.cfg.Client.Redactor().String(p)
	}
	fmt.Fprintln(e.cfg.Progress, line)
}

// list sends one sweep listing and accounts for it.
func (w *worker) list(ctx context.Context, r scimclient.Request) *scimclient.Exchange {
	x := w.do(ctx, r)
	switch {
	case x == nil:
	case x.Err == nil && x.Status == http.StatusOK:
		w.tally.add(OpSweep, x.Duration, "")
	default:
		w.fail(OpSweep, x, "sweep: GET "+r.Path+" answered "+x.StatusLine())
	}
	return x
}

func opForKind(kind string) Op {
	if kind == "Group" {
		return OpDeleteGroup
	}
	return OpDeleteUser
}
