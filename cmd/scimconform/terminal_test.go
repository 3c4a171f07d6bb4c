package main

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// The progress bar is drawn on a terminal only: not into a pipe, a buffer,
// or /dev/null, which is a character device but no terminal.
func TestIsTerminal(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	for name, out := range map[string]io.Writer{"pipe": w, "buffer": &bytes.Buffer{}, os.DevNull: null} {
		if isTerminal(out) {
			t.Errorf("%s taken for a terminal", name)
		}
	}
	// The master side of a pseudo-terminal is one.
	pty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal to check the positive case: %v", err)
	}
	defer pty.Close()
	if !isTerminal(pty) {
		t.Error("a pseudo-terminal not taken for a terminal")
	}
}
