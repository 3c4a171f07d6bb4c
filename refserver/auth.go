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
	if s.opts.NoAuth || s.faults.has(fNoAuth) {
		return nil
	}
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return s.unauthorized("missing bearer token (Authorization: Bearer <token>)", h)
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(got[:], s.tokenHash[:]) != 1 {
		return s.unauthorized("invalid bearer token", h)
	}
	return nil
}

// unauthorized is the answer to a request without a valid credential: 401
// (403 under auth-403). The credential is never shown (except under
// token-echoed).
func (s *Server) unauthorized(detail, presented string) error {
	status := http.StatusUnauthorized
	if s.faults.has(fAuth403) {
		status = http.StatusForbidden
	}
	if s.faults.has(fTokenEchoed) && presented != "" {
		detail += ": " + presented
	}
	return scimerr.New(status, "", "%s", detail)
}

// challenge sets the WWW-Authenticate header of a 401 answer.
func (s *Server) challenge(w http.ResponseWriter) {
	if s.faults.has(fNoChallenge) {
		return
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="`+Realm+`"`)
}
