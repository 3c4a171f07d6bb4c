package framework

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// Do sends r to the target and records the redacted exchange in the spec's
// transcript (a report entry that reports show; the console does not). Each
// attempt is bounded by -timeout; the whole call, retries included, by twice
// that. Assert on the returned exchange; Do itself fails the spec, whatever
// its level, only when the server fails on the request (see Record). Once
// the client gives up on the target (-give-up-after requests in a row with
// no usable answer), Do aborts the run with the client's account of what
// the target did.
func (f *F) Do(ctx context.Context, r scimclient.Request) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	ctx, cancel := context.WithTimeout(ctx, f.env.requestBudget())
	defer cancel()
	x := f.Client.Do(ctx, r)
	rec := f.Client.Redactor().Exchange(x)
	if f.Client.Unusable() != nil {
		// The run stops for the target as a whole: one message, not a
		// "no response" failure of this spec first.
		record(rec)
		AbortIfTargetUnusable(f.Client)
	}
	Record(rec)
	return x
}

// AbortIfTargetUnusable aborts the run (ginkgo.AbortSuite: the remaining
// specs are skipped; cleanup and the residue check still run) once c has
// given up on the target, with one message saying what the target did.
// Specs that send through their own client call it after each request.
func AbortIfTargetUnusable(c *scimclient.Client) {
	if c == nil {
		return
	}
	if err := c.Unusable(); err != nil {
		ginkgo.AbortSuite(StoppedMessage(err), 1)
	}
}

// StoppedMessage is how the run reports that it stopped because the client
// gave up on the target.
func StoppedMessage(err error) string {
	return "the run stopped: " + err.Error()
}

// Record attaches one redacted record to the current spec's transcript. Use
// it for exchanges made outside F.Do (e.g. by the sequence executor).
//
// When the record shows the server failing on the request (ServerFailure:
// no response, a reset, a 5xx) Record fails the spec at once, whatever its
// level: a SHOULD-level spec must not pass, nor a spec skip, because the
// server crashed on the request it was about.
func Record(rec scimclient.Record) {
	ginkgo.GinkgoHelper()
	if reason := record(rec); reason != "" {
		fail(serverFailureMessage(reason, rec), 1)
	}
}

// record attaches rec to the transcript and returns ServerFailure(rec).
func record(rec scimclient.Record) string {
	ginkgo.AddReportEntry(EntryExchange, exchangeEntry(rec), ginkgo.ReportEntryVisibilityNever)
	return ServerFailure(rec)
}

// exchangeEntry is a record as a report entry: the same JSON, but a
// one-line text form, since Ginkgo stores an entry's text beside its JSON
// and the whole transcript would double the reports.
type exchangeEntry scimclient.Record

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
