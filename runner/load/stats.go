package load

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/scimclient"
)

// Outcome classes besides HTTP status codes, as keys of errors by status.
const (
	StatusVerify    = "verify"    // the answer had the right status but the wrong content
	StatusTransport = "transport" // no complete response
	StatusTemplate  = "template"  // the request could not be built from the profile
)

// opStats is one operation kind's tally, kept per worker without locks
// and merged when a phase ends.
type opStats struct {
	count  uint64
	errors map[string]uint64
	hist   *Histogram
}

func (s *opStats) merge(o *opStats) {
	s.count += o.count
	if s.hist == nil {
		s.hist = &Histogram{}
	}
	if o.hist != nil {
		s.hist.Merge(o.hist)
	}
	for k, v := range o.errors {
		if s.errors == nil {
			s.errors = map[string]uint64{}
		}
		s.errors[k] += v
	}
}

// tally is a set of opStats by operation.
type tally map[Op]*opStats

func (t tally) add(op Op, d time.Duration, status string) {
	s := t[op]
	if s == nil {
		s = &opStats{hist: &Histogram{}}
		t[op] = s
	}
	s.count++
	s.hist.Record(d)
	if status != "" {
		if s.errors == nil {
			s.errors = map[string]uint64{}
		}
		s.errors[status]++
	}
}

func (t tally) merge(o tally) {
	for op, s := range o {
		if t[op] == nil {
			t[op] = &opStats{}
		}
		t[op].merge(s)
	}
}

// outcome is what one step came to.
type outcome int

const (
	passed outcome = iota
	failed
	skipped // the app profile gives the step nothing to do
)

// classify returns the error class of a failed step: the HTTP status when
// it was not an accepted one, else verify, transport or template.
func classify(res *runner.StepResult) string {
	if len(res.Records) == 0 {
		return StatusTemplate
	}
	rec := res.Records[0]
	for _, v := range res.Violations {
		switch v.Kind {
		case runner.ViolationStatus:
			return strconv.Itoa(rec.Status)
		case runner.ViolationTransport:
			if rec.Status != 0 {
				return strconv.Itoa(rec.Status)
			}
			return StatusTransport
		case runner.ViolationTemplate:
			return StatusTemplate
		}
	}
	return StatusVerify
}

// Failure is one failed request kept with its redacted transcript.
type Failure struct {
	Op       Op                `json:"op"`
	Status   string            `json:"status"`
	Step     string            `json:"step"`
	Problems []string          `json:"problems"`
	Record   scimclient.Record `json:"record"`
}

// failures keeps the first few failures; later ones are only counted.
type failures struct {
	max  int
	seen atomic.Int64
	mu   sync.Mutex
	list []Failure
}

func (f *failures) add(op Op, status string, res *runner.StepResult) {
	if f.seen.Add(1) > int64(f.max) {
		return
	}
	fl := Failure{Op: op, Status: status, Step: res.Name}
	for _, v := range res.Violations {
		fl.Problems = append(fl.Problems, v.String())
	}
	if len(res.Records) > 0 {
		fl.Record = res.Records[0]
	}
	f.mu.Lock()
	f.list = append(f.list, fl)
	f.mu.Unlock()
}

func (f *failures) snapshot() []Failure {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Failure(nil), f.list...)
}
