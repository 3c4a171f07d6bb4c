package refserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFaultTableIsComplete(t *testing.T) {
	t.Parallel()
	areas := map[string]bool{"users": true, "groups": true, "concurrency": true, "discovery": true, "filter": true,
		"pagination": true, "patch": true, "projection": true, "errors": true, "security": true, "etag": true}
	name := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}
	covered := map[string]bool{}
	for _, f := range FaultCatalog() {
		switch {
		case !name.MatchString(f.Name):
			t.Errorf("fault name %q is not lower-case words joined by hyphens", f.Name)
		case seen[f.Name]:
			t.Errorf("fault %q is listed twice", f.Name)
		case !areas[f.Area]:
			t.Errorf("fault %q: unknown area %q", f.Name, f.Area)
		case f.Does == "" || f.Breaks == "":
			t.Errorf("fault %q: says neither what the server does or which rule it breaks", f.Name)
		case !strings.Contains(f.Breaks, "RFC") && !strings.Contains(f.Breaks, "Entra") && !strings.Contains(f.Breaks, "entra"):
			t.Errorf("fault %q: the rule %q names no source (RFC or Entra)", f.Name, f.Breaks)
		}
		seen[f.Name] = true
		covered[f.Area] = true
	}
	if len(seen) < 30 {
		t.Errorf("%d faults; at least 30 are needed to cover the suites", len(seen))
	}
	for a := range areas {
		if !covered[a] {
			t.Errorf("no fault is caught in the %s area", a)
		}
	}
}

// The package documentation of faults.go lists every fault exactly as the
// table says, so that the two cannot drift apart.
func TestFaultDocListsEveryFault(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("faults.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range FaultCatalog() {
		line := "//   - " + f.Name + ": " + f.Does + ". Breaks " + f.Breaks + "."
		if !bytes.Contains(src, []byte(line+"\n")) {
			t.Errorf("the doc comment of faults.go lacks the line\n%s", line)
		}
	}
}

func TestNewRejectsUnknownFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		faults []string
		want   []string
	}{
		{[]string{"no-such-fault"}, []string{`"no-such-fault"`, "create-200", "valid faults"}},
		{[]string{"create-200", "Create-200"}, []string{`"Create-200"`}},
		{[]string{"a", "b"}, []string{`"a", "b"`}},
	} {
		_, err := New(Options{NoAuth: true, Faults: tc.faults})
		if err == nil {
			t.Errorf("New with faults %q: no error", tc.faults)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("New with faults %q: error %q does not mention %s", tc.faults, err, w)
			}
		}
	}
}

func TestParseFaultsIgnoresBlanks(t *testing.T) {
	t.Parallel()
	set, err := parseFaults([]string{"", " create-200 ", ""})
	if err != nil {
		t.Fatal(err)
	}
	if !set.has(fCreate200) || set.has(fNoMeta) || len(set.on) != 1 {
		t.Errorf("parseFaults: got %v, want create-200 only", set.on)
	}
	none, err := parseFaults([]string{""})
	if err != nil || len(none.on) > 0 {
		t.Errorf("parseFaults of a blank name: got %v, %v; want no fault", none.on, err)
	}
}

// faultClient talks to one server with faults.
type faultClient struct {
	t    *testing.T
	base string
	http *http.Client
	// unanswered tolerates requests the server closes without an answer
	// (filter-connection-closed): do reports them as status 0.
	unanswered bool
}

func newFaultServer(t *testing.T, logs io.Writer, faults ...string) *faultClient {
	t.Helper()
	srv, err := New(Options{Token: "t0ken", Faults: faults,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelError}))})
	if err != nil {
		t.Fatalf("New with faults %v: %v", faults, err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	// A transport of its own, as in newServer: closing a parallel test's
	// server closes http.DefaultTransport's idle connections.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &faultClient{t: t, base: ts.URL, http: &http.Client{Timeout: 10 * time.Second, Transport: tr}}
}

func (c *faultClient) do(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t0ken")
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := c.http.Do(req)
	if err != nil && c.unanswered {
		return 0, nil
	}
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &doc)
	return resp.StatusCode, doc
}

// Every fault keeps the server answering: a round of the requests Entra
// makes never panics, whatever is switched on.
func TestEveryFaultServesWithoutPanics(t *testing.T) {
	t.Parallel()
	for _, name := range FaultNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			c := newFaultServer(t, &logs, name)
			c.unanswered = name == string(fFilterConnClosed) // answering nothing is that fault
			status, user := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "pat@example.com", "active": true,
				"emails": []any{map[string]any{"value": "pat@example.com", "type": "work"}}})
			if status >= 500 {
				t.Fatalf("POST /Users: %d", status)
			}
			id, _ := user["id"].(string)
			_, group := c.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": "team", "members": []any{map[string]any{"value": id}}})
			gid, _ := group["id"].(string)
			c.do("GET", "/Users/"+id, nil)
			c.do("GET", `/Users?filter=userName%20eq%20%22pat@example.com%22&startIndex=1&count=5&sortBy=userName`, nil)
			c.do("PATCH", "/Users/"+id, map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
				"Operations": []any{map[string]any{"op": "Replace", "path": "active", "value": "False"}}})
			c.do("PATCH", "/Groups/"+gid, map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
				"Operations": []any{map[string]any{"op": "Remove", "path": "members", "value": []any{map[string]any{"value": id}}}}})
			c.do("PUT", "/Groups/"+gid, map[string]any{"displayName": "team", "id": "elsewhere"})
			c.do("DELETE", "/Users/"+id, nil)
			c.do("GET", "/Schemas", nil)
			if strings.Contains(logs.String(), "panic") {
				t.Errorf("the server panicked:\n%s", logs.String())
			}
		})
	}
}

// The racing faults must lose updates reliably, or the concurrency specs
// could pass against them by luck.
func TestRacingFaultsLoseUpdates(t *testing.T) {
	t.Parallel()
	t.Run("member-add-lost-update", func(t *testing.T) {
		t.Parallel()
		c := newFaultServer(t, io.Discard, string(fMemberLostUpdate))
		_, g := c.do("POST", "/Groups", map[string]any{"schemas": []any{groupURN}, "displayName": "racers"})
		gid, _ := g["id"].(string)
		var ids []string
		for i := range 10 {
			status, u := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "racer" + string(rune('a'+i))})
			id, _ := u["id"].(string)
			if status != http.StatusCreated || id == "" {
				t.Fatalf("create a user: %d %v", status, u)
			}
			ids = append(ids, id)
		}
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.do("PATCH", "/Groups/"+gid, map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
					"Operations": []any{map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": id}}}}})
			}()
		}
		wg.Wait()
		_, got := c.do("GET", "/Groups/"+gid, nil)
		if members, _ := got["members"].([]any); len(members) == len(ids) {
			t.Errorf("all %d concurrent member adds were kept; the fault must lose some", len(ids))
		}
	})
	t.Run("create-race", func(t *testing.T) {
		t.Parallel()
		c := newFaultServer(t, io.Discard, string(fCreateRace))
		var mu sync.Mutex
		created := 0
		var wg sync.WaitGroup
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if status, _ := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "same@example.com"}); status == http.StatusCreated {
					mu.Lock()
					created++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if created < 2 {
			t.Errorf("%d of 5 concurrent creates of one userName succeeded; the fault must let several through", created)
		}
		if status, _ := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN}, "userName": "same@example.com"}); status != http.StatusConflict {
			t.Errorf("a sequential duplicate answered %d; create-race only races, it must still answer 409", status)
		}
	})
}

func TestCaseMarkedComparesCaseSensitively(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"Engineer", "Engineer", true},
		{"Engineer", "ENGINEER", false},
		{"a^b", "a^B", false},
		{"^a", "A", false},
		{"ümlaut", "Ümlaut", false},
	} {
		if got := strings.EqualFold(caseMarked(tc.a), caseMarked(tc.b)); got != tc.same {
			t.Errorf("caseMarked(%q) vs caseMarked(%q) equal folded: %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

func TestLowerCaseOperators(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		filter string
		ok     bool
	}{
		{`title eq "Engineer"`, true},
		{`title EQ "Engineer"`, false},
		{`title eq "A Or B" or active eq true`, true},
		{`a eq "x" Or b eq "y"`, false},
		{`Not (active eq true)`, false},
		{`emails[type eq "work" AND value co "x"]`, false},
		{`title eq "say \"EQ\""`, true},
	} {
		err := lowerCaseOperators(tc.filter)
		if (err == nil) != tc.ok {
			t.Errorf("lowerCaseOperators(%q) = %v, want ok=%v", tc.filter, err, tc.ok)
		}
	}
}

func TestIsOwnID(t *testing.T) {
	t.Parallel()
	srv, err := New(Options{NoAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	srv.store.mu.Lock()
	id := srv.store.newIDLocked()
	srv.store.mu.Unlock()
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{id, true},
		{strings.ToLower(id), false},
		{"scimc-1a2b-no-such-user-3", false},
		{"", false},
	} {
		if got := isOwnID(tc.id); got != tc.want {
			t.Errorf("isOwnID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

// The faults the SCIM Validator's checks catch refuse exactly what they
// name: with the fault the request is refused, without it the same request
// succeeds, and a neighbouring request succeeds either way.
func TestValidatorFaultsRefuseOnlyWhatTheyName(t *testing.T) {
	t.Parallel()
	const manager = enterpriseURN + ":manager"
	ops := func(list ...map[string]any) map[string]any {
		l := make([]any, len(list))
		for i, o := range list {
			l[i] = o
		}
		return map[string]any{"schemas": []any{patchURN}, "Operations": l}
	}
	group := func(name string, schemas ...any) map[string]any {
		return map[string]any{"schemas": schemas, "displayName": name}
	}
	adscim := "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
	for _, tc := range []struct {
		fault          string
		method, path   string // path "/Users/{id}" patches a user with a work email and a manager
		refused, other any    // request bodies: refused under the fault, accepted anyway
		status         int    // of the refused request under the fault
	}{
		{"create-foreign-schema-rejected", "POST", "/Groups", group("one", groupURN, adscim), group("two", groupURN), 400},
		{"patch-empty-operations-rejected", "PATCH", "/Users/{id}", ops(), ops(map[string]any{"op": "replace", "path": "title", "value": "t"}), 400},
		{"patch-valuepath-no-create", "PATCH", "/Users/{id}",
			ops(map[string]any{"op": "add", "path": `emails[type eq "home"].value`, "value": "h@example.com"}),
			ops(map[string]any{"op": "replace", "path": `emails[type eq "work"].value`, "value": "w@example.com"}), 400},
		{"manager-clear-rejected", "PATCH", "/Users/{id}",
			ops(map[string]any{"op": "replace", "path": manager, "value": map[string]any{"value": ""}}),
			ops(map[string]any{"op": "remove", "path": manager}), 400},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			t.Parallel()
			for _, faults := range [][]string{{tc.fault}, nil} {
				c := newFaultServer(t, io.Discard, faults...)
				path := tc.path
				if path == "/Users/{id}" {
					status, u := c.do("POST", "/Users", map[string]any{"schemas": []any{userURN, enterpriseURN},
						"userName": "pat@example.com", "emails": []any{map[string]any{"value": "pat@example.com", "type": "work"}},
						enterpriseURN: map[string]any{"manager": map[string]any{"value": "m1"}}})
					id, _ := u["id"].(string)
					if status != http.StatusCreated || id == "" {
						t.Fatalf("create the user: %d %v", status, u)
					}
					path = "/Users/" + id
				}
				want := tc.status
				if faults == nil {
					want = http.StatusOK
					if tc.method == "POST" {
						want = http.StatusCreated
					}
				}
				if status, body := c.do(tc.method, path, tc.refused); status != want {
					t.Errorf("faults %v: %s %s: %d %v, want %d", faults, tc.method, path, status, body, want)
				}
				if status, body := c.do(tc.method, path, tc.other); status >= 300 {
					t.Errorf("faults %v: the neighbouring %s %s: %d %v", faults, tc.method, path, status, body)
				}
			}
		})
	}
}
