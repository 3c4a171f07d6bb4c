package schema

// Arena cuts the Objects and arrays of one document from shared chunks,
// so that a body of a few dozen objects costs a few allocations instead
// of one per object and array. Whatever is cut from a chunk keeps all of
// it alive: an arena suits documents that live for one request. The zero
// Arena is ready to use; a nil *Arena allocates each one on its own.
type Arena struct {
	members []Member
	elems   []any
	// The headers of boxed values (arenabox.go).
	strings []string
	objects []Object
	lists   [][]any
}

// Smallest chunks, for when no hint says more.
const (
	minMemberChunk = 32
	minElemChunk   = 16
)

// Reserve makes room for members Object members and elems array elements
// in one chunk each.
func (a *Arena) Reserve(members, elems int) {
	if cap(a.members)-len(a.members) < members {
		a.members = make([]Member, 0, members)
	}
	if cap(a.elems)-len(a.elems) < elems {
		a.elems = make([]any, 0, elems)
	}
}

// Object returns an empty Object with room for n members; appending more
// moves it out of the arena rather than over its neighbour.
func (a *Arena) Object(n int) Object {
	if a == nil {
		return make(Object, 0, n)
	}
	if cap(a.members)-len(a.members) < n {
		a.members = make([]Member, 0, max(n, minMemberChunk))
	}
	i := len(a.members)
	a.members = a.members[:i+n]
	return a.members[i : i : i+n]
}

// List returns an empty array with room for n elements, as Object does.
func (a *Arena) List(n int) []any {
	if a == nil {
		return make([]any, 0, n)
	}
	if cap(a.elems)-len(a.elems) < n {
		a.elems = make([]any, 0, max(n, minElemChunk))
	}
	i := len(a.elems)
	a.elems = a.elems[:i+n]
	return a.elems[i : i : i+n]
}
