package main

import (
	"context"
	"fmt"
	"io"
)

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "scimconform load: not available yet")
	return exitUsage
}
