// Command scimconform serves the reference SCIM server, replays identity
// provider sequences against a SCIM endpoint, and runs load replays.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: scimconform <command> [flags]

commands:
  serve    run the reference SCIM 2.0 server
  replay   replay identity-provider sequences against a SCIM endpoint
  load     replay an initial provisioning cycle at scale

Run "scimconform <command> -h" for a command's flags.
`

// Exit codes shared by every command.
const (
	exitOK      = 0
	exitFailed  = 1 // a check failed
	exitUsage   = 2 // bad usage, configuration or connection
	exitSignals = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a command; it is main without the process, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "replay":
		return runReplay(ctx, args[1:], stdout, stderr)
	case "load":
		return runLoad(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "scimconform: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}
