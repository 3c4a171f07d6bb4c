package refserver

import "strings"

// table holds the records of one resource kind with the indexes that serve
// Microsoft Entra ID's lookups (id, name, externalId) without scanning.
type table struct {
	byID    map[string]*record
	byName  map[string]*record // nameKey(name) -> record; names are unique
	byExtID map[string]*record // externalId -> first record of a chain via nextExt
	order   []*record          // creation order; deleted records linger until compaction
	dead    int                // deleted records still in order
}

func newTable() *table {
	return &table{byID: map[string]*record{}, byName: map[string]*record{}, byExtID: map[string]*record{}}
}

// nameKey is the index key of a case-insensitively unique name.
func nameKey(s string) string { return strings.ToLower(s) }

func (t *table) insert(r *record) {
	t.byID[r.id] = r
	t.byName[nameKey(r.name)] = r
	t.linkExt(r)
	t.order = append(t.order, r)
}

func (t *table) remove(r *record) {
	delete(t.byID, r.id)
	delete(t.byName, nameKey(r.name))
	t.unlinkExt(r)
	r.deleted = true
	t.dead++
	if t.dead > 64 && t.dead > len(t.order)/2 {
		t.compact()
	}
}

// reindex moves r's index entries from its current name/externalId to new
// ones.
func (t *table) reindex(r *record, name, externalID string) {
	if name != r.name {
		old := r.name
		r.name = name
		if nameKey(old) != nameKey(r.name) {
			delete(t.byName, nameKey(old))
			t.byName[nameKey(r.name)] = r
		}
	}
	if externalID != r.externalID {
		t.unlinkExt(r)
		r.externalID = externalID
		t.linkExt(r)
	}
}

func (t *table) linkExt(r *record) {
	r.nextExt = nil
	if r.externalID == "" {
		return
	}
	r.nextExt = t.byExtID[r.externalID]
	t.byExtID[r.externalID] = r
}

func (t *table) unlinkExt(r *record) {
	if r.externalID == "" {
		return
	}
	head := t.byExtID[r.externalID]
	switch {
	case head == r && r.nextExt == nil:
		delete(t.byExtID, r.externalID)
	case head == r:
		t.byExtID[r.externalID] = r.nextExt
	default:
		for p := head; p != nil; p = p.nextExt {
			if p.nextExt == r {
				p.nextExt = r.nextExt
				break
			}
		}
	}
	r.nextExt = nil
}

// byExternalID returns the records whose externalId equals v exactly.
func (t *table) byExternalID(v string) []*record {
	var out []*record
	for p := t.byExtID[v]; p != nil; p = p.nextExt {
		out = append(out, p)
	}
	return out
}

func (t *table) compact() {
	kept := t.order[:0]
	for _, r := range t.order {
		if !r.deleted {
			kept = append(kept, r)
		}
	}
	clear(t.order[len(kept):])
	t.order = kept
	t.dead = 0
}

// live returns the number of stored records.
func (t *table) live() int { return len(t.byID) }
