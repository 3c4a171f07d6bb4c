package scimclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults applied by New to zero-valued Config fields.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultConnectTimeout = 10 * time.Second
	DefaultMaxBodyLog     = 64 << 10
	DefaultMaxResponse    = 16 << 20
	DefaultMaxAttempts    = 4
	DefaultMaxWait        = 10 * time.Second
	DefaultBaseDelay      = 250 * time.Millisecond
	DefaultGiveUpAfter    = 10
	DefaultCoolDown       = 10 * time.Second
)

// DefaultUserAgent names scimconform and its version on every request.
const DefaultUserAgent = "scimconform/" + Version + " (+https://github.com/scimconform/scimconform)"

// Config describes the target and how to talk to it. Zero values mean the
// documented defaults; New rejects values that cannot work.
type Config struct {
	// Target is the Tenant URL, the base of every request. A trailing slash
	// and a query string (e.g. "https://host/scim/?aadOptscim062020") are
	// allowed; the query is sent in front of every request's own query.
	Target string
	// Token is a bearer token, sent as "Authorization: Bearer <Token>".
	Token string
	// AuthHeader is "Name: value" for any other scheme; it wins over Token.
	AuthHeader string
	// Timeout bounds one attempt: connecting, sending and reading the whole
	// response. Default 30s.
	Timeout time.Duration
	// ConnectTimeout bounds the TCP connect and the TLS handshake. Default 10s.
	ConnectTimeout time.Duration
	// CAFile is a PEM file of extra root certificates, added to the system pool.
	CAFile string
	// Insecure skips TLS certificate verification; New warns loudly on Warn.
	Insecure bool
	// Retry governs retries on 429 and 503.
	Retry RetryPolicy
	// MaxBodyLog is the body length kept in transcripts: a longer body is
	// kept as its head and tail with its size stated. Default 64 KiB.
	MaxBodyLog int
	// MaxResponse is the most response body bytes read. Default 16 MiB;
	// a longer body is truncated and the exchange fails with a clear error.
	MaxResponse int64
	// GiveUpAfter is how many requests in a row may get no usable answer
	// (no complete response, HTTP 5xx other than 501, or HTTP 429 after
	// every retry) before the client gives up on the target: from then on
	// Do returns at once with an error matching ErrTargetUnusable that says
	// what the target did. Any other answer, 4xx included, is usable and
	// starts the count again. Default 10; negative never gives up.
	GiveUpAfter int
	// CoolDown is how long a client that gave up waits before it lets one
	// request through as a probe; a usable answer to it resumes normal
	// sending. Default 10s.
	CoolDown time.Duration
	// UserAgent overrides DefaultUserAgent.
	UserAgent string
	// Warn receives configuration warnings. Default os.Stderr.
	Warn io.Writer
	// RunID names the run ("scimc-1a2b3c"); its resources carry the run
	// prefix RunID+"-". When set, the client refuses to change a user or
	// group this run has not seen as its own: see ErrNotOwned.
	RunID string
}

// RetryPolicy says how 429 and 503 responses are retried.
type RetryPolicy struct {
	// MaxAttempts counts every attempt, the first included. Default 4.
	MaxAttempts int
	// MaxWait caps each wait, including one asked for by Retry-After. Default 10s.
	MaxWait time.Duration
	// BaseDelay is the first backoff step when no Retry-After is given;
	// it doubles per attempt. Default 250ms.
	BaseDelay time.Duration
	// Disabled sends every request exactly once.
	Disabled bool
}

// settings is a validated Config with defaults applied.
type settings struct {
	Config
	base        *url.URL // Target without its query
	baseQuery   string   // Target's raw query, "" if none
	authName    string   // canonical header name carrying the credential, "" if none
	authValue   string   // its value
	tlsConfig   *tls.Config
	maxAttempts int
	warnings    []string // printed to Warn once the whole configuration is valid
}

// validate applies defaults and checks every field, returning an error that
// says what to fix.
func (cfg Config) validate() (*settings, error) {
	s := &settings{Config: cfg}
	if s.Warn == nil {
		s.Warn = os.Stderr
	}
	var errs []error
	if err := s.parseTarget(); err != nil {
		errs = append(errs, err)
	}
	if err := s.parseAuth(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, s.applyLimits()...)
	if err := s.buildTLS(); err != nil {
		errs = append(errs, err)
	}
	if s.RunID != "" {
		if err := validRunID(s.RunID); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("invalid configuration: %w", errors.Join(errs...))
	}
	return s, nil
}

func (s *settings) parseTarget() error {
	raw := strings.TrimSpace(s.Target)
	if raw == "" {
		return errors.New("target is empty: give the Tenant URL, e.g. https://api.example.com/scim/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("target %q is not a valid URL: %w", raw, err)
	}
	switch {
	case u.Scheme == "" || u.Host == "" && u.Opaque != "":
		return fmt.Errorf("target %q has no scheme: write it as https://%s", raw, strings.TrimPrefix(raw, "//"))
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("target %q: scheme %q is not supported, use https:// (or http:// for local servers)", raw, u.Scheme)
	case u.Host == "":
		return fmt.Errorf("target %q has no host: write it as %s://host/path", raw, u.Scheme)
	case u.User != nil:
		return fmt.Errorf("target %q has credentials in it: remove them and use a token or an auth header (e.g. \"Authorization: Basic ...\")", u.Redacted())
	case u.Fragment != "":
		return fmt.Errorf("target %q has a fragment (#%s): remove it", raw, u.Fragment)
	}
	s.baseQuery = u.RawQuery
	u.RawQuery, u.ForceQuery = "", false
	s.base = u
	s.Target = raw
	return nil
}

func (s *settings) parseAuth() error {
	if s.AuthHeader != "" {
		name, value, ok := strings.Cut(s.AuthHeader, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case !ok || name == "" || value == "":
			return fmt.Errorf("auth header must look like \"Name: value\" (e.g. \"X-API-Key: abc\"), got a value without %s", missingAuthPart(ok, name))
		case !validHeaderName(name):
			return fmt.Errorf("auth header name %q is not a valid HTTP header name", name)
		case strings.ContainsAny(value, "\r\n"):
			return errors.New("auth header value contains a line break: remove it")
		}
		if s.Token != "" {
			s.warnings = append(s.warnings, fmt.Sprintf("WARNING: both a token and an auth header are configured; sending the %s header and ignoring the token", http.CanonicalHeaderKey(name)))
		}
		s.authName, s.authValue = http.CanonicalHeaderKey(name), value
		return nil
	}
	if s.Token == "" {
		return nil // an unauthenticated target is legitimate
	}
	switch {
	case strings.HasPrefix(strings.ToLower(s.Token), "bearer "):
		return errors.New("token starts with \"Bearer \": pass the token alone, the scheme is added")
	case strings.ContainsAny(s.Token, " \t\r\n"):
		return errors.New("token contains whitespace or a line break: check how it was copied")
	}
	s.authName, s.authValue = "Authorization", "Bearer "+s.Token
	return nil
}

func missingAuthPart(hasColon bool, name string) string {
	switch {
	case !hasColon:
		return "a colon"
	case name == "":
		return "a name"
	default:
		return "a value"
	}
}

// validHeaderName reports whether name is an RFC 9110 token.
func validHeaderName(name string) bool {
	for _, r := range name {
		if r > 0x7e || r <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) {
			return false
		}
	}
	return name != ""
}

func (s *settings) applyLimits() []error {
	var errs []error
	durations := []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"timeout", &s.Timeout, DefaultTimeout},
		{"connect timeout", &s.ConnectTimeout, DefaultConnectTimeout},
		{"retry max wait", &s.Retry.MaxWait, DefaultMaxWait},
		{"retry base delay", &s.Retry.BaseDelay, DefaultBaseDelay},
		{"cool-down", &s.CoolDown, DefaultCoolDown},
	}
	for _, d := range durations {
		switch {
		case *d.v < 0:
			errs = append(errs, fmt.Errorf("%s is %v: it must be positive (0 means the default %v)", d.name, *d.v, d.def))
		case *d.v == 0:
			*d.v = d.def
		}
	}
	switch {
	case s.Retry.MaxAttempts < 0:
		errs = append(errs, fmt.Errorf("retry max attempts is %d: it must be at least 1 (0 means the default %d)", s.Retry.MaxAttempts, DefaultMaxAttempts))
	case s.Retry.MaxAttempts == 0:
		s.Retry.MaxAttempts = DefaultMaxAttempts
	}
	if s.GiveUpAfter == 0 {
		s.GiveUpAfter = DefaultGiveUpAfter
	}
	switch {
	case s.MaxBodyLog < 0:
		errs = append(errs, fmt.Errorf("max body log is %d: it must be positive (0 means the default %d)", s.MaxBodyLog, DefaultMaxBodyLog))
	case s.MaxBodyLog == 0:
		s.MaxBodyLog = DefaultMaxBodyLog
	}
	switch {
	case s.MaxResponse < 0:
		errs = append(errs, fmt.Errorf("max response is %d: it must be positive (0 means the default %d)", s.MaxResponse, DefaultMaxResponse))
	case s.MaxResponse == 0:
		s.MaxResponse = DefaultMaxResponse
	}
	if s.UserAgent == "" {
		s.UserAgent = DefaultUserAgent
	} else if strings.ContainsAny(s.UserAgent, "\r\n") {
		errs = append(errs, errors.New("user agent contains a line break: remove it"))
	}
	s.maxAttempts = s.Retry.MaxAttempts
	if s.Retry.Disabled {
		s.maxAttempts = 1
	}
	return errs
}

func (s *settings) buildTLS() error {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.CAFile != "" {
		pem, err := os.ReadFile(s.CAFile)
		if err != nil {
			return fmt.Errorf("read CA file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("CA file %s holds no PEM certificate", s.CAFile)
		}
		tc.RootCAs = pool
	}
	if s.Insecure {
		tc.InsecureSkipVerify = true //nolint:gosec // explicitly requested, warned about below
		s.warnings = append(s.warnings, "WARNING: TLS certificate verification is DISABLED (insecure). "+
			"Anyone on the network path can read and alter this traffic, including the credential. "+
			"Use a CA file instead for private certificates.")
	}
	s.tlsConfig = tc
	return nil
}

// String renders the configuration on one line with the credential hidden,
// so printing a Config (even with %+v) never shows the token.
func (cfg Config) String() string {
	auth := "none"
	_, headerValue, _ := strings.Cut(cfg.AuthHeader, ":")
	switch {
	case cfg.AuthHeader != "":
		name, _, _ := strings.Cut(cfg.AuthHeader, ":")
		auth = "header " + strings.TrimSpace(name) + ": " + Redacted
	case cfg.Token != "":
		auth = "bearer " + Redacted
	}
	retry := fmt.Sprintf("%d attempts, waits up to %v", cfg.Retry.MaxAttempts, cfg.Retry.MaxWait)
	if cfg.Retry.Disabled {
		retry = "disabled"
	}
	giveUp := fmt.Sprintf("%d (cool-down %v)", cfg.GiveUpAfter, cfg.CoolDown)
	if cfg.GiveUpAfter < 0 {
		giveUp = "never"
	}
	r := NewRedactor(0, []string{cfg.Token, strings.TrimSpace(headerValue)})
	return r.String(fmt.Sprintf("target=%s auth=%s timeout=%v connect-timeout=%v ca-file=%q insecure=%v retry=(%s) give-up-after=%s max-response=%s max-body-log=%s user-agent=%q",
		cfg.Target, auth, cfg.Timeout, cfg.ConnectTimeout, cfg.CAFile, cfg.Insecure, retry, giveUp,
		formatBytes(cfg.MaxResponse), formatBytes(int64(cfg.MaxBodyLog)), cfg.UserAgent))
}
