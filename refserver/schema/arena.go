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
	// The first chunks of all but members (whose count the body gives)
	// are part of the arena: every create body needs each of them, and an
	// arena that escapes, as a create's does, is one allocation with them.
	firstElems   [minElemChunk]any
	firstStrings [minStringChunk]string
	firstObjects [minObjectChunk]Object
	firstLists   [minListChunk][]any
}

// Smallest chunks, for when no hint says more.
const (
	minMemberChunk = 32
	minElemChunk   = 16
)

// Reserve makes room for members Object members and elems array elements
// in one chunk each.
func (a *Arena) Reserve(members, elems int) {
	makeRoom(&a.members, nil, members, 0)
	makeRoom(&a.elems, a.firstElems[:], elems, 0)
}

// makeRoom makes room for n more in *chunk: in first, the arena's own
// chunk, when *chunk has not been used yet, else in a new chunk of at
// least min.
func makeRoom[T any](chunk *[]T, first []T, n, min int) {
	switch {
	case cap(*chunk)-len(*chunk) >= n:
	case *chunk == nil && n <= len(first):
		*chunk = first[:0]
	default:
		*chunk = make([]T, 0, max(n, min))
	}
}

// Object returns an empty Object with room for n members; appending more
// moves it out of the arena rather than over its neighbour.
func (a *Arena) Object(n int) Object {
	if a == nil {
		return make(Object, 0, n)
	}
	makeRoom(&a.members, nil, n, minMemberChunk)
	i := len(a.members)
	a.members = a.members[:i+n]
	return a.members[i : i : i+n]
}

// List returns an empty array with room for n elements, as Object does.
func (a *Arena) List(n int) []any {
	if a == nil {
		return make([]any, 0, n)
	}
	makeRoom(&a.elems, a.firstElems[:], n, minElemChunk)
	i := len(a.elems)
	a.elems = a.elems[:i+n]
	return a.elems[i : i : i+n]
}
