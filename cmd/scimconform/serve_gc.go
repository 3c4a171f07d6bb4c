package main

import (
	"os"
	"runtime/debug"
)

// serveGCPercent is the garbage collector target serve uses unless GOGC is
// set. The reference server keeps every resource in memory for as long as
// it runs, so the live heap is large and long-lived; at Go's default of 100
// the heap may grow to twice it before a collection (about 1.7 GiB of RSS
// with 1,000,000 Entra-shaped users), at 50 to one and a half times (about
// 1.2 GiB), for a little more collector CPU.
const serveGCPercent = 50

// tuneServeGC applies serveGCPercent unless the user chose GOGC, and
// reports the setting in force.
func tuneServeGC() string {
	if v := os.Getenv("GOGC"); v != "" {
		return "GOGC=" + v + " (from the environment)"
	}
	debug.SetGCPercent(serveGCPercent)
	return "GOGC=50 (set GOGC to override)"
}
