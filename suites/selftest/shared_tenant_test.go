package selftest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
)

// changeLog records every request that may change a resource (anything
// but GET, HEAD and OPTIONS) by method and path.
type changeLog struct {
	mu      sync.Mutex
	changes []string
}

func (l *changeLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			l.mu.Lock()
			l.changes = append(l.changes, r.Method+" "+r.URL.Path)
			l.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

// touching returns the recorded changes other than creates whose path
// names one of paths.
func (l *changeLog) touching(paths []string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, c := range l.changes {
		_, path, _ := strings.Cut(c, " ")
		if slices.Contains(paths, path) || slices.ContainsFunc(paths, func(p string) bool { return strings.HasPrefix(path, p+"/") }) {
			out = append(out, c)
		}
	}
	return out
}

// tenantRequest sends one request to the target with token, outside the
// suites.
func tenantRequest(t *testing.T, method, url, token string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.Bytes()
}

// seedSharedTenant creates the 7 users and groups a tenant held before the
// run, none named with a run prefix, and returns their paths.
func seedSharedTenant(t *testing.T, target, token string) []string {
	t.Helper()
	var paths []string
	post := func(collection, schema, attr, name string) {
		body := fmt.Sprintf(`{"schemas":[%q],%q:%q,"externalId":%q}`, schema, attr, name, name)
		status, resp := tenantRequest(t, http.MethodPost, target+collection, token, []byte(body))
		var doc struct{ ID string }
		if status != http.StatusCreated || json.Unmarshal(resp, &doc) != nil || doc.ID == "" {
			t.Fatalf("seed %s: HTTP %d %s", name, status, resp)
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

// The suites against a target that ignores the filter parameter and the
// filter of a SearchRequest, on a tenant that already holds users and
// groups: every one of them survives untouched, and the run fails with
// the target's fault and the evidence.
func TestSuitesOnASharedTenantIgnoringFilters(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
	}{
		{"a run focused on ServiceProviderConfig", []string{"-ginkgo.focus=ServiceProviderConfig"}},
		{"a run of every spec", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			token := rand.Text()
			var log changeLog
			ts := refservertest.Start(t, refserver.Options{Token: token}, func(h http.Handler) http.Handler {
				return log.wrap(refservertest.IgnoreFilter(h))
			})
			foreign := seedSharedTenant(t, ts.URL, token)
			before := make([][]byte, len(foreign))
			for i, p := range foreign {
				_, before[i] = tenantRequest(t, http.MethodGet, ts.URL+p, token, nil)
			}
			res, out, runErr := runSuites(t, ts.URL, token, tc.args...)
			for i, p := range foreign {
				status, after := tenantRequest(t, http.MethodGet, ts.URL+p, token, nil)
				if status != http.StatusOK || !bytes.Equal(after, before[i]) {
					t.Errorf("%s did not survive the run untouched: HTTP %d\nbefore: %s\nafter:  %s", p, status, before[i], after)
				}
			}
			if touched := log.touching(foreign); len(touched) > 0 {
				t.Errorf("requests that reached the tenant's own resources: %q", touched)
			}
			if runErr == nil {
				t.Errorf("the run passed against a target that ignores filters:\n%s", tail(out, 40))
			}
			if res == nil {
				t.Fatalf("no report:\n%s", tail(out, 40))
			}
			const node = "[SynchronizedAfterSuite]"
			if !slices.Contains(res.names(failed), node) {
				t.Fatalf("%s did not fail:\n%s", node, tail(out, 40))
			}
			msg := res.message(node)
			for _, want := range []string{"the target does not apply filters", `GET /Users with filter userName sw "scimc-`, "5 of them without the run prefix", "none of them was deleted"} {
				if !strings.Contains(msg, want) {
					t.Errorf("the failure of %s lacks %q:\n%s", node, want, msg)
				}
			}
			if strings.Contains(msg, "ada@example.com") || strings.Contains(msg, "Payroll") {
				t.Errorf("the failure names the tenant's users or groups:\n%s", msg)
			}
		})
	}
}
