package schema

import "unsafe"

// Putting a string, Object or array into an any allocates a copy of its
// header on its own, and a create body holds a few dozen of them. The
// arena keeps those headers in chunks instead and makes each any point
// at its header there, which Go cannot express without unsafe: an any is
// a type word and a pointer to the value, the layout reflect and the
// runtime share. The header is written once, before the any exists, and
// never again, as the runtime expects of a boxed value; the any keeps
// its chunk alive like any other cut.

// eface is the layout of an any.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// typeWord is the type word of an any holding v.
func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// Type words of the values the arena boxes (zero values box without
// allocating).
var (
	stringType = typeWord("")
	objectType = typeWord(Object(nil))
	listType   = typeWord([]any(nil))
)

// Smallest chunks of boxed headers: an Entra create body and its
// document need one each.
const (
	minStringChunk = 32
	minObjectChunk = 16
	minListChunk   = 8
)

// boxIn appends v to chunk (first when unused, else a new chunk of at
// least min when full) and returns an any of type typ, the type word of
// T, holding it there.
func boxIn[T any](chunk *[]T, first []T, v T, typ unsafe.Pointer, min int) (boxed any) {
	makeRoom(chunk, first, 1, min)
	*chunk = append(*chunk, v)
	*(*eface)(unsafe.Pointer(&boxed)) = eface{typ, unsafe.Pointer(&(*chunk)[len(*chunk)-1])}
	return boxed
}

// BoxString returns s as an any (a nil arena boxes it as Go does).
func (a *Arena) BoxString(s string) any {
	if a == nil {
		return s
	}
	return boxIn(&a.strings, a.firstStrings[:], s, stringType, minStringChunk)
}

// BoxObject returns o as an any (a nil arena boxes it as Go does).
func (a *Arena) BoxObject(o Object) any {
	if a == nil {
		return o
	}
	return boxIn(&a.objects, a.firstObjects[:], o, objectType, minObjectChunk)
}

// BoxList returns l as an any (a nil arena boxes it as Go does).
func (a *Arena) BoxList(l []any) any {
	if a == nil {
		return l
	}
	return boxIn(&a.lists, a.firstLists[:], l, listType, minListChunk)
}
