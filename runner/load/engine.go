package load

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// engine is one load run in progress.
type engine struct {
	cfg      Config
	cyc      *cycle
	limit    *rate.Limiter // nil: no limit
	progress *progress
	fails    *failures

	// Live counters for progress; the tallies are merged per phase.
	requests atomic.Int64
	errors   atomic.Int64
	done     atomic.Int64

	tally  tally
	active map[Op]time.Duration // time spent in phases where an op ran
	// stop ends the cycles early with a cause, e.g. the client giving up
	// on the target.
	stop   context.CancelCauseFunc
	phases []PhaseSummary

	// Per-user and per-group state between phases: the target id (""
	// once deleted or never created) and the matching value. Two string
	// headers and their bytes: about 110 bytes per user with the
	// reference server's 26-character ids and 40-character userNames,
	// 11 MB per 100 000 users; matches are dropped after the incremental
	// cycle.
	userIDs  []string
	matches  []string
	groupIDs []string
}

// Run replays the cycles and cleans up, and returns the summary. The
// error is for a configuration that cannot run; failed requests are in
// the summary. Cancelling ctx stops the cycles; so do Duration, Deadline
// and the client giving up on the target (scimclient.Config.GiveUpAfter);
// Summary.Stopped says which. Cleanup still runs, under its own deadline.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	cyc, err := newCycle(cfg.Dialect, cfg.MembersPerPatch)
	if err != nil {
		return nil, err
	}
	e := &engine{cfg: cfg, cyc: cyc, limit: newLimiter(cfg.Rate),
		fails: &failures{max: cfg.MaxFailures}, tally: tally{}, active: map[Op]time.Duration{},
		userIDs: make([]string, cfg.Users), matches: make([]string, cfg.Users),
		groupIDs: make([]string, cfg.Groups)}
	e.progress = newProgress(cfg, &e.done, &e.requests, &e.errors)
	start := time.Now()

	runCtx, cancel := context.WithTimeoutCause(ctx, cfg.Duration, errDurationCap)
	defer cancel()
	if !cfg.Deadline.IsZero() {
		var cancelDeadline context.CancelFunc
		runCtx, cancelDeadline = context.WithDeadlineCause(runCtx, cfg.Deadline, ErrDeadline)
		defer cancelDeadline()
	}
	runCtx, e.stop = context.WithCancelCause(runCtx)
	defer e.stop(nil)
	e.cycles(runCtx)
	stopped, cause := stopReason(ctx, runCtx, cfg.Duration)

	residue := Residue{Skipped: cfg.Keep}
	if !cfg.Keep {
		// Cleanup outlives an interrupted run, within its own bound.
		cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.CleanupTimeout)
		residue = e.cleanup(cctx)
		ccancel()
	}
	s := e.summary(start, stopped, residue)
	s.StopCause = cause
	return s, nil
}

var errDurationCap = errors.New("duration cap reached")

// ErrDeadline is the Summary.StopCause of a run stopped by Config.Deadline.
var ErrDeadline = errors.New("deadline reached")

// stopReason says why the cycles ended early, "" if they did not, and the
// cause: the parent's, errDurationCap, ErrDeadline, or the client's
// scimclient.ErrTargetUnusable.
func stopReason(parent, run context.Context, cap time.Duration) (string, error) {
	cause := context.Cause(run)
	switch {
	case parent.Err() != nil:
		return "interrupted", context.Cause(parent)
	case cause == errDurationCap:
		return fmt.Sprintf("duration cap %v reached", cap), cause
	case cause == ErrDeadline:
		return ErrDeadline.Error(), cause
	case errors.Is(cause, scimclient.ErrTargetUnusable):
		return cause.Error(), cause
	}
	return "", nil
}

// cycles runs the initial cycle (users, then groups with their members),
// the incremental cycle and deprovisioning, as long as ctx lasts.
func (e *engine) cycles(ctx context.Context) {
	c := e.cfg
	phases := []struct {
		name, unit string
		n          int
		fn         func(context.Context, *worker, int)
		after      func()
	}{
		{"initial-users", "users", c.Users, e.initialUser, nil},
		{"initial-groups", "groups", c.Groups, e.initialGroup, nil},
		{"incremental", "users", c.Users, e.incrementalUser, func() { e.matches = nil }},
		{"deprovision", "users", c.Users, e.deprovisionUser, nil},
	}
	if c.InitialOnly {
		phases = phases[:2]
	}
	for _, p := range phases {
		if ctx.Err() != nil {
			return
		}
		if p.n > 0 {
			e.phase(ctx, p.name, p.unit, p.n, p.fn)
		}
		if p.after != nil {
			p.after()
		}
	}
}

func (e *engine) userRunID(i int) string  { return e.cfg.RunID + "-u" + strconv.Itoa(i) }
func (e *engine) groupRunID(i int) string { return e.cfg.RunID + "-g" + strconv.Itoa(i) }

// initialUser: look the user up by its matching attribute, then create it.
func (e *engine) initialUser(ctx context.Context, w *worker, i int) {
	vars := w.unit(e.userRunID(i))
	s := e.cyc.userStep
	if w.step(ctx, e.cyc.users, s.query, OpQueryUser) != passed {
		return
	}
	if w.step(ctx, e.cyc.users, s.create, OpCreateUser) != passed {
		return
	}
	e.userIDs[i], e.matches[i] = vars["userId"], vars["match"]
}

// incrementalUser: the lookup must return exactly the created user; then
// the changed attributes are sent.
func (e *engine) incrementalUser(ctx context.Context, w *worker, i int) {
	if e.userIDs[i] == "" {
		return
	}
	vars := w.unit(e.userRunID(i))
	vars["userId"], vars["match"] = e.userIDs[i], e.matches[i]
	s := e.cyc.userStep
	if w.step(ctx, e.cyc.users, s.find, OpFindUser) != passed {
		return
	}
	w.step(ctx, e.cyc.users, s.patch, OpPatchUser)
}

// deprovisionUser: disable, read back inactive, delete (unless kept).
func (e *engine) deprovisionUser(ctx context.Context, w *worker, i int) {
	if e.userIDs[i] == "" {
		return
	}
	vars := w.unit(e.userRunID(i))
	vars["userId"] = e.userIDs[i]
	s := e.cyc.userStep
	if w.step(ctx, e.cyc.users, s.disable, OpDisableUser) == passed {
		w.step(ctx, e.cyc.users, s.get, OpGetUser)
	}
	if e.cfg.Keep {
		return
	}
	if w.step(ctx, e.cyc.users, s.delete, OpDeleteUser) == passed {
		e.userIDs[i] = ""
	}
}

// initialGroup: look the group up by displayName, create it, then add its
// members in batches. Group g's members are the K users from g*K on,
// wrapping around, skipping users that were not created.
func (e *engine) initialGroup(ctx context.Context, w *worker, g int) {
	vars := w.unit(e.groupRunID(g))
	if w.step(ctx, e.cyc.groups, groupStepQuery, OpQueryGroup) != passed {
		return
	}
	if w.step(ctx, e.cyc.groups, groupStepCreate, OpCreateGroup) != passed {
		return
	}
	e.groupIDs[g] = vars["groupId"]
	k := e.cfg.MembersPerGroup
	n := 0
	flush := func() {
		if n > 0 {
			w.step(ctx, e.cyc.groups, groupStepBatch(n), OpPatchMembers)
			for j := range n {
				delete(vars, memberVar(j))
			}
			n = 0
		}
	}
	for j := range k {
		if ctx.Err() != nil {
			return
		}
		id := e.userIDs[(g*k+j)%len(e.userIDs)]
		if id == "" {
			continue
		}
		vars[memberVar(n)] = id
		n++
		if n == e.cyc.batch {
			flush()
		}
	}
	flush()
}
