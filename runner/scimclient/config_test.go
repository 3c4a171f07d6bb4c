package scimclient

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		cfg    Config
		errHas []string
	}{
		{"empty target", Config{}, []string{"target is empty", "https://"}},
		{"missing scheme", Config{Target: "api.example.com/scim"}, []string{"has no scheme", "https://api.example.com/scim"}},
		{"host:port without scheme", Config{Target: "localhost:8080/scim"}, []string{"no scheme"}},
		{"unsupported scheme", Config{Target: "ftp://example.com/scim"}, []string{`scheme "ftp" is not supported`}},
		{"no host", Config{Target: "https:///scim"}, []string{"has no host"}},
		{"bad URL", Config{Target: "https://exa mple.com/%zz"}, []string{"not a valid URL"}},
		{"fragment", Config{Target: "https://example.com/scim#x"}, []string{"fragment"}},
		{"credentials in URL", Config{Target: "https://user:hunter2@example.com/scim"}, []string{"credentials"}},
		{"auth header without colon", Config{Target: "https://e.com", AuthHeader: "X-API-Key abc"}, []string{`"Name: value"`, "colon"}},
		{"auth header without value", Config{Target: "https://e.com", AuthHeader: "X-API-Key:"}, []string{"a value"}},
		{"auth header without name", Config{Target: "https://e.com", AuthHeader: ": abc"}, []string{"a name"}},
		{"auth header bad name", Config{Target: "https://e.com", AuthHeader: "X API: abc"}, []string{"not a valid HTTP header name"}},
		{"token with Bearer prefix", Config{Target: "https://e.com", Token: "Bearer abc"}, []string{`starts with "Bearer "`}},
		{"token with newline", Config{Target: "https://e.com", Token: "abc\n"}, []string{"line break"}},
		{"negative timeout", Config{Target: "https://e.com", Timeout: -time.Second}, []string{"timeout is -1s", "positive"}},
		{"negative connect timeout", Config{Target: "https://e.com", ConnectTimeout: -1}, []string{"connect timeout"}},
		{"negative max wait", Config{Target: "https://e.com", Retry: RetryPolicy{MaxWait: -1}}, []string{"retry max wait"}},
		{"negative attempts", Config{Target: "https://e.com", Retry: RetryPolicy{MaxAttempts: -2}}, []string{"max attempts"}},
		{"negative max body log", Config{Target: "https://e.com", MaxBodyLog: -1}, []string{"max body log"}},
		{"negative max response", Config{Target: "https://e.com", MaxResponse: -1}, []string{"max response"}},
		{"negative cool-down", Config{Target: "https://e.com", CoolDown: -time.Second}, []string{"cool-down is -1s"}},
		{"user agent with newline", Config{Target: "https://e.com", UserAgent: "a\r\nX: y"}, []string{"user agent"}},
		{"missing CA file", Config{Target: "https://e.com", CAFile: filepath.Join(dir, "nope.pem")}, []string{"read CA file", "nope.pem"}},
		{"CA file without PEM", Config{Target: "https://e.com", CAFile: notPEM}, []string{"holds no PEM certificate"}},
		{"every problem listed", Config{Target: "e.com", Timeout: -1, MaxResponse: -1}, []string{"no scheme", "timeout", "max response"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var warn bytes.Buffer
			tt.cfg.Warn = &warn
			c, err := New(tt.cfg)
			if err == nil {
				t.Fatalf("New(%+v) = %v, want an error", tt.cfg, c)
			}
			for _, want := range tt.errHas {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q repeats the password from the URL", err)
			}
			if warn.Len() != 0 {
				t.Errorf("warnings written for an invalid config: %q", warn.String())
			}
		})
	}
}

func TestNewAppliesDefaults(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Target: " https://api.example.com/scim/?aadOptscim062020 ", Warn: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	s := c.s
	checks := []struct {
		name      string
		got, want any
	}{
		{"Timeout", s.Timeout, DefaultTimeout},
		{"ConnectTimeout", s.ConnectTimeout, DefaultConnectTimeout},
		{"MaxAttempts", s.Retry.MaxAttempts, DefaultMaxAttempts},
		{"MaxWait", s.Retry.MaxWait, DefaultMaxWait},
		{"BaseDelay", s.Retry.BaseDelay, DefaultBaseDelay},
		{"MaxBodyLog", s.MaxBodyLog, DefaultMaxBodyLog},
		{"MaxResponse", s.MaxResponse, int64(DefaultMaxResponse)},
		{"GiveUpAfter", s.GiveUpAfter, DefaultGiveUpAfter},
		{"CoolDown", s.CoolDown, DefaultCoolDown},
		{"breaker", c.breaker != nil, true},
		{"UserAgent", s.UserAgent, "scimconform/" + Version + " (+https://github.com/scimconform/scimconform)"},
		{"Target", c.Target(), "https://api.example.com/scim/?aadOptscim062020"},
		{"baseQuery", s.baseQuery, "aadOptscim062020"},
		{"authName", s.authName, ""},
		{"maxAttempts", s.maxAttempts, DefaultMaxAttempts},
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %v, want %v", ck.name, ck.got, ck.want)
		}
	}
	d, err := New(Config{Target: "http://127.0.0.1:1", Retry: RetryPolicy{Disabled: true, MaxAttempts: 9}, Warn: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if d.s.maxAttempts != 1 {
		t.Errorf("disabled retries: maxAttempts = %d, want 1", d.s.maxAttempts)
	}
}

func TestNewWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     Config
		warnHas string
	}{
		{"insecure", Config{Insecure: true}, "TLS certificate verification is DISABLED"},
		{"token and auth header", Config{Token: "tk-77-long", AuthHeader: "X-Key: k-long-key"}, "sending the X-Key header and ignoring the token"},
		{"short token", Config{Token: "tk-77"}, "WARNING: the token is 5 characters: too short to redact or to check for leaks (the minimum is 8); output may contain it"},
		{"short header value", Config{AuthHeader: "X-Key: k"}, "WARNING: the X-Key header value is 1 character: too short"},
		{"short Basic password", Config{AuthHeader: "Authorization: Basic YWxpY2U6cHc="}, "WARNING: the Basic auth password is 2 characters: too short"},
		{"clean", Config{Token: "tk-77-long"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var warn bytes.Buffer
			tt.cfg.Target, tt.cfg.Warn = "https://127.0.0.1:1/scim", &warn
			if _, err := New(tt.cfg); err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.warnHas == "" && warn.Len() != 0:
				t.Errorf("unexpected warning %q", warn.String())
			case tt.warnHas != "" && !strings.Contains(warn.String(), tt.warnHas):
				t.Errorf("warning %q lacks %q", warn.String(), tt.warnHas)
			}
			if strings.Count(warn.String(), "\n") > 1 {
				t.Errorf("more than one warning: %q", warn.String())
			}
			if strings.Contains(warn.String(), "tk-77") {
				t.Errorf("warning %q repeats the token", warn.String())
			}
		})
	}
}

func TestTLSOptions(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		cfg    Config
		errHas string
	}{
		{"untrusted certificate fails clearly", Config{}, "TLS certificate not trusted"},
		{"CA file trusts it", Config{CAFile: caFile}, ""},
		{"insecure skips verification", Config{Insecure: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, srv, tt.cfg)
			x, _ := doBounded(t, c, Request{Path: "/Users"})
			switch {
			case tt.errHas == "" && (x.Err != nil || x.Status != 200):
				t.Errorf("Status %d Err %v, want 200", x.Status, x.Err)
			case tt.errHas != "" && (x.Err == nil || !strings.Contains(x.Err.Error(), tt.errHas)):
				t.Errorf("Err = %v, want it to contain %q", x.Err, tt.errHas)
			}
		})
	}
}

func TestPlainHTTPServerWithHTTPSTarget(t *testing.T) {
	t.Parallel()
	srv := newTarget(t, func(w http.ResponseWriter, r *http.Request) {})
	c := newTestClient(t, srv, Config{Target: strings.Replace(srv.URL, "http://", "https://", 1)})
	x, _ := doBounded(t, c, Request{Path: "/Users"})
	if x.Err == nil || !strings.Contains(x.Err.Error(), "server gave HTTP response to HTTPS client") {
		t.Errorf("Err = %v, want it to say the server speaks plain HTTP", x.Err)
	}
}

func TestConfigStringHidesTheCredential(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cfg    Config
		has    []string
		secret string
	}{
		{"bearer", Config{Target: "https://e.com/scim/?key=tk-55-long", Token: "tk-55-long"},
			[]string{"target=https://e.com/scim/?key=[REDACTED]", "auth=bearer [REDACTED]", "timeout=30s", "max-response=16 MiB", "retry=(4 attempts, waits up to 10s)"}, "tk-55-long"},
		{"header", Config{Target: "https://e.com", AuthHeader: "X-API-Key: k-66-long", Retry: RetryPolicy{Disabled: true}},
			[]string{"auth=header X-API-Key: [REDACTED]", "retry=(disabled)"}, "k-66-long"},
	}
	for _, tt := range tests {
		tt.cfg.Warn = io.Discard
		c, err := New(tt.cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{c.Config().String(), fmt.Sprintf("%+v", c.Config()), fmt.Sprint(tt.cfg)} {
			if strings.Contains(out, tt.secret) {
				t.Errorf("%s: %q shows the credential", tt.name, out)
			}
		}
		got := c.Config().String()
		for _, want := range tt.has {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q lacks %q", tt.name, got, want)
			}
		}
	}
}
