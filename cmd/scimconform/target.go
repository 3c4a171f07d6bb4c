package main

import (
	"flag"
	"io"
	"os"
	"strings"
	"time"

	"github.com/scimconform/scimconform/runner"
)

// targetOptions are the flags replay and load share: the SCIM endpoint, how
// to authenticate to it, and which app profile and dialect to replay.
type targetOptions struct {
	target, token, authHeader string
	app, dialect              string
	caFile                    string
	insecure                  bool
	timeout                   time.Duration
}

// register adds the shared flags to fs; targetHelp and dialectHelp carry what
// differs between the commands.
func (o *targetOptions) register(fs *flag.FlagSet, targetHelp, dialectHelp string) {
	fs.StringVar(&o.target, "target", os.Getenv("SCIM_TARGET"), targetHelp)
	fs.StringVar(&o.token, "token", "", "bearer token (prefer env SCIM_TOKEN: a flag shows in the process list)")
	fs.StringVar(&o.authHeader, "auth-header", os.Getenv("SCIM_AUTH_HEADER"), `"Name: value" credential header for other schemes; wins over -token (env SCIM_AUTH_HEADER)`)
	fs.StringVar(&o.app, "app", "entra-default", "app mapping profile: a shipped name ("+strings.Join(runner.AppNames(), ", ")+") or a YAML file")
	fs.StringVar(&o.dialect, "dialect", string(runner.DialectDefault), dialectHelp)
	fs.StringVar(&o.caFile, "ca-file", "", "PEM file of CA certificates to trust for the target")
	fs.BoolVar(&o.insecure, "insecure", false, "skip TLS certificate verification (testing only)")
	fs.DurationVar(&o.timeout, "timeout", 30*time.Second, "per-request timeout")
}

// resolve fills what the environment supplies after the flags are parsed:
// the token is read from SCIM_TOKEN only when no -token was given.
func (o *targetOptions) resolve() {
	if o.token == "" {
		o.token = os.Getenv("SCIM_TOKEN")
	}
}

// clientConfig is the runner configuration for these options.
func (o *targetOptions) clientConfig(warn io.Writer) runner.Config {
	return runner.Config{Target: o.target, Token: o.token, AuthHeader: o.authHeader,
		Timeout: o.timeout, CAFile: o.caFile, Insecure: o.insecure, Warn: warn}
}
