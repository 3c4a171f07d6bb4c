package refserver

import (
	"crypto/rand"
	mrand "math/rand/v2"
)

// idSource issues resource ids of the form crypto/rand.Text gives (26
// characters of the base32 alphabet, 130 random bits) from a ChaCha8
// stream seeded by crypto/rand: as unpredictable, and about twenty times
// cheaper than the system call behind each rand.Text. Not safe for
// concurrent use; the store calls it under its lock.
type idSource struct{ stream *mrand.ChaCha8 }

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

func newIDSource() idSource {
	var seed [32]byte
	_, _ = rand.Read(seed[:]) // never fails (crypto/rand.Read crashes the program instead)
	return idSource{stream: mrand.NewChaCha8(seed)}
}

// next returns a fresh random id.
func (s idSource) next() string {
	var b [26]byte
	_, _ = s.stream.Read(b[:]) // never fails
	for i := range b {
		b[i] = idAlphabet[b[i]%32]
	}
	return string(b[:])
}
