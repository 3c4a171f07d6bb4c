package scimclient

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// encodings are every way a target can echo a secret we send, written
// independently of the redactor's own list.
var encodings = map[string]func(string) string{
	"raw":             func(s string) string { return s },
	"query-escaped":   url.QueryEscape,
	"path-escaped":    url.PathEscape,
	"json-escaped":    jsonStringBody,
	"slash-escaped":   func(s string) string { return strings.ReplaceAll(s, "/", `\/`) },
	"base64":          b64(base64.StdEncoding),
	"base64-unpadded": b64(base64.RawStdEncoding),
	"base64url":       b64(base64.URLEncoding),
	"base64url-raw":   b64(base64.RawURLEncoding),
	"base64-in-query": func(s string) string { return url.QueryEscape(b64(base64.StdEncoding)(s)) },
	"base64-in-json":  func(s string) string { return jsonStringBody(b64(base64.StdEncoding)(s)) },
}

func b64(enc *base64.Encoding) func(string) string {
	return func(s string) string { return enc.EncodeToString([]byte(s)) }
}

func jsonStringBody(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// encodeAll returns every encoding of s by name.
func encodeAll(s string) map[string]string {
	out := map[string]string{}
	for name, enc := range encodings {
		out[name] = enc(s)
	}
	return out
}

func TestRedactorHidesEveryEncoding(t *testing.T) {
	t.Parallel()
	const password = "p@ss+w/rd=9?"
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + password))
	tests := []struct {
		name    string
		cfg     Config
		secrets []string // every one is echoed in every encoding
	}{
		{"bearer token", Config{Token: "tk+/=Zq9~ab&<x>"}, []string{"tk+/=Zq9~ab&<x>", "Bearer tk+/=Zq9~ab&<x>"}},
		{"Basic auth", Config{AuthHeader: "Authorization: Basic " + basic},
			[]string{"Basic " + basic, basic, "alice:" + password, password}},
		{"Basic auth without padding", Config{AuthHeader: "Authorization: Basic " + strings.TrimRight(basic, "=")},
			[]string{"alice:" + password, password}},
		{"custom header", Config{AuthHeader: "X-API-Key: key/with+plus=="}, []string{"key/with+plus=="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.Target, tt.cfg.Warn = "http://127.0.0.1:1/scim", io.Discard
			c, err := New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			red := c.Redactor()
			for _, s := range tt.secrets {
				for name, form := range encodeAll(s) {
					for _, in := range []string{form, "echo: " + form + ".", `{"auth":"` + form + `"}`} {
						out := red.String(in)
						if strings.Contains(out, form) || !strings.Contains(out, Redacted) {
							t.Errorf("%s of %q: String(%q) = %q", name, s, in, out)
						}
						body, _ := red.Body([]byte(in))
						if strings.Contains(body, form) {
							t.Errorf("%s of %q: Body(%q) = %q", name, s, in, body)
						}
					}
				}
			}
			if len(red.Unhidden()) != 0 {
				t.Errorf("Unhidden = %q, want none", red.Unhidden())
			}
		})
	}
}

func TestShortSecretsAreNotRedacted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      Config
		unhidden []string
		hidden   string // still hidden, "" for none
	}{
		{"one-letter token", Config{Token: "T"}, []string{"the token is 1 character: too short"}, ""},
		{"seven-letter token", Config{Token: "1234567"}, []string{"the token is 7 characters"}, ""},
		{"eight-letter token", Config{Token: "12345678"}, nil, "12345678"},
		{"short Basic password", Config{AuthHeader: "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("alice:pw"))},
			[]string{"the Basic auth password is 2 characters"}, "alice:pw"},
	}
	text := "The quick brown fox uses an OAuth Bearer Token: T, Bearer 1234567, pw."
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.Target, tt.cfg.Warn = "http://127.0.0.1:1/scim", io.Discard
			c, err := New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			red := c.Redactor()
			if got := red.String(text); got != text {
				t.Errorf("String redacted ordinary text: %q", got)
			}
			got := red.Unhidden()
			if len(got) != len(tt.unhidden) {
				t.Fatalf("Unhidden = %q, want %d reason(s)", got, len(tt.unhidden))
			}
			for i, want := range tt.unhidden {
				if !strings.Contains(got[i], want) || !strings.HasSuffix(got[i], "output may contain it") {
					t.Errorf("Unhidden[%d] = %q, want it to say %q", i, got[i], want)
				}
			}
			if tt.hidden != "" && strings.Contains(red.String("x "+tt.hidden+" y"), tt.hidden) {
				t.Errorf("%q is long enough but not hidden", tt.hidden)
			}
		})
	}
}

func TestRedactorMergesOverlappingSecrets(t *testing.T) {
	t.Parallel()
	r := NewRedactor(0, []string{"ZZabcdefgh", "abcdefghijkl"})
	tests := []struct{ in, want string }{
		{"xZZabcdefghijkly", "x" + Redacted + "y"},
		{"abcdefghijklZZabcdefgh", Redacted + Redacted},
		{"ZZabcdefgh", Redacted},
		{"nothing here", "nothing here"},
	}
	for _, tt := range tests {
		if got := r.String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzRedactorHidesEncodedSecret embeds a secret, in one of its encodings,
// in random text: no stretch of the output between redaction markers may
// hold any encoding of a secret of at least MinSecretLen bytes, through
// String or through Body cutting a long text to its head and tail.
func FuzzRedactorHidesEncodedSecret(f *testing.F) {
	f.Add("prefix ", "s3cr3t-token", " suffix", uint8(0), uint16(0))
	f.Add(`{"auth":"`, "tk+/=Zq9~ab&<x>", `"}`, uint8(5), uint16(40))
	f.Add("", "Basic YWxpY2U6cEBzcyt3L3JkPTk/", "", uint8(3), uint16(30))
	f.Add("aaaaaaa", "aaaaaaaa", "aaaaaaaa", uint8(1), uint16(17))
	f.Add(strings.Repeat("x", 100), "0123456789", strings.Repeat("y", 100), uint8(7), uint16(64))
	names := make([]string, 0, len(encodings))
	for name := range encodings {
		names = append(names, name)
	}
	slices.Sort(names)
	f.Fuzz(func(t *testing.T, prefix, secret, suffix string, which uint8, limit uint16) {
		if len(secret) < MinSecretLen {
			return // not a secret the redactor hides
		}
		r := NewRedactor(int(limit)+1, []string{secret})
		forms := encodeAll(secret)
		text := prefix + forms[names[int(which)%len(names)]] + suffix
		body, _ := r.Body([]byte(text))
		for _, out := range []string{r.String(text), body} {
			for _, stretch := range strings.Split(elision.ReplaceAllString(out, Redacted), Redacted) {
				for name, form := range forms {
					if strings.Contains(stretch, form) {
						t.Fatalf("the %s form of %q is shown:\ntext %q\nout  %q", name, secret, text, out)
					}
				}
			}
		}
	})
}
