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
//
// It is written here, not with a progress-bar library: neither of the
// maintained ones does the part that matters in CI logs, and what one
// would take over, drawing the bar, is three lines of line():
//   - github.com/schollz/progressbar/v3 (v3.19.1) redraws with "\r" into
//     any writer, a log file included; it draws when the count changes, so
//     a ticker would still be needed for the elapsed time and the request
//     rate to move while a slow target answers nothing; and its own
//     figures are per unit, so requests per second and the error count
//     would go into its description anyway.
//   - github.com/vbauerster/mpb/v8 draws nothing at all when the output
//     is not a terminal (unless forced to, and then as on one), redraws with cursor movements
//     that overwrite whatever else reaches stderr meanwhile (the interrupt
//     notice, the sweep rounds) unless all of it goes through mpb, and
//     v8.16.2 needs go 1.26.
//
// Either way the plain lines and the ticker would stay, so the library
// would add code, not remove it.
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
