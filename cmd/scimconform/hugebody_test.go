package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// Markers at both ends of hugeBody: an excerpt must show both.
const (
	hugeHead = `"head-marker-7c1d"`
	hugeTail = `"tail-marker-9e2b"`
	hugeSize = 5 << 20
)

// hugeBody is a 5 MiB ListResponse whose first resources break the User
// schema thousands of times, padded to size by a long string.
func hugeBody() []byte {
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
	b.WriteString(strings.Repeat("x", hugeSize-b.Len()-len(closing)))
	b.WriteString(closing)
	return []byte(b.String())
}

// hugeBodyTarget answers every request with hugeBody, as a success.
func hugeBodyTarget(t *testing.T) string {
	t.Helper()
	body := hugeBody()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", scimclient.ScimContentType)
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// elided is the marker standing for the left-out middle of hugeBody.
var elided = regexp.MustCompile(`\n *… [0-9.]+ MiB elided of 5 MiB …\n`)

// checkExcerpts asserts that out shows n excerpts of hugeBody, each with
// its head, its tail and the body's size, and that out stays within
// perExcerpt bytes for each.
func checkExcerpts(t *testing.T, out string, n, perExcerpt int) {
	t.Helper()
	if n == 0 {
		t.Fatalf("no transcript of the 5 MiB body was printed:\n%.2000s", out)
	}
	for what, re := range map[string]*regexp.Regexp{"size": elided, "head": regexp.MustCompile(hugeHead), "tail": regexp.MustCompile(hugeTail)} {
		if got := len(re.FindAllStringIndex(out, -1)); got != n {
			t.Errorf("%d transcripts, %d with the body's %s", n, got, what)
		}
	}
	if len(out) > n*perExcerpt {
		t.Errorf("%d bytes of output for %d transcripts of a 5 MiB body, want at most %d each", len(out), n, perExcerpt)
	}
}

func TestReplayBoundsHugeBodies(t *testing.T) {
	t.Parallel()
	// One sequence in one dialect: every step's answer is the 5 MiB body, and
	// validating it under -race is slow; more steps would prove no more.
	code, out, errOut := replay(t, "-target", hugeBodyTarget(t), "-token", replayToken, "-dialect", "default", "user-lifecycle")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\nstderr:\n%s", code, exitFailed, errOut)
	}
	failed := strings.Count(out, "\nFAIL ")
	checkExcerpts(t, out, failed, scimclient.DefaultMaxBodyLog+16<<10)
	if got := strings.Count(out, "violation: schema "); got > failed*scimclient.MaxListed {
		t.Errorf("%d schema violations printed for %d failed steps, want at most %d each", got, failed, scimclient.MaxListed)
	}
	if !regexp.MustCompile(`violation: … and \d+ more violations\n`).MatchString(out) {
		t.Error("the violations left out are not counted")
	}
}

func TestLoadBoundsHugeBodies(t *testing.T) {
	t.Parallel()
	code, out, errOut := loadCmd(context.Background(), t, "-target", hugeBodyTarget(t), "-token", replayToken,
		"-users", "3", "-concurrency", "1")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%.4000s\nstderr:\n%.4000s", code, exitFailed, out, errOut)
	}
	checkExcerpts(t, out, strings.Count(out, "\nfailure "), scimclient.DefaultMaxBodyLog+16<<10)
	if len(errOut) > 64<<10 {
		t.Errorf("%d bytes on stderr", len(errOut))
	}
}
