package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
)

const replayToken = "replay-secret-7d2e91c4"

func refTarget(t testing.TB, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	return refservertest.Start(t, refserver.Options{Token: replayToken}, wrap).URL
}

func replay(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	code = run(ctx, append([]string{"replay"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// echoSecrets makes a hostile target: it reflects the credential into a
// response header and into every JSON body it returns.
func echoSecrets(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		w.Header().Set("X-Echo-Authorization", auth)
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		body := rec.Body.Bytes()
		if bytes.HasPrefix(body, []byte("{")) {
			body = append([]byte(`{"echo":"`+auth+`",`), body[1:]...)
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func TestReplayEverySequenceBothDialectsBothApps(t *testing.T) {
	t.Parallel()
	for _, app := range []string{"entra-default", "insite-lms"} {
		t.Run(app, func(t *testing.T) {
			t.Parallel()
			url := refTarget(t, nil)
			code, out, errOut := replay(t, "-target", url, "-token", replayToken, "-app", app, "-dialect", "all", "all")
			if code != exitOK {
				t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			for _, want := range []string{"== user-lifecycle [default] (PASS)", "== group-lifecycle [aadOptscim062020] (PASS)",
				"PASS finds no user by the matching attribute before creating it", "0 failed", "cleanup:"} {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "FAIL") {
				t.Errorf("stdout reports a failure:\n%s", out)
			}
		})
	}
}

func TestReplayNeverPrintsTheToken(t *testing.T) {
	t.Parallel()
	url := refTarget(t, echoSecrets)
	// -v prints every transcript, so every exchange is on stdout.
	code, out, errOut := replay(t, "-target", url, "-token", replayToken, "-v", "-dialect", "all", "all")
	if code != exitOK {
		t.Fatalf("exit %d, want 0 (the echo must not break the checks)\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "> DELETE "+url+"/Users/") {
		t.Errorf("-v should print the cleanup transcript:\n%s", out)
	}
	if !strings.Contains(out, "X-Echo-Authorization") {
		t.Fatalf("the transcript should show the echoing header (redacted):\n%s", out)
	}
	for name, text := range map[string]string{"stdout": out, "stderr": errOut} {
		if n := strings.Count(text, replayToken); n > 0 {
			t.Errorf("%s holds the token %d time(s)", name, n)
		}
	}
}

func TestReplayReportsAFailingTarget(t *testing.T) {
	t.Parallel()
	// A target that answers 404 to the zero-result filter, as servers that
	// get quarantined do.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"no such user"}`))
	}))
	t.Cleanup(ts.Close)
	code, out, errOut := replay(t, "-target", ts.URL, "-token", replayToken, "test-connection")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFailed, out, errOut)
	}
	for _, want := range []string{
		"FAIL answers a user lookup by a random GUID with 200 and an empty ListResponse",
		"violation: status: got HTTP 404, want 200",
		"rule: entra-protocol §1.4",
		"> GET " + ts.URL + "/Users?filter=userName+eq+%22",
		"< HTTP 404",
		"FAIL answers a group lookup by a random displayName with 200 and an empty ListResponse",
		"> GET " + ts.URL + "/Groups?excludedAttributes=members&filter=displayName+eq+%22",
		"Authorization: [REDACTED]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, replayToken) {
		t.Error("the output holds the token")
	}
}

func TestReplayUsageAndConnectionErrors(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: bad\ndescription: x\nsteps:\n  - name: a\n    colour: red\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"no target", []string{"-token", "t", "all"}, exitUsage, "-target is required"},
		{"no sequence", []string{"-target", "http://127.0.0.1:1", "-token", "t"}, exitUsage, "name at least one sequence"},
		{"unknown sequence", []string{"-target", "http://127.0.0.1:1", "-token", "t", "nope"}, exitUsage, `unknown entra sequence "nope"`},
		{"unknown dialect", []string{"-target", "http://127.0.0.1:1", "-token", "t", "-dialect", "scim2", "all"}, exitUsage, `unknown dialect "scim2"`},
		{"unknown app", []string{"-target", "http://127.0.0.1:1", "-token", "t", "-app", "nope", "all"}, exitUsage, `unknown app profile "nope"`},
		{"unknown flag", []string{"-colour"}, exitUsage, "flag provided but not defined"},
		{"bad sequence file", []string{"-target", "http://127.0.0.1:1", "-token", "t", bad}, exitUsage, bad + `:5: unknown key "colour"`},
		{"wrong token", []string{"-target", refTarget(t, nil), "-token", "not-the-token", "test-connection"}, exitUsage, "the target refused the credential (GET /ServiceProviderConfig answered HTTP 401)"},
		{"unreachable target", []string{"-target", closedURL, "-token", replayToken, "-timeout", "2s", "test-connection"}, exitUsage, "cannot reach the target"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := replay(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			if !strings.Contains(errOut, tc.message) {
				t.Errorf("stderr lacks %q:\n%s", tc.message, errOut)
			}
		})
	}
}

func TestReplayListAndKeep(t *testing.T) {
	t.Parallel()
	code, out, _ := replay(t, "-list")
	if code != exitOK {
		t.Fatalf("-list: exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "group-lifecycle ") || !strings.Contains(lines[0], "A group's life as Entra provisions it") {
		t.Errorf("-list printed:\n%s", out)
	}

	url := refTarget(t, nil)
	code, out, errOut := replay(t, "-target", url, "-token", replayToken, "-keep", "-app", "insite-lms", "group-lifecycle")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	// The group and its two users were created; the group was deleted by the
	// sequence itself but stays tracked; nothing is cleaned up with -keep.
	if n := strings.Count(out, "kept User /Users/"); n != 2 {
		t.Errorf("kept %d users, want 2:\n%s", n, out)
	}
	if strings.Contains(out, "cleanup:") {
		t.Errorf("-keep still cleaned up:\n%s", out)
	}
}

func TestReplayTokenFromEnvironment(t *testing.T) {
	url := refTarget(t, nil)
	t.Setenv("SCIM_TOKEN", replayToken)
	t.Setenv("SCIM_TARGET", url)
	code, out, errOut := replay(t, "test-connection")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// A create the target carried out but whose answer was lost never reaches
// the tracker: replay's residue sweep finds it by the run prefix, deletes
// it and fails the run saying so.
func TestReplaySweepsWhatALostAnswerHid(t *testing.T) {
	t.Parallel()
	var lost atomic.Bool
	wrapped, bare := wrappedRefTarget(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/Users") && lost.CompareAndSwap(false, true) {
				// Carry the create out, then answer as a gateway that lost it.
				next.ServeHTTP(httptest.NewRecorder(), r)
				w.WriteHeader(http.StatusGatewayTimeout)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	code, out, errOut := replay(t, "-target", wrapped, "-token", replayToken, "-dialect", "default", "user-lifecycle")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFailed, out, errOut)
	}
	if !strings.Contains(errOut, "the run left 1 resource(s) that cleanup did not know of") || !strings.Contains(errOut, "1 deleted now") {
		t.Errorf("stderr does not report the swept resource:\n%s", errOut)
	}
	if users, groups := stored(t, bare); users != 0 || groups != 0 {
		t.Errorf("the target still holds %d users and %d groups", users, groups)
	}
}
