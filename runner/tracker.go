package runner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// Tracker remembers what a run created and deletes it afterwards, newest
// first, so a group goes before the users it holds and a report never sees
// a dangling member. A 404 counts as done: the run may have deleted the
// resource itself. A resource the client refuses to delete (ErrNotOwned:
// the run never saw it as its own) is reported and nothing is sent. It is
// safe for concurrent use.
type Tracker struct {
	client *scimclient.Client
	mu     sync.Mutex
	items  []Tracked
	trans  scimclient.Transcript
}

// Tracked is one resource to delete.
type Tracked struct {
	Kind string // "User", "Group"
	Path string // relative to the target, "/Users/<id>"
}

// NewTracker returns a tracker that deletes through c.
func NewTracker(c *scimclient.Client) *Tracker { return &Tracker{client: c} }

// Track adds a resource; tracking the same path twice keeps one entry, at
// the later position.
func (t *Tracker) Track(kind, path string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, it := range t.items {
		if it.Path == path {
			t.items = append(t.items[:i], t.items[i+1:]...)
			break
		}
	}
	t.items = append(t.items, Tracked{Kind: kind, Path: path})
}

// Pending lists what is still to delete, oldest first.
func (t *Tracker) Pending() []Tracked {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Tracked(nil), t.items...)
}

// Records returns the redacted exchanges of every cleanup so far.
func (t *Tracker) Records() []scimclient.Record { return t.trans.Records() }

// Cleanup deletes every tracked resource, newest first, and returns one
// error per resource it could not delete; those stay tracked so a later
// Cleanup tries again. Pass a context that is still live when the run was
// interrupted (for example context.WithoutCancel with a timeout). When the
// client has given up on the target, Cleanup first waits for one probe of
// it (Client.AwaitUsable) and sends nothing if that fails too.
func (t *Tracker) Cleanup(ctx context.Context) []error {
	t.mu.Lock()
	items := t.items
	t.items = nil
	t.mu.Unlock()

	var usable error
	if t.client != nil && len(items) > 0 {
		usable = t.client.AwaitUsable(ctx)
	}
	var errs []error
	var failed []Tracked
	for i := len(items) - 1; i >= 0; i-- {
		err := errNotSent(items[i], usable)
		if err == nil {
			err = t.delete(ctx, items[i])
		}
		if err != nil {
			errs = append(errs, err)
			failed = append([]Tracked{items[i]}, failed...)
		}
	}
	if len(failed) > 0 {
		t.mu.Lock()
		t.items = append(failed, t.items...)
		t.mu.Unlock()
	}
	return errs
}

func (t *Tracker) delete(ctx context.Context, it Tracked) error {
	if t.client == nil {
		return fmt.Errorf("clean up %s %s: the tracker has no client", it.Kind, it.Path)
	}
	x := t.client.Do(ctx, scimclient.Request{Method: http.MethodDelete, Path: it.Path})
	if x.Attempts == 0 && errors.Is(x.Err, scimclient.ErrTargetUnusable) {
		return errNotSent(it, x.Err)
	}
	t.trans.Add(t.client.Redactor().Exchange(x))
	switch {
	case errors.Is(x.Err, scimclient.ErrNotOwned):
		// Not sent: the target never showed it as this run's own.
		return fmt.Errorf("clean up %s %s: %w", it.Kind, it.Path, x.Err)
	case x.Err != nil:
		return fmt.Errorf("clean up %s %s: %s", it.Kind, it.Path, t.client.Redactor().String(x.Err.Error()))
	case x.Status == http.StatusNotFound, x.Status >= 200 && x.Status < 300:
		return nil
	}
	return fmt.Errorf("clean up %s %s: DELETE answered HTTP %d: %s", it.Kind, it.Path, x.Status,
		t.client.Redactor().String(start(x.RespBody, 200)))
}

// errNotSent is the error for a resource whose deletion was not sent
// because the client gave up on the target (unusable non-nil): short, as
// the run reports the target's behaviour once.
func errNotSent(it Tracked, unusable error) error {
	if unusable == nil {
		return nil
	}
	return fmt.Errorf("clean up %s %s: not sent: %w", it.Kind, it.Path, scimclient.ErrTargetUnusable)
}
