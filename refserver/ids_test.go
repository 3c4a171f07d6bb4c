package refserver

import "testing"

// TestNewIDs checks that ids have crypto/rand.Text's form (what
// unknown-id-400 recognises), do not repeat and use the whole base32
// alphabet.
func TestNewIDs(t *testing.T) {
	t.Parallel()
	s := newStore(nil)
	seen := map[string]bool{}
	letters := map[rune]bool{}
	for range 10_000 {
		id := s.newIDLocked()
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
	if len(letters) != 32 {
		t.Errorf("ids use %d of the 32 letters of the alphabet", len(letters))
	}
}
