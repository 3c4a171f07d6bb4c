package schema

import (
	"strconv"
	"testing"
)

// TestArenaCutsDoNotOverlap fills every Object and array cut from an arena
// (and one element past its room, which must move it out) and checks that
// none wrote over another.
func TestArenaCutsDoNotOverlap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name           string
		arena          *Arena
		members, elems int // Reserve; 0: none
		sizes          []int
	}{
		{"nil arena", nil, 0, 0, []int{0, 1, 3}},
		{"zero arena", &Arena{}, 0, 0, []int{1, 2, 40, 0, 5}},
		{"reserved", &Arena{}, 10, 10, []int{3, 3, 4, 2}},
		{"past the reserve", &Arena{}, 4, 4, []int{3, 3, 70}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.arena != nil {
				tc.arena.Reserve(tc.members, tc.elems)
			}
			var objects []Object
			var lists [][]any
			for i, n := range tc.sizes {
				o, l := tc.arena.Object(n), tc.arena.List(n)
				if len(o) != 0 || cap(o) != n || len(l) != 0 || cap(l) != n {
					t.Fatalf("cut %d: Object len %d cap %d, List len %d cap %d; want 0 and %d", i, len(o), cap(o), len(l), cap(l), n)
				}
				for j := range n + 1 {
					o = append(o, Member{strconv.Itoa(i), j})
					l = append(l, strconv.Itoa(i))
				}
				objects, lists = append(objects, o), append(lists, l)
			}
			for i := range tc.sizes {
				for j, m := range objects[i] {
					if m.Key != strconv.Itoa(i) || m.Value != j {
						t.Fatalf("Object %d member %d overwritten: %v", i, j, m)
					}
				}
				for j, v := range lists[i] {
					if v != strconv.Itoa(i) {
						t.Fatalf("List %d element %d overwritten: %v", i, j, v)
					}
				}
			}
		})
	}
}

func TestArenaReserveServesCutsWithoutAllocating(t *testing.T) {
	var a Arena
	allocs := testing.AllocsPerRun(10, func() {
		a = Arena{}
		a.Reserve(12, 6)
		for range 4 {
			_ = a.Object(3)
			_ = a.List(1)
		}
		_ = a.List(2)
	})
	if allocs != 1 {
		t.Errorf("%v allocations, want 1 (the members' chunk; the elements fit the arena's own)", allocs)
	}
	allocs = testing.AllocsPerRun(10, func() {
		a = Arena{}
		a.Reserve(0, minElemChunk+1)
		_ = a.List(minElemChunk + 1)
	})
	if allocs != 1 {
		t.Errorf("%v allocations, want 1 (more elements than the arena's own chunk holds)", allocs)
	}
}
