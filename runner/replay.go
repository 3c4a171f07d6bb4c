package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/sequence"
)

// Replay is one pass through a sequence in a run's dialect: the Vars its
// steps read and extend, and what each step did, so that one failed step
// costs only the steps that depend on it.
//
// A step depends on the earlier steps that capture the variables its
// templates use (${userId} on the step whose expect captures userId) and on
// the steps it names under needs (a read-back on the write it reads back).
// Before a step runs, each dependency must hold: the variable is set (the
// capturing step took effect, even if another of its checks failed), a
// needed write took effect (the target answered it with a success), a
// needed read passed. When a capture is missing and the capturing step
// has a setup, the first step that needs it sends that setup request
// itself (its exchange is in that step's records) and goes on if it yields
// the capture. A step also depends on the state of the users and groups
// its templates name: once a read-back found other values than were sent
// for one, the replay cannot predict what the target holds for it, and the
// later steps that use it would fail for that difference, not their own
// rule. An unmet dependency skips the step with the reason, e.g. "needs
// ${userId} captured by step 'creates the user', which failed: status: got
// HTTP 400, want 201". Every other step runs, so a failed lookup at the
// start no longer hides deprovisioning at the end.
//
// Steps may run in any order and more than once (a suite focused on one
// step runs just that one: a capture from a step that did not run comes
// from that step's setup, or the step is skipped "which did not run"). A
// Replay is not safe for concurrent use.
type Replay struct {
	run  *Run
	seq  *sequence.Sequence // as it runs in the dialect
	vars sequence.Vars
	deps [][]sequence.Dependency
	done []stepOutcome
	// setups holds, by capturing step, the outcome of its setup request,
	// which is sent at most once.
	setups map[int]*setupOutcome
	// personas lists, by step, the users and groups whose state the step
	// reads or changes (Step.personas).
	personas [][]string
	// unknown holds, by persona, why the replay can no longer predict
	// what the target holds for it.
	unknown map[string]string
}

// stepOutcome is what a step did when it last ran.
type stepOutcome struct {
	ran     bool
	verdict Verdict
	took    bool // the target carried the request out (see Run.Step)
	// why is, for a failed step, its first violation; for a skipped one,
	// the first cause of the skip (the failure of the step the chain of
	// dependencies starts from, not every link of it).
	why string
}

type setupOutcome struct {
	err string // why the setup did not establish the captures; "" when it did
}

// Replay starts a pass through s in the run's dialect, with the run's
// seeded Vars.
func (r *Run) Replay(s *sequence.Sequence) *Replay {
	seq := s.For(r.dialect())
	vars := sequence.Vars{}
	for k, v := range r.Vars {
		vars[k] = v
	}
	r.runID(vars)
	p := &Replay{run: r, seq: seq, vars: vars, deps: seq.Dependencies(),
		done: make([]stepOutcome, len(seq.Steps)), setups: map[int]*setupOutcome{},
		personas: make([][]string, len(seq.Steps)), unknown: map[string]string{}}
	for i, st := range seq.Steps {
		p.personas[i] = seq.Personas(st)
	}
	return p
}

// Sequence is the sequence as it runs in the replay's dialect; Step indexes
// its Steps.
func (p *Replay) Sequence() *sequence.Sequence { return p.seq }

// Vars are the replay's variables: captures, generated values and the
// state of the users and groups made so far.
func (p *Replay) Vars() sequence.Vars { return p.vars }

// Step runs step i (of Sequence().Steps) unless a dependency is unmet, in
// which case it is skipped with the reason and sends nothing of its own.
func (p *Replay) Step(ctx context.Context, i int) StepResult {
	if i < 0 || i >= len(p.seq.Steps) {
		return StepResult{Name: fmt.Sprintf("step %d", i), Verdict: Fail,
			Reason: fmt.Sprintf("sequence %s has %d steps in dialect %s; there is no step %d", p.seq.Name, len(p.seq.Steps), p.run.dialect(), i)}
	}
	st := p.seq.Steps[i]
	if err := ctx.Err(); err != nil {
		reason := "the run was stopped: " + err.Error()
		return p.skip(i, skipped(st, reason), reason)
	}
	// The app profile's reason comes first: a step it gives nothing to do
	// is skipped whatever its dependencies.
	if reason := p.run.unmetRequires(p.seq, st); reason != "" {
		return p.skip(i, skipped(st, reason), reason)
	}
	var pre StepResult // what setups sent for this step
	for _, d := range p.deps[i] {
		if reason, cause := p.satisfy(ctx, d, &pre); reason != "" {
			res := skipped(st, reason)
			res.Records, res.Notes = pre.Records, pre.Notes
			return p.skip(i, res, cause)
		}
	}
	for _, key := range p.personas[i] {
		if why, ok := p.unknown[key]; ok {
			res := skipped(st, fmt.Sprintf("needs the state of %s, which is unknown: %s", sequence.PersonaText(key), why))
			res.Records, res.Notes = pre.Records, pre.Notes
			return p.skip(i, res, why)
		}
	}
	res, took := p.run.step(ctx, p.seq, i, p.vars)
	if len(pre.Records) > 0 || len(pre.Notes) > 0 {
		res.Records = append(pre.Records, res.Records...)
		res.Notes = append(pre.Notes, res.Notes...)
	}
	if took {
		p.learn(i, res)
	}
	return p.record(i, res, took)
}

// learn marks the personas of step i unknown when the step is a read-back
// (a GET naming the writes it checks under needs) that found other values
// than the replay predicted: the target holds something the replay cannot
// tell, so a later step judged against the prediction would fail for that
// difference, not for its own rule. Such steps are skipped instead.
func (p *Replay) learn(i int, res StepResult) {
	st := p.seq.Steps[i]
	if res.Verdict != Fail || st.Method != "GET" || len(st.Needs) == 0 {
		return
	}
	for _, v := range res.Violations {
		if v.Kind != ViolationMatch {
			continue
		}
		for _, key := range p.personas[i] {
			if _, ok := p.unknown[key]; !ok {
				p.unknown[key] = fmt.Sprintf("step '%s' read back other values than were sent (%s)", st.Name, v.String())
			}
		}
		return
	}
}

// record keeps what step i did, for the steps that depend on it.
func (p *Replay) record(i int, res StepResult, took bool) StepResult {
	o := stepOutcome{ran: true, verdict: res.Verdict, took: took, why: res.Reason}
	if res.Verdict == Fail && len(res.Violations) > 0 {
		o.why = res.Violations[0].String()
	}
	p.done[i] = o
	return res
}

// skip keeps that step i was skipped, cause being where its chain of
// unmet dependencies starts.
func (p *Replay) skip(i int, res StepResult, cause string) StepResult {
	p.done[i] = stepOutcome{ran: true, verdict: Skip, why: cause}
	return res
}

// satisfy returns "" when dependency d of a step holds (sending the
// capturing step's setup if that makes it hold); otherwise the reason to
// skip the step and the first cause of it.
func (p *Replay) satisfy(ctx context.Context, d sequence.Dependency, pre *StepResult) (reason, cause string) {
	from := p.seq.Steps[d.Step]
	if d.Capture == "" {
		// A write is needed for its effect; a read for what it verified.
		o := p.done[d.Step]
		if from.Method != "GET" && o.took {
			return "", ""
		}
		if from.Method == "GET" && o.verdict == Pass {
			return "", ""
		}
		what, cause := p.ended(d.Step)
		if from.Method == "GET" {
			return fmt.Sprintf("needs what step '%s' checks, which %s", from.Name, what), cause
		}
		return fmt.Sprintf("needs the change made by step '%s', which %s", from.Name, what), cause
	}
	if _, ok := p.vars[d.Capture]; ok {
		return "", ""
	}
	what, cause := p.ended(d.Step)
	reason = fmt.Sprintf("needs ${%s} captured by step '%s', which %s", d.Capture, from.Name, what)
	if from.Setup == nil {
		return reason, cause
	}
	su := p.setups[d.Step]
	if su == nil {
		su = p.setup(ctx, d.Step, pre)
		p.setups[d.Step] = su
	}
	if _, ok := p.vars[d.Capture]; ok && su.err == "" {
		return "", ""
	}
	if su.err == "" {
		return reason + "; its setup request did not capture it either", cause
	}
	return reason + "; its setup request failed too: " + su.err, cause
}

// ended says how step j ended, for a dependent step's skip reason, and
// the first cause a step skipped for it passes on.
func (p *Replay) ended(j int) (what, cause string) {
	o, name := p.done[j], p.seq.Steps[j].Name
	switch {
	case !o.ran:
		return "did not run", fmt.Sprintf("step '%s' did not run", name)
	case o.verdict == Skip:
		return "was skipped: " + o.why, o.why
	case o.verdict == Fail && o.why != "":
		return "failed: " + o.why, fmt.Sprintf("step '%s' failed: %s", name, o.why)
	case o.verdict == Fail:
		return "failed", fmt.Sprintf("step '%s' failed", name)
	}
	return "did not capture it", fmt.Sprintf("step '%s' did not capture it", name)
}

// setup sends step j's setup request: the step with the setup's fields,
// expecting a 200 or 201 holding every capture of the step. What it
// captures and the state its templates change are kept, and what it creates
// is tracked, as for the step itself.
func (p *Replay) setup(ctx context.Context, j int, pre *StepResult) *setupOutcome {
	from := p.seq.Steps[j]
	st := from.WithSetup()
	rd, err := p.run.renderer(p.seq, p.vars)
	if err != nil {
		return &setupOutcome{err: err.Error()}
	}
	req, exp, err := rd.request(st)
	if err != nil {
		return &setupOutcome{err: err.Error()}
	}
	if p.run.Client == nil {
		return &setupOutcome{err: "the run has no client"}
	}
	x := p.run.Client.Do(ctx, req)
	pre.Records = append(pre.Records, p.run.Client.Redactor().Exchange(x))
	chk := check(x, exp)
	if x.Status >= 200 && x.Status < 300 && st.Creates != "" {
		rd.track(p.run.Tracker, st.Creates, chk.captures)
	}
	if len(chk.violations) > 0 {
		msgs := make([]string, len(chk.violations))
		for i, v := range chk.violations {
			msgs[i] = v.String()
		}
		return &setupOutcome{err: p.run.redact(clip(strings.Join(msgs, "; ")))}
	}
	for name, v := range chk.captures {
		rd.Set(name, v)
	}
	rd.Commit()
	names := make([]string, 0, len(chk.captures))
	for _, name := range sortedKeys(chk.captures) {
		names = append(names, "${"+name+"}")
	}
	pre.Notes = append(pre.Notes, fmt.Sprintf("step '%s' did not establish %s, so its setup request (%s %s) did, before this step",
		from.Name, strings.Join(names, ", "), req.Method, req.Path))
	return &setupOutcome{}
}

// unmetRequires explains why the app profile gives step st of seq nothing
// to do, or "".
func (r *Run) unmetRequires(seq *sequence.Sequence, st *sequence.Step) string {
	if len(st.Requires) == 0 {
		return ""
	}
	var app *mapping.Profile
	if r.App != nil {
		var err error
		if app, err = r.App.WithMatching(seq.Matching); err != nil {
			return "" // the step itself reports it
		}
	}
	return r.unmet(app, st)
}

// redact removes the credential from a text the run reports.
func (r *Run) redact(s string) string {
	if r.Client == nil {
		return s
	}
	return r.Client.Redactor().String(s)
}
