package refserver

import (
	"net/http"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// The racing faults (create-race, member-add-lost-update) wait between
// their read and their write until no request of their kind has arrived for
// raceQuiet (at most raceMaxWait), so that requests sent together all read
// before any of them writes, even on a loaded machine.
const (
	raceQuiet   = 50 * time.Millisecond
	raceMaxWait = 2 * time.Second
)

// arrive records that a racing request of the given kind arrived.
func (f faultSet) arrive(kind string) {
	f.state.mu.Lock()
	defer f.state.mu.Unlock()
	f.state.arrived[kind] = time.Now()
}

// awaitQuiet waits until no request of the kind has arrived for raceQuiet.
func (f faultSet) awaitQuiet(kind string) {
	deadline := time.Now().Add(raceMaxWait)
	for time.Now().Before(deadline) {
		time.Sleep(raceQuiet / 5)
		f.state.mu.Lock()
		last := f.state.arrived[kind]
		f.state.mu.Unlock()
		if time.Since(last) >= raceQuiet {
			return
		}
	}
}

// skipUniqueness reports whether a name clash goes unchecked: always under
// duplicate-names-accepted; on a user's create under create-race, whose
// check ran before, outside the lock (createRacing).
func (s *store) skipUniqueness(k resourceKind, self *record) bool {
	return s.faults.has(fDuplicateNames) || (self == nil && k == kindUser && s.faults.has(fCreateRace))
}

// namesCollide reports whether two names of one kind clash:
// case-insensitively, or exactly under username-unique-case-sensitive.
func (s *store) namesCollide(a, b string) bool {
	if s.faults.has(fUniqueCaseSensitive) {
		return a == b
	}
	return true // same index key: equal case-insensitively
}

// createRacing is a user's create under the create-race fault: the name is
// checked under the read lock, then, once racing creates stop arriving,
// stored without a new check.
func (s *store) createRacing(k resourceKind, doc map[string]any) (*record, map[string]any, error) {
	name, _ := doc[k.nameAttr()].(string)
	s.faults.arrive("create")
	s.mu.RLock()
	err := s.table(k).checkNameFree(k, name)
	s.mu.RUnlock()
	if err != nil {
		return nil, nil, err
	}
	s.faults.awaitQuiet("create")
	return s.create(k, doc)
}

// checkNameFree is the uniqueness check without faults, for createRacing.
func (t *table) checkNameFree(k resourceKind, name string) error {
	if t.byName[nameKey(name)] != nil {
		return conflict(k, name)
	}
	return nil
}

func conflict(k resourceKind, name string) error {
	return scimerr.New(http.StatusConflict, scimerr.Uniqueness, "%s %s is already in use", k.nameAttr(), scimerr.Quote(name))
}

// updateLosingUpdates is store.update for a member PATCH under
// member-add-lost-update: it reads the group, waits until racing member
// PATCHes stop arriving, then stores what next made of its stale read, so
// concurrent PATCHes overwrite each other's members.
func (s *store) updateLosingUpdates(k resourceKind, id, ifMatch string, next func(current func() map[string]any) (map[string]any, error)) (*record, map[string]any, error) {
	s.faults.arrive("members")
	s.mu.RLock()
	r, err := s.getLocked(k, id)
	var snapshot map[string]any
	if err == nil {
		err = checkIfMatch(ifMatch, r)
		snapshot = s.editableDocLocked(r)
	}
	s.mu.RUnlock()
	if err != nil {
		return nil, nil, err
	}
	stale, err := next(func() map[string]any { return cloneJSON(snapshot).(map[string]any) })
	if err != nil {
		return nil, nil, err
	}
	s.faults.awaitQuiet("members")
	return s.update(k, id, "", func(func() map[string]any) (map[string]any, error) { return stale, nil })
}

// resetCreated is put-resets-created: the resource looks newly created.
func (s *store) resetCreated(r *record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.created = s.now().UnixMilli()
}

// setCreated sets r's creation time (put-takes-body-meta).
func (s *store) setCreated(r *record, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.created = t.UnixMilli()
}

// touch bumps r's version and lastModified (version-bumped-on-noop).
func (s *store) touch(r *record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.touchLocked(r)
}

// moveID gives r the id newID (put-takes-body-id), keeping memberships.
func (s *store) moveID(r *record, newID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.table(r.kind)
	if s.users.byID[newID] != nil || s.groups.byID[newID] != nil {
		return
	}
	old := r.id
	delete(t.byID, old)
	r.id = newID
	t.byID[newID] = r
	// Groups listing r now list newID.
	if groups, ok := s.memberOf[old]; ok {
		for gid := range groups {
			if g := s.groups.byID[gid]; g != nil && g.members.remove(old) {
				g.members.add(newID)
			}
		}
		s.memberOf[newID] = groups
		delete(s.memberOf, old)
	}
	// r's own members point back at newID.
	if r.members != nil {
		for _, m := range r.members.list() {
			s.unlinkMemberLocked(m, old)
			s.linkMemberLocked(m, newID)
		}
	}
}

// memberIDs returns the direct member ids of group id (nil when absent).
func (s *store) memberIDs(id string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if g := s.groups.byID[id]; g != nil {
		return g.members.list()
	}
	return nil
}

// hasMember reports whether group id lists member directly.
func (s *store) hasMember(id, member string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	g := s.groups.byID[id]
	return g != nil && g.members.has(member)
}

// firstRead reports, under read-lag, whether this is the first read of the
// resource with this id since it was created; it remembers the read.
func (f faultSet) firstRead(id string) bool {
	if !f.has(fReadLag) {
		return false
	}
	f.state.mu.Lock()
	defer f.state.mu.Unlock()
	if f.state.read[id] {
		return false
	}
	f.state.read[id] = true
	return true
}

// lowerID is id-changes-on-read's rendering of an id.
func lowerID(id string) string { return strings.ToLower(id) }

// isOwnID reports whether id has the form of the ids this server issues
// (crypto/rand.Text: 26 characters of the base32 alphabet), for
// unknown-id-400.
func isOwnID(id string) bool {
	if len(id) != 26 {
		return false
	}
	for _, c := range id {
		if !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// checkDeletable is what DELETE checks before it deletes: the resource
// exists and If-Match, when given, names its version (for
// delete-keeps-resource, which then keeps it).
func (s *store) checkDeletable(k resourceKind, id, ifMatch string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, err := s.getLocked(k, id)
	if err != nil {
		return err
	}
	return checkIfMatch(ifMatch, r)
}
