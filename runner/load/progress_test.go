package load

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		bar      bool
		total    int
		done     int
		requests int64
		errors   int64
		elapsed  time.Duration
		want     string
	}{
		{"plain", false, 100, 25, 50, 2, 2 * time.Second,
			"load: initial-users: 25/100 users ( 25%), 25 req/s, 2 errors, 2s"},
		{"plain done", false, 20000, 20000, 40000, 0, 5*time.Second + 260*time.Millisecond,
			"load: initial-users: 20000/20000 users (100%), 7605 req/s, 0 errors, 5.3s"},
		{"plain empty phase", false, 0, 0, 0, 0, 0,
			"load: initial-users: 0/0 users (100%), 0 req/s, 0 errors, 0s"},
		{"bar", true, 100, 25, 50, 0, time.Second,
			"initial-users   [######..................] 25/100 users ( 25%), 50 req/s, 0 errors, 1s"},
		{"bar full", true, 8, 8, 16, 1, time.Second,
			"initial-users   [########################] 8/8 users (100%), 16 req/s, 1 errors, 1s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := &progress{bar: c.bar, name: "initial-users", unit: "users", total: c.total}
			if got := p.line(c.done, c.requests, c.errors, c.elapsed); got != c.want {
				t.Errorf("line:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// lockedBuffer is a bytes.Buffer safe for the progress goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProgressPlainLinesWhenNotATerminal(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	var done, requests, errors atomic.Int64
	p := newProgress(Config{Progress: &out, ProgressInterval: 5 * time.Millisecond}, &done, &requests, &errors)
	p.begin("incremental", "users", 10)
	done.Store(4)
	requests.Store(8)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "4/10 users") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	done.Store(10)
	p.end()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("want a periodic line and a final one, got %q", out.String())
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "load: incremental: ") || strings.ContainsAny(l, "\r\x1b") {
			t.Errorf("not a plain progress line: %q", l)
		}
	}
	if !strings.Contains(lines[0], "4/10 users ( 40%)") {
		t.Errorf("first line %q, want 4/10 users", lines[0])
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, "10/10 users (100%)") {
		t.Errorf("final line %q, want 10/10 users (100%%)", last)
	}
}

func TestProgressBarRedrawsOneLineOnATerminal(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	var done, requests, errors atomic.Int64
	p := newProgress(Config{Progress: &out, Terminal: true, ProgressInterval: time.Hour}, &done, &requests, &errors)
	p.begin("deprovision", "users", 4)
	done.Store(4)
	p.end()
	got := out.String()
	want := "\rdeprovision     [########################] 4/4 users (100%), "
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "\x1b[K\n") || strings.Count(got, "\n") != 1 {
		t.Errorf("bar output %q, want it to start %q and end with a line clear and one newline", got, want)
	}
}

func TestProgressSilentWithoutWriter(t *testing.T) {
	t.Parallel()
	var done, requests, errors atomic.Int64
	p := newProgress(Config{ProgressInterval: time.Millisecond}, &done, &requests, &errors)
	p.begin("initial-users", "users", 1)
	p.end() // must neither block nor panic
	if p.stop != nil {
		t.Error("a progress without writer started its ticker")
	}
}
