package runner

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// Run is one replay of sequences against a target: the client, the app
// whose mapping shapes the bodies, the dialect, the run id that prefixes
// every name, and the tracker that deletes what the run creates. A Run is
// only read by Execute and Step, so goroutines may share one; each must
// then pass its own Vars.
type Run struct {
	Client  *scimclient.Client
	App     *mapping.Profile // nil: sequences may not use ${app...}
	Dialect sequence.Dialect // empty means sequence.DialectDefault
	RunID   string           // "scimc-1a2b3c"; when empty each Execute (or Vars of Step) gets a fresh one
	Tracker *Tracker         // nil: nothing is tracked for cleanup
	// Vars seed every Execute (they are copied, not changed).
	Vars sequence.Vars
	// Random is the source of generated values; nil means crypto/rand.
	Random io.Reader
	// Records says which steps keep their redacted exchange; the zero
	// value keeps every one.
	Records RecordPolicy
}

// RecordPolicy chooses the steps whose StepResult.Records are filled.
// Redacting an exchange costs more than building its request, so a run of
// many thousands of steps keeps only what a report of its failures shows.
type RecordPolicy int

const (
	// RecordAll keeps the exchange of every step (suites and replay show
	// full transcripts).
	RecordAll RecordPolicy = iota
	// RecordFailures keeps the exchange of failing steps only (load mode).
	RecordFailures
)

// runIDVar holds the generated run id in the Vars of a Run without one, so
// every step of the sequence shares it and the Run itself is never written
// (one Run may serve several goroutines).
const runIDVar = "run.id"

func (r *Run) runID(vars sequence.Vars) string {
	if r.RunID != "" {
		return r.RunID
	}
	if id := vars[runIDVar]; id != "" {
		return id
	}
	id := scimclient.NewRunID()
	vars[runIDVar] = id
	return id
}

func (r *Run) dialect() sequence.Dialect {
	if r.Dialect == "" {
		return sequence.DialectDefault
	}
	return r.Dialect
}

// Execute runs every step of s in the run's dialect, in order (see Replay):
// a step whose dependencies a failed or skipped step left unmet is skipped
// with the reason, every other step runs. Steps the app profile gives
// nothing to do are skipped and the sequence goes on.
func (r *Run) Execute(ctx context.Context, s *sequence.Sequence) *SequenceResult {
	d := r.dialect()
	p := r.Replay(s)
	res := &SequenceResult{Name: s.Name, Description: s.Description, Dialect: d, RunID: r.runID(p.vars), Verdict: Pass}
	if r.App != nil {
		res.App = r.App.Name
	}
	if !s.AppliesTo(d) {
		res.Verdict = Skip
		for _, st := range p.seq.Steps {
			res.Steps = append(res.Steps, skipped(st, fmt.Sprintf("the sequence does not apply to dialect %s", d)))
		}
		return res
	}
	for i := range p.seq.Steps {
		sr := p.Step(ctx, i)
		res.Steps = append(res.Steps, sr)
		if sr.Verdict == Fail || ctx.Err() != nil {
			res.Verdict = Fail
		}
	}
	return res
}

func skipped(st *sequence.Step, reason string) StepResult {
	return StepResult{Name: st.Name, Rule: st.Rule, Verdict: Skip, Reason: reason}
}

// Step runs step i of s as it stands in the run's dialect (s.For(dialect)
// .Steps[i]), reading and extending vars: captures and the state of the
// users and groups made so far. Suites call it once per step, with the
// same vars, to report each step on its own.
//
// A step whose request is answered with a success or an accepted status
// took effect, whatever else its checks find: its captures and the state
// its templates changed are kept for the next steps, which judge what the
// target now holds. A step refused or unanswered changes nothing.
func (r *Run) Step(ctx context.Context, s *sequence.Sequence, i int, vars sequence.Vars) StepResult {
	res, _ := r.step(ctx, s, i, vars)
	return res
}

// step is Step, also reporting whether the step took effect.
func (r *Run) step(ctx context.Context, s *sequence.Sequence, i int, vars sequence.Vars) (StepResult, bool) {
	st, n := s.StepIn(r.dialect(), i)
	if st == nil {
		return StepResult{Name: fmt.Sprintf("step %d", i), Verdict: Fail,
			Reason: fmt.Sprintf("sequence %s has %d steps in dialect %s; there is no step %d", s.Name, n, r.dialect(), i)}, false
	}
	res := StepResult{Name: st.Name, Rule: st.Rule}
	if vars == nil {
		vars = sequence.Vars{}
	}
	// The templates read only the sequence's variables and matching
	// attribute, which For leaves as they are.
	rd, err := r.renderer(s, vars)
	if err != nil {
		return r.finish(res, Violation{Kind: ViolationTemplate, Message: err.Error()}), false
	}
	if reason := r.unmet(rd.App(), st); reason != "" {
		res.Verdict, res.Reason = Skip, reason
		return res, false
	}
	req, exp, err := rd.request(st)
	if reason, ok := sequence.IsNotApplicable(err); ok {
		res.Verdict, res.Reason = Skip, reason
		return res, false
	}
	if err != nil {
		return r.finish(res, Violation{Kind: ViolationTemplate, Message: err.Error()}), false
	}
	if r.Client == nil {
		return r.finish(res, Violation{Kind: ViolationTransport, Message: "the run has no client"}), false
	}
	x := r.Client.Do(ctx, req)
	res.Duration = x.Duration
	chk := check(x, exp)
	if r.Records == RecordAll || len(chk.violations) > 0 {
		res.Records = append(res.Records, r.Client.Redactor().Exchange(x))
	}
	res.Warnings = chk.warnings
	took := tookEffect(x, exp.Status)
	if took {
		for name, v := range chk.captures {
			rd.Set(name, v)
		}
		if st.Creates != "" && x.Status >= 200 && x.Status < 300 {
			rd.track(r.Tracker, st.Creates, chk.captures)
		}
		rd.Commit()
	}
	return r.finish(res, chk.violations...), took
}

// tookEffect reports whether the target carried a request out: it answered
// with a success or with one of the statuses the step accepts.
func tookEffect(x *scimclient.Exchange, accepted []int) bool {
	return x.Status >= 200 && x.Status < 300 || x.Status != 0 && slices.Contains(accepted, x.Status)
}

// finish sets the verdict and redacts every text a result carries, so a
// target echoing the credential cannot leak it into a report. Past
// MaxListed violations the rest are counted in a last one.
func (r *Run) finish(res StepResult, vs ...Violation) StepResult {
	red := func(s string) string { return s }
	if r.Client != nil {
		red = r.Client.Redactor().String
	}
	for i, v := range vs {
		if i == scimclient.MaxListed && len(vs) > scimclient.MaxListed+1 {
			res.Violations = append(res.Violations, Violation{Message: scimclient.More(len(vs)-scimclient.MaxListed, "violations")})
			break
		}
		v.Message, v.Expected, v.Actual = red(clip(v.Message)), red(clip(v.Expected)), red(clip(v.Actual))
		res.Violations = append(res.Violations, v)
	}
	for i, w := range res.Warnings {
		res.Warnings[i].Message = red(w.Message)
	}
	res.Verdict = Pass
	if len(res.Violations) > 0 {
		res.Verdict = Fail
	}
	return res
}

// maxViolationText bounds each text of a violation: the transcript holds
// the whole (truncated) body, a violation only needs to point into it.
const maxViolationText = 2048

func clip(s string) string {
	if len(s) <= maxViolationText {
		return s
	}
	cut := maxViolationText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes in all)", len(s))
}

// unmet explains why a step's required attributes are not mapped, or "".
func (r *Run) unmet(app *mapping.Profile, st *sequence.Step) string {
	var missing []string
	for _, t := range st.Requires {
		if app == nil || !app.Maps(t) {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	name := "(none)"
	if app != nil {
		name = app.Name
	}
	return fmt.Sprintf("app profile %s does not map %s", name, strings.Join(missing, ", "))
}

// renderer returns the State that fills the templates of a step of seq.
func (r *Run) renderer(seq *sequence.Sequence, vars sequence.Vars) (*renderer, error) {
	env := sequence.Env{Dialect: r.dialect(), RunID: r.runID(vars), Random: r.Random}
	if r.Client != nil {
		env.Target, _, _ = strings.Cut(r.Client.Target(), "?")
	}
	if r.App != nil {
		app, err := r.App.WithMatching(seq.Matching)
		if err != nil {
			return nil, err
		}
		env.App = app
	}
	return &renderer{sequence.NewState(seq, vars, env)}, nil
}

// renderer fills a step's templates into its request and expectation.
type renderer struct{ *sequence.State }

// renderedExpect is a step's expectation with its placeholders filled.
type renderedExpect struct {
	sequence.Expect
	body     any
	excludes map[string]any
}

// request builds the HTTP request and the expectation of a step.
func (rd *renderer) request(st *sequence.Step) (scimclient.Request, *renderedExpect, error) {
	// Header stays nil without step headers: the client adds the defaults,
	// Content-Type for a body among them.
	req := scimclient.Request{Method: st.Method}
	var err error
	if req.Path, err = rd.Text(st.Path, url.PathEscape); err != nil {
		return req, nil, fmt.Errorf("path: %w", err)
	}
	if req.RawQuery, err = rd.Text(st.Query, url.QueryEscape); err != nil {
		return req, nil, fmt.Errorf("query: %w", err)
	}
	for name, tpl := range st.Headers {
		v, err := rd.Text(tpl, nil)
		if err == nil {
			v, err = sequence.HeaderValue(v)
		}
		if err != nil {
			return req, nil, fmt.Errorf("header %s: %w", name, err)
		}
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header.Set(name, v)
	}
	if st.Body != nil {
		if req.Body, err = rd.body(st.Body); err != nil {
			return req, nil, fmt.Errorf("body: %w", err)
		}
	}
	exp := &renderedExpect{Expect: st.Expect}
	if st.Expect.Body != nil {
		if exp.body, err = rd.Value(st.Expect.Body); err != nil {
			return req, nil, fmt.Errorf("expect body: %w", err)
		}
	}
	for p, pattern := range st.Expect.Excludes {
		v, err := rd.Value(pattern)
		if err != nil {
			return req, nil, fmt.Errorf("expect excludes %s: %w", p, err)
		}
		if exp.excludes == nil {
			exp.excludes = map[string]any{}
		}
		exp.excludes[p] = v
	}
	return req, exp, nil
}

// body encodes a step's body.
func (rd *renderer) body(v any) ([]byte, error) {
	val, err := rd.Value(v)
	if err != nil {
		return nil, err
	}
	return sequence.EncodeJSON(val)
}

// track registers the created resource; its path may use this step's captures.
func (rd *renderer) track(t *Tracker, creates string, captures map[string]string) {
	if t == nil {
		return
	}
	for k, v := range captures {
		rd.Set(k, v)
	}
	path, err := rd.Text(creates, url.PathEscape)
	if err != nil {
		return
	}
	t.Track(kindOf(path), path)
}

// kindOf names a resource by its collection: "/Users/x" -> "User".
func kindOf(path string) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return strings.TrimSuffix(seg, "s")
}
