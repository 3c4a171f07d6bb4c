package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/runner/load"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

const loadUsage = `usage: scimconform load [-target URL] [-token T] [-app NAME|FILE]
                        [-dialect default|aadOptscim062020] -users N
                        [-groups G -members-per-group K] [-concurrency C]
                        [-rate R/s] [-duration D] [-deadline D] [-give-up-after N]
                        [-max-response SIZE] [-json FILE] [-keep]

Replays Microsoft Entra ID's provisioning cycles at scale, each phase timed:
the initial cycle (every user looked up by its matching attribute and
created; every group looked up by displayName, created, and its members
added in batches), the incremental cycle (lookup, which must return exactly
the user, then a PATCH of the changed attributes), deprovisioning (disable,
read back inactive, delete) and cleanup (groups, then users, then a sweep
for anything left under the run prefix). Every userName, externalId, email
and displayName starts with the run prefix (scimc-xxxxxx-); the run changes
and deletes only users and groups it created or the target showed with the
prefix. A sweep that cannot check the target (it ignores or refuses the
filter, or its listings keep failing) says "could not verify" and fails the
run.

Without -target, the run goes against an in-process reference server on
127.0.0.1 (a baseline and a benchmark of the harness itself).

Progress goes to stderr: a bar on a terminal, a line per second elsewhere.
At the end a table per kind of request (count, errors by status, requests
per second, latency p50/p90/p99/max); -json writes the same as JSON.
Before the cycles, GET /ServiceProviderConfig must get a complete answer
(a 404 will do) and GET /Users must not answer 404.
The cycles stop after -duration (how long the load lasts), at -deadline
(the wall-time bound every command shares, counted from the start, the
checks before the cycles included), or once -give-up-after requests in a
row got no usable answer; Ctrl-C stops them too. Cleanup runs after any of
these, within -cleanup-timeout.
Exit status: 0 no errors, 1 a request or check failed (or the run was cut
short by -duration or -deadline), 2 usage or connection error (including
a target that gives no usable answer), 130 interrupted.

Environment: SCIM_TARGET, SCIM_TOKEN, SCIM_AUTH_HEADER mirror the flags.

flags:
`

// loadOptions are the parsed flags of the load command.
type loadOptions struct {
	targetOptions
	cfg      load.Config
	jsonFile string
}

// rateFlag reads "-rate 100" or "-rate 100/s".
type rateFlag struct{ v *float64 }

func (r rateFlag) String() string {
	if r.v == nil || *r.v == 0 {
		return ""
	}
	return strconv.FormatFloat(*r.v, 'g', -1, 64) + "/s"
}

func (r rateFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "/s"), 64)
	if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("want requests per second such as 200 or 200/s")
	}
	*r.v = v
	return nil
}

func parseLoadFlags(args []string, stderr io.Writer) (*loadOptions, error) {
	o := &loadOptions{}
	c := &o.cfg
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, loadUsage)
		fs.PrintDefaults()
	}
	o.register(fs, "Tenant URL of the SCIM endpoint (env SCIM_TARGET); empty: an in-process reference server on 127.0.0.1", "Entra dialect: default or aadOptscim062020")
	fs.IntVar(&c.Users, "users", 0, "users to provision")
	fs.IntVar(&c.Groups, "groups", 0, "groups to provision")
	fs.IntVar(&c.MembersPerGroup, "members-per-group", 0, "members of each group (at most -users)")
	fs.IntVar(&c.MembersPerPatch, "members-per-patch", load.DefaultMembersPerPatch, "most member ids in one membership PATCH")
	fs.IntVar(&c.Concurrency, "concurrency", 16, "parallel requests")
	fs.Var(rateFlag{&c.Rate}, "rate", "most requests per second over all workers, e.g. 200/s (default: unlimited)")
	fs.DurationVar(&c.Duration, "duration", load.DefaultDuration, "cap on the cycles; cleanup has its own -cleanup-timeout")
	fs.DurationVar(&c.CleanupTimeout, "cleanup-timeout", load.DefaultCleanupTimeout, "cap on cleanup, which runs even after an interrupt")
	fs.BoolVar(&c.InitialOnly, "initial-only", false, "run the initial cycle only, then clean up")
	fs.BoolVar(&c.Keep, "keep", false, "keep what the run created: users are disabled, not deleted, and nothing is cleaned up")
	fs.StringVar(&o.jsonFile, "json", "", `write the summary as JSON to this file ("-" for stdout)`)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	o.resolve()
	if err := o.checkBounds(); err != nil {
		return nil, err
	}
	if c.Users <= 0 && c.Groups <= 0 {
		return nil, errors.New("-users (and/or -groups) is required: how many to provision")
	}
	d, err := sequence.ParseDialect(o.dialect)
	if err != nil {
		return nil, fmt.Errorf("-dialect: %w", err)
	}
	c.Dialect = d
	if c.App, err = mapping.Load(o.app); err != nil {
		return nil, err
	}
	return o, nil
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseLoadFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "scimconform load: %v\n", err)
		return exitUsage
	}
	if o.target == "" {
		stop, err := o.startReferenceServer()
		if err != nil {
			fmt.Fprintf(stderr, "scimconform load: %v\n", err)
			return exitUsage
		}
		defer stop()
		fmt.Fprintf(stderr, "load: no -target: using an in-process reference server at %s\n", o.target)
	}
	client, err := scimclient.New(o.clientConfig(stderr))
	if err != nil {
		fmt.Fprintf(stderr, "scimconform load: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	run, cancel := o.withDeadline(ctx)
	defer cancel()
	if err := probe(run, client); err != nil {
		return o.preflightFailed("load", client.Redactor().String(err.Error()), ctx, run, stderr)
	}
	// After the first interrupt the run stops and cleans up; a second one
	// gets the default handling and ends the process at once.
	// The notice is printed from its own goroutine while progress lines are
	// written: both go through one locked writer, and the command does not
	// return before the notice is out.
	terminal := isTerminal(stderr)
	stderr = &lockedWriter{w: stderr}
	noticed := make(chan struct{})
	stopWatch := context.AfterFunc(ctx, func() {
		defer close(noticed)
		fmt.Fprintln(stderr, "\nload: interrupted: cleaning up what the run created (Ctrl-C again to abort)")
		signal.Reset(os.Interrupt, syscall.SIGTERM)
	})
	defer func() {
		if !stopWatch() {
			<-noticed
		}
	}()
	o.cfg.Client = client
	o.cfg.Progress = stderr
	o.cfg.Terminal = terminal
	o.cfg.Deadline = start.Add(o.deadline)
	summary, err := load.Run(ctx, o.cfg)
	if err != nil {
		fmt.Fprintf(stderr, "scimconform load: %v\n", err)
		return exitUsage
	}
	if err := summary.WriteTable(stdout); err != nil {
		fmt.Fprintf(stderr, "scimconform load: %v\n", err)
	}
	if o.jsonFile != "" {
		if err := writeLoadJSON(o.jsonFile, summary, stdout); err != nil {
			fmt.Fprintf(stderr, "scimconform load: %v\n", err)
			return exitUsage
		}
	}
	switch {
	case ctx.Err() != nil:
		return exitSignals
	case errors.Is(summary.StopCause, scimclient.ErrTargetUnusable):
		fmt.Fprintf(stderr, "scimconform load: the run stopped: %s\n", client.Redactor().String(summary.StopCause.Error()))
		return exitUsage
	case errors.Is(summary.StopCause, load.ErrDeadline):
		fmt.Fprintf(stderr, "scimconform load: the run passed its -deadline of %v and stopped; cleanup ran after it within -cleanup-timeout; raise -deadline to run the cycles to the end\n", o.deadline)
		return exitFailed
	case !summary.OK():
		return exitFailed
	}
	return exitOK
}

// startReferenceServer serves an in-process reference server on loopback
// with a fresh token, and points the options at it.
func (o *loadOptions) startReferenceServer() (stop func(), err error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	srv, err := refserver.New(refserver.Options{Token: token})
	if err != nil {
		return nil, fmt.Errorf("start the reference server: %w", err)
	}
	ts := httptest.NewServer(srv)
	o.target, o.token, o.authHeader = ts.URL, token, ""
	return ts.Close, nil
}

// probe checks, before the run starts, that the target answers completely
// and accepts the credential (the preflight every command shares), then
// that it serves /Users, so that a wrong URL or token, or a target that
// cannot answer, is one usage error, not thousands of failed requests.
func probe(ctx context.Context, c *scimclient.Client) error {
	if err := scimclient.Preflight(ctx, c); err != nil {
		return err
	}
	q := "filter=" + url.QueryEscape(`userName eq "scimconform-load-probe"`)
	x := c.Do(ctx, scimclient.Request{Method: http.MethodGet, Path: "/Users", RawQuery: q})
	switch {
	case x.Err != nil:
		return fmt.Errorf("GET /Users got no complete answer: %v", x.Err)
	case x.Status == http.StatusUnauthorized || x.Status == http.StatusForbidden:
		return fmt.Errorf("the target refused the credential: GET /Users answered HTTP %d; check -token or SCIM_TOKEN", x.Status)
	case x.Status == http.StatusNotFound:
		return fmt.Errorf("GET %s answered 404: is -target the Tenant URL (the base of /Users)?", x.URL)
	}
	return nil
}

// isTerminal reports whether w is a terminal (not merely a character
// device such as /dev/null).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func writeLoadJSON(name string, s *load.Summary, stdout io.Writer) error {
	if name == "-" {
		return s.WriteJSON(stdout)
	}
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("-json: %w", err)
	}
	if err := s.WriteJSON(f); err != nil {
		f.Close()
		return fmt.Errorf("-json: write %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("-json: write %s: %w", name, err)
	}
	return nil
}

// lockedWriter serialises writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
