package scimclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRedactPasswords(t *testing.T) {
	t.Parallel()
	r := NewRedactor(0, nil)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"top level", `{"userName":"a","password":"hunter2"}`, `{"userName":"a","password":"[REDACTED]"}`},
		{"any case", `{"PassWord": "hunter2"}`, `{"PassWord": "[REDACTED]"}`},
		{"nested and in arrays", `[{"x":{"password":"p1"}},{"y":[{"password":"p2"}]}]`, `[{"x":{"password":"[REDACTED]"}},{"y":[{"password":"[REDACTED]"}]}]`},
		{"non-string value", `{"password":{"a":[1,"x"]},"n":1}`, `{"password":"[REDACTED]","n":1}`},
		{"number and null", `{"password":12345,"b":{"password":null}}`, `{"password":"[REDACTED]","b":{"password":"[REDACTED]"}}`},
		{"escaped quotes", `{"password":"a\"b\\"}`, `{"password":"[REDACTED]"}`},
		{"escaped key", `{"p\u0061ssword":"hunter2"}`, `{"p\u0061ssword":"[REDACTED]"}`},
		{"whitespace kept", "{\n  \"password\" :\t\"x\" ,\n  \"a\": 1\n}", "{\n  \"password\" :\t\"[REDACTED]\" ,\n  \"a\": 1\n}"},
		{
			"PATCH path password",
			`{"Operations":[{"op":"replace","path":"password","value":"hunter2"},{"op":"replace","path":"active","value":false}]}`,
			`{"Operations":[{"op":"replace","path":"password","value":"[REDACTED]"},{"op":"replace","path":"active","value":false}]}`,
		},
		{
			"PATCH value before path, URN-qualified",
			`{"Operations":[{"value":"hunter2","op":"Replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:password"}]}`,
			`{"Operations":[{"value":"[REDACTED]","op":"Replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:password"}]}`,
		},
		{
			"PATCH without path",
			`{"Operations":[{"op":"replace","value":{"password":"hunter2","active":true}}]}`,
			`{"Operations":[{"op":"replace","value":{"password":"[REDACTED]","active":true}}]}`,
		},
		{"passwordless body unchanged", `{"userName":"password-reset@example.com"}`, `{"userName":"password-reset@example.com"}`},
		{"broken JSON still redacted", `{"a":1,"password":"hunter2", oops`, `{"a":1,"password":"[REDACTED]", oops`},
		{"truncated JSON", `{"password":"hunter2","b":{"password":"x`, `{"password":"[REDACTED]","b":{"password":"[REDACTED]"`},
		{"not JSON", `password=hunter2`, `password=hunter2`},
	}
	for _, tt := range tests {
		got, _ := r.Body([]byte(tt.in))
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		if json.Valid([]byte(tt.in)) && !json.Valid([]byte(got)) {
			t.Errorf("%s: redaction broke valid JSON: %s", tt.name, got)
		}
	}
}

func TestRedactorStringAndHeaders(t *testing.T) {
	t.Parallel()
	const tok = "s3cr3t+/=tok"
	r := NewRedactor(0, []string{tok, "Bearer " + tok, ""}, "X-Api-Key")
	for _, in := range []string{
		"prefix " + tok + " suffix",
		"q=" + url.QueryEscape(tok),
		"/p/" + url.PathEscape(tok),
		"Bearer " + tok,
		`{"echo":"` + strings.ReplaceAll(tok, "/", `\/`) + `"}`,
	} {
		if got := r.String(in); strings.Contains(got, tok) || strings.Contains(got, url.QueryEscape(tok)) || !strings.Contains(got, Redacted) {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
	if got := r.String("nothing secret"); got != "nothing secret" {
		t.Errorf("String changed clean text: %q", got)
	}
	h := r.Header(http.Header{
		"Authorization":       {"Basic abc"},
		"Proxy-Authorization": {"x"},
		"Cookie":              {"a=1", "b=2"},
		"Set-Cookie":          {"sid=1"},
		"X-Api-Key":           {"k"},
		"X-Echo":              {"got " + tok},
		"Content-Type":        {"application/scim+json"},
	})
	for _, name := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key"} {
		for _, v := range h[name] {
			if v != Redacted {
				t.Errorf("header %s = %q, want %s", name, v, Redacted)
			}
		}
	}
	if len(h["Cookie"]) != 2 {
		t.Errorf("Cookie values = %v, want both kept as %s", h["Cookie"], Redacted)
	}
	if h["X-Echo"][0] != "got "+Redacted || h["Content-Type"][0] != "application/scim+json" {
		t.Errorf("other headers: %v", h)
	}
	var nilR *Redactor
	if got := nilR.Header(http.Header{"Cookie": {"a"}, "A": {"b"}}); got["Cookie"][0] != Redacted || got["A"][0] != "b" {
		t.Errorf("nil redactor headers = %v", got)
	}
}

func TestRedactBodyTruncation(t *testing.T) {
	t.Parallel()
	// A limit of 20 bytes: a head of 15 and a tail of 5. The longest form
	// of the secret (its base64, URL-escaped) is 24 bytes: bodies up to 44
	// bytes are redacted whole first, in case that brings them under 20.
	const secret = "0123456789abc"
	a, b, c := strings.Repeat("A", 15), strings.Repeat("B", 30), strings.Repeat("C", 5)
	tests := []struct {
		name      string
		limit     int
		in        string
		want      string
		truncated bool
	}{
		{"short", 20, "hello", "hello", false},
		{"at limit", 20, a + c, a + c, false},
		{"head and tail", 20, a + b + c, a + "\n… 30 bytes elided of 50 bytes …\n" + c, true},
		{"cut on rune boundaries", 20, "AAAAAAAAAAAAAAé" + b + "éCCC", "AAAAAAAAAAAAAA\n… 32 bytes elided of 51 bytes …\néCCC", true},
		{"secret redacted under the limit", 20, "0123456789" + secret, "0123456789" + Redacted, false},
		{"secret through the head cut", 20, "AAAAAAAAAA" + secret + b + c, "AAAAAAAAAA\n… 43 bytes elided of 58 bytes …\n" + c, true},
		{"secret through the tail cut", 20, a + b + secret, a + "\n… 43 bytes elided of 58 bytes …\n", true},
		{"secret inside the tail", 80, strings.Repeat("A", 60) + strings.Repeat("B", 40) + "xx" + secret + c,
			strings.Repeat("A", 60) + "\n… 40 bytes elided of 120 bytes …\nxx" + Redacted + c, true},
		{"binary in the middle is not examined", 20, a + "\x00" + b + c, a + "\n… 31 bytes elided of 51 bytes …\n" + c, true},
		{"binary tail", 20, a + b + "CCCC\x00", "[binary body: 50 bytes, not shown]", false},
		{"binary", 20, "\x00\x01\x02\xff", "[binary body: 4 bytes, not shown]", false},
		{"empty", 20, "", "", false},
	}
	for _, tt := range tests {
		got, truncated := NewRedactor(tt.limit, []string{secret}).Body([]byte(tt.in))
		if got != tt.want || truncated != tt.truncated {
			t.Errorf("%s: Body = %q, %v; want %q, %v", tt.name, got, truncated, tt.want, tt.truncated)
		}
	}
}

func TestRedactPasswordCutByTheLimit(t *testing.T) {
	t.Parallel()
	r := NewRedactor(25, nil)
	tests := []struct{ name, in, want string }{
		{"object value", `{"a":1,"password":{"x":"long secret value"}}`, `{"a":1,"password":"[REDACTED]"`},
		{"string value", `{"a":1,"password":"long secret value"}`, `{"a":1,"password":"[REDACTED]"`},
		{"PATCH value", `{"path":"password","value":"long secret value"}`, `{"path":"password",`},
		{"password in the tail", `{"a":"` + strings.Repeat("x", 40) + `","password":"long"}`, `{"a":"xxxxxxxxxxxxx`},
	}
	for _, tt := range tests {
		got, truncated := r.Body([]byte(tt.in))
		if !truncated || !strings.HasPrefix(got, tt.want+"\n… ") || !strings.HasSuffix(got, " …\n") {
			t.Errorf("%s: Body = %q, want it to start %q and show no tail", tt.name, got, tt.want)
		}
		if strings.Contains(got, "long") {
			t.Errorf("%s: part of the password shown: %q", tt.name, got)
		}
	}
}

// TestTokenNeverInOutput drives a hostile, token-echoing target through every
// path (success, errors, retries, timeouts) and greps every byte produced.
func TestTokenNeverInOutput(t *testing.T) {
	t.Parallel()
	const tok = "tk-9f8e7d6c5b4a+/="
	const customKey = "ck-1a2b3c4d"
	echo := func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization") + r.Header.Get("X-Api-Key")
		w.Header().Set("Set-Cookie", "session="+auth)
		w.Header().Set("X-Echo", auth)
		w.Header().Set("Location", "http://127.0.0.1/scim/Users?t="+url.QueryEscape(auth))
		switch r.URL.Path {
		case "/scim/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		case "/scim/busy":
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/scim/reset":
			resetConnection(w, r)
			return
		}
		body, _ := json.Marshal(map[string]any{"auth": auth, "query": r.URL.RawQuery, "detail": "token " + auth + " rejected"})
		w.Write(body)
	}
	srv := newTarget(t, echo)
	configs := []struct {
		cfg    Config
		secret string
	}{
		{Config{Target: srv.URL + "/scim/?key=" + url.QueryEscape(tok), Token: tok, Timeout: 300 * time.Millisecond, Insecure: true}, tok},
		{Config{Target: srv.URL + "/scim/", AuthHeader: "X-API-Key: " + customKey, Timeout: 300 * time.Millisecond}, customKey},
	}
	for _, tc := range configs {
		secret := tc.secret
		reqs := []Request{
			{Path: "/Users", RawQuery: "filter=userName+eq+%22" + url.QueryEscape(secret) + "%22"},
			{Method: "POST", Path: "/Users", Body: []byte(`{"userName":"` + secret + `","password":"` + secret + `"}`)},
			{Path: "/busy"},
			{Path: "/slow"},
			{Method: "POST", Path: "/reset"},
			{Path: "/Users/" + secret},
			{Path: "/Users", RawQuery: "bad query " + secret},
		}
		var warn bytes.Buffer
		cfg := tc.cfg
		cfg.Warn = &warn
		cfg.Retry = RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		secrets := []string{secret, url.QueryEscape(secret), url.PathEscape(secret)}
		var tr Transcript
		var produced []string
		for _, req := range reqs {
			ctx, cancel := context.WithTimeout(context.Background(), testBound)
			x := c.Do(ctx, req)
			cancel()
			rec := c.Redactor().Exchange(x)
			tr.Add(rec)
			js, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			produced = append(produced, rec.String(), string(js))
			if x.Err != nil {
				produced = append(produced, c.Redactor().String(x.Err.Error()))
			}
			if _, err := x.JSON(); err != nil {
				produced = append(produced, c.Redactor().String(err.Error()))
			}
		}
		produced = append(produced, tr.String(), warn.String())
		sawSecret := false
		for _, out := range produced {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("secret %q found in output:\n%s", s, out)
				}
			}
			sawSecret = sawSecret || strings.Contains(out, Redacted)
		}
		if !sawSecret {
			t.Error("no output was redacted: the target did not echo the credential as intended")
		}
	}
}

func TestExchangeRecord(t *testing.T) {
	t.Parallel()
	r := NewRedactor(0, []string{"tok-1234"})
	x := &Exchange{
		Method: "PATCH", URL: "https://h/scim/Users/1?tok-1234",
		ReqHeader: http.Header{"Authorization": {"Bearer tok-1234"}, "Content-Type": {"application/scim+json"}},
		ReqBody:   []byte(`{"Operations":[{"op":"Replace","path":"password","value":"pw"}]}`),
		Status:    200, RespHeader: http.Header{"Etag": {`W/"2"`}}, RespBody: []byte(`{"id":"1"}`),
		Duration: 1500 * time.Microsecond, Waited: 500 * time.Microsecond, Attempts: 2,
		Err: errors.New("failed with tok-1234"),
	}
	rec := r.Exchange(x)
	want := Record{
		Method: "PATCH", URL: "https://h/scim/Users/1?[REDACTED]",
		ReqHeader: map[string][]string{"Authorization": {Redacted}, "Content-Type": {"application/scim+json"}},
		ReqBody:   `{"Operations":[{"op":"Replace","path":"password","value":"[REDACTED]"}]}`,
		Status:    200, RespHeader: map[string][]string{"Etag": {`W/"2"`}}, RespBody: `{"id":"1"}`,
		DurationMS: 1.5, WaitedMS: 0.5, Attempts: 2, Error: "failed with [REDACTED]",
	}
	if got, _ := json.Marshal(rec); string(got) != string(marshalForTest(t, want)) {
		t.Errorf("record:\n got %s\nwant %s", got, marshalForTest(t, want))
	}
	if x.ReqHeader.Get("Authorization") != "Bearer tok-1234" || !bytes.Contains(x.ReqBody, []byte(`"pw"`)) {
		t.Error("redaction modified the exchange itself")
	}
	if rec := r.Exchange(nil); rec.Error == "" {
		t.Error("nil exchange: record has no error")
	}
}

func marshalForTest(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzRedactPasswords checks that redaction never panics, keeps valid JSON
// valid, and leaves no password member with a value other than the marker.
func FuzzRedactPasswords(f *testing.F) {
	for _, s := range []string{
		`{"password":"x"}`,
		`{"Operations":[{"op":"replace","path":"password","value":"x"}]}`,
		`[{"a":{"PASSWORD":[1,2,{"password":"y"}]}}]`,
		`{"password":"unterminated`,
		`not json password`,
	} {
		f.Add([]byte(s))
	}
	short := NewRedactor(32, []string{"tk-fuzz-secret"})
	f.Fuzz(func(t *testing.T, b []byte) {
		if shown, _ := short.Body(b); strings.Contains(shown, "tk-fuzz-secret") {
			t.Errorf("secret shown: %q", shown)
		}
		out := redactPasswords(b)
		if !json.Valid(b) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("valid input became invalid JSON:\n in %s\nout %s", b, out)
		}
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatal(err)
		}
		if leak := findPassword(v); leak != "" {
			t.Errorf("password left in %s: %s", out, leak)
		}
	})
}

// findPassword returns a description of a password value that is not the
// redaction marker, or "".
func findPassword(v any) string {
	switch v := v.(type) {
	case map[string]any:
		if p, ok := v["path"].(string); ok && isPasswordPath(p) {
			if val, ok := v["value"]; ok && val != Redacted {
				return fmt.Sprintf("PATCH value %v", val)
			}
		}
		for k, val := range v {
			if strings.EqualFold(k, "password") && val != Redacted {
				return fmt.Sprintf("member %q = %v", k, val)
			}
			if leak := findPassword(val); leak != "" {
				return leak
			}
		}
	case []any:
		for _, e := range v {
			if leak := findPassword(e); leak != "" {
				return leak
			}
		}
	}
	return ""
}

// BenchmarkRedactExchange measures redacting a 1 MiB JSON ListResponse
// that holds password members, the worst case of a transcript entry.
func BenchmarkRedactExchange(b *testing.B) {
	var body bytes.Buffer
	body.WriteString(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[`)
	for i := 0; body.Len() < 1<<20; i++ {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"id":"%d","userName":"user%d@example.com","password":"pw-%d","emails":[{"value":"u%d@example.com","type":"work","primary":true}]}`, i, i, i, i)
	}
	body.WriteString(`]}`)
	r := NewRedactor(0, []string{"tk-benchmark-token"}, "X-Api-Key")
	x := &Exchange{
		Method: "GET", URL: "https://h/scim/Users?count=1000",
		ReqHeader: http.Header{"Authorization": {"Bearer tk-benchmark-token"}},
		Status:    200, RespHeader: http.Header{"Content-Type": {ScimContentType}}, RespBody: body.Bytes(),
	}
	b.SetBytes(int64(body.Len()))
	b.ResetTimer()
	for b.Loop() {
		if rec := r.Exchange(x); !rec.Truncated {
			b.Fatal("1 MiB body not truncated")
		}
	}
}
