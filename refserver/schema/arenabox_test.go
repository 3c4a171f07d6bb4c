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
// costs one allocation each.
func TestArenaBoxesInChunks(t *testing.T) {
	o, l := Object{{"k", "v"}}, []any{"v"}
	allocs := testing.AllocsPerRun(10, func() {
		var a Arena
		for range minStringChunk {
			_ = a.BoxString("s")
		}
		for range minObjectChunk {
			_ = a.BoxObject(o)
		}
		for range minListChunk {
			_ = a.BoxList(l)
		}
	})
	if allocs != 3 {
		t.Errorf("%v allocations, want 3 (one chunk each)", allocs)
	}
}
