package framework

import (
	"context"
	"sync"

	"github.com/scimconform/scimconform/runner"
)

// DoConcurrently sends every request at the same moment, waits for all of
// them and records the redacted exchanges in request order. It is for specs
// about concurrent behaviour: f.Do records from the spec's goroutine, this
// records only after every goroutine is done. The whole batch is bounded
// like one f.Do call.
func (f *F) DoConcurrently(ctx context.Context, reqs []runner.Request) []*runner.Exchange {
	ctx, cancel := context.WithTimeout(ctx, f.env.requestBudget())
	defer cancel()
	out := make([]*runner.Exchange, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = f.Client.Do(ctx, r)
		}()
	}
	close(start) // release every request at once to maximise overlap
	wg.Wait()
	for _, x := range out {
		Record(f.Client.Redactor().Exchange(x))
	}
	return out
}

// RecordWith attaches an exchange made by another client (e.g. one holding
// a deliberately wrong credential) to the spec's transcript, redacted by
// that client's redactor and by the run's own.
func RecordWith(c *runner.Client, x *runner.Exchange) {
	rec := c.Redactor().Exchange(x)
	if r := redactor(); r != nil {
		rec.RespBody = r.String(rec.RespBody)
		rec.ReqBody = r.String(rec.ReqBody)
	}
	Record(rec)
}

// DescribeExchange renders an exchange for a failure message the way the
// SCIM matchers do: redacted, bodies truncated.
func DescribeExchange(x *runner.Exchange) string { return describeExchange(x) }
