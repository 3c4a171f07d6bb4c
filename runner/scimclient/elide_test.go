package scimclient

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	t.Parallel()
	body := `{"first":"head",` + strings.Repeat("x", 5000) + `,"last":"tail"}`
	record, _ := NewRedactor(1000, nil).Body([]byte(body))
	tests := []struct {
		name  string
		text  string
		size  int64
		limit int
		want  string
	}{
		{"short text unchanged", "hello", 0, 10, "hello"},
		{"whole body cut", "0123456789ABCDEFGHIJ", 0, 8, "012345\n… 12 bytes elided of 20 bytes …\nIJ"},
		{"excerpt cut again around its marker", record, int64(len(body)), 100,
			body[:75] + "\n… 4.8 KiB elided of 4.9 KiB …\n" + body[len(body)-25:]},
		{"rune boundaries", "ééééé" + strings.Repeat("-", 20) + "ééééé", 0, 9, "ééé\n… 32 bytes elided of 40 bytes …\né"},
	}
	for _, tt := range tests {
		if got := Excerpt(tt.text, tt.size, tt.limit); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

func TestMore(t *testing.T) {
	t.Parallel()
	if got := More(12, "violations"); got != "… and 12 more violations" {
		t.Errorf("More = %q", got)
	}
}

// FuzzExcerpt checks that an excerpt never panics, keeps short texts as
// they are, stays near its limit, keeps valid UTF-8 valid and states a
// size no smaller than the text's.
func FuzzExcerpt(f *testing.F) {
	f.Add("0123456789ABCDEFGHIJ", int64(0), uint16(8))
	f.Add("head\n… 4.9 MiB elided of 5.0 MiB …\ntail", int64(5<<20), uint16(6))
	f.Add("ééééé----------ééééé", int64(0), uint16(3))
	f.Fuzz(func(t *testing.T, text string, size int64, limit uint16) {
		got := Excerpt(text, size, int(limit))
		if len(text) <= int(limit) {
			if got != text {
				t.Fatalf("a text within the limit changed: %q -> %q", text, got)
			}
			return
		}
		loc := elision.FindStringIndex(got)
		if loc == nil {
			t.Fatalf("no marker in the excerpt %q of %q", got, text)
		}
		if shown := len(got) - (loc[1] - loc[0]); shown > int(limit) {
			t.Errorf("%d bytes shown, limit %d", shown, limit)
		}
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Errorf("invalid UTF-8 from valid text: %q", got)
		}
	})
}
