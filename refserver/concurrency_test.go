package refserver

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentPatchesAreAtomic has many clients add one member each to the
// same group at once: a lost update (a read-modify-write that is not atomic)
// would drop members.
func TestConcurrentPatchesAreAtomic(t *testing.T) {
	t.Parallel()
	c := newClient(t)
	const n = 24
	users := make([]string, n)
	for i := range users {
		users[i] = c.createUser(fmt.Sprintf("conc%d@example.com", i))
	}
	g := c.createGroup("Concurrent")
	var wg sync.WaitGroup
	errs := make(chan string, 3*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.do(req{method: "PATCH", path: "/Groups/" + g, body: patchBody(map[string]any{"op": "add", "path": "members",
				"value": []any{map[string]any{"value": users[i]}}})})
			if r.status != http.StatusNoContent {
				errs <- fmt.Sprintf("add member %d: %d %s", i, r.status, r.body)
			}
			if r := c.get("/Users/" + users[i]); r.status != http.StatusOK {
				errs <- fmt.Sprintf("GET user %d: %d", i, r.status)
			}
			if r := c.get("/Groups?filter=" + q(`displayName eq "concurrent"`)); r.status != http.StatusOK {
				errs <- fmt.Sprintf("list groups: %d", r.status)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	doc := c.get("/Groups/" + g).obj(t)
	if m := memberIDs(doc); len(m) != n {
		t.Errorf("group has %d members after %d concurrent adds", len(m), n)
	}
	if v := at(doc, "meta", "version"); v != fmt.Sprintf(`W/"%d"`, n+1) {
		t.Errorf("version %v after %d changes", v, n)
	}
}
