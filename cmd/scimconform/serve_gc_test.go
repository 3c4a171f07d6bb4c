package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestTuneServeGC checks that serve lowers the collector target unless
// GOGC is set, and leaves it alone when it is. Not parallel: it changes
// the process's GC setting and environment.
func TestTuneServeGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	for _, tc := range []struct {
		env         string
		wantPercent int
		wantNote    string
	}{
		{env: "", wantPercent: serveGCPercent, wantNote: "GOGC=50 (set GOGC to override)"},
		{env: "200", wantPercent: 100, wantNote: "GOGC=200 (from the environment)"},
	} {
		t.Setenv("GOGC", tc.env)
		debug.SetGCPercent(100)
		note := tuneServeGC()
		if got := debug.SetGCPercent(100); got != tc.wantPercent {
			t.Errorf("GOGC=%q: GC percent %d, want %d", tc.env, got, tc.wantPercent)
		}
		if !strings.Contains(note, tc.wantNote) {
			t.Errorf("GOGC=%q: note %q, want %q", tc.env, note, tc.wantNote)
		}
	}
}
