package load

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Summary is a load run's result, printed as a table and written as JSON
// for CI. Latencies are in milliseconds.
type Summary struct {
	RunPrefix       string  `json:"runPrefix"`
	App             string  `json:"app"`
	Dialect         string  `json:"dialect"`
	Users           int     `json:"users"`
	Groups          int     `json:"groups"`
	MembersPerGroup int     `json:"membersPerGroup"`
	Concurrency     int     `json:"concurrency"`
	Rate            float64 `json:"rate,omitempty"`
	Started         string  `json:"started"`
	ElapsedMS       float64 `json:"elapsedMs"`
	// Stopped says why the cycles ended early ("interrupted", "duration
	// cap 10m0s reached"); empty when they ran to the end.
	Stopped string `json:"stopped,omitempty"`
	// StopCause is why, as an error to test with errors.Is: ErrDeadline,
	// or one matching scimclient.ErrTargetUnusable when the client gave up on
	// the target; nil when the cycles ran to the end.
	StopCause error          `json:"-"`
	Phases    []PhaseSummary `json:"phases"`
	Ops       []OpSummary    `json:"ops"`
	Requests  uint64         `json:"requests"`
	Errors    uint64         `json:"errors"`
	Residue   Residue        `json:"residue"`
	// Failures are the first few failed requests, redacted.
	Failures []Failure `json:"failures,omitempty"`
}

// PhaseSummary is one timed phase.
type PhaseSummary struct {
	Name      string  `json:"name"`
	Unit      string  `json:"unit"`
	Units     int     `json:"units"`
	Done      int     `json:"done"`
	ElapsedMS float64 `json:"elapsedMs"`
	PerSec    float64 `json:"perSec"`
	Complete  bool    `json:"complete"`
}

// OpSummary is one kind of request over the whole run.
type OpSummary struct {
	Op     Op     `json:"op"`
	Count  uint64 `json:"count"`
	Errors uint64 `json:"errors"`
	// ErrorsByStatus counts failures by HTTP status, or by "verify" (right
	// status, wrong content), "transport" or "template".
	ErrorsByStatus map[string]uint64 `json:"errorsByStatus,omitempty"`
	// PerSec is count over the time of the phases the op ran in.
	PerSec float64 `json:"perSec"`
	P50MS  float64 `json:"p50Ms"`
	P90MS  float64 `json:"p90Ms"`
	P99MS  float64 `json:"p99Ms"`
	MaxMS  float64 `json:"maxMs"`
}

// OK reports a clean run: every cycle ran to the end, no request failed,
// and the sweep verified that nothing the run created is left behind
// (unless kept on purpose).
func (s *Summary) OK() bool {
	return s.Stopped == "" && s.Errors == 0 && s.Residue.Left == 0 && s.Residue.Unverified == ""
}

func (e *engine) summary(start time.Time, stopped string, residue Residue) *Summary {
	c := e.cfg
	s := &Summary{RunPrefix: c.RunID + "-", App: c.App.Name, Dialect: string(c.Dialect),
		Users: c.Users, Groups: c.Groups, MembersPerGroup: c.MembersPerGroup, Concurrency: c.Concurrency,
		Rate: c.Rate, Started: start.UTC().Format(time.RFC3339), ElapsedMS: ms(time.Since(start)),
		Stopped: stopped, Phases: e.phases, Residue: residue, Failures: e.fails.snapshot()}
	for _, op := range allOps {
		st := e.tally[op]
		if st == nil || st.count == 0 {
			continue
		}
		o := OpSummary{Op: op, Count: st.count, ErrorsByStatus: st.errors, PerSec: perSec(int(st.count), e.active[op])}
		for _, n := range st.errors {
			o.Errors += n
		}
		o.P50MS, o.P90MS = ms(st.hist.Quantile(0.50)), ms(st.hist.Quantile(0.90))
		o.P99MS, o.MaxMS = ms(st.hist.Quantile(0.99)), ms(st.hist.Max())
		s.Ops = append(s.Ops, o)
		s.Requests += o.Count
		s.Errors += o.Errors
	}
	return s
}

// WriteJSON writes the summary as indented JSON.
func (s *Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// WriteTable prints the phases, then one row per kind of request, then
// the residue and the kept failures.
func (s *Summary) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "load: run %s, app %s, dialect %s, %d users", s.RunPrefix, s.App, s.Dialect, s.Users)
	if s.Groups > 0 {
		fmt.Fprintf(&b, ", %d groups x %d members", s.Groups, s.MembersPerGroup)
	}
	fmt.Fprintf(&b, ", concurrency %d", s.Concurrency)
	if s.Rate > 0 {
		fmt.Fprintf(&b, ", rate %g/s", s.Rate)
	}
	b.WriteString("\n\n")
	// Columns two spaces apart; a row's last column is not padded.
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "phase\tdone\tof\telapsed\tper second")
	for _, p := range s.Phases {
		fmt.Fprintf(tw, "%s\t%d\t%d %s\t%s\t%.0f", p.Name, p.Done, p.Units, p.Unit, fmtMS(p.ElapsedMS), p.PerSec)
		if !p.Complete {
			fmt.Fprint(tw, "\tstopped")
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "operation\tcount\terrors\tper second\tp50\tp90\tp99\tmax\terrors by status")
	for _, o := range s.Ops {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\n", o.Op, o.Count, o.Errors, o.PerSec,
			fmtMS(o.P50MS), fmtMS(o.P90MS), fmtMS(o.P99MS), fmtMS(o.MaxMS), byStatus(o.ErrorsByStatus))
	}
	fmt.Fprintf(tw, "total\t%d\t%d\n\n", s.Requests, s.Errors)
	if err := tw.Flush(); err != nil {
		return err
	}
	switch r := s.Residue; {
	case r.Skipped:
		fmt.Fprintf(&b, "kept: everything under %s is left on the target (-keep)\n", s.RunPrefix)
	case r.Unverified != "":
		fmt.Fprintf(&b, "residue under %s: %s", s.RunPrefix, r.Unverified)
		if r.Deleted > 0 {
			fmt.Fprintf(&b, " (%d deleted before that)", r.Deleted)
		}
		b.WriteString("\n")
	default:
		fmt.Fprintf(&b, "residue under %s: %d found after cleanup, %d deleted, %d left\n", s.RunPrefix, r.Found, r.Deleted, r.Left)
	}
	if s.Stopped != "" {
		fmt.Fprintf(&b, "stopped early: %s\n", s.Stopped)
	}
	for i, f := range s.Failures {
		fmt.Fprintf(&b, "\nfailure %d of %d kept (%s, %s): %s\n", i+1, len(s.Failures), f.Op, f.Status, f.Step)
		for _, p := range f.Problems {
			fmt.Fprintf(&b, "  %s\n", p)
		}
		b.WriteString(indent(f.Record.String(), "  "))
	}
	verdict := "PASS"
	if !s.OK() {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "\n%s: %d requests, %d errors in %s\n", verdict, s.Requests, s.Errors, fmtMS(s.ElapsedMS))
	_, err := io.WriteString(w, b.String())
	return err
}

// byStatus renders errors by status as "500: 12, 503: 3", codes first.
func byStatus(m map[string]uint64) string {
	if len(m) == 0 {
		return "-"
	}
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// fmtMS renders milliseconds with precision that suits the magnitude.
func fmtMS(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2fms", v)
	case v < 1000:
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.2fs", v/1000)
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n") + "\n"
}
