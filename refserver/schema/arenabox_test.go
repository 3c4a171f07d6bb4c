package schema

import (
	"reflect"
	"runtime"
	"strconv"
	"testing"
)

// TestArenaBoxesLikeGo checks that values boxed by an arena, past the
// first chunk and after garbage collections, are the values Go boxes:
// equal under ==, type switches and reflect.
func TestArenaBoxesLikeGo(t *testing.T) {
	t.Parallel()
	for _, arena := range []*Arena{nil, {}} {
		const n = 3 * minStringChunk
		var boxed, want []any
		for i := range n {
			s := strconv.Itoa(i)
			o := Object{{s, s}}
			l := []any{s, float64(i)}
			boxed = append(boxed, arena.BoxString(s), arena.BoxObject(o), arena.BoxList(l))
			want = append(want, s, o, l)
			runtime.GC() // chunks stay alive only through the anys
		}
		for i, b := range boxed {
			if !reflect.DeepEqual(b, want[i]) {
				t.Fatalf("boxed value %d is %#v, want %#v", i, b, want[i])
			}
			switch w := want[i].(type) {
			case string:
				if s, ok := b.(string); !ok || s != w || b != want[i] {
					t.Fatalf("boxed string %d is %#v, want %q", i, b, w)
				}
			case Object:
				if o, ok := b.(Object); !ok || &o[0] != &w[0] {
					t.Fatalf("boxed Object %d is %#v, want %#v", i, b, w)
				}
			case []any:
				if l, ok := b.([]any); !ok || &l[0] != &w[0] {
					t.Fatalf("boxed array %d is %#v, want %#v", i, b, w)
				}
			}
		}
	}
}

// TestArenaBoxesInChunks checks that boxing a chunk's worth of each kind
// costs nothing beyond the arena, which holds the first chunks, and one
// allocation each for the next chunks.
func TestArenaBoxesInChunks(t *testing.T) {
	o, l := Object{{"k", "v"}}, []any{"v"}
	for _, tc := range []struct {
		chunks int
		want   float64
	}{{1, 1}, {2, 4}} {
		allocs := testing.AllocsPerRun(10, func() {
			var a Arena // escapes: its address is in the anys
			for range tc.chunks * minStringChunk {
				_ = a.BoxString("s")
			}
			for range tc.chunks * minObjectChunk {
				_ = a.BoxObject(o)
			}
			for range tc.chunks * minListChunk {
				_ = a.BoxList(l)
			}
		})
		if allocs != tc.want {
			t.Errorf("%d chunks of each: %v allocations, want %v", tc.chunks, allocs, tc.want)
		}
	}
}
