package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// Markers at both ends of hugeList: an excerpt must show both.
const (
	hugeHead = `"head-marker-7c1d"`
	hugeTail = `"tail-marker-9e2b"`
)

// hugeList is a 5 MiB ListResponse whose first resources break the User
// schema thousands of times, padded by a long string.
func hugeList() []byte {
	var b strings.Builder
	b.WriteString(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"first":` + hugeHead + `,"totalResults":1,"Resources":[`)
	for i := range 2000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"userName":%d}`, i, i)
	}
	b.WriteString(`],"padding":"`)
	closing := `","last":` + hugeTail + `}`
	b.WriteString(strings.Repeat("x", 5<<20-b.Len()-len(closing)))
	b.WriteString(closing)
	return []byte(b.String())
}

// answerFiltersHuge answers every filtered GET with hugeList.
func answerFiltersHuge(next http.Handler) http.Handler {
	body := hugeList()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Query().Get("filter") == "" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", scimclient.ScimContentType)
		_, _ = w.Write(body)
	})
}

// A target answering 5 MiB bodies leaves a bounded trace: the console and
// every report show each such body as its head and tail with its size, and
// at most scimclient.MaxListed of the thousands of schema violations it holds.
func TestSuiteBinaryBoundsHugeBodies(t *testing.T) {
	t.Parallel()
	const token = "huge-token-8d7c6b5a4f"
	ts := referenceServer(t, token, answerFiltersHuge)
	dir := filepath.Join(t.TempDir(), "reports")
	out, err := runSuite(t, []string{"SCIM_TOKEN=" + token, "SCIM_REPORT_DIR=" + dir},
		"-target="+ts.URL, "-profile=entra", "-dialect=default", "-ginkgo.no-color")
	if err == nil {
		t.Fatalf("the suite passed against 5 MiB answers of broken users:\n%.4000s", out)
	}
	elided := regexp.MustCompile(`… [0-9.]+ MiB elided of 5 MiB …`)
	failed := strings.Count(out, "[FAIL]")
	t.Logf("console: %d bytes, %d failures", len(out), failed)
	if failed == 0 || len(out) > failed*16<<10 {
		t.Errorf("console: %d bytes for %d failed specs", len(out), failed)
	}
	if !elided.MatchString(out) || !strings.Contains(out, hugeHead) || !strings.Contains(out, hugeTail) {
		t.Errorf("console: the failures do not show the body's head, tail and size:\n%.4000s", out)
	}
	if !regexp.MustCompile(`… and \d+ more (violations|problems)`).MatchString(out) {
		t.Errorf("console: the violations left out are not counted:\n%.4000s", out)
	}
	html, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	transcripts := len(elided.FindAll(html, -1))
	if transcripts == 0 || bytes.Count(html, []byte(html5(hugeTail))) < transcripts || bytes.Count(html, []byte(html5(hugeHead))) < transcripts {
		t.Errorf("report.html: %d excerpts of the body, not all with its head and tail", transcripts)
	}
	for _, name := range []string{JUnitFile, JSONFile, HTMLFile} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes, %d excerpts", name, info.Size(), transcripts)
		if limit := int64(transcripts)*(2*scimclient.DefaultMaxBodyLog) + 1<<20; info.Size() > limit {
			t.Errorf("%s: %d bytes for %d transcripts of a 5 MiB body, want at most %d", name, info.Size(), transcripts, limit)
		}
	}
}

// html5 is s as report.html shows it.
func html5(s string) string { return strings.ReplaceAll(s, `"`, "&#34;") }

// encodedForms are the ways echoCredential reflects a credential.
func encodedForms(s string) []string {
	b := []byte(s)
	var out []string
	for _, form := range []string{s, base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)} {
		js, _ := json.Marshal(form)
		out = append(out, form, url.QueryEscape(form), url.PathEscape(form), string(js[1:len(js)-1]))
	}
	return out
}

// echoCredential reflects the Authorization header, and the token in it,
// in every encoding: in a response header and in every JSON object body.
func echoCredential(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		forms := append(encodedForms(auth), encodedForms(strings.TrimPrefix(auth, "Bearer "))...)
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header()["X-Echo"] = forms
		body := rec.Body.Bytes()
		if bytes.HasPrefix(body, []byte("{")) && len(body) > 2 {
			echo, _ := json.Marshal(forms)
			body = append([]byte(`{"echo":`+string(echo)+`,`), body[1:]...)
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// A target that echoes the credential in every encoding gets none of them
// into the console or a report.
func TestSuiteBinaryHidesEchoedCredential(t *testing.T) {
	t.Parallel()
	const token = "echo+tok/en=5f4e3d2c1b"
	ts := referenceServer(t, token, echoCredential)
	dir := filepath.Join(t.TempDir(), "reports")
	out, _ := runSuite(t, []string{"SCIM_TOKEN=" + token, "SCIM_REPORT_DIR=" + dir},
		"-target="+ts.URL, "-profile=entra", "-dialect=default", "-ginkgo.no-color")
	shown := map[string]string{"console": out}
	for _, name := range []string{JUnitFile, JSONFile, HTMLFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("report %s: %v\n%.4000s", name, err, out)
		}
		shown[name] = string(data)
	}
	if !strings.Contains(shown[HTMLFile], scimclient.Redacted) {
		t.Fatal("report.html shows no redaction: the target did not echo the credential as intended")
	}
	for where, text := range shown {
		for _, form := range append(encodedForms("Bearer "+token), encodedForms(token)...) {
			if n := strings.Count(text, form); n > 0 {
				t.Errorf("%s holds %d copies of %q", where, n, form)
			}
		}
	}
}

// With a one-letter token the run warns once that the token can be neither
// redacted nor checked for, skips the leak check saying so, passes against
// the reference server, and leaves every other "T" in its output alone.
func TestSuiteBinaryShortToken(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "reports")
	out, err := runSuite(t, []string{"SCIM_TARGET=", "SCIM_TOKEN=T", "SCIM_REPORT_DIR=" + dir}, "-ginkgo.no-color")
	if err != nil {
		t.Fatalf("the suite failed against the reference server with token T: %v\n%s", err, out)
	}
	const warning = "WARNING: the token is 1 character: too short to redact or to check for leaks"
	if n := strings.Count(out, warning); n != 1 {
		t.Errorf("the console holds %d warnings %q, want 1:\n%s", n, warning, out)
	}
	if strings.Contains(out, scimclient.Redacted) || !strings.Contains(out, "GET /ServiceProviderConfig") {
		t.Errorf("the console is redacted though nothing in it is a secret:\n%s", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var reports []struct {
		SpecReports []struct {
			LeafNodeText string
			State        string
			Failure      struct{ Message string }
		}
	}
	if err := json.Unmarshal(data, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("report.json: %v", err)
	}
	skipped := false
	for _, s := range reports[0].SpecReports {
		if s.LeafNodeText == "never contain the token" {
			skipped = s.State == "skipped" && strings.Contains(s.Failure.Message, "the token is 1 character: too short")
		}
	}
	if !skipped {
		t.Error("the leak check was not skipped with the reason")
	}
	html, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	// Only credential headers and password values are hidden; the
	// reference server names its scheme "OAuth Bearer Token".
	rest := strings.NewReplacer("Authorization: "+scimclient.Redacted, "", "&#34;"+scimclient.Redacted+"&#34;", "").Replace(string(html))
	if strings.Contains(rest, scimclient.Redacted) || !strings.Contains(rest, "OAuth Bearer Token") {
		t.Error("report.html is redacted beyond credential headers and passwords")
	}
}
