package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver"
)

// shutdownTimeout bounds how long serve waits for in-flight requests.
const shutdownTimeout = 10 * time.Second

// serveConfig is what the serve flags configure.
type serveConfig struct {
	addr       string
	token      string
	basePath   string
	noAuth     bool
	maxBody    int64
	maxResults int
	logLevel   string
	faults     string
	variants   string
}

func parseServeFlags(args []string, stderr io.Writer) (serveConfig, error) {
	var c serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: scimconform serve [flags]\n\nRun the reference SCIM 2.0 server.\n\n"+
			"The server keeps every resource in memory; unless GOGC is set it runs the garbage\n"+
			"collector at GOGC=50, trading a little CPU for a heap at most 1.5 times the live\n"+
			"data (Go's default, 100, allows twice).\n\nflags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address (host:port; port 0 picks a free port)")
	fs.StringVar(&c.token, "token", os.Getenv("SCIM_TOKEN"), "bearer token clients must send (env SCIM_TOKEN); generated and printed when empty")
	fs.StringVar(&c.basePath, "base-path", "", "path prefix of every endpoint, e.g. /scim/v2")
	fs.BoolVar(&c.noAuth, "insecure-no-auth", false, "accept requests without a bearer token (for local experiments only)")
	fs.Int64Var(&c.maxBody, "max-body", refserver.DefaultMaxBodyBytes, "largest accepted request body in bytes (413 beyond)")
	fs.IntVar(&c.maxResults, "max-results", refserver.DefaultMaxResults, "default and largest page size of list responses")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug (one line per request), info, warn or error")
	fs.StringVar(&c.faults, "fault", "", "switch on deliberate defects, comma-separated NAME[,NAME], to see conformance checks fail; \"list\" prints them")
	fs.StringVar(&c.variants, "variant", "", "switch on behaviours RFC 7643/7644 allow that differ from the default, comma-separated NAME[,NAME]; \"list\" prints them")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if c.noAuth && c.token != "" {
		return c, errors.New("-insecure-no-auth and a token (-token or SCIM_TOKEN) exclude each other; choose one")
	}
	if c.maxBody <= 0 || c.maxResults <= 0 {
		return c, errors.New("-max-body and -max-results must be positive")
	}
	return c, nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("-log-level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// runServe runs the reference server until ctx is cancelled, then shuts it
// down gracefully. It prints the base URL (with the real port) and, when it
// generated one, the token.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseServeFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "scimconform serve: %v\n", err)
		return exitUsage
	}
	if c.faults == "list" {
		printFaults(stdout)
		return exitOK
	}
	if c.variants == "list" {
		printVariants(stdout)
		return exitOK
	}
	level, err := parseLevel(c.logLevel)
	if err != nil {
		fmt.Fprintf(stderr, "scimconform serve: %v\n", err)
		return exitUsage
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	logger.Debug("garbage collector", "setting", tuneServeGC())
	generated := false
	if c.token == "" && !c.noAuth {
		c.token = rand.Text()
		generated = true
	}
	srv, err := refserver.New(refserver.Options{Token: c.token, NoAuth: c.noAuth, BasePath: c.basePath,
		MaxBodyBytes: c.maxBody, MaxResults: c.maxResults, Logger: logger, Faults: strings.Split(c.faults, ","),
		Variants: strings.Split(c.variants, ",")})
	if err != nil {
		fmt.Fprintf(stderr, "scimconform serve: %v\n", err)
		return exitUsage
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		fmt.Fprintf(stderr, "scimconform serve: listen on %s: %v\n", c.addr, err)
		return exitUsage
	}
	printBanner(stdout, ln.Addr(), c, generated)
	return serveUntilDone(ctx, ln, srv, logger, stderr)
}

func printBanner(w io.Writer, addr net.Addr, c serveConfig, generated bool) {
	base := "http://" + addr.String()
	if p := strings.Trim(c.basePath, "/"); p != "" {
		base += "/" + p // the server accepts "scim/v2" and "/scim/v2/" alike
	}
	fmt.Fprintf(w, "scimconform reference SCIM server listening\nbase URL: %s\n", base)
	if c.faults != "" {
		fmt.Fprintf(w, "FAULTS ON: %s (the server is deliberately wrong; see -fault list)\n", c.faults)
	}
	if c.variants != "" {
		fmt.Fprintf(w, "variants on: %s (behaviours the RFCs allow; see -variant list)\n", c.variants)
	}
	switch {
	case c.noAuth:
		fmt.Fprintln(w, "auth: DISABLED (-insecure-no-auth): every client is accepted")
	case generated:
		fmt.Fprintf(w, "token: %s (generated; pass -token or SCIM_TOKEN to choose one)\n", c.token)
	default: // the user's own secret: never echoed
		fmt.Fprintln(w, "token: the one given by -token or SCIM_TOKEN (not shown)")
	}
}

func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger, stderr io.Writer) int {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute, // bodies are bounded by -max-body; this bounds slow senders
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "scimconform serve: %v\n", err)
		return exitFailed
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		fmt.Fprintf(stderr, "scimconform serve: shutdown: %v\n", err)
		return exitFailed
	}
	<-done
	return exitOK
}
