package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const leakedToken = "tok-SECRET-0123456789"

var start = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

func entry(name string, v any) types.ReportEntry {
	return types.ReportEntry{Name: name, Value: types.WrapEntryValue(v), Visibility: types.ReportEntryVisibilityNever, Time: start}
}

func spec(containers []string, labels [][]string, leaf string, leafLabels []string, state types.SpecState, d time.Duration, entries ...types.ReportEntry) types.SpecReport {
	return types.SpecReport{
		ContainerHierarchyTexts:  containers,
		ContainerHierarchyLabels: labels,
		LeafNodeType:             types.NodeTypeIt,
		LeafNodeText:             leaf,
		LeafNodeLabels:           leafLabels,
		LeafNodeLocation:         types.CodeLocation{FileName: "/src/suites/rfc/users.go", LineNumber: 42},
		State:                    state,
		StartTime:                start,
		EndTime:                  start.Add(d),
		RunTime:                  d,
		ReportEntries:            entries,
		ParallelProcess:          1,
	}
}

// syntheticReport covers every verdict, an Entra step, a filtered-out spec,
// a failed suite node and a transcript that still holds a token.
func syntheticReport() types.Report {
	created := scimclient.Record{Method: "POST", URL: "http://127.0.0.1:8080/Users", ReqHeader: map[string][]string{"Authorization": {scimclient.Redacted}},
		ReqBody: `{"userName":"scimc-abcdef-user-1@example.com"}`, Status: 400,
		RespHeader: map[string][]string{"Content-Type": {"application/json"}}, RespBody: `{"detail":"bad <input> & more"}`, DurationMS: 3.25, Attempts: 1}
	leaked := scimclient.Record{Method: "GET", URL: "http://127.0.0.1:8080/ServiceProviderConfig?access_token=" + leakedToken, Status: 200,
		RespHeader: map[string][]string{"Content-Type": {"application/scim+json"}}, RespBody: `{"patch":{"supported":true}}`, DurationMS: 1, Attempts: 1}
	users := []string{framework.LabelUsers, framework.LabelRFC7644}
	return types.Report{
		SuitePath:        "/src/suites",
		SuiteDescription: "scimconform",
		SuiteSucceeded:   false,
		StartTime:        start,
		EndTime:          start.Add(2 * time.Second),
		RunTime:          2 * time.Second,
		SuiteConfig:      types.SuiteConfig{RandomSeed: 7, LabelFilter: "rfc7643 || rfc7644"},
		SpecReports: types.SpecReports{
			spec([]string{"ServiceProviderConfig"}, [][]string{{framework.LabelDiscovery, framework.LabelRFC7643}}, "is served as application/scim+json",
				[]string{framework.LabelMust}, types.SpecStatePassed, 5*time.Millisecond,
				entry(framework.EntryRule, "RFC 7644 §4: /ServiceProviderConfig is served"), entry(framework.EntryExchange, leaked)),
			spec([]string{"Users", "POST /Users"}, [][]string{users, nil}, "returns 201 with id, meta and Location",
				[]string{framework.LabelMust}, types.SpecStateFailed, 12*time.Millisecond,
				entry(framework.EntryRule, "RFC 7644 §3.3: 201 Created with Location"), entry(framework.EntryExchange, created),
				entry(framework.EntryViolations, []framework.Violation{{Kind: "schema", Path: "/id", Message: "id is required"}, {Kind: "status", Message: "status 400, expected 201"}})),
			spec([]string{"Users", "GET /Users"}, [][]string{users, nil}, "sorts by userName",
				[]string{framework.LabelMust, framework.FeatureSort}, types.SpecStateSkipped, time.Millisecond),
			spec([]string{"Users", "PUT /Users/{id}"}, [][]string{users, nil}, "clears omitted attributes",
				[]string{framework.LabelShould}, types.SpecStatePassed, 7*time.Millisecond,
				entry(framework.EntryWarning, "nickName is still \"x\" after a PUT without it")),
			spec([]string{"Users", "DELETE /Users/{id}"}, [][]string{users, nil}, "is excluded by the label filter",
				[]string{framework.LabelMust}, types.SpecStateSkipped, 0),
			spec([]string{"Entra user lifecycle (aadOptscim062020)"}, [][]string{{framework.LabelEntra, framework.LabelDialectAAD, framework.LabelUsers}},
				"creates the user", []string{framework.LabelMust}, types.SpecStatePassed, 4*time.Millisecond),
			spec([]string{"ETags"}, [][]string{{framework.LabelETag, framework.LabelRFC7644}}, "answers 412 to a stale If-Match",
				[]string{framework.LabelMust}, types.SpecStateFailed, 3*time.Millisecond,
				entry(framework.EntryRule, "RFC 7644 §3.14: a stale If-Match is refused with 412")),
			spec([]string{"Filtering /Users"}, [][]string{{framework.LabelFilter, framework.LabelRFC7644}}, "returns the users matching eq",
				[]string{framework.LabelMust}, types.SpecStateSkipped, time.Millisecond),
			{
				LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStatePassed, RunTime: 20 * time.Millisecond,
				ReportEntries: []types.ReportEntry{entry(framework.EntryNotice, "The target has no usable /ServiceProviderConfig (HTTP 404).")},
			},
			{
				LeafNodeType: types.NodeTypeSynchronizedAfterSuite, State: types.SpecStateFailed, RunTime: 30 * time.Millisecond,
				Failure: types.Failure{Message: "the run left 1 resource(s) on the target: /Users/99 (userName scimc-abcdef-user-9@example.com)",
					Location: types.CodeLocation{FileName: "/src/suites/residue_test.go", LineNumber: 10}},
			},
		},
	}
}

func withFailureMessages(r types.Report) types.Report {
	for i := range r.SpecReports {
		s := &r.SpecReports[i]
		switch {
		case s.State == types.SpecStateFailed && s.LeafNodeType == types.NodeTypeIt && s.LeafNodeText == "answers 412 to a stale If-Match":
			s.Failure = types.Failure{Message: "Expected the response to have status 412 Precondition Failed\n  - the status is 200 OK, expected 412 Precondition Failed\nPUT http://127.0.0.1:8080/Users/7",
				Location: types.CodeLocation{FileName: "/src/suites/rfc/etag.go", LineNumber: 90}}
		case s.State == types.SpecStateFailed && s.LeafNodeType == types.NodeTypeIt:
			s.Failure = types.Failure{Message: "Expected the response to have status 201\n  - status is 400, expected 201",
				Location: types.CodeLocation{FileName: "/src/suites/rfc/users.go", LineNumber: 50}}
		case s.State == types.SpecStateSkipped && s.LeafNodeText == "returns the users matching eq":
			s.Failure = types.Failure{Message: framework.SkipFeatureUnknown + ": filter (the target has no usable /ServiceProviderConfig: HTTP 404)"}
		case s.State == types.SpecStateSkipped && s.RunTime > 0:
			s.Failure = types.Failure{Message: "not supported: sort (ServiceProviderConfig says supported=false)"}
		}
	}
	return r
}

// syntheticBaseline accepts the failed POST, holds an expired entry for
// the etag failure, and two entries that accept nothing.
func syntheticBaseline() *framework.Baseline {
	b, err := framework.ParseBaseline([]byte(`accept:
  - spec: "Users POST /Users returns 201 with id, meta and Location"
    reason: "we answer 400 for now; APP-123"
    expires: 2027-01-31
  - label: etag
    reason: ETag support lands in Q3
    expires: 2026-06-30
  - spec: "Users GET /Users sorts by userName"
    reason: sorting is slow
  - spec: "Users PATCH /Users/{id} was renamed"
    reason: an old entry
`))
	if err != nil {
		panic(err)
	}
	b.File = "accept.yaml"
	return b
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./suites/report -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is intended)\n--- got ---\n%s", name, got)
	}
}

func TestBuild(t *testing.T) {
	t.Parallel()
	s := Build(withFailureMessages(syntheticReport()))
	var names []string
	for _, a := range s.Areas {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, ","); got != "entra,discovery,users,filter,etag,suite" {
		t.Errorf("areas = %s", got)
	}
	if s.Total.Passed != 2 || s.Total.Failed != 3 || s.Total.Skipped != 2 || s.Total.Warnings != 1 {
		t.Errorf("totals = %+v", s.Total)
	}
	if len(s.Notices) != 1 || s.UnknownFeature != 1 {
		t.Errorf("notices = %q, specs skipped for an unknown feature = %d", s.Notices, s.UnknownFeature)
	}
	if len(s.SuiteNotes) != 1 || !strings.HasPrefix(s.SuiteNotes[0], "SynchronizedAfterSuite failed: the run left 1 resource(s)") {
		t.Errorf("suite notes = %q", s.SuiteNotes)
	}
	if len(s.Failed) != 2 || s.Failed[0] != "Users POST /Users returns 201 with id, meta and Location" {
		t.Errorf("failed = %q", s.Failed)
	}
	users := s.Areas[2]
	failed := users.Specs[0]
	if failed.Verdict != Fail || len(failed.Violations) != 2 || len(failed.Exchanges) != 1 || len(failed.Rules) != 1 {
		t.Errorf("failed spec = %+v", failed)
	}
	if users.Specs[2].Verdict != Warning || users.Specs[2].Warnings[0] == "" {
		t.Errorf("warning spec = %+v", users.Specs[2])
	}
}

// A parallel run hands ReportAfterSuite specs decoded from JSON, where
// entries have no raw value: Build must read them all the same.
func TestBuildFromJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(withFailureMessages(syntheticReport()))
	if err != nil {
		t.Fatal(err)
	}
	var decoded types.Report
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	for i := range decoded.SpecReports {
		for j := range decoded.SpecReports[i].ReportEntries {
			v := &decoded.SpecReports[i].ReportEntries[j].Value
			*v = types.ReportEntryValue{AsJSON: v.AsJSON, Representation: v.Representation}
		}
	}
	direct, fromJSON := Build(withFailureMessages(syntheticReport())), Build(decoded)
	var a, b2 bytes.Buffer
	if err := WriteHTML(&a, direct); err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(&b2, fromJSON); err != nil {
		t.Fatal(err)
	}
	if a.String() != b2.String() {
		t.Error("the HTML built from a JSON round trip differs from the direct one")
	}
}

func TestConsoleGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file     string
		baseline *framework.Baseline
	}{
		{"console.golden", nil},
		{"console-accept.golden", syntheticBaseline()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			s := Summarize(withFailureMessages(syntheticReport()), Options{Baseline: tc.baseline, Now: start})
			if err := WriteConsole(&b, s); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, b.Bytes())
		})
	}
}

func TestHTMLGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteHTML(&b, Summarize(withFailureMessages(syntheticReport()), Options{Baseline: syntheticBaseline(), Now: start})); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.html.golden", b.Bytes())
}

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "reports", "nested")
	opts := Options{Secrets: []string{leakedToken}, Info: []Info{{"target", "http://127.0.0.1:8080/?t=" + leakedToken}, {"run id", "scimc-abcdef"}},
		Baseline: syntheticBaseline(), Now: start}
	if err := Write(dir, withFailureMessages(syntheticReport()), opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	files := map[string][]byte{}
	for _, name := range []string{JUnitFile, JSONFile, HTMLFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bytes.Contains(data, []byte(leakedToken)) {
			t.Errorf("%s contains the token", name)
		}
		files[name] = data
	}
	golden(t, "junit.xml.golden", files[JUnitFile])
	golden(t, "report.json.golden", files[JSONFile])

	var junit reporters.JUnitTestSuites
	if err := xml.Unmarshal(files[JUnitFile], &junit); err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	// The accepted POST is a skipped case, apart from the failures: the
	// etag spec (its entry expired) and the residue check.
	if junit.Failures != 2 {
		t.Errorf("junit failures = %d, want 2", junit.Failures)
	}
	for _, tc := range junit.TestSuites[0].TestCases {
		if strings.Contains(tc.Name, "[It]") || strings.Contains(tc.Name, "[must") {
			t.Errorf("junit name %q carries the node type or labels", tc.Name)
		}
	}
	var reports []types.Report
	if err := json.Unmarshal(files[JSONFile], &reports); err != nil || len(reports) != 1 {
		t.Fatalf("report.json does not parse as one Ginkgo report: %v", err)
	}
	html := string(files[HTMLFile])
	for _, forbidden := range []string{"<script", "src=", `href="http`, "<link"} {
		if strings.Contains(html, forbidden) {
			t.Errorf("report.html is not self-contained: contains %q", forbidden)
		}
	}
	if !strings.Contains(html, "<th>run id</th><td>scimc-abcdef</td>") {
		t.Error("report.html does not show the run's configuration")
	}
	if !strings.Contains(html, "bad &lt;input&gt; &amp; more") {
		t.Error("report.html does not escape response bodies")
	}
}

func TestWriteFailsOnUnwritableDir(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(filepath.Join(file, "sub"), syntheticReport(), Options{}); err == nil || !strings.Contains(err.Error(), "report directory") {
		t.Errorf("Write into a file path: err = %v", err)
	}
}

func TestFocusPattern(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		{"Users POST /Users returns 201", `^Users POST /Users returns 201$`},
		{"Users GET /Users?filter=x (sw) returns [1]", `^Users GET /Users\?filter=x \(sw\) returns \[1\]$`},
		{"it's quoted", `^it.s quoted$`},
	}
	for _, tc := range tests {
		if got := FocusPattern(tc.name); got != tc.want {
			t.Errorf("FocusPattern(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := FocusAll([]string{"a.b", "c"}); got != `^(a\.b|c)$` {
		t.Errorf("FocusAll = %q", got)
	}
}
