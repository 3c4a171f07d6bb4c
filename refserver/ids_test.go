package refserver

import "testing"

// TestIDSource checks that ids have crypto/rand.Text's form, do not
// repeat and use the whole alphabet, and that every source (every store)
// draws a different stream.
func TestIDSource(t *testing.T) {
	t.Parallel()
	a, b := newIDSource(), newIDSource()
	seen := map[string]bool{}
	letters := map[rune]bool{}
	for range 10_000 {
		id := a.next()
		if !isOwnID(id) {
			t.Fatalf("id %q is not 26 characters of the base32 alphabet", id)
		}
		if seen[id] {
			t.Fatalf("id %q issued twice", id)
		}
		seen[id] = true
		for _, c := range id {
			letters[c] = true
		}
	}
	if len(letters) != len(idAlphabet) {
		t.Errorf("ids use %d of the %d letters of the alphabet", len(letters), len(idAlphabet))
	}
	if id := b.next(); seen[id] {
		t.Fatalf("a second source repeated id %q of the first", id)
	}
}
