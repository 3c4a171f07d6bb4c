package scimerr

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuoteCutsLongInputWithItsLength(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", MaxQuoted-1) + "é" + strings.Repeat("y", 1000) // é straddles the cut
	for _, c := range []struct {
		name, in, want string
	}{
		{"short", "abc", `"abc"`},
		{"exactly the limit", strings.Repeat("a", MaxQuoted), strconv.Quote(strings.Repeat("a", MaxQuoted))},
		{"control characters are escaped", "a\x00b\x1b", `"a\x00b\x1b"`},
		{"long", strings.Repeat("a", 1<<20), strconv.Quote(strings.Repeat("a", MaxQuoted)+"…") + " (1048576 bytes, truncated)"},
		{"a rune across the cut is left out whole", long, strconv.Quote(strings.Repeat("x", MaxQuoted-1)+"…") + " (1257 bytes, truncated)"},
	} {
		if got := Quote(c.in); got != c.want {
			t.Errorf("%s: Quote = %.80q…, want %.80q…", c.name, got, c.want)
		}
	}
	if got := Clip(long); !utf8.ValidString(got) || !strings.HasSuffix(got, "x… (1257 bytes, truncated)") {
		t.Errorf("Clip = %q", got)
	}
}

func TestNewBoundsTheDetail(t *testing.T) {
	t.Parallel()
	e := New(http.StatusBadRequest, InvalidValue, "value %s", strings.Repeat("v", 100_000))
	if len(e.Detail) > MaxDetail+64 || !strings.HasSuffix(e.Detail, "… (100006 bytes, truncated)") {
		t.Fatalf("detail of %d bytes ends %q", len(e.Detail), e.Detail[len(e.Detail)-40:])
	}
	if e := BadRequest(InvalidPath, "path %s", Quote("p")); e.Detail != `path "p"` {
		t.Fatalf("short detail changed: %q", e.Detail)
	}
}
