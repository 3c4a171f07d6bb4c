package scimclient

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Record is a redacted, JSON-serialisable copy of an Exchange, safe to print
// and to store in reports.
type Record struct {
	Method     string              `json:"method"`
	URL        string              `json:"url"`
	ReqHeader  map[string][]string `json:"requestHeaders,omitempty"`
	ReqBody    string              `json:"requestBody,omitempty"`
	Status     int                 `json:"status"`
	RespHeader map[string][]string `json:"responseHeaders,omitempty"`
	RespBody   string              `json:"responseBody,omitempty"`
	DurationMS float64             `json:"durationMs"`
	WaitedMS   float64             `json:"waitedMs,omitempty"`
	Attempts   int                 `json:"attempts"`
	Error      string              `json:"error,omitempty"`
	// Truncated reports that a body was cut past the body log limit to its
	// head and tail; the sizes are then those of the whole bodies.
	Truncated    bool  `json:"truncated,omitempty"`
	ReqBodySize  int64 `json:"requestBodySize,omitempty"`
	RespBodySize int64 `json:"responseBodySize,omitempty"`
}

// String renders the record for a failure message: the request line,
// headers and body, then the status line, headers and body, then timing.
func (r Record) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", r.Method, r.URL)
	writeHeaders(&b, "> ", r.ReqHeader)
	writeBody(&b, r.ReqBody)
	if r.Status != 0 {
		fmt.Fprintf(&b, "< %s\n", statusLine(r.Status, nil))
		writeHeaders(&b, "< ", r.RespHeader)
		writeBody(&b, r.RespBody)
	} else {
		b.WriteString("< no response\n")
	}
	fmt.Fprintf(&b, "(%.1f ms", r.DurationMS)
	if r.Attempts > 1 {
		fmt.Fprintf(&b, ", %d attempts, %.1f ms waiting to retry", r.Attempts, r.WaitedMS)
	}
	b.WriteString(")")
	if r.Error != "" {
		b.WriteString("\nerror: " + r.Error)
	}
	return b.String()
}

func writeHeaders(b *strings.Builder, prefix string, h map[string][]string) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, v)
		}
	}
}

func writeBody(b *strings.Builder, body string) {
	if body == "" {
		return
	}
	b.WriteString(body)
	if !strings.HasSuffix(body, "\n") {
		b.WriteByte('\n')
	}
}

// Transcript is an append-only list of records, safe for concurrent use.
// The zero value is ready to use.
type Transcript struct {
	mu      sync.Mutex
	records []Record
}

// Add appends r.
func (t *Transcript) Add(r Record) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.records = append(t.records, r)
}

// Records returns a copy of the records, oldest first.
func (t *Transcript) Records() []Record {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Record(nil), t.records...)
}

// Len returns the number of records.
func (t *Transcript) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.records)
}

// String renders every record, separated by blank lines.
func (t *Transcript) String() string {
	recs := t.Records()
	parts := make([]string, len(recs))
	for i, r := range recs {
		parts[i] = r.String()
	}
	return strings.Join(parts, "\n\n")
}
