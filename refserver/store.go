package refserver

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// store is the concurrency-safe in-memory resource store. One RWMutex guards
// both tables and the membership index because group membership links them.
type store struct {
	mu       sync.RWMutex
	users    *table
	groups   *table
	memberOf map[string]map[string]struct{} // member id -> ids of the groups listing it directly
	seq      uint64
	now      func() time.Time
	faults   faultSet // deliberate defects (faults.go); none by default
	variants variantSet
	lastID   uint64 // the last id issued under ids-sequential
}

func newStore(now func() time.Time) *store {
	return &store{users: newTable(), groups: newTable(), memberOf: map[string]map[string]struct{}{}, now: now}
}

func (s *store) table(k resourceKind) *table {
	if k == kindGroup {
		return s.groups
	}
	return s.users
}

// input is a validated canonical document split into what a record stores.
type input struct {
	name       string
	externalID string
	body       []byte
	attrs      map[string]any // what body encodes
	members    []string       // groups only: direct member ids, de-duplicated, in order
}

// create stores a new resource from a canonical document. Besides the
// record it returns the attributes the record's body encodes, for the
// answer, which so needs not decode what was just encoded.
func (s *store) create(k resourceKind, doc map[string]any) (*record, map[string]any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.table(k)
	id := s.newIDLocked()
	in, err := s.splitLocked(k, id, doc)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkUniqueLocked(k, in.name, nil); err != nil {
		return nil, nil, err
	}
	now := s.now().UnixMilli()
	s.seq++
	r := &record{kind: k, id: id, name: in.name, externalID: in.externalID, body: in.body,
		created: now, modified: now, version: 1, seq: s.seq}
	if k == kindGroup {
		r.members = newMemberSet()
		for _, m := range in.members {
			r.members.add(m)
			s.linkMemberLocked(m, id)
		}
	}
	t.insert(r)
	return r, in.attrs, nil
}

// get returns the record with the given id.
func (s *store) getLocked(k resourceKind, id string) (*record, error) {
	r := s.table(k).byID[id]
	if r == nil && s.faults.has(fForeignID400) && !isOwnID(id) {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "%s is not a valid id", scimerr.Quote(id))
	}
	if r == nil {
		return nil, scimerr.NotFound("%s %s not found", k.resourceType().Name, scimerr.Quote(id))
	}
	return r, nil
}

// update replaces a resource with the document next returns. next receives
// the current document (built lazily) and runs under the write lock, so a
// read-modify-write such as PATCH is atomic per resource. The version only
// changes when the stored content does. Like create, it returns the
// attributes the record's body encodes.
func (s *store) update(k resourceKind, id, ifMatch string, next func(current func() map[string]any) (map[string]any, error)) (*record, map[string]any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.getLocked(k, id)
	if err != nil {
		return nil, nil, err
	}
	if err := checkIfMatch(ifMatch, r); err != nil {
		return nil, nil, err
	}
	doc, err := next(func() map[string]any { return s.editableDocLocked(r) })
	if err != nil {
		return nil, nil, err
	}
	in, err := s.splitLocked(k, id, doc)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkUniqueLocked(k, in.name, r); err != nil {
		return nil, nil, err
	}
	changed := in.name != r.name || in.externalID != r.externalID || !bytes.Equal(in.body, r.body)
	if k == kindGroup && s.setMembersLocked(r, in.members) {
		changed = true
	}
	if changed {
		s.table(k).reindex(r, in.name, in.externalID)
		r.body = in.body
		s.touchLocked(r)
	}
	return r, in.attrs, nil
}

// remove deletes a resource and every membership that mentions it.
func (s *store) remove(k resourceKind, id, ifMatch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.getLocked(k, id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(ifMatch, r); err != nil {
		return err
	}
	if r.members != nil {
		for _, m := range r.members.list() {
			s.unlinkMemberLocked(m, id)
		}
	}
	for gid := range s.memberOf[id] {
		if s.faults.has(fDeletedUserStays) {
			break // deleted-user-stays-member: the groups keep listing it
		}
		if g := s.groups.byID[gid]; g != nil && g.members.remove(id) {
			s.touchLocked(g)
		}
	}
	delete(s.memberOf, id)
	s.table(k).remove(r)
	return nil
}

// setMembersLocked makes g's direct members exactly ids, touching only the
// difference; it reports whether anything changed.
func (s *store) setMembersLocked(g *record, ids []string) bool {
	want := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		want[id] = struct{}{}
	}
	changed := false
	for _, id := range g.members.list() {
		if _, ok := want[id]; !ok {
			g.members.remove(id)
			s.unlinkMemberLocked(id, g.id)
			changed = true
		}
	}
	for _, id := range ids {
		if g.members.add(id) {
			s.linkMemberLocked(id, g.id)
			changed = true
		}
	}
	return changed
}

func (s *store) linkMemberLocked(member, group string) {
	set := s.memberOf[member]
	if set == nil {
		set = map[string]struct{}{}
		s.memberOf[member] = set
	}
	set[group] = struct{}{}
}

func (s *store) unlinkMemberLocked(member, group string) {
	set := s.memberOf[member]
	delete(set, group)
	if len(set) == 0 {
		delete(s.memberOf, member)
	}
}

func (s *store) touchLocked(r *record) {
	if !s.faults.has(fVersionStatic) {
		r.version++
	}
	r.modified = s.now().UnixMilli()
}

// checkUniqueLocked fails with 409 uniqueness when another record than self
// holds name case-insensitively.
func (s *store) checkUniqueLocked(k resourceKind, name string, self *record) error {
	if s.skipUniqueness(k, self) {
		return nil
	}
	if other := s.table(k).byName[nameKey(name)]; other != nil && other != self && s.namesCollide(other.name, name) {
		return scimerr.New(http.StatusConflict, scimerr.Uniqueness,
			"%s %s is already in use (compared case-insensitively)", k.nameAttr(), scimerr.Quote(name))
	}
	return nil
}

// newIDLocked returns a random, unguessable, URL-safe id not yet in use.
func (s *store) newIDLocked() string {
	for {
		id := rand.Text() // 26 characters of base32: 130 random bits, URL-safe
		if s.variants.has(vIDsSequential) {
			s.lastID++
			id = strconv.FormatUint(s.lastID, 10)
		}
		if s.users.byID[id] == nil && s.groups.byID[id] == nil {
			return id
		}
	}
}

// splitLocked validates what the store itself enforces (a string name,
// existing members) and splits doc into record fields. selfID is the id
// the resource has or will have.
func (s *store) splitLocked(k resourceKind, selfID string, doc map[string]any) (input, error) {
	var in input
	name, ok := doc[k.nameAttr()].(string)
	if !ok || name == "" {
		return in, scimerr.BadRequest(scimerr.InvalidValue, "%s is required and must be a non-empty string", k.nameAttr())
	}
	in.name = name
	if ext, ok := doc["externalId"].(string); ok {
		in.externalID = ext
	}
	if k == kindGroup {
		members, err := s.memberIDsLocked(selfID, doc["members"])
		if err != nil {
			return in, err
		}
		in.members = members
	}
	stored := make(map[string]any, len(doc))
	for key, v := range doc {
		if !isFieldKey(key) && key != k.nameAttr() && key != k.derivedKey() {
			stored[key] = v
		}
	}
	in.attrs = stored
	if len(stored) == 0 {
		return in, nil
	}
	body, err := marshal(stored)
	if err != nil {
		return in, fmt.Errorf("encode %s %q: %w", k.resourceType().Name, selfID, err)
	}
	in.body = bytes.Clone(body) // exact size: the body lives as long as the resource
	return in, nil
}

// memberIDsLocked checks that every members[].value names an existing user
// or group (other than the group itself) and returns the de-duplicated ids.
func (s *store) memberIDsLocked(groupID string, v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "members must be an array")
	}
	ids := make([]string, 0, len(list))
	seen := make(map[string]bool, len(list))
	for i, item := range list {
		m, _ := item.(map[string]any)
		id, _ := m["value"].(string)
		switch {
		case id == "":
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "members[%d].value is required", i)
		case id == groupID:
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "members[%d].value %s: a group cannot be a member of itself", i, scimerr.Quote(id))
		case s.users.byID[id] == nil && s.groups.byID[id] == nil:
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "members[%d].value %s is not the id of an existing User or Group", i, scimerr.Quote(id))
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}
