package scimclient

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// The guard keeps a run to its own resources on a shared tenant. With
// Config.RunID set, the client changes (PUT, PATCH, DELETE, or any other
// method that is not a read) a /Users/{id} or /Groups/{id} only when this
// run has seen the resource as its own: a 2xx answer to its POST, or a 2xx
// GET or .search answer showing the resource with the run prefix in its
// userName (users) or displayName (groups), compared case-insensitively.
// An id that itself starts with the run prefix was made up by the run (a
// spec asking for an id that never existed) and passes too. Everything
// else is refused before it is sent, whatever the target answers to
// filters: a target that ignores them cannot steer a cleanup onto the
// tenant's real users.

// ErrNotOwned matches, with errors.Is, the Exchange.Err of a request the
// client refused to send because it would change a user or group this run
// did not create.
var ErrNotOwned = errors.New("refused: not a resource of this run")

// notOwned is the error of a refused request.
type notOwned struct {
	method, path, reason string
}

func (e *notOwned) Error() string {
	return "refused to " + e.method + " " + e.path + ": " + e.reason
}

func (e *notOwned) Is(target error) bool { return target == ErrNotOwned }

// ownership remembers the users and groups a run has seen as its own,
// keyed by collection and id.
type ownership struct {
	prefix      string // the run prefix as configured, "scimc-1a2b3c-"
	prefixBytes []byte // the same, for searching response bodies

	mu  sync.RWMutex
	ids map[string]struct{}
}

func newOwnership(runID string) *ownership {
	prefix := runID + "-"
	return &ownership{prefix: prefix, prefixBytes: []byte(prefix), ids: map[string]struct{}{}}
}

// ownedKey is the map key of id in collection c.
func ownedKey(c collection, id string) string { return string(rune('0'+c)) + id }

func (o *ownership) add(c collection, id string) {
	o.mu.Lock()
	o.ids[ownedKey(c, id)] = struct{}{}
	o.mu.Unlock()
}

// owns reports whether the run may change resource id of c.
func (o *ownership) owns(c collection, id string) bool {
	if hasPrefixFold(id, o.prefix) {
		return true // made up by the run, e.g. an id that never existed
	}
	o.mu.RLock()
	_, ok := o.ids[ownedKey(c, id)]
	o.mu.RUnlock()
	return ok
}

// carries reports whether a userName or displayName carries the run prefix.
func (o *ownership) carries(name string, present bool) bool {
	return present && hasPrefixFold(name, o.prefix)
}

// hasPrefixFold is strings.HasPrefix under Unicode case folding.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// check returns why method may not be sent to tp, nil when it may: only a
// read, a create (POST to a collection) or a search may touch a user or
// group the run has not seen as its own.
func (o *ownership) check(method string, tp targetPath) error {
	if readOnly(method) {
		return nil
	}
	if tp.dotted {
		return &notOwned{method, tp.shown, "the path has a \".\" or \"..\" segment, which the target may resolve to a resource this run did not create"}
	}
	for i, seg := range tp.segs {
		c := collectionOf(seg)
		if c == noCollection {
			continue
		}
		if i+1 == len(tp.segs) {
			if isPost(method) {
				continue // a create
			}
			return &notOwned{method, tp.shown, "it would change the whole collection, not one resource this run created"}
		}
		id := tp.segs[i+1]
		if isPost(method) && id == ".search" && i+2 == len(tp.segs) {
			continue
		}
		if !o.owns(c, id) {
			return &notOwned{method, tp.shown, "this run did not create it (no answer from the target showed it carrying the run prefix " + o.prefix + ")"}
		}
	}
	return nil
}

// learn registers what a complete 2xx answer shows as the run's own: the
// resource a POST to a collection created, and the resources of a GET (one
// resource or a list) or a .search that carry the run prefix. Other
// answers are not read.
func (o *ownership) learn(method string, tp targetPath, x *Exchange) {
	if x.Status < 200 || x.Status > 299 || tp.dotted || len(tp.segs) == 0 || len(tp.segs) > 2 {
		return
	}
	c := collectionOf(tp.segs[0])
	if c == noCollection {
		return
	}
	one := len(tp.segs) == 1
	switch {
	case isPost(method) && one:
		o.learnCreated(c, x.RespBody, x.ReqBody)
	case isPost(method) && tp.segs[1] == ".search", strings.EqualFold(method, http.MethodGet) && one:
		if o.mentioned(x.RespBody) {
			_, _, _ = ReadList(x.RespBody, func(r *Names) { o.learnShown(c, r) })
		}
	case strings.EqualFold(method, http.MethodGet):
		var r Names
		if o.mentioned(x.RespBody) && readResourceNames(x.RespBody, &r) {
			o.learnShown(c, &r)
		}
	}
}

// learnCreated registers a created resource that carries the run prefix;
// when the answer leaves the name out, the request's name decides.
func (o *ownership) learnCreated(c collection, answer, request []byte) {
	var r Names
	if !readResourceNames(answer, &r) || len(r.ID) == 0 {
		return
	}
	name, present := r.name(c)
	if !present {
		var sent Names
		if !readResourceNames(request, &sent) {
			return
		}
		name, present = sent.name(c)
	}
	if o.carries(name, present) {
		o.add(c, r.ID)
	}
}

func (o *ownership) learnShown(c collection, r *Names) {
	if len(r.ID) > 0 && o.carries(r.name(c)) {
		o.add(c, r.ID)
	}
}

// guard returns the refusal of a request that would change a user or
// group the run has not seen as its own, and the path of a request that
// is not a read, already split for learn.
func (c *Client) guard(x *Exchange) (targetPath, error) {
	if c.owned == nil {
		return targetPath{}, nil
	}
	method := effectiveMethod(x.Method, x.ReqHeader)
	if readOnly(method) {
		return targetPath{}, nil // split after the answer, if it is 2xx
	}
	tp, err := splitTargetPath(x.URL, c.basePath)
	if err != nil {
		return tp, &notOwned{method, tp.shown, err.Error()}
	}
	return tp, c.owned.check(method, tp)
}

// learn registers what a complete answer shows as the run's own; tp is
// what guard split, the zero value for a read.
func (c *Client) learn(x *Exchange, tp targetPath) {
	if c.owned == nil || x.Status < 200 || x.Status > 299 {
		return
	}
	method := effectiveMethod(x.Method, x.ReqHeader)
	if !tp.split {
		// A read registers only what its answer shows with the prefix.
		if !strings.EqualFold(method, http.MethodGet) || !c.owned.mentioned(x.RespBody) {
			return
		}
		var err error
		if tp, err = splitTargetPath(x.URL, c.basePath); err != nil {
			return
		}
	}
	c.owned.learn(method, tp, x)
}

// maxRunID bounds a run id; NewRunID makes 12 characters.
const maxRunID = 64

// validRunID checks that id can prefix names and sit in a filter's string
// literal as it is: letters, digits, '.', '_' and '-', not ending in '-'
// (the prefix adds one).
func validRunID(id string) error {
	if id == "" || len(id) > maxRunID || strings.HasSuffix(id, "-") {
		return fmt.Errorf("run id %q must be 1 to %d characters and not end with '-', e.g. %s", id, maxRunID, NewRunID())
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-') {
			return fmt.Errorf("run id %q: %q is not allowed, only letters, digits, '.', '_' and '-'", id, r)
		}
	}
	return nil
}

// RunPrefix returns the prefix every name the run creates starts with,
// RunID+"-"; "" when the client has no run id (and no guard).
func (c *Client) RunPrefix() string {
	if c.owned == nil {
		return ""
	}
	return c.owned.prefix
}

// WithRunID returns a client that shares c's settings and connections but
// guards the resources of run runID, with its own record of them (c's
// record, if any, is not shared): for a caller that is handed a client
// and starts a run of its own.
func (c *Client) WithRunID(runID string) (*Client, error) {
	if err := validRunID(runID); err != nil {
		return nil, err
	}
	s := *c.s
	s.RunID = runID
	g := *c
	g.s, g.owned = &s, newOwnership(runID)
	return &g, nil
}

// NewRunID returns a fresh run id, "scimc-" and six hex digits.
func NewRunID() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return "scimc-" + hex.EncodeToString(b[:])
}

// UnusedID returns a new random UUID (version 4, RFC 9562 §5.4) that the
// run may address with any method: 122 random bits name no resource the
// target already has. It is for requests about an id that never existed,
// sent in the shape real clients use (Microsoft's validator deletes a
// random GUID); ids made with the run prefix serve the same purpose where
// the shape does not matter. Without a run id (no guard) it is just a
// random UUID.
func (c *Client) UnusedID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	id := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	if c.owned != nil {
		c.owned.add(usersCollection, id)
		c.owned.add(groupsCollection, id)
	}
	return id
}
