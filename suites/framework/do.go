package framework

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/runner"
)

// Do sends r to the target and records the redacted exchange in the spec's
// transcript (a report entry that reports show; the console does not). Each
// attempt is bounded by -timeout; the whole call, retries included, by twice
// that. Do never fails the spec itself: assert on the returned exchange.
func (f *F) Do(ctx context.Context, r runner.Request) *runner.Exchange {
	ctx, cancel := context.WithTimeout(ctx, f.env.requestBudget())
	defer cancel()
	x := f.Client.Do(ctx, r)
	Record(f.Client.Redactor().Exchange(x))
	return x
}

// Record attaches one redacted record to the current spec's transcript. Use
// it for exchanges made outside F.Do (e.g. by the sequence executor).
func Record(rec runner.Record) {
	ginkgo.AddReportEntry(EntryExchange, exchangeEntry(rec), ginkgo.ReportEntryVisibilityNever)
}

// exchangeEntry is a record as a report entry: the same JSON, but a
// one-line text form, since Ginkgo stores an entry's text beside its JSON
// and the whole transcript would double the reports.
type exchangeEntry runner.Record

func (e exchangeEntry) String() string {
	if e.Status == 0 {
		return e.Method + " " + e.URL + ": no response"
	}
	return fmt.Sprintf("%s %s: HTTP %d", e.Method, e.URL, e.Status)
}

// MustJSON encodes v for a request body. It fails the spec if v cannot be
// encoded, which only happens for values no spec should build.
func MustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("encode request body: %v", err), 1)
	}
	return b
}
