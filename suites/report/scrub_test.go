package report

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// A target that echoes the credential in any encoding cannot get it into
// a report, even when the transcript was not redacted: Write scrubs every
// file with the runner's redactor.
func TestWriteScrubsEveryEncodingOfTheCredential(t *testing.T) {
	t.Parallel()
	const password = "pa55+word/?=&"
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:"+password))
	var echoed []string
	for _, s := range []string{basic, strings.TrimPrefix(basic, "Basic "), "alice:" + password, password} {
		b := []byte(s)
		for _, form := range []string{s, base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
			base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b)} {
			js, _ := json.Marshal(form)
			echoed = append(echoed, form, url.QueryEscape(form), url.PathEscape(form), string(js[1:len(js)-1]))
		}
	}
	body, _ := json.Marshal(map[string]any{"echo": echoed})
	rec := scimclient.Record{Method: "GET", URL: "http://127.0.0.1:1/Users?auth=" + url.QueryEscape(basic), Status: 200,
		RespHeader: map[string][]string{"X-Echo": echoed}, RespBody: string(body), Attempts: 1}
	r := syntheticReport()
	failed := &r.SpecReports[1]
	failed.ReportEntries = append(failed.ReportEntries, entry(framework.EntryExchange, rec))
	failed.Failure = types.Failure{Message: "echoed: " + strings.Join(echoed, " ")}
	dir := t.TempDir()
	if err := Write(dir, r, Options{Secrets: []string{"", basic}}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{JUnitFile, JSONFile, HTMLFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if !strings.Contains(text, scimclient.Redacted) {
			t.Errorf("%s shows no redaction: the echoed forms are missing from the report", name)
		}
		for _, shown := range append(jsonStrings(t, name, data), text, html.UnescapeString(text)) {
			for _, form := range echoed {
				if strings.Contains(shown, form) {
					t.Errorf("%s contains %q", name, form)
				}
			}
		}
	}
}

// jsonStrings returns every string in a JSON file, unescaped; nil for
// another file.
func jsonStrings(t *testing.T, name string, data []byte) []string {
	t.Helper()
	if name != JSONFile {
		return nil
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	return out
}
