package load

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progress reports a phase as it runs: on a terminal one bar redrawn in
// place, elsewhere (CI logs, files) a plain line per interval.
type progress struct {
	w        io.Writer
	bar      bool
	every    time.Duration
	done     *atomic.Int64
	requests *atomic.Int64
	errors   *atomic.Int64

	name, unit string
	total      int
	start      time.Time
	req0       int64
	stop       chan struct{}
	wg         sync.WaitGroup
}

const barWidth = 24

func newProgress(c Config, done, requests, errors *atomic.Int64) *progress {
	return &progress{w: c.Progress, bar: c.Terminal, every: c.ProgressInterval,
		done: done, requests: requests, errors: errors}
}

// begin starts reporting a phase of total units.
func (p *progress) begin(name, unit string, total int) {
	if p.w == nil {
		return
	}
	p.name, p.unit, p.total = name, unit, total
	p.start, p.req0 = time.Now(), p.requests.Load()
	p.stop = make(chan struct{})
	p.wg.Go(func() {
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.print(false)
			}
		}
	})
}

// end stops the ticker and prints the phase's final state.
func (p *progress) end() {
	if p.w == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.print(true)
}

func (p *progress) print(final bool) {
	elapsed := time.Since(p.start)
	done := int(p.done.Load())
	req := p.requests.Load() - p.req0
	line := p.line(done, req, p.errors.Load(), elapsed)
	switch {
	case p.bar && final:
		fmt.Fprintf(p.w, "\r%s\x1b[K\n", line)
	case p.bar:
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
	default:
		fmt.Fprintln(p.w, line)
	}
}

// line renders one progress report; errors count the whole run so far.
func (p *progress) line(done int, requests, errors int64, elapsed time.Duration) string {
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(done) / float64(p.total)
	}
	rate := perSec(int(requests), elapsed)
	stats := fmt.Sprintf("%d/%d %s (%3.0f%%), %.0f req/s, %d errors, %s",
		done, p.total, p.unit, pct, rate, errors, elapsed.Round(100*time.Millisecond))
	if !p.bar {
		return "load: " + p.name + ": " + stats
	}
	filled := int(pct / 100 * barWidth)
	return fmt.Sprintf("%-15s [%s%s] %s", p.name, strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), stats)
}
