package runner

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestTrackerCleanup(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var deleted []string
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		deleted = append(deleted, r.Method+" "+r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/Users/gone":
			scimJSON(w, http.StatusNotFound, `{"status":"404"}`)
		case "/Users/stuck":
			scimJSON(w, http.StatusInternalServerError, `{"status":"500","detail":"`+execToken+` locked"}`)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}, Config{Retry: RetryPolicy{Disabled: true}})
	tr := NewTracker(c)
	tr.Track("User", "/Users/a")
	tr.Track("User", "/Users/gone")
	tr.Track("User", "/Users/stuck")
	tr.Track("Group", "/Groups/g")
	tr.Track("User", "/Users/a") // tracked again: keeps one entry, at the later position

	errs := tr.Cleanup(context.Background())
	want := "DELETE /Users/a, DELETE /Groups/g, DELETE /Users/stuck, DELETE /Users/gone"
	if got := strings.Join(deleted, ", "); got != want {
		t.Errorf("deleted %s\nwant    %s", got, want)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "clean up User /Users/stuck: DELETE answered HTTP 500") {
		t.Errorf("errors %v, want one for /Users/stuck", errs)
	}
	if strings.Contains(fmt.Sprint(errs), execToken) {
		t.Error("a cleanup error holds the token")
	}
	if p := tr.Pending(); len(p) != 1 || p[0].Path != "/Users/stuck" {
		t.Errorf("pending after cleanup %+v, want only the failed one", p)
	}
	if n := len(tr.Records()); n != 4 {
		t.Errorf("%d cleanup records, want 4", n)
	}

	// A second cleanup tries the failed one again.
	deleted = nil
	if errs := tr.Cleanup(context.Background()); len(errs) != 1 || strings.Join(deleted, ",") != "DELETE /Users/stuck" {
		t.Errorf("second cleanup: %v %v", errs, deleted)
	}
}

func TestTrackerIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	c := stubClient(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.Path]++
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}, Config{})
	tr := NewTracker(c)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr.Track("User", fmt.Sprintf("/Users/%d", i))
			_ = tr.Pending()
		}()
	}
	wg.Wait()
	if errs := tr.Cleanup(context.Background()); len(errs) != 0 {
		t.Fatal(errs)
	}
	if len(seen) != 50 {
		t.Errorf("deleted %d distinct users, want 50", len(seen))
	}
	for p, n := range seen {
		if n != 1 {
			t.Errorf("%s deleted %d times", p, n)
		}
	}
}

func TestTrackerReportsTransportErrors(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Target: "http://127.0.0.1:1", Token: execToken, Retry: RetryPolicy{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTracker(c)
	tr.Track("User", "/Users/x")
	errs := tr.Cleanup(context.Background())
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "clean up User /Users/x") {
		t.Errorf("errors %v", errs)
	}
	if errs := NewTracker(nil).Cleanup(context.Background()); len(errs) != 0 {
		t.Errorf("an empty tracker without a client: %v", errs)
	}
}
