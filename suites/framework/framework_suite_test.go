package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// fakeTarget is a minimal SCIM endpoint: POST creates, DELETE deletes, and
// every request is logged so the test can see what cleanup sent.
type fakeTarget struct {
	mu      sync.Mutex
	next    int
	live    map[string]bool
	deletes []string
}

const fakeToken = "framework-test-token-0123456789"

func (s *fakeTarget) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+fakeToken {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", SCIMMediaType)
	switch {
	case r.Method == "GET" && r.URL.Path == "/ServiceProviderConfig":
		fmt.Fprint(w, `{"patch":{"supported":true},"filter":{"supported":false,"maxResults":100},"sort":{"supported":false},"etag":{"supported":false},"bulk":{"supported":false},"changePassword":{"supported":false}}`)
	case r.URL.Path == "/crash": // the server dies on the request: no response at all
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	case r.URL.Path == "/boom":
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"detail":"internal error"}`)
	case r.URL.Path == "/refuse":
		w.WriteHeader(http.StatusNotImplemented)
	case r.Method == "POST":
		s.next++
		id := fmt.Sprintf("id%d", s.next)
		s.live[r.URL.Path+"/"+id] = true
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%q,"echo":%q}`, id, r.Header.Get("Authorization"))
	case r.Method == "DELETE":
		s.deletes = append(s.deletes, r.URL.Path)
		if !s.live[r.URL.Path] {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		delete(s.live, r.URL.Path)
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

var (
	target      = &fakeTarget{live: map[string]bool{}}
	suiteReport types.Report
	namesSeen   []string
)

var _ = Describe("a container", ginkgo.Label(LabelUsers, LabelRFC7644), func(f *F) {
	It("creates a user and tracks it", ginkgo.Label(LabelMust), Rule("the rule text"), func(ctx context.Context) {
		gomega.Expect(f.RunID).To(gomega.HavePrefix("scimc-"))
		id, x := f.CreateUser(ctx, f.UserBody(map[string]any{"nickName": "n", "active": nil}))
		gomega.Expect(x).To(HaveStatus(201))
		gomega.Expect(id).NotTo(gomega.BeEmpty())
		var sent map[string]any
		gomega.Expect(json.Unmarshal(x.ReqBody, &sent)).To(gomega.Succeed())
		gomega.Expect(sent).To(gomega.HaveKeyWithValue("nickName", "n"))
		gomega.Expect(sent).NotTo(gomega.HaveKey("active"))
		gomega.Expect(sent["userName"]).To(gomega.HavePrefix(f.RunID + "-user-"))
	})
	It("turns a failed should into a warning", ginkgo.Label(LabelShould), func() {
		gomega.Expect(1).To(gomega.Equal(2), "one is not two")
	})
	It("records a should block of a must spec as a warning", ginkgo.Label(LabelMust), func() {
		f.Should("optional detail", func() { gomega.Expect("a").To(gomega.Equal("b")) })
	})
	It("skips an unsupported feature", ginkgo.Label(LabelMust, FeatureSort), func() {
		f.RequireFeature(FeatureSort)
		ginkgo.Fail("RequireFeature did not skip")
	})
	It("runs a supported feature", ginkgo.Label(LabelMust, FeaturePatch), func() {
		f.RequireFeature(FeaturePatch)
		gomega.Expect(f.Supports(FeaturePatch)).To(gomega.BeTrue())
	})
	It("names resources uniquely", ginkgo.Label(LabelMust), func() {
		namesSeen = append(namesSeen, f.Name("x"), f.Name("x"))
	})
})

// Specs that must fail whatever their level because the server failed on
// a request, and their neighbours that must not.
var _ = Describe("a server failing", ginkgo.Label(LabelErrors, LabelRFC7644), func(f *F) {
	It("fails a should spec when the connection closes without a response", ginkgo.Label(LabelShould), Rule("a should rule"), func(ctx context.Context) {
		f.Do(ctx, scimclient.Request{Method: "GET", Path: "/crash"})
	})
	It("fails a should spec on a 500", ginkgo.Label(LabelShould), func(ctx context.Context) {
		f.Do(ctx, scimclient.Request{Method: "GET", Path: "/boom"})
	})
	It("fails a must spec on a 500 before it can skip", ginkgo.Label(LabelMust), func(ctx context.Context) {
		x := f.Do(ctx, scimclient.Request{Method: "GET", Path: "/boom"})
		ginkgo.Skip(fmt.Sprintf("got %d", x.Status))
	})
	It("fails a batch with one 500 once every exchange is recorded", ginkgo.Label(LabelMust), func(ctx context.Context) {
		f.DoConcurrently(ctx, []scimclient.Request{{Method: "GET", Path: "/boom"}, {Method: "GET", Path: "/refuse"}})
	})
	It("passes on a 501, a legitimate refusal", ginkgo.Label(LabelShould), func(ctx context.Context) {
		gomega.Expect(f.Do(ctx, scimclient.Request{Method: "GET", Path: "/refuse"})).To(HaveStatus(501))
	})
	It("explains a failed Gomega assertion and names the rule", ginkgo.Label(LabelMust), Rule("RFC 7644 §0: the rule of this spec"), func() {
		gomega.Expect([]string{}).To(gomega.ConsistOf("alpha"), "users matching %s", `title eq "x"`)
	})
})

var _ = Describe("features Microsoft Entra ID uses", ginkgo.Label(LabelFilter, LabelRFC7644), func(f *F) {
	It("runs an entra spec although the SPC says filter is unsupported", ginkgo.Label(LabelMust, LabelSourceEntra), func() {
		f.RequireFeature(FeatureFilter)
	})
	It("skips a spec that is not about Entra", ginkgo.Label(LabelMust), func() {
		f.RequireFeature(FeatureFilter)
		ginkgo.Fail("RequireFeature did not skip")
	})
})

var _ = Describe("an ordered container", ginkgo.Ordered, ginkgo.Label(LabelGroups, LabelRFC7644), func(f *F) {
	var id string
	ginkgo.BeforeAll(func(ctx context.Context) {
		id, _ = f.CreateGroup(ctx, f.GroupBody(nil))
	})
	It("sees the environment in BeforeAll", ginkgo.Label(LabelMust), func() {
		gomega.Expect(id).NotTo(gomega.BeEmpty())
		namesSeen = append(namesSeen, f.Name("x"))
	})
	It("keeps resources until the container ends", ginkgo.Label(LabelMust), func() {
		target.mu.Lock()
		defer target.mu.Unlock()
		gomega.Expect(target.live).To(gomega.HaveKey("/Groups/" + id))
	})
})

var _ = ginkgo.ReportAfterSuite("capture", func(r types.Report) { suiteReport = r })

// failRecorder stands in for *testing.T in RunSpecs: some specs here fail
// on purpose.
type failRecorder struct{ failed bool }

func (r *failRecorder) Fail() { r.failed = true }

func entries(s types.SpecReport, name string) []string {
	var out []string
	for _, e := range s.ReportEntries {
		if e.Name == name {
			out = append(out, e.StringRepresentation())
		}
	}
	return out
}

func TestFrameworkSpecs(t *testing.T) {
	srv := httptest.NewServer(target)
	defer srv.Close()
	client, err := scimclient.New(scimclient.Config{Target: srv.URL, Token: fakeToken})
	if err != nil {
		t.Fatal(err)
	}
	spc, err := FetchSPC(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Target, cfg.Token = srv.URL, fakeToken
	SetEnv(&Env{Config: cfg, Client: client, Target: srv.URL, RunID: "scimc-abcdef", SPC: spc})
	defer SetEnv(nil)

	gomega.RegisterFailHandler(GomegaFail)
	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	reporterConfig.Succinct = !testing.Verbose()
	var verdict failRecorder
	ginkgo.RunSpecs(&verdict, "framework", suiteConfig, reporterConfig)

	specs := map[string]types.SpecReport{}
	var failed []string
	for _, s := range suiteReport.SpecReports {
		specs[s.LeafNodeText] = s
		if s.State.Is(types.SpecStateFailureStates) {
			failed = append(failed, s.LeafNodeText)
		}
	}
	wantFailed := []string{
		"fails a should spec when the connection closes without a response",
		"fails a should spec on a 500",
		"fails a must spec on a 500 before it can skip",
		"fails a batch with one 500 once every exchange is recorded",
		"explains a failed Gomega assertion and names the rule",
	}
	slices.Sort(failed)
	slices.Sort(wantFailed)
	if !slices.Equal(failed, wantFailed) || !verdict.failed {
		t.Fatalf("failed specs = %q (suite failed: %v), want %q", failed, verdict.failed, wantFailed)
	}
	for name, want := range map[string][]string{
		"fails a should spec when the connection closes without a response": {"the server returned no response", "to GET " + srv.URL + "/crash", "rule: a should rule", "whatever its level"},
		"fails a should spec on a 500":                                      {"the server returned an internal error (HTTP 500 Internal Server Error) to GET " + srv.URL + "/boom", `{"detail":"internal error"}`},
		"fails a must spec on a 500 before it can skip":                     {"the server returned an internal error (HTTP 500"},
		"fails a batch with one 500 once every exchange is recorded":        {"the server returned an internal error (HTTP 500"},
		"explains a failed Gomega assertion and names the rule": {
			`users matching title eq "x": got []; expected it to consist of ["alpha"]` + "; the missing elements were [\"alpha\"]\nrule: RFC 7644 §0: the rule of this spec"},
	} {
		msg := specs[name].Failure.Message
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: the failure message lacks %q:\n%s", name, w, msg)
			}
		}
		if gomegaDump.MatchString(msg) {
			t.Errorf("%s: the failure message holds a Gomega dump:\n%s", name, msg)
		}
		if loc := specs[name].Failure.Location.FileName; !strings.HasSuffix(loc, "framework_suite_test.go") {
			t.Errorf("%s: the failure is located in %s, not in the spec", name, loc)
		}
	}
	if got := len(entries(specs["fails a batch with one 500 once every exchange is recorded"], EntryExchange)); got != 2 {
		t.Errorf("the batch recorded %d exchanges, want 2", got)
	}
	if s := specs["runs an entra spec although the SPC says filter is unsupported"]; s.State != types.SpecStatePassed {
		t.Errorf("the entra spec needing filter: state %s (%s)", s.State, s.Failure.Message)
	}
	if s := specs["skips a spec that is not about Entra"]; s.State != types.SpecStateSkipped {
		t.Errorf("the spec needing filter: state %s, want skipped", s.State)
	}
	created := specs["creates a user and tracks it"]
	if got := entries(created, EntryRule); len(got) != 1 || got[0] != "the rule text" {
		t.Errorf("rule entries = %q", got)
	}
	exchanges := entries(created, EntryExchange)
	if len(exchanges) != 1 || !strings.Contains(exchanges[0], "POST ") {
		t.Errorf("transcript = %q, want one POST", exchanges)
	}
	for _, s := range suiteReport.SpecReports {
		for _, e := range s.ReportEntries {
			raw, _ := json.Marshal(e.GetRawValue())
			if strings.Contains(e.StringRepresentation()+string(raw), fakeToken) {
				t.Errorf("spec %q entry %s leaks the token", s.LeafNodeText, e.Name)
			}
		}
	}

	if s := specs["turns a failed should into a warning"]; s.State != types.SpecStatePassed || len(entries(s, EntryWarning)) != 1 ||
		!strings.Contains(entries(s, EntryWarning)[0], "one is not two") {
		t.Errorf("should spec: state %s, warnings %q", s.State, entries(s, EntryWarning))
	}
	if s := specs["records a should block of a must spec as a warning"]; s.State != types.SpecStatePassed ||
		len(entries(s, EntryWarning)) != 1 || !strings.HasPrefix(entries(s, EntryWarning)[0], "optional detail: ") {
		t.Errorf("f.Should: state %s, warnings %q", s.State, entries(s, EntryWarning))
	}
	if s := specs["skips an unsupported feature"]; s.State != types.SpecStateSkipped ||
		s.Failure.Message != "not supported: sort (ServiceProviderConfig says supported=false)" {
		t.Errorf("RequireFeature: state %s, message %q", s.State, s.Failure.Message)
	}
	if s := specs["runs a supported feature"]; s.State != types.SpecStatePassed {
		t.Errorf("supported feature spec: state %s", s.State)
	}

	seen := map[string]bool{}
	for _, n := range namesSeen {
		if seen[n] || !strings.HasPrefix(n, "scimc-abcdef-x-") {
			t.Errorf("name %q is repeated or lacks the run prefix (all: %q)", n, namesSeen)
		}
		seen[n] = true
	}

	target.mu.Lock()
	defer target.mu.Unlock()
	if len(target.live) != 0 {
		t.Errorf("cleanup left %v on the target", target.live)
	}
	if len(target.deletes) != 2 {
		t.Errorf("cleanup sent DELETE for %q, want the user and the group", target.deletes)
	}
}
