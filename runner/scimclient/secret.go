package scimclient

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	htmltemplate "html/template"
	"net/url"
	"strings"
)

// MinSecretLen is the shortest credential that is redacted from output and
// looked for in responses. A shorter one is ordinary text: hiding every
// occurrence of "T" would mangle every line, and finding it in a response
// proves nothing.
const MinSecretLen = 8

// secret is a credential part to hide, named for warnings.
type secret struct{ name, value string }

// credentialSecrets are the parts of the configured credential to hide.
func credentialSecrets(token, authName, authValue string) []secret {
	var out []secret
	if token != "" && authValue == "Bearer "+token {
		out = append(out, secret{"the token", token})
	}
	if authValue != "" {
		out = append(out, secret{"the " + authName + " header value", authValue})
	}
	return out
}

// expand adds the parts of s that are secret on their own: the credential
// after a scheme ("Bearer x", "Basic x") and, for Basic, the decoded
// user:password and the password. A value whose credential is too short
// is left out with it: "Bearer T" is also the start of "Bearer Token".
func expand(s secret) []secret {
	scheme, cred, ok := strings.Cut(s.value, " ")
	if !ok {
		return []secret{s}
	}
	cred = strings.TrimSpace(cred)
	credential := secret{s.name + " without its scheme", cred}
	if len(cred) < MinSecretLen {
		return []secret{credential}
	}
	out := []secret{s, credential}
	if !strings.EqualFold(scheme, "Basic") {
		return out
	}
	decoded, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		decoded, err = base64.RawStdEncoding.DecodeString(cred)
	}
	if err != nil {
		return out
	}
	out = append(out, secret{"the Basic auth user:password", string(decoded)})
	if _, password, ok := strings.Cut(string(decoded), ":"); ok {
		out = append(out, secret{"the Basic auth password", password})
	}
	return out
}

// tooShort says why a secret is neither redacted nor checked for.
func tooShort(s secret) string {
	unit := "characters"
	if len(s.value) == 1 {
		unit = "character"
	}
	return fmt.Sprintf("%s is %d %s: too short to redact or to check for leaks (the minimum is %d); output may contain it",
		s.name, len(s.value), unit, MinSecretLen)
}

// secretForms are the spellings of a secret that a target can echo and
// that reports then contain: the secret and its base64 encodings
// (standard and URL alphabets, padded or not); each raw or escaped as a
// target echoes it (URL query, URL path, JSON string); each of those raw
// or escaped as a report file holds it (JSON string, HTML, XML).
func secretForms(s string) []string {
	if s == "" {
		return nil
	}
	b := []byte(s)
	var forms []string
	for _, t := range []string{s,
		base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)} {
		for _, echoed := range []string{t, url.QueryEscape(t), url.PathEscape(t),
			// Some JSON encoders escape "/" as "\/", some "<>&" as "\u003c".
			strings.ReplaceAll(t, "/", `\/`), jsonEscape(t, true), jsonEscape(t, false)} {
			forms = append(forms, echoed, jsonEscape(echoed, true),
				html.EscapeString(echoed), htmlTemplateEscape(echoed), xmlEscape(echoed))
		}
	}
	return forms
}

// jsonEscape is t as it stands inside a JSON string.
func jsonEscape(t string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(t); err != nil {
		return t
	}
	js := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return string(js[1 : len(js)-1])
}

// textTemplate renders a value the way report.html shows text.
var textTemplate = htmltemplate.Must(htmltemplate.New("text").Parse("{{.}}"))

// htmlTemplateEscape is t as html/template writes it in text, which also
// escapes "+".
func htmlTemplateEscape(t string) string {
	var b strings.Builder
	if err := textTemplate.Execute(&b, t); err != nil {
		return t
	}
	return b.String()
}

// xmlEscape is t as encoding/xml writes it in character data (junit.xml).
func xmlEscape(t string) string {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(t)); err != nil {
		return t
	}
	return b.String()
}
