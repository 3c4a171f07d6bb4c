package refserver

// memberSet is a group's direct members in insertion order. Adding or
// removing one member is O(1) amortised: removed slots are blanked and the
// slice is compacted once half of it is blank.
type memberSet struct {
	ids   []string       // insertion order; "" marks a removed slot
	pos   map[string]int // id -> index in ids
	blank int
}

func newMemberSet() *memberSet { return &memberSet{pos: map[string]int{}} }

func (m *memberSet) has(id string) bool { _, ok := m.pos[id]; return ok }

func (m *memberSet) len() int { return len(m.pos) }

// add appends id; it reports false when id was already a member.
func (m *memberSet) add(id string) bool {
	if m.has(id) {
		return false
	}
	m.pos[id] = len(m.ids)
	m.ids = append(m.ids, id)
	return true
}

// remove drops id; it reports false when id was not a member.
func (m *memberSet) remove(id string) bool {
	i, ok := m.pos[id]
	if !ok {
		return false
	}
	delete(m.pos, id)
	m.ids[i] = ""
	m.blank++
	if m.blank > len(m.ids)/2 {
		m.compact()
	}
	return true
}

func (m *memberSet) compact() {
	kept := m.ids[:0]
	for _, id := range m.ids {
		if id != "" {
			m.pos[id] = len(kept)
			kept = append(kept, id)
		}
	}
	clear(m.ids[len(kept):])
	m.ids = kept
	m.blank = 0
}

// list returns the member ids in insertion order.
func (m *memberSet) list() []string {
	out := make([]string, 0, len(m.pos))
	for _, id := range m.ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}
