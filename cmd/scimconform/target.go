package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// targetOptions are the flags replay and load share: the SCIM endpoint, how
// to authenticate to it, and which app profile and dialect to replay.
type targetOptions struct {
	target, token, authHeader string
	app, dialect              string
	caFile                    string
	insecure                  bool
	timeout                   time.Duration
	// The run's bounds: requests in a row with no usable answer before it
	// stops (0: never), the most bytes of one response, its wall time.
	giveUpAfter int
	maxResponse scimclient.ByteSize
	deadline    time.Duration
}

// defaultDeadline bounds a run that is not given -deadline.
const defaultDeadline = 30 * time.Minute

// register adds the shared flags to fs; targetHelp and dialectHelp carry what
// differs between the commands.
func (o *targetOptions) register(fs *flag.FlagSet, targetHelp, dialectHelp string) {
	fs.StringVar(&o.target, "target", os.Getenv("SCIM_TARGET"), targetHelp)
	fs.StringVar(&o.token, "token", "", "bearer token (prefer env SCIM_TOKEN: a flag shows in the process list)")
	fs.StringVar(&o.authHeader, "auth-header", os.Getenv("SCIM_AUTH_HEADER"), `"Name: value" credential header for other schemes; wins over -token (env SCIM_AUTH_HEADER)`)
	fs.StringVar(&o.app, "app", "entra-default", "app mapping profile: a shipped name ("+strings.Join(mapping.Names(), ", ")+") or a YAML file")
	fs.StringVar(&o.dialect, "dialect", string(sequence.DialectDefault), dialectHelp)
	fs.StringVar(&o.caFile, "ca-file", "", "PEM file of CA certificates to trust for the target")
	fs.BoolVar(&o.insecure, "insecure", false, "skip TLS certificate verification (testing only)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "per-request timeout")
	fs.IntVar(&o.giveUpAfter, "give-up-after", scimclient.DefaultGiveUpAfter,
		"stop the run once this many requests in a row got no usable answer (no complete response, 5xx, or 429 after every retry); 0: never")
	o.maxResponse = scimclient.DefaultMaxResponse
	fs.Var(&o.maxResponse, "max-response", "most bytes read of one response, e.g. 16MiB; a longer one fails its request")
	fs.DurationVar(&o.deadline, "deadline", defaultDeadline, "stop the run when this much time has passed since it started; cleanup runs after it within its own budget")
}

// checkBounds reports a bound that cannot work.
func (o *targetOptions) checkBounds() error {
	var errs []error
	if o.giveUpAfter < 0 {
		errs = append(errs, fmt.Errorf("-give-up-after must be 0 (never give up) or more, e.g. 10 (got %d)", o.giveUpAfter))
	}
	if o.maxResponse <= 0 {
		errs = append(errs, fmt.Errorf("-max-response must be positive, e.g. 16MiB (got %d)", o.maxResponse))
	}
	if o.deadline <= 0 {
		errs = append(errs, fmt.Errorf("-deadline must be positive, e.g. 30m (got %v)", o.deadline))
	}
	return errors.Join(errs...)
}

// errDeadline ends a run's context when -deadline passes.
var errDeadline = errors.New("the run passed its -deadline")

// withDeadline bounds ctx by -deadline, from now.
func (o *targetOptions) withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, o.deadline, errDeadline)
}

// passedDeadline reports whether run ended because -deadline passed.
func passedDeadline(run context.Context) bool {
	return errors.Is(context.Cause(run), errDeadline)
}

// preflightFailed reports the failed check of the target before a run of
// command (problem already redacted) and returns the exit status: the
// interrupt's, the deadline's, or a connection error's.
func (o *targetOptions) preflightFailed(command, problem string, ctx, run context.Context, stderr io.Writer) int {
	switch {
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "scimconform %s: %s\n", command, problem)
		return exitSignals
	case passedDeadline(run):
		fmt.Fprintf(stderr, "scimconform %s: the run passed its -deadline of %v before the target answered: %s\n", command, o.deadline, problem)
		return exitFailed
	}
	fmt.Fprintf(stderr, "scimconform %s: %s\n", command, problem)
	return exitUsage
}

// resolve fills what the environment supplies after the flags are parsed:
// the token is read from SCIM_TOKEN only when no -token was given.
func (o *targetOptions) resolve() {
	if o.token == "" {
		o.token = os.Getenv("SCIM_TOKEN")
	}
}

// clientConfig is the runner configuration for these options.
func (o *targetOptions) clientConfig(warn io.Writer) scimclient.Config {
	giveUp := o.giveUpAfter
	if giveUp == 0 {
		giveUp = -1 // never, for the client
	}
	return scimclient.Config{Target: o.target, Token: o.token, AuthHeader: o.authHeader,
		Timeout: o.timeout, CAFile: o.caFile, Insecure: o.insecure, Warn: warn,
		GiveUpAfter: giveUp, MaxResponse: int64(o.maxResponse)}
}
