package scimclient

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Redacted replaces every secret in redacted output.
const Redacted = "[REDACTED]"

// sensitiveHeaders carry credentials whatever their value.
var sensitiveHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"}

// Redactor removes secrets from anything the runner shows or stores: the
// configured token and auth header value in every encoding wherever they
// occur, credential and cookie headers, and JSON "password" values. A nil
// *Redactor redacts only headers and passwords.
type Redactor struct {
	forms      []string        // every spelling of every secret, longest first
	headers    map[string]bool // canonical names whose values are always hidden
	unhidden   []string        // why a secret shorter than MinSecretLen is not hidden
	maxBodyLog int
}

// NewRedactor returns a redactor hiding secrets (empty ones are ignored,
// ones shorter than MinSecretLen are listed by Unhidden), the values of the
// extra header names, and cutting bodies past maxBodyLog bytes
// (DefaultMaxBodyLog when <= 0). A secret that is a header value such as
// "Basic dXNlcjpwYXNz" is hidden with its parts: the credential after the
// scheme and, for Basic, the decoded user:password and password.
func NewRedactor(maxBodyLog int, secrets []string, headers ...string) *Redactor {
	named := make([]secret, 0, len(secrets))
	for _, s := range secrets {
		named = append(named, secret{"a secret", s})
	}
	return newNamedRedactor(maxBodyLog, named, headers...)
}

func newNamedRedactor(maxBodyLog int, secrets []secret, headers ...string) *Redactor {
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
	for _, given := range secrets {
		for _, s := range expand(given) {
			if s.value == "" || seen[s.value] {
				continue
			}
			seen[s.value] = true
			if len(s.value) < MinSecretLen {
				r.unhidden = append(r.unhidden, tooShort(s))
				continue
			}
			r.forms = append(r.forms, secretForms(s.value)...)
		}
	}
	slices.SortFunc(r.forms, func(a, b string) int {
		if d := len(b) - len(a); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	r.forms = slices.Compact(r.forms)
	return r
}

// newRedactor knows the client's credential and the custom header's name.
func newRedactor(s *settings) *Redactor {
	return newNamedRedactor(s.MaxBodyLog, credentialSecrets(s.Token, s.authName, s.authValue), s.authName)
}

// Unhidden explains, for each configured secret shorter than MinSecretLen,
// that it is neither redacted nor checked for; nil when every secret is
// hidden.
func (r *Redactor) Unhidden() []string {
	if r == nil {
		return nil
	}
	return slices.Clone(r.unhidden)
}

// String hides every configured secret in s (console output, errors).
// Overlapping occurrences become one marker, so no part of a secret is
// left beside it.
func (r *Redactor) String(s string) string {
	if r == nil || len(r.forms) == 0 {
		return s
	}
	spans := r.secretSpans(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pos := 0
	for _, sp := range spans {
		b.WriteString(s[pos:sp[0]])
		b.WriteString(Redacted)
		pos = sp[1]
	}
	b.WriteString(s[pos:])
	return b.String()
}

// secretSpans returns the byte ranges of s that hold a secret, in order,
// overlapping ones merged.
func (r *Redactor) secretSpans(s string) [][2]int {
	var spans [][2]int
	for _, f := range r.forms {
		for from := 0; from < len(s); {
			i := strings.Index(s[from:], f)
			if i < 0 {
				break
			}
			spans = append(spans, [2]int{from + i, from + i + len(f)})
			from += i + 1
		}
	}
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	merged := spans[:1]
	for _, sp := range spans[1:] {
		last := &merged[len(merged)-1]
		if sp[0] < last[1] {
			last[1] = max(last[1], sp[1])
			continue
		}
		merged = append(merged, sp)
	}
	return merged
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

// Body returns b with passwords and secrets hidden. A body over the body
// limit is cut to its head and tail around a marker stating how much of it
// is left out; truncated reports the cut. Only the parts that can be shown
// are redacted (the rest is only searched for a password), so a 16 MiB
// body costs little more than a small one.
func (r *Redactor) Body(b []byte) (body string, truncated bool) {
	if len(b) == 0 {
		return "", false
	}
	limit := DefaultMaxBodyLog
	if r != nil {
		limit = r.maxBodyLog
	}
	if len(b) <= limit+r.longest() {
		// Redaction can bring a body just over the limit under it.
		if !printable(b) {
			return binaryBody(len(b)), false
		}
		if whole := r.String(string(redactPasswords(b))); len(b) <= limit || len(whole) <= limit {
			return whole, false
		}
	}
	headEnd, tailStart := r.excerptCuts(b, limit)
	head, tail := b[:headEnd], b[tailStart:]
	if mayHoldPassword(b) {
		// A password value may run from the left-out middle into the tail,
		// where nothing shows that it is one: show the head only.
		tail = nil
	}
	if !printable(head) || !printable(tail) {
		return binaryBody(len(b)), false
	}
	elided := int64(len(b) - len(head) - len(tail))
	return r.String(string(redactPasswords(head))) + elisionMarker(elided, int64(len(b))) + r.String(string(tail)), true
}

func binaryBody(size int) string {
	return "[binary body: " + formatBytes(int64(size)) + ", not shown]"
}

// excerptCuts returns where the head of b ends and its tail starts for an
// excerpt of about limit bytes: three quarters head, one quarter tail, cut
// on rune boundaries and never through a secret, which would leave part of
// it unrecognised.
func (r *Redactor) excerptCuts(b []byte, limit int) (headEnd, tailStart int) {
	tailLen := limit / 4
	headEnd = runeCut(b, limit-tailLen)
	tailStart = len(b) - tailLen
	for tailStart < len(b) && !utf8.RuneStart(b[tailStart]) {
		tailStart++
	}
	longest := r.longest()
	if longest == 0 {
		return headEnd, tailStart
	}
	// Occurrences are merged over all the head (the tail) and the part a
	// secret through the cut can reach: a merged span's start (end) is
	// then crossed by no other one.
	for _, sp := range r.secretSpans(string(b[:min(len(b), headEnd+longest-1)])) {
		if sp[0] < headEnd && headEnd < sp[1] {
			headEnd = sp[0]
		}
	}
	from := max(0, tailStart-longest+1)
	for _, sp := range r.secretSpans(string(b[from:])) {
		if start, end := from+sp[0], from+sp[1]; start < tailStart && tailStart < end {
			tailStart = end
		}
	}
	return headEnd, tailStart
}

// longest is the length of the longest form of a secret, 0 without one.
func (r *Redactor) longest() int {
	if r == nil || len(r.forms) == 0 {
		return 0
	}
	return len(r.forms[0])
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
	if rec.Truncated = cutReq || cutResp; rec.Truncated {
		rec.ReqBodySize, rec.RespBodySize = int64(len(x.ReqBody)), int64(len(x.RespBody))
	}
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
