package load

import (
	"context"
	crand "crypto/rand"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/sequence"
)

// worker is one goroutine of a phase. Its tally, vars and random source
// are its own, so the hot path takes no lock.
type worker struct {
	e     *engine
	run   runner.Run
	vars  sequence.Vars
	tally tally
}

func (e *engine) newWorker() *worker {
	var seed [32]byte
	_, _ = crand.Read(seed[:])
	return &worker{
		e: e,
		// Only failures are reported with their exchange; redacting
		// every passing one would cost more than building its request.
		run: runner.Run{Client: e.cfg.Client, App: e.cfg.App, Dialect: e.cfg.Dialect,
			Random: rand.NewChaCha8(seed), Records: runner.RecordFailures},
		vars:  sequence.Vars{},
		tally: tally{},
	}
}

// unit prepares the worker for one user or group: its own run id (so every
// generated value carries the run prefix and is unique) and fresh vars.
func (w *worker) unit(id string) sequence.Vars {
	w.run.RunID = id
	clear(w.vars)
	return w.vars
}

// step runs step i of seq and accounts for it under op.
func (w *worker) step(ctx context.Context, seq *sequence.Sequence, i int, op Op) outcome {
	if wait(ctx, w.e.limit) != nil {
		return failed
	}
	res := w.run.Step(ctx, seq, i, w.vars)
	if res.Verdict == runner.Skip {
		return skipped // nothing was sent
	}
	w.e.requests.Add(1)
	d := res.Duration
	if res.Verdict == runner.Pass {
		w.tally.add(op, d, "")
		return passed
	}
	if ctx.Err() != nil {
		// Stopped mid-request: the run was interrupted, not the target.
		return failed
	}
	if err := w.e.cfg.Client.Unusable(); err != nil {
		// The client gave up on the target: every further step would
		// fail the same way without being sent.
		w.e.stop(err)
	}
	status := classify(&res)
	w.tally.add(op, d, status)
	w.e.errors.Add(1)
	w.e.fails.add(op, status, &res)
	return failed
}

// phase runs fn for units 0..n-1 on the configured number of workers,
// stopping early when ctx ends. It returns how many units ran and merges
// the workers' tallies into the engine's.
func (e *engine) phase(ctx context.Context, name, unit string, n int, fn func(ctx context.Context, w *worker, i int)) {
	start := time.Now()
	var next atomic.Int64
	e.done.Store(0)
	e.progress.begin(name, unit, n)
	var wg sync.WaitGroup
	workers := make([]*worker, min(e.cfg.Concurrency, max(n, 1)))
	for k := range workers {
		w := e.newWorker()
		workers[k] = w
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(ctx, w, i)
				e.done.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	e.progress.end()
	merged := tally{}
	for _, w := range workers {
		merged.merge(w.tally)
	}
	e.tally.merge(merged)
	for op := range merged {
		e.active[op] += elapsed
	}
	done := int(e.done.Load())
	e.phases = append(e.phases, PhaseSummary{Name: name, Unit: unit, Units: n, Done: done,
		ElapsedMS: ms(elapsed), PerSec: perSec(done, elapsed), Complete: done == n})
}

func perSec(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// newLimiter spaces requests evenly to perSec over all workers (a burst
// of one: after a pause one request goes at once, never more); nil, no
// limit, for 0.
func newLimiter(perSec float64) *rate.Limiter {
	if perSec <= 0 {
		return nil
	}
	return rate.NewLimiter(rate.Limit(perSec), 1)
}

// wait blocks until l lets one more request go, or returns ctx's error.
//
// Not l.Wait(ctx) as it is: Wait fails at once, without waiting, when the
// next turn comes after ctx's deadline, and the cycles' context has one
// (Duration, Deadline). A unit whose request is not sent ends there, so
// near the deadline every remaining unit would end unsent in an instant
// and count as done. With the deadline hidden, Wait waits for the turn or
// for ctx to end, as a worker without a limit would.
func wait(ctx context.Context, l *rate.Limiter) error {
	if l == nil {
		return ctx.Err()
	}
	return l.Wait(noDeadline{ctx})
}

// noDeadline is ctx without its deadline; it still ends when ctx does.
type noDeadline struct{ context.Context }

func (noDeadline) Deadline() (time.Time, bool) { return time.Time{}, false }
