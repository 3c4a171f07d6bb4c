package runner

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Redacted replaces every secret in redacted output.
const Redacted = "[REDACTED]"

// sensitiveHeaders carry credentials whatever their value.
var sensitiveHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// Redactor removes secrets from anything the runner shows or stores: the
// configured token and auth header value wherever they occur, credential
// and cookie headers, and JSON "password" values. A nil *Redactor redacts
// only headers and passwords.
type Redactor struct {
	secrets    []string        // longest first, so a secret containing another goes whole
	headers    map[string]bool // canonical names whose values are always hidden
	maxBodyLog int
}

// NewRedactor returns a redactor hiding secrets (empty ones are ignored),
// the values of the extra header names, and truncating bodies past
// maxBodyLog bytes (DefaultMaxBodyLog when <= 0).
func NewRedactor(maxBodyLog int, secrets []string, headers ...string) *Redactor {
	r := &Redactor{headers: map[string]bool{}, maxBodyLog: maxBodyLog}
	if r.maxBodyLog <= 0 {
		r.maxBodyLog = DefaultMaxBodyLog
	}
	for _, h := range append(append([]string(nil), sensitiveHeaders...), headers...) {
		if h != "" {
			r.headers[http.CanonicalHeaderKey(h)] = true
		}
	}
	seen := map[string]bool{}
	for _, s := range secrets {
		for _, form := range secretForms(s) {
			if form != "" && !seen[form] {
				seen[form] = true
				r.secrets = append(r.secrets, form)
			}
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	return r
}

// newRedactor knows the client's credential: the token, the whole header
// value and the custom header's name.
func newRedactor(s *settings) *Redactor {
	secrets := []string{s.Token, s.authValue}
	if s.authName == "Authorization" {
		// "Bearer x" and "Basic x": hide the credential part on its own too.
		if _, cred, ok := strings.Cut(s.authValue, " "); ok {
			secrets = append(secrets, strings.TrimSpace(cred))
		}
	}
	return NewRedactor(s.MaxBodyLog, secrets, s.authName)
}

// secretForms are the spellings a secret can take when echoed in a URL or
// a JSON string.
func secretForms(s string) []string {
	if s == "" {
		return nil
	}
	// Some JSON encoders escape "/" as "\/".
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s), strings.ReplaceAll(s, "/", `\/`)}
	if js, err := json.Marshal(s); err == nil {
		forms = append(forms, string(js[1:len(js)-1]))
	}
	return forms
}

// String hides every configured secret in s (console output, errors).
func (r *Redactor) String(s string) string {
	if r == nil {
		return s
	}
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, Redacted)
	}
	return s
}

// Header returns a redacted copy of h.
func (r *Redactor) Header(h http.Header) map[string][]string {
	if h == nil {
		return nil
	}
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		hidden := r.hiddenHeader(k)
		cp := make([]string, len(vs))
		for i, v := range vs {
			if hidden {
				cp[i] = Redacted
			} else {
				cp[i] = r.String(v)
			}
		}
		out[r.String(k)] = cp
	}
	return out
}

func (r *Redactor) hiddenHeader(name string) bool {
	name = http.CanonicalHeaderKey(name)
	if r == nil {
		for _, h := range sensitiveHeaders {
			if h == name {
				return true
			}
		}
		return false
	}
	return r.headers[name]
}

// Body returns b with passwords and secrets hidden, cut past the body
// limit with a marker; truncated reports the cut. Only the part that can be
// shown is examined, so a 16 MiB body costs no more than a small one.
func (r *Redactor) Body(b []byte) (body string, truncated bool) {
	if len(b) == 0 {
		return "", false
	}
	limit, margin := DefaultMaxBodyLog, 0
	if r != nil {
		limit = r.maxBodyLog
		if len(r.secrets) > 0 {
			margin = len(r.secrets[0]) // the longest: one starting before the cut is seen whole
		}
	}
	shown := b
	if len(b) > limit+margin {
		shown = b[:runeCut(b, limit+margin)]
	}
	if !printable(shown) {
		return "[binary body: " + formatBytes(int64(len(b))) + ", not shown]", false
	}
	s := r.String(string(redactPasswords(shown)))
	if len(shown) == len(b) && len(s) <= limit {
		return s, false
	}
	s = s[:runeCut([]byte(s), min(limit, len(s)))]
	return s + "\n… [truncated: " + formatBytes(int64(len(b))) + " body, first " + formatBytes(int64(len(s))) + " shown]", true
}

// runeCut moves n back to the start of a UTF-8 sequence in b.
func runeCut(b []byte, n int) int {
	for n > 0 && n < len(b) && !utf8.RuneStart(b[n]) {
		n--
	}
	return n
}

// Exchange returns the redacted, serialisable copy of x.
func (r *Redactor) Exchange(x *Exchange) Record {
	if x == nil {
		return Record{Error: "no exchange"}
	}
	rec := Record{
		Method:     x.Method,
		URL:        r.String(x.URL),
		ReqHeader:  r.Header(x.ReqHeader),
		Status:     x.Status,
		RespHeader: r.Header(x.RespHeader),
		DurationMS: float64(x.Duration.Microseconds()) / 1000,
		WaitedMS:   float64(x.Waited.Microseconds()) / 1000,
		Attempts:   x.Attempts,
	}
	var cutReq, cutResp bool
	rec.ReqBody, cutReq = r.Body(x.ReqBody)
	rec.RespBody, cutResp = r.Body(x.RespBody)
	rec.Truncated = cutReq || cutResp
	if x.Err != nil {
		rec.Error = r.String(x.Err.Error())
	}
	return rec
}

// printable reports whether b is UTF-8 text without control characters
// other than tab, newline and carriage return.
func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < ' ' && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return true
}

// passwordString is a "password" member with a string value, possibly cut
// off by the end of a truncated body: the safety net for bodies that are
// not (entirely) valid JSON.
var passwordString = regexp.MustCompile(`(?i)("password"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|\\?$)`)

// redactPasswords replaces every "password" member value (any depth, any
// case) and the value of every PATCH operation whose path is password with
// "[REDACTED]", leaving the rest of the body byte-for-byte.
func redactPasswords(b []byte) []byte {
	if !mayHoldPassword(b) {
		return b
	}
	out := b
	if spans := passwordSpans(b); len(spans) > 0 {
		out = replaceSpans(b, spans, []byte(`"`+Redacted+`"`))
	}
	return passwordString.ReplaceAll(out, []byte(`${1}"`+Redacted+`"`))
}

// mayHoldPassword is a cheap pre-check: the word in any case, or a JSON
// escape of an ASCII letter that could help spell it.
func mayHoldPassword(b []byte) bool {
	return bytes.Contains(bytes.ToLower(b), []byte("password")) || escapedLetter.Match(b)
}

var escapedLetter = regexp.MustCompile(`\\u00[4-7][0-9a-fA-F]`)

// replaceSpans replaces the byte ranges (nested ones collapse into the
// outer) with repl.
func replaceSpans(b []byte, spans [][2]int, repl []byte) []byte {
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var out bytes.Buffer
	pos := 0
	for _, sp := range spans {
		if sp[0] < pos || sp[0] > sp[1] || sp[1] > len(b) {
			continue // inside a span already replaced
		}
		out.Write(b[pos:sp[0]])
		out.Write(repl)
		pos = sp[1]
	}
	out.Write(b[pos:])
	return out.Bytes()
}

// passwordSpans returns the byte ranges of the values to hide in a JSON
// document; for a document broken part-way, those found before the break.
func passwordSpans(b []byte) [][2]int {
	first := bytes.TrimLeft(b, " \t\r\n")
	if len(first) == 0 || (first[0] != '{' && first[0] != '[') {
		return nil
	}
	s := &jsonScanner{b: b, dec: json.NewDecoder(bytes.NewReader(b))}
	s.dec.UseNumber()
	_, _, _ = s.value()
	return s.spans
}

type jsonScanner struct {
	b     []byte
	dec   *json.Decoder
	spans [][2]int
}

// value reads one JSON value and returns its byte range and, for a string,
// its text. On error the range runs from the value's start to the end of
// the input, so a value cut off by truncation can still be hidden.
func (s *jsonScanner) value() (span [2]int, str *string, err error) {
	start := int(s.dec.InputOffset())
	for start < len(s.b) && strings.IndexByte(" \t\r\n:,", s.b[start]) >= 0 {
		start++
	}
	tok, err := s.dec.Token()
	if err != nil {
		return [2]int{start, len(s.b)}, nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			err = s.object()
		} else {
			err = s.array()
		}
	case string:
		str = &t
	}
	return [2]int{start, int(s.dec.InputOffset())}, str, err
}

// object reads the members after '{', noting password values and PATCH
// operations on the password path.
func (s *jsonScanner) object() error {
	var path *string
	var value *[2]int
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		span, str, err := s.value()
		if err != nil {
			if strings.EqualFold(key, "password") {
				s.spans = append(s.spans, [2]int{span[0], len(s.b)})
			}
			return err
		}
		switch {
		case strings.EqualFold(key, "password"):
			s.spans = append(s.spans, span)
		case strings.EqualFold(key, "path"):
			path = str
		case strings.EqualFold(key, "value"):
			value = &span
		}
	}
	if path != nil && value != nil && isPasswordPath(*path) {
		s.spans = append(s.spans, *value)
	}
	_, err := s.dec.Token() // '}'
	return err
}

func (s *jsonScanner) array() error {
	for s.dec.More() {
		if _, _, err := s.value(); err != nil {
			return err
		}
	}
	_, err := s.dec.Token() // ']'
	return err
}

// isPasswordPath matches a PATCH path naming the password attribute, bare
// or URN-qualified.
func isPasswordPath(p string) bool {
	p = strings.ToLower(strings.TrimSpace(p))
	return p == "password" || strings.HasSuffix(p, ":password")
}
