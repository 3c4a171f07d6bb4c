package scimclient

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/go-resty/resty/v2"
)

// Client sends SCIM requests to one target with its credential, timeouts,
// TLS options and retry policy. It is safe for concurrent use.
type Client struct {
	s        *settings
	rc       *resty.Client
	redactor *Redactor
	// breaker gives up on a target that stops answering; nil when
	// Config.GiveUpAfter is negative.
	breaker *breaker
	// The target's URL for an empty Request.Path, and what a relative
	// Path is appended to: built once rather than on every request.
	rootURL, pathPrefix string
	// owned guards the run's resources when Config.RunID is set (see
	// ownership.go); basePath is the target's path, without a final slash.
	owned    *ownership
	basePath string
}

// Request is one HTTP request relative to the target.
type Request struct {
	Method string // default GET; sent with the case given
	// Path is relative to the target ("/Users", "Users/abc"); slashes are
	// joined without doubling. An absolute URL on the target's host is
	// accepted (e.g. a meta.location); any other host is refused.
	Path string
	// RawQuery is sent exactly as given (already encoded), after the
	// target's own query.
	RawQuery string
	// Header holds extra headers; they override the defaults (User-Agent,
	// the credential). Content-Type defaults to application/scim+json when
	// Body is not nil.
	Header http.Header
	Body   []byte
	// NoAuth sends the request without the configured credential, to check
	// that the target refuses it.
	NoAuth bool
}

// ScimContentType is the Content-Type of SCIM requests (RFC 7644 §3.1).
const ScimContentType = "application/scim+json"

// New validates cfg, applies defaults and returns a client. The error lists
// every problem with the configuration and how to fix it. Warnings (such
// as an insecure TLS setting) are written to cfg.Warn.
func New(cfg Config) (*Client, error) {
	s, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	redactor := newRedactor(s)
	for _, w := range s.warnings {
		fmt.Fprintln(s.Warn, w)
	}
	for _, w := range redactor.Unhidden() {
		fmt.Fprintln(s.Warn, "WARNING: "+w)
	}
	dialer := &net.Dialer{Timeout: s.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		TLSClientConfig:     s.tlsConfig,
		TLSHandshakeTimeout: s.ConnectTimeout,
		// No ResponseHeaderTimeout: each attempt's context ends Timeout
		// after it starts, before any header wait of the same length could,
		// and net/http would arm one more timer per request for it.
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}
	hc := &http.Client{
		Transport: transport,
		// A conformance run reports redirects; following them could carry
		// the credential to another host.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	rc := resty.NewWithClient(hc).
		SetLogger(discardLogger{}).
		SetDisableWarn(true).
		SetAllowGetMethodPayload(true).
		SetPreRequestHook(captureSent)
	c := &Client{s: s, rc: rc, redactor: redactor, basePath: strings.TrimRight(s.base.EscapedPath(), "/")}
	if s.RunID != "" {
		c.owned = newOwnership(s.RunID)
	}
	if s.GiveUpAfter > 0 {
		c.breaker = newBreaker(s.GiveUpAfter, s.CoolDown)
	}
	root := s.base.Scheme + "://" + s.base.Host
	c.rootURL, c.pathPrefix = root+"/", root+"/"
	if basePath := s.base.EscapedPath(); basePath != "" {
		c.rootURL, c.pathPrefix = root+basePath, root+strings.TrimRight(basePath, "/")+"/"
	}
	return c, nil
}

// Redactor returns the redactor that knows this client's secrets.
func (c *Client) Redactor() *Redactor { return c.redactor }

// Config returns the effective configuration: the one given to New with
// every default applied. Its String method hides the credential.
func (c *Client) Config() Config { return c.s.Config }

// Target returns the configured Tenant URL.
func (c *Client) Target() string { return c.s.Target }

// Do sends r, retrying 429 and 503 responses per the retry policy, and
// returns the exchange. It never returns nil and never panics: a failure
// to get a response is reported in Exchange.Err. Once the client has given
// up on the target (Config.GiveUpAfter), Do sends nothing and Exchange.Err
// matches ErrTargetUnusable, except for one probe after each cool-down.
func (c *Client) Do(ctx context.Context, r Request) (x *Exchange) {
	start := time.Now()
	x = &Exchange{Method: r.Method, ReqBody: r.Body}
	if x.Method == "" {
		x.Method = http.MethodGet
	}
	defer func() {
		if rec := recover(); rec != nil {
			x.Err = fmt.Errorf("%s %s: internal error: %v", x.Method, x.URL, rec)
		}
		x.Duration = time.Since(start)
	}()
	if ctx == nil {
		ctx = context.Background()
	}
	x.ReqHeader = c.requestHeader(r)
	target, err := c.requestURL(r)
	x.URL = target
	if err == nil && !validHeaderName(x.Method) {
		err = fmt.Errorf("method %q is not a valid HTTP method", x.Method)
	}
	if err != nil {
		x.Err = fmt.Errorf("build request: %w", err)
		return x
	}
	tp, err := c.guard(x)
	if err != nil {
		x.Err = err
		return x
	}
	probe, err := c.admit()
	if err != nil {
		x.Err = fmt.Errorf("%s %s: not sent: %w", x.Method, x.URL, err)
		return x
	}
	maxAttempts := c.s.maxAttempts
	if probe {
		maxAttempts = 1 // a probe asks whether the target answers again, once
	}
	for attempt := 1; ; attempt++ {
		x.Attempts = attempt
		err := c.attempt(ctx, x)
		if attempt >= maxAttempts || !retryable(x, err) {
			x.Err = err
			if err == nil {
				c.learn(x, tp)
			}
			break
		}
		if werr := c.pause(ctx, x, err); werr != nil {
			x.Err = werr
			break
		}
	}
	c.recordAnswer(ctx, x, probe)
	return x
}

// pause waits before resending x, as long as the retry policy and the
// response's Retry-After say, and fails at once when ctx would end first
// or when the client gives up on the target meanwhile.
// lastErr is the failed attempt's transport error, nil for a 429 or 503.
func (c *Client) pause(ctx context.Context, x *Exchange, lastErr error) error {
	wait := retryDelay(c.s.Retry, x.Attempts, x.RespHeader, time.Now())
	outcome := statusLine(x.Status, lastErr)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		return fmt.Errorf("%s %s: not retrying after attempt %d (%s): the %v wait would pass the caller's deadline: %w",
			x.Method, x.URL, x.Attempts, outcome, wait.Round(time.Millisecond), context.DeadlineExceeded)
	}
	start := time.Now()
	err := c.sleepUnlessGivenUp(ctx, wait)
	x.Waited += time.Since(start)
	if errors.Is(err, ErrTargetUnusable) {
		return fmt.Errorf("%s %s: stopped retrying after attempt %d (%s): %w", x.Method, x.URL, x.Attempts, outcome, err)
	}
	if err != nil {
		return fmt.Errorf("%s %s: stopped waiting %v to retry after attempt %d (%s): %w",
			x.Method, x.URL, wait.Round(time.Millisecond), x.Attempts, outcome, err)
	}
	return nil
}

// requestHeader is the defaults, then the credential, then r.Header.
func (c *Client) requestHeader(r Request) http.Header {
	n := 3 // User-Agent, the credential, Content-Type
	for _, vs := range r.Header {
		n += len(vs)
	}
	h := make(http.Header, len(r.Header)+3)
	// Every value is kept in one array, as Header.Clone lays them out;
	// each key gets a full slice of it, so an append copies.
	values := make([]string, 0, n)
	set := func(key string, vs ...string) {
		if len(vs) == 0 {
			h[key] = nil // as a copy of an empty list is
			return
		}
		values = append(values, vs...)
		h[key] = values[len(values)-len(vs) : len(values) : len(values)]
	}
	set("User-Agent", c.s.UserAgent)
	if c.s.authName != "" && !r.NoAuth {
		set(c.s.authName, c.s.authValue)
	}
	for k, vs := range r.Header {
		set(http.CanonicalHeaderKey(k), vs...)
	}
	if r.Body != nil && h.Get("Content-Type") == "" {
		set("Content-Type", ScimContentType)
	}
	return h
}

// requestURL joins the target and r.Path without doubling slashes and puts
// the target's query in front of r.RawQuery, leaving both byte-for-byte.
func (c *Client) requestURL(r Request) (string, error) {
	path, query := r.Path, r.RawQuery
	if p, q, ok := strings.Cut(path, "?"); ok {
		path, query = p, joinQuery(q, query)
	}
	base := c.s.base
	var u string
	switch {
	case strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://"):
		abs, err := url.Parse(path)
		if err != nil {
			return path, fmt.Errorf("path %q is not a valid URL: %w", path, err)
		}
		if abs.Scheme != base.Scheme || !strings.EqualFold(abs.Host, base.Host) {
			return path, fmt.Errorf("refusing to send the request to %s://%s: only the target %s://%s is contacted",
				abs.Scheme, abs.Host, base.Scheme, base.Host)
		}
		u = path
	case path == "":
		u = c.rootURL
	default:
		u = c.pathPrefix + strings.TrimLeft(path, "/")
	}
	if c.s.baseQuery != "" && query != "" {
		u = u + "?" + c.s.baseQuery + "&" + query // one concatenation, not two
	} else if query = joinQuery(c.s.baseQuery, query); query != "" {
		u += "?" + query
	}
	if i := indexControl(u); i >= 0 {
		return u, fmt.Errorf("URL %q has a space or control character at byte %d: encode it (%%20 or + in a query)", u, i)
	}
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u, fmt.Errorf("URL %q has a '#' at byte %d, which would cut it short: encode it as %%23", u, i)
	}
	// With the base already checked and no control characters, only a bad
	// %-escape before the query can still make the URL invalid: net/url
	// leaves the query as it is. A filter's %22 needs no parse.
	if beforeQuery, _, _ := strings.Cut(u, "?"); strings.IndexByte(beforeQuery, '%') >= 0 {
		if _, err := url.Parse(u); err != nil {
			return u, fmt.Errorf("URL %q is not valid: %w", u, err)
		}
	}
	return u, nil
}

// indexControl returns the index of the first byte of s that is a space or
// an ASCII control character, -1 if none. Bytes of multi-byte UTF-8
// sequences are never either, so no rune needs decoding.
func indexControl(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return i
		}
	}
	return -1
}

func joinQuery(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	default:
		return a + "&" + b
	}
}

// sentKey carries a *sentRequest through the request context.
type sentKey struct{}

// sentRequest receives the headers exactly as handed to net/http.
type sentRequest struct {
	stripAccept      bool
	stripContentType bool
	header           http.Header
}

// unsetHeader holds the place of a header that is removed before sending.
// Nothing writes into header values, so every request may share it.
var unsetHeader = []string{"unset"}

// captureSent runs right before net/http sends a request: it removes the
// Accept and Content-Type headers the request was not given (the
// placeholders attempt sets so that resty adds neither; a replay sends
// only what it is told) and records the final headers for the exchange.
func captureSent(_ *resty.Client, hr *http.Request) error {
	if s, ok := hr.Context().Value(sentKey{}).(*sentRequest); ok {
		if s.stripAccept {
			hr.Header.Del("Accept")
		}
		if s.stripContentType {
			hr.Header.Del("Content-Type")
		}
		// resty built hr.Header as its own copy and nothing changes it
		// after this hook, so the exchange may keep it.
		s.header = hr.Header
	}
	return nil
}

// attempt sends x's request once and fills x's response fields. The
// returned error, already described for humans, is nil when a complete
// response arrived.
func (c *Client) attempt(ctx context.Context, x *Exchange) error {
	actx, cancel := context.WithTimeout(ctx, c.s.Timeout)
	defer cancel()
	if x.Attempts > 1 {
		// The header is the one the previous attempt sent: net/http may
		// still be writing that request, so this one gets its own.
		x.ReqHeader = x.ReqHeader.Clone()
	}
	sent := &sentRequest{stripAccept: x.ReqHeader.Get("Accept") == "",
		stripContentType: x.ReqBody == nil && x.ReqHeader.Get("Content-Type") == ""}
	actx = context.WithValue(actx, sentKey{}, sent)
	// Headers resty would fill in are set to a placeholder instead,
	// removed again before sending: an Accept copied from a JSON
	// Content-Type costs resty a regular expression per request, and the
	// Content-Type of a bodyless request a guess by reflection.
	if sent.stripAccept {
		x.ReqHeader["Accept"] = unsetHeader
	}
	if sent.stripContentType {
		x.ReqHeader["Content-Type"] = unsetHeader
	}

	req := c.rc.R().SetContext(actx).SetDoNotParseResponse(true)
	// resty sends a copy of req.Header; x.ReqHeader becomes that copy as
	// sent, so it need not be copied first.
	req.Header = x.ReqHeader
	// As a bytes.Reader, resty sends the body without copying it and
	// net/http knows its length. A request without a body gets an empty
	// one: given none, resty (which allows a GET body) would hand net/http
	// a body of unknown length that it probes with a goroutine and a timer
	// on every request. An empty body is sent as none all the same.
	req.SetBody(bytes.NewReader(x.ReqBody))
	x.Status, x.RespHeader, x.RespBody = 0, nil, nil
	resp, err := req.Execute(x.Method, x.URL)
	if sent.header != nil {
		x.ReqHeader = sent.header
	} else { // not sent: leave the header as it was given
		if sent.stripAccept {
			x.ReqHeader.Del("Accept")
		}
		if sent.stripContentType {
			x.ReqHeader.Del("Content-Type")
		}
	}
	if err != nil {
		if resp != nil && resp.RawResponse != nil && resp.RawResponse.Body != nil {
			resp.RawResponse.Body.Close()
		}
		return c.describe(ctx, x, "", err)
	}
	if resp == nil || resp.RawResponse == nil {
		return fmt.Errorf("%s %s: no response and no error from the HTTP client", x.Method, x.URL)
	}
	raw := resp.RawResponse
	defer raw.Body.Close()
	x.Status, x.RespHeader = raw.StatusCode, raw.Header
	body, err := readLimited(raw.Body, raw.ContentLength, c.s.MaxResponse)
	x.RespBody = body
	if err != nil {
		return c.describe(ctx, x, fmt.Sprintf("read response body (%s, %d bytes read)", statusLine(x.Status, nil), len(body)), err)
	}
	return nil
}

// readLimited reads at most limit bytes; a longer body is cut at limit and
// reported with errBodyTooLarge.
// size is the announced length, -1 when unknown; a buffer of that size is
// allocated up front so that most bodies are read without regrowing.
func readLimited(r io.Reader, size, limit int64) ([]byte, error) {
	if size >= 0 && size <= limit {
		b := make([]byte, size, size+1)
		n, err := io.ReadFull(r, b) // a body cut short: io.ErrUnexpectedEOF
		if err == nil {
			// net/http ends the body at its Content-Length: this read
			// sees that end, or an error that came with it. It reads into
			// the spare byte of b, not a buffer of its own that would
			// escape to the heap through the io.Reader.
			if _, err = r.Read(b[size : size+1]); err == io.EOF {
				err = nil
			}
		}
		return b[:n:n], err
	}
	buf := bytes.NewBuffer(make([]byte, 0, bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	b := buf.Bytes()
	if int64(len(b)) > limit {
		return b[:limit], errBodyTooLarge{limit: limit}
	}
	return b, err
}

// describe turns a transport error into a message that names the request,
// what went wrong in plain words, and the underlying cause.
func (c *Client) describe(parent context.Context, x *Exchange, during string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text repeats the URL
	}
	prefix := x.Method + " " + x.URL
	if during != "" {
		prefix += ": " + during
	}
	if what := c.explain(parent, err); what != "" {
		return fmt.Errorf("%s: %s: %w", prefix, what, err)
	}
	return fmt.Errorf("%s: %w", prefix, err)
}

// explain names a transport failure in plain words, "" when the error
// says it well enough.
func (c *Client) explain(parent context.Context, err error) string {
	var unknownCA x509.UnknownAuthorityError
	var certInvalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		return ""
	case errors.Is(parent.Err(), context.DeadlineExceeded):
		return "the caller's deadline passed"
	case parent.Err() != nil:
		return "cancelled by the caller"
	case isDialError(err) && (isTimeout(err) || errors.Is(err, context.DeadlineExceeded)):
		return fmt.Sprintf("could not connect within %v", c.s.ConnectTimeout)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Sprintf("timed out: no complete response within %v", c.s.Timeout)
	case errors.As(err, &unknownCA), errors.As(err, &certInvalid):
		return "TLS certificate not trusted (give -ca-file for a private CA, or -insecure to test without verification)"
	case errors.As(err, &hostname):
		return "TLS certificate does not match the target host"
	case isDialError(err):
		return "could not connect"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by the server"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection without a complete response"
	}
	return ""
}

// discardLogger silences resty: every outcome is reported in the Exchange.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
