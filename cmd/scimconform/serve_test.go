package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lineWriter collects output and hands each complete line to a channel.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line)
			return len(p), nil
		}
		w.lines <- strings.TrimSpace(line)
	}
}

// startServe runs runServe in the background and returns the printed base
// URL, the token line and a function that stops it and returns its exit code.
func startServe(t *testing.T, args ...string) (base, tokenLine string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lineWriter{lines: make(chan string, 16)}
	code := make(chan int, 1)
	go func() { code <- runServe(ctx, args, out, io.Discard) }()
	deadline := time.After(10 * time.Second)
	for base == "" || tokenLine == "" {
		select {
		case line := <-out.lines:
			if v, ok := strings.CutPrefix(line, "base URL: "); ok {
				base = v
			}
			if strings.HasPrefix(line, "token: ") || strings.HasPrefix(line, "auth: ") {
				tokenLine = line
			}
		case c := <-code:
			cancel()
			t.Fatalf("serve exited early with code %d", c)
		case <-deadline:
			cancel()
			t.Fatal("serve did not print its base URL and token within 10s")
		}
	}
	return base, tokenLine, func() int {
		cancel()
		select {
		case c := <-code:
			return c
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not shut down within 15s")
			return -1
		}
	}
}

func get(t *testing.T, url, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	_ = resp.Body.Close()
	return resp
}

// suppliedTokenLine is what serve prints of a token the user gave it.
const suppliedTokenLine = "token: the one given by -token or SCIM_TOKEN (not shown)"

func TestServeWithTokenAndBasePath(t *testing.T) {
	t.Parallel()
	base, tokenLine, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "s3cret", "-base-path", "/scim/v2")
	if !strings.HasSuffix(base, "/scim/v2") || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("base URL = %q, want http://127.0.0.1:<port>/scim/v2", base)
	}
	if tokenLine != suppliedTokenLine {
		t.Errorf("token line = %q, want %q", tokenLine, suppliedTokenLine)
	}
	if r := get(t, base+"/ServiceProviderConfig", "s3cret"); r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/scim+json" {
		t.Errorf("authorised GET: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if r := get(t, base+"/Users", ""); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET without token: %d, want 401", r.StatusCode)
	}
	if c := stop(); c != exitOK {
		t.Errorf("exit code after cancel = %d, want %d", c, exitOK)
	}
}

func TestServeBasePathWithoutLeadingSlash(t *testing.T) {
	t.Parallel()
	base, _, stop := startServe(t, "-addr", "127.0.0.1:0", "-token", "t", "-base-path", "scim/")
	if !strings.HasSuffix(base, "/scim") || strings.HasSuffix(base, "//scim") {
		t.Errorf("base URL = %q, want it to end in /scim", base)
	}
	if r := get(t, base+"/Users", "t"); r.StatusCode != http.StatusOK {
		t.Errorf("GET %s/Users: %d", base, r.StatusCode)
	}
	stop()
}

func TestServeGeneratesToken(t *testing.T) {
	t.Setenv("SCIM_TOKEN", "")
	base, tokenLine, stop := startServe(t, "-addr", "127.0.0.1:0")
	token, ok := strings.CutPrefix(tokenLine, "token: ")
	token, _, _ = strings.Cut(token, " ")
	if !ok || len(token) < 20 {
		t.Fatalf("token line = %q, want a generated token", tokenLine)
	}
	if r := get(t, base+"/Schemas", token); r.StatusCode != http.StatusOK {
		t.Errorf("GET with the generated token: %d", r.StatusCode)
	}
	if c := stop(); c != exitOK {
		t.Errorf("exit code = %d", c)
	}
}

func TestServeTokenFromEnvironment(t *testing.T) {
	t.Setenv("SCIM_TOKEN", "from-env")
	base, tokenLine, stop := startServe(t, "-addr", "127.0.0.1:0")
	if tokenLine != suppliedTokenLine {
		t.Errorf("token line = %q, want %q", tokenLine, suppliedTokenLine)
	}
	if r := get(t, base+"/Users", "from-env"); r.StatusCode != http.StatusOK {
		t.Errorf("GET with SCIM_TOKEN: %d", r.StatusCode)
	}
	stop()
}

func TestServeNoAuth(t *testing.T) {
	t.Setenv("SCIM_TOKEN", "")
	base, tokenLine, stop := startServe(t, "-addr", "127.0.0.1:0", "-insecure-no-auth", "-log-level", "debug")
	if !strings.Contains(tokenLine, "DISABLED") {
		t.Errorf("auth line = %q", tokenLine)
	}
	if r := get(t, base+"/Groups", ""); r.StatusCode != http.StatusOK {
		t.Errorf("GET without token on a no-auth server: %d", r.StatusCode)
	}
	stop()
}

func TestServeRejectsBadFlags(t *testing.T) {
	t.Setenv("SCIM_TOKEN", "")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no-auth with token", []string{"-insecure-no-auth", "-token", "x"}, "exclude each other"},
		{"bad log level", []string{"-log-level", "loud"}, "-log-level"},
		{"bad max body", []string{"-max-body", "0"}, "positive"},
		{"extra argument", []string{"now"}, "unexpected arguments"},
		{"unknown flag", []string{"-port", "1"}, "flag provided but not defined"},
		{"bad address", []string{"-addr", "256.0.0.1:99999"}, "listen on"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := runServe(context.Background(), tc.args, io.Discard, &stderr)
			if code != exitUsage {
				t.Errorf("exit code = %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr = %q, want it to mention %q", stderr.String(), tc.want)
			}
		})
	}
}

func TestServeHelp(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	if code := runServe(context.Background(), []string{"-h"}, io.Discard, &stderr); code != exitOK {
		t.Errorf("exit code = %d", code)
	}
	sc := bufio.NewScanner(&stderr)
	found := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), "-base-path") {
			found = true
		}
	}
	if !found {
		t.Error("help does not list -base-path")
	}
}

// lockedBuffer collects what a server goroutine writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A token the user supplied is the user's secret: serve prints neither it
// nor anything that contains it, whether it came from -token or from
// SCIM_TOKEN, at any log level.
func TestServeNeverPrintsASuppliedToken(t *testing.T) {
	const token = "user-chosen-token-4f1e"
	for _, tc := range []struct {
		name string
		env  string
		args []string
	}{
		{"flag", "", []string{"-token", token}},
		{"environment", token, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("SCIM_TOKEN", tc.env)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stdout := &lineWriter{lines: make(chan string, 16)}
			stderr := &lockedBuffer{}
			code := make(chan int, 1)
			args := append([]string{"-addr", "127.0.0.1:0", "-log-level", "debug"}, tc.args...)
			go func() { code <- runServe(ctx, args, stdout, stderr) }()
			var base string
			var printed []string
			for base == "" {
				select {
				case line := <-stdout.lines:
					printed = append(printed, line)
					if v, ok := strings.CutPrefix(line, "base URL: "); ok {
						base = v
					}
				case c := <-code:
					t.Fatalf("serve exited early with code %d", c)
				case <-time.After(10 * time.Second):
					t.Fatal("serve printed no base URL within 10s")
				}
			}
			if r := get(t, base+"/Users", token); r.StatusCode != http.StatusOK {
				t.Errorf("GET with the supplied token: %d", r.StatusCode)
			}
			get(t, base+"/Users", "wrong-"+token)
			cancel()
			select {
			case <-code:
			case <-time.After(15 * time.Second):
				t.Fatal("serve did not shut down within 15s")
			}
			for len(stdout.lines) > 0 {
				printed = append(printed, <-stdout.lines)
			}
			out := strings.Join(printed, "\n") + "\n" + stderr.String()
			if strings.Contains(out, token) {
				t.Errorf("serve printed the supplied token:\n%s", out)
			}
			if !strings.Contains(out, suppliedTokenLine) {
				t.Errorf("serve does not say which token it expects:\n%s", out)
			}
		})
	}
}
