package refserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Realm is the realm of the WWW-Authenticate challenge.
const Realm = "scimconform"

// authenticate checks the bearer token. Tokens are compared as SHA-256
// digests in constant time, so neither content nor length leaks by timing.
func (s *Server) authenticate(r *http.Request) error {
	if s.opts.NoAuth {
		return nil
	}
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return scimerr.New(http.StatusUnauthorized, "", "missing bearer token (Authorization: Bearer <token>)")
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(got[:], s.tokenHash[:]) != 1 {
		return scimerr.New(http.StatusUnauthorized, "", "invalid bearer token")
	}
	return nil
}

// challenge sets the WWW-Authenticate header of a 401 answer.
func (s *Server) challenge(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="`+Realm+`"`)
}
