package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/runner/scimclient"
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
	}, scimclient.Config{Retry: scimclient.RetryPolicy{Disabled: true}})
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
	}, scimclient.Config{})
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
	c, err := scimclient.New(scimclient.Config{Target: "http://127.0.0.1:1", Token: execToken, Retry: scimclient.RetryPolicy{Disabled: true}})
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

func TestTrackerCleanupAfterGivingUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		recovers  bool
		wantErrs  int
		wantSends int64 // requests after giving up: the probe, then the deletions
	}{
		{"target still down: one probe, nothing deleted", false, 3, 1},
		{"target recovered: probe, then every deletion", true, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var healthy atomic.Bool
			srv, hits := countingTarget(t, func(w http.ResponseWriter, r *http.Request) {
				if healthy.Load() {
					w.WriteHeader(http.StatusNoContent)
					return
				}
				htmlError(w, r)
			})
			c := newTestClient(t, srv, scimclient.Config{GiveUpAfter: 1, CoolDown: 20 * time.Millisecond})
			tr := NewTracker(c)
			for _, id := range []string{"1", "2", "3"} {
				tr.Track("User", "/Users/"+id)
			}
			doBounded(t, c, scimclient.Request{Path: "/Users"})
			healthy.Store(tt.recovers)
			before := hits.Load()
			ctx, cancel := context.WithTimeout(context.Background(), testBound)
			defer cancel()
			errs := tr.Cleanup(ctx)
			if len(errs) != tt.wantErrs || hits.Load()-before != tt.wantSends {
				t.Fatalf("Cleanup: %d errors %v, %d requests; want %d errors, %d requests", len(errs), errs, hits.Load()-before, tt.wantErrs, tt.wantSends)
			}
			for _, err := range errs {
				if !errors.Is(err, scimclient.ErrTargetUnusable) || !strings.Contains(err.Error(), "not sent") {
					t.Errorf("cleanup error %v, want it to say the deletion was not sent", err)
				}
			}
			if got := len(tr.Pending()); got != tt.wantErrs {
				t.Errorf("%d resources still tracked, want %d", got, tt.wantErrs)
			}
		})
	}
}

func TestTrackerReportsARefusedPathWithoutSendingIt(t *testing.T) {
	t.Parallel()
	c, other, cc, _ := guardedTarget(t, "")
	foreign := create(t, other, "/Users", "userName", "tracked@example.com")
	ours := create(t, c, "/Users", "userName", guardPrefix+"tracked@example.com")
	tr := NewTracker(c)
	tr.Track("User", "/Users/"+foreign)
	tr.Track("User", "/Users/"+ours)
	errs := tr.Cleanup(context.Background())
	if len(errs) != 1 || !errors.Is(errs[0], scimclient.ErrNotOwned) || !strings.Contains(errs[0].Error(), "/Users/"+foreign) {
		t.Fatalf("cleanup errors %v; want one refusal of the foreign user", errs)
	}
	if cc.count("DELETE /Users/"+foreign) != 0 || cc.count("DELETE /Users/"+ours) != 1 {
		t.Errorf("DELETEs sent: foreign %d, ours %d; want 0 and 1", cc.count("DELETE /Users/"+foreign), cc.count("DELETE /Users/"+ours))
	}
}
