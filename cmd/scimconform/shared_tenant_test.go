package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/refservertest"
	"github.com/scimconform/scimconform/runner/scimclient"
)

// seedTenant creates the users and groups a shared tenant already holds,
// none named with a run prefix, and returns their paths.
func seedTenant(t *testing.T, target string) []string {
	t.Helper()
	c, err := scimclient.New(scimclient.Config{Target: target, Token: replayToken, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	post := func(collection, schema, attr, name string) {
		body := fmt.Sprintf(`{"schemas":[%q],%q:%q}`, schema, attr, name)
		x := c.Do(context.Background(), scimclient.Request{Method: "POST", Path: collection, Body: []byte(body)})
		var doc struct{ ID string }
		if x.Status != http.StatusCreated || json.Unmarshal(x.RespBody, &doc) != nil {
			t.Fatalf("seed %s: %s %s", name, x.StatusLine(), x.RespBody)
		}
		paths = append(paths, collection+"/"+doc.ID)
	}
	for _, u := range []string{"ada@example.com", "grace@example.com", "alan@example.com", "edsger@example.com", "barbara@example.com"} {
		post("/Users", "urn:ietf:params:scim:schemas:core:2.0:User", "userName", u)
	}
	for _, g := range []string{"Payroll", "Engineering"} {
		post("/Groups", "urn:ietf:params:scim:schemas:core:2.0:Group", "displayName", g)
	}
	return paths
}

// stillThere counts the paths the target still answers with 200.
func stillThere(t *testing.T, target string, paths []string) int {
	t.Helper()
	n := 0
	for _, p := range paths {
		resp := get(t, target+p, replayToken)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			n++
		}
	}
	return n
}

// Load mode against a target that ignores the filter parameter, on a
// tenant holding other users and groups: every one of them survives, and
// the run says it could not verify its residue and exits non-zero.
func TestLoadOnASharedTenantIgnoringFiltersDeletesNothingForeign(t *testing.T) {
	t.Parallel()
	var deletes atomic.Int64
	wrapped, bare := wrappedRefTarget(t, func(next http.Handler) http.Handler {
		return refservertest.IgnoreFilter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete {
				deletes.Add(1)
			}
			next.ServeHTTP(w, r)
		}))
	})
	foreign := seedTenant(t, bare)
	jsonFile := filepath.Join(t.TempDir(), "summary.json")
	code, out, errOut := loadCmd(context.Background(), t, "-target", wrapped, "-token", replayToken,
		"-users", "5", "-groups", "2", "-members-per-group", "2", "-concurrency", "2", "-json", jsonFile)
	if n := stillThere(t, bare, foreign); n != len(foreign) {
		t.Fatalf("%d of the tenant's %d users and groups survived the run\nstdout:\n%s\nstderr:\n%s", n, len(foreign), out, errOut)
	}
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	if d := deletes.Load(); d != 0 {
		t.Errorf("%d DELETEs reached the target; the run created nothing, so none may", d)
	}
	for _, want := range []string{"could not verify: GET /Groups with filter displayName sw", "the target did not apply the filter", "none of them was deleted", "FAIL: "} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	// The failures kept show the lookups' transcripts; the residue
	// evidence itself names ids only.
	line := strings.Join(tableRow(out, "residue"), " ")
	if line == "" || strings.Contains(line, "ada@example.com") || strings.Contains(line, "Payroll") {
		t.Errorf("the residue line is missing or names the tenant's users or groups: %q", line)
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var s struct{ Residue struct{ Unverified string } }
	if err := json.Unmarshal(data, &s); err != nil || !strings.HasPrefix(s.Residue.Unverified, "could not verify: ") {
		t.Errorf("JSON summary residue %+v (%v)", s.Residue, err)
	}
}

// Replay against the same target: the lookups fail (they find the
// tenant's users), the steps that do not need them still run on what the
// run creates itself, and no request changes one of the tenant's users or
// groups.
func TestReplayOnASharedTenantIgnoringFiltersChangesNothingForeign(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	changed := map[string]bool{} // paths that got a PUT, PATCH or DELETE
	wrapped, bare := wrappedRefTarget(t, func(next http.Handler) http.Handler {
		return refservertest.IgnoreFilter(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPut || r.Method == http.MethodPatch || r.Method == http.MethodDelete {
				mu.Lock()
				changed[r.URL.Path] = true
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		}))
	})
	foreign := seedTenant(t, bare)
	code, out, errOut := replay(t, "-target", wrapped, "-token", replayToken, "-dialect", "all", "all")
	if n := stillThere(t, bare, foreign); n != len(foreign) {
		t.Fatalf("%d of the tenant's %d users and groups survived\nstdout:\n%s\nstderr:\n%s", n, len(foreign), out, errOut)
	}
	if code != exitFailed {
		t.Errorf("exit %d, want %d (the lookups find other users)", code, exitFailed)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range foreign {
		if changed[p] {
			t.Errorf("%s, one of the tenant's resources, got a PUT, PATCH or DELETE", p)
		}
	}
}

// A target whose residue listings keep failing: the command says it could
// not verify, after a few rounds rather than until the cleanup timeout,
// and exits non-zero.
func TestLoadSaysWhenItCouldNotVerifyItsResidue(t *testing.T) {
	t.Parallel()
	var listings atomic.Int64
	target := refTarget(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Query().Get("filter"), " sw ") {
				listings.Add(1)
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	code, out, errOut := loadCmd(context.Background(), t, "-target", target, "-token", replayToken, "-users", "5", "-concurrency", "2")
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	if !strings.Contains(out, "could not verify: GET /Groups with filter displayName sw") || !strings.Contains(out, "HTTP 502 Bad Gateway") || strings.Contains(out, "0 found after cleanup") {
		t.Errorf("stdout does not say the residue could not be verified:\n%s", out)
	}
	if n := listings.Load(); n != 6 || strings.Count(errOut, "load: sweep round ") != 3 {
		t.Errorf("%d listings and %d progress lines, want 3 rounds of 2:\n%s", n, strings.Count(errOut, "load: sweep round "), errOut)
	}
}
