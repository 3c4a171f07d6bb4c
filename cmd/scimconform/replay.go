package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/scimconform/scimconform/runner"
	"github.com/scimconform/scimconform/runner/idp/entra"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

const replayUsage = `usage: scimconform replay -target URL [-token T] [-auth-header "Name: value"]
                          [-app NAME|FILE] [-dialect default|aadOptscim062020|all]
                          [-v] [-keep] [-timeout D] [-deadline D] [-give-up-after N]
                          [-max-response SIZE] SEQUENCE...
       scimconform replay -list

Replays identity-provider sequences against a SCIM endpoint, one line per
step; a failed step prints its rule, every violation and the redacted
transcript. SEQUENCE is a shipped sequence name, "all", or a YAML file.
Before the first sequence, GET /ServiceProviderConfig must get a complete
answer (a 404 will do). The run stops at -deadline, or once
-give-up-after requests in a row got no usable answer; cleanup runs
after it either way, within its own 2-minute budget.
Exit status: 0 all passed, 1 a check failed or the run passed -deadline,
2 usage or connection error (including a target that refuses the
credential or gives no usable answer).

Environment: SCIM_TARGET, SCIM_TOKEN, SCIM_AUTH_HEADER mirror the flags.

flags:
`

// replayOptions are the parsed flags of the replay command.
type replayOptions struct {
	targetOptions
	verbose, keep, list bool
	sequences           []string
}

func parseReplayFlags(args []string, stderr io.Writer) (*replayOptions, error) {
	o := &replayOptions{}
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, replayUsage)
		fs.PrintDefaults()
	}
	o.register(fs, "Tenant URL of the SCIM endpoint (env SCIM_TARGET)", "Entra dialect: default, aadOptscim062020, or all")
	fs.BoolVar(&o.verbose, "v", false, "print the transcript of every step, not only of failed ones")
	fs.BoolVar(&o.keep, "keep", false, "keep what the run created (no cleanup), for debugging")
	fs.BoolVar(&o.list, "list", false, "list the shipped sequences and exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.resolve()
	o.sequences = fs.Args()
	if err := o.checkBounds(); err != nil {
		fmt.Fprintf(stderr, "scimconform replay: %v\n", err)
		return nil, err
	}
	return o, nil
}

func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseReplayFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		return exitUsage
	}
	if o.list {
		return listSequences(stdout, stderr)
	}
	plan, err := o.plan()
	if err != nil {
		fmt.Fprintf(stderr, "scimconform replay: %v\n", err)
		return exitUsage
	}
	client, err := scimclient.New(o.clientConfig(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "scimconform replay: %v\n", err)
		return exitUsage
	}
	run, cancel := o.withDeadline(ctx)
	defer cancel()
	if err := scimclient.Preflight(run, client); err != nil {
		return o.preflightFailed("replay", err.Error(), ctx, run, stderr)
	}
	p := &printer{w: stdout, red: client.Redactor().String, verbose: o.verbose}
	return plan.execute(ctx, run, client, p, o, stderr)
}

func listSequences(stdout, stderr io.Writer) int {
	seqs, err := sequence.Load("entra", entra.Funcs())
	if err != nil {
		fmt.Fprintf(stderr, "scimconform replay: %v\n", err)
		return exitUsage
	}
	for _, s := range seqs {
		fmt.Fprintf(stdout, "%-24s %s\n", s.Name, s.Description)
	}
	return exitOK
}

// replayPlan is what the flags ask for, loaded and checked.
type replayPlan struct {
	app       *mapping.Profile
	dialects  []sequence.Dialect
	sequences []*sequence.Sequence
}

func (o *replayOptions) plan() (*replayPlan, error) {
	if o.target == "" {
		return nil, errors.New("-target is required (or set SCIM_TARGET): the Tenant URL, e.g. https://api.example.com/scim")
	}
	if len(o.sequences) == 0 {
		return nil, errors.New(`name at least one sequence, or "all" (scimconform replay -list shows them)`)
	}
	p := &replayPlan{}
	var err error
	if p.app, err = mapping.Load(o.app); err != nil {
		return nil, err
	}
	if o.dialect == "all" {
		p.dialects = sequence.Dialects()
	} else {
		d, err := sequence.ParseDialect(o.dialect)
		if err != nil {
			return nil, fmt.Errorf("-dialect: %w", err)
		}
		p.dialects = []sequence.Dialect{d}
	}
	for _, name := range o.sequences {
		seqs, err := loadSequenceArg(name)
		if err != nil {
			return nil, err
		}
		p.sequences = append(p.sequences, seqs...)
	}
	return p, nil
}

func loadSequenceArg(name string) ([]*sequence.Sequence, error) {
	switch {
	case name == "all":
		return sequence.Load("entra", entra.Funcs())
	case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
		s, err := sequence.LoadFile(name, entra.Funcs())
		if err != nil {
			return nil, err
		}
		return []*sequence.Sequence{s}, nil
	}
	s, err := sequence.Find("entra", name, entra.Funcs())
	if err != nil {
		return nil, err
	}
	return []*sequence.Sequence{s}, nil
}

// execute runs every sequence in every dialect as long as run lasts and
// the client has not given up on the target, cleans up (even after ctx
// ends), and returns the exit status.
func (p *replayPlan) execute(ctx, run context.Context, client *scimclient.Client, out *printer, o *replayOptions, stderr io.Writer) int {
	runID := scimclient.NewRunID()
	// The run may change only what it created: see scimclient.ErrNotOwned.
	client, err := client.WithRunID(runID)
	if err != nil {
		fmt.Fprintf(stderr, "scimconform replay: %v\n", err)
		return exitUsage
	}
	tracker := runner.NewTracker(client)
	out.linef("target %s, app %s, run %s", client.Target(), p.app.Name, runID)
	var tally tally
	for _, d := range p.dialects {
		for _, s := range p.sequences {
			if run.Err() != nil || client.Unusable() != nil {
				break
			}
			r := &runner.Run{Client: client, App: p.app, Dialect: d, RunID: runID, Tracker: tracker}
			res := r.Execute(run, s)
			out.sequence(res)
			tally.add(res)
		}
	}
	gaveUp := client.Unusable() // before cleanup, whose probe may find the target back
	out.linef("%s", tally.summary())
	cleanup(ctx, tracker, o.keep, out, stderr)
	residueLeft := false
	if !o.keep {
		residueLeft = sweepResidue(ctx, client, runID, out, stderr)
	}
	switch {
	case ctx.Err() != nil:
		return exitSignals
	case gaveUp != nil:
		fmt.Fprintln(stderr, out.red("scimconform replay: the run stopped: "+gaveUp.Error()))
		return exitUsage
	case passedDeadline(run):
		fmt.Fprintf(stderr, "scimconform replay: the run passed its -deadline of %v and stopped after %d of %d sequence run(s); raise -deadline to run them all\n",
			o.deadline, tally.sequences, len(p.dialects)*len(p.sequences))
		return exitFailed
	case tally.failed > 0 && tally.failed == tally.unreachable:
		fmt.Fprintln(stderr, "scimconform replay: the target did not answer; check -target and the network")
		return exitUsage
	case tally.failed > 0 && tally.failed == tally.unreachable+tally.refused:
		fmt.Fprintln(stderr, "scimconform replay: the target refused the credential (HTTP 401); check -token, SCIM_TOKEN or -auth-header")
		return exitUsage
	case tally.failed > 0, residueLeft:
		return exitFailed
	}
	return exitOK
}

// sweepResidue searches the target for the run prefix once the tracker
// is done: a create whose answer was lost (a deadline or a timeout cut it
// off after the target acted) left something the tracker never saw. What
// it finds carrying the prefix is deleted, through the one residue finder
// the suites and load mode use. It reports whether the run must fail:
// residue found, a target that ignores filters, or a search that failed; a
// target that refuses the filter only gets a warning.
func sweepResidue(ctx context.Context, client *scimclient.Client, runID string, out *printer, stderr io.Writer) bool {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	if client.AwaitUsable(cctx) != nil {
		fmt.Fprintln(stderr, out.red("scimconform replay: could not verify that the run left nothing behind: the target gives no usable answer; look for users and groups named "+runID+"-... by hand"))
		return true
	}
	scan := runner.FindResidue(cctx, client.Do, runID+"-", runner.ResidueLimits{})
	red := client.Redactor().String
	switch {
	case scan.OnlyFilterRefused():
		fmt.Fprintln(stderr, "scimconform replay: warning: "+red(scan.Problem())+"; look for users and groups named "+runID+"-... by hand")
		return false
	case !scan.Verified():
		fmt.Fprintln(stderr, out.red("scimconform replay: "+red(scan.Problem())))
		return true
	case scan.Left() == 0:
		return false
	}
	deleted := 0
	for _, r := range scan.Found {
		x := client.Do(cctx, scimclient.Request{Method: "DELETE", Path: r.Path})
		if x.Err == nil && (x.Status == 404 || x.Status/100 == 2) {
			deleted++
		}
	}
	fmt.Fprintln(stderr, out.red(fmt.Sprintf("scimconform replay: the run left %d resource(s) that cleanup did not know of (a create whose answer was lost); %d deleted now", scan.Left(), deleted)))
	return true
}

// cleanup deletes what the run created, even after an interrupt.
func cleanup(ctx context.Context, t *runner.Tracker, keep bool, out *printer, stderr io.Writer) {
	pending := t.Pending()
	if keep {
		for _, it := range pending {
			out.linef("kept %s %s", it.Kind, it.Path)
		}
		return
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	errs := t.Cleanup(cctx)
	if out.verbose {
		for _, r := range t.Records() {
			for _, l := range strings.Split(r.String(), "\n") {
				out.linef("     %s", l)
			}
		}
	}
	for _, err := range errs {
		fmt.Fprintln(stderr, out.red("scimconform replay: "+err.Error()))
	}
	out.linef("cleanup: %d of %d created resources deleted", len(pending)-len(errs), len(pending))
}
