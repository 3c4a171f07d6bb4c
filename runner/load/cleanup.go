package load

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/scimconform/scimconform/runner"
)

// Residue is what the sweep after cleanup found under the run prefix.
type Residue struct {
	// Skipped: -keep left everything in place.
	Skipped bool `json:"skipped,omitempty"`
	Found   int  `json:"found"`
	Deleted int  `json:"deleted"`
	Left    int  `json:"left"`
	// Unchecked says why the target could not be searched by prefix.
	Unchecked string `json:"unchecked,omitempty"`
}

const (
	sweepPage      = 100
	maxSweepRounds = 50
)

// cleanup deletes every group, then every user the run still knows of
// (404 counts as deleted), then sweeps the target for anything under the
// run prefix that a lost response or an interruption hid from it.
func (e *engine) cleanup(ctx context.Context) Residue {
	if err := e.cfg.Client.AwaitUsable(ctx); err != nil {
		kept := len(left(e.groupIDs)) + len(left(e.userIDs))
		return Residue{Left: kept, Unchecked: fmt.Sprintf("cleanup sent nothing, %d created resource(s) are left: %v", kept, err)}
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
	var r Residue
	// Groups first: deleting a user may be refused while groups hold it.
	for _, s := range []struct{ path, attr string }{{"/Groups", "displayName"}, {"/Users", "userName"}} {
		w.sweep(ctx, s.path, s.attr, &r)
	}
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
	x := w.do(ctx, runner.Request{Method: http.MethodDelete, Path: path})
	if x == nil {
		return false
	}
	if x.Err == nil && (x.Status == http.StatusNotFound || x.Status/100 == 2) {
		w.tally.add(op, x.Duration, "")
		return true
	}
	w.fail(op, x, "cleanup: DELETE "+path+" did not answer 204 or 404")
	return false
}

// do sends one request outside the sequences (cleanup and sweep), under
// the rate limit; nil when ctx ended before it was sent.
func (w *worker) do(ctx context.Context, r runner.Request) *runner.Exchange {
	if w.e.limit.wait(ctx) != nil {
		return nil
	}
	x := w.e.cfg.Client.Do(ctx, r)
	w.e.requests.Add(1)
	return x
}

// fail accounts for a failed request made outside the sequences.
func (w *worker) fail(op Op, x *runner.Exchange, what string) {
	status := StatusTransport
	if x.Status != 0 {
		status = strconv.Itoa(x.Status)
	}
	w.tally.add(op, x.Duration, status)
	w.e.errors.Add(1)
	red := w.e.cfg.Client.Redactor()
	res := runner.StepResult{Name: what, Records: []runner.Record{red.Exchange(x)}}
	msg := "HTTP " + status
	if x.Err != nil {
		msg = red.String(x.Err.Error())
	}
	res.Violations = []runner.Violation{{Kind: runner.ViolationStatus, Message: msg}}
	w.e.fails.add(op, status, &res)
}

// sweep lists collection by `attr sw "<run prefix>"` and deletes what it
// finds, page by page, until nothing is left or the rounds run out.
func (w *worker) sweep(ctx context.Context, collection, attr string, r *Residue) {
	prefix := w.e.cfg.RunID + "-"
	query := "filter=" + url.QueryEscape(attr+` sw "`+prefix+`"`) +
		"&attributes=id&count=" + strconv.Itoa(sweepPage)
	first := true
	pending := 0 // listed but not deleted yet, as of the last listing
	defer func() { r.Left += pending }()
	for round := 0; round < maxSweepRounds && ctx.Err() == nil; round++ {
		x := w.do(ctx, runner.Request{Method: http.MethodGet, Path: collection, RawQuery: query})
		if x == nil {
			return
		}
		if x.Err == nil && (x.Status == http.StatusBadRequest || x.Status == http.StatusNotImplemented) {
			w.tally.add(OpSweep, x.Duration, "")
			r.Unchecked = fmt.Sprintf("GET %s?filter=%s sw ... answered HTTP %d; leftovers cannot be searched by prefix", collection, attr, x.Status)
			return
		}
		ids, total, err := listIDs(x)
		if err != nil {
			w.fail(OpSweep, x, "sweep: "+err.Error())
			continue
		}
		w.tally.add(OpSweep, x.Duration, "")
		if first {
			r.Found += total
			first = false
		}
		pending = total
		if total == 0 || len(ids) == 0 {
			return
		}
		for _, id := range ids {
			if w.delete(ctx, collection+"/"+url.PathEscape(id), opFor(collection)) {
				r.Deleted++
				pending--
			}
		}
	}
}

func opFor(collection string) Op {
	if collection == "/Groups" {
		return OpDeleteGroup
	}
	return OpDeleteUser
}

// listIDs reads the ids and totalResults of a ListResponse.
func listIDs(x *runner.Exchange) ([]string, int, error) {
	if x.Err != nil || x.Status != http.StatusOK {
		return nil, 0, fmt.Errorf("listing answered %s", x.StatusLine())
	}
	var lr struct {
		TotalResults int `json:"totalResults"`
		Resources    []struct {
			ID string `json:"id"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(x.RespBody, &lr); err != nil {
		return nil, 0, fmt.Errorf("listing is not a ListResponse: %v", err)
	}
	ids := make([]string, 0, len(lr.Resources))
	for _, res := range lr.Resources {
		if res.ID != "" {
			ids = append(ids, res.ID)
		}
	}
	return ids, lr.TotalResults, nil
}
