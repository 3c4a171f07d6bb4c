package scimclient

import (
	"strconv"
	"testing"
)

func TestParseByteSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want ByteSize
		ok   bool
	}{
		{"1048576", 1 << 20, true},
		{"16MiB", 16 << 20, true},
		{"16 MiB", 16 << 20, true},
		{" 512kib ", 512 << 10, true},
		{"1GiB", 1 << 30, true},
		{"100B", 100, true},
		{"0", 0, true},
		{"", 0, false},
		{"MiB", 0, false},
		{"-1", 0, false},
		{"+5", 0, false},
		{"1.5MiB", 0, false},
		{"16MB", 0, false},
		{"9999999999GiB", 0, false},
		{"9223372036854775808", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestByteSizeFlagValue(t *testing.T) {
	t.Parallel()
	var b ByteSize
	if err := b.Set("32MiB"); err != nil || b.String() != "32 MiB" {
		t.Errorf("Set(32MiB): %v, String() = %q", err, b.String())
	}
	if err := b.Set("lots"); err == nil || b != 32<<20 {
		t.Errorf("Set(lots) = %v and left %d, want an error and the value unchanged", err, b)
	}
}

// FuzzParseByteSize: any input is a size that is never negative, or an
// error; a size written back as bytes reads the same.
func FuzzParseByteSize(f *testing.F) {
	for _, s := range []string{"16MiB", "1 gib", "0", "-1", "99999999999999999999", "1e6", "MiB", " 7 b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseByteSize(s)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseByteSize(%q) = %d, negative", s, n)
		}
		again, err := ParseByteSize(strconv.FormatInt(int64(n), 10))
		if err != nil || again != n {
			t.Fatalf("ParseByteSize(%q) = %d, but its bytes read back as %d, %v", s, n, again, err)
		}
	})
}
