package refserver

import (
	"strings"
	"testing"
	"unsafe"
)

// TestCloneBoth checks that cloneBoth gives equal strings that share no
// bytes with its arguments, which may be slices of a request body.
func TestCloneBoth(t *testing.T) {
	t.Parallel()
	body := strings.Clone("first.last@contoso.exampleext-1")
	for _, tc := range []struct{ name, a, b string }{
		{"both", body[:26], body[26:]},
		{"no externalId", body[:26], ""},
		{"no name", "", body[26:]},
		{"neither", "", ""},
	} {
		a, b := cloneBoth(tc.a, tc.b)
		if a != tc.a || b != tc.b {
			t.Errorf("%s: got %q, %q; want %q, %q", tc.name, a, b, tc.a, tc.b)
		}
		for _, s := range []string{a, b} {
			if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); s != "" &&
				p >= uintptr(unsafe.Pointer(unsafe.StringData(body))) && p < uintptr(unsafe.Pointer(unsafe.StringData(body)))+uintptr(len(body)) {
				t.Errorf("%s: %q shares the body's bytes", tc.name, s)
			}
		}
	}
}
