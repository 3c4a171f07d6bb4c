// Package scimerr defines SCIM protocol errors (RFC 7644 §3.12) as values, so
// every layer of the reference server can return one and the HTTP layer can
// render it in a single place.
package scimerr

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// ErrorSchema is the schema URI of every SCIM error response body.
const ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"

// scimType values defined by RFC 7644 §3.12 (table 9).
const (
	InvalidFilter = "invalidFilter"
	TooMany       = "tooMany"
	Uniqueness    = "uniqueness"
	Mutability    = "mutability"
	InvalidSyntax = "invalidSyntax"
	InvalidPath   = "invalidPath"
	NoTarget      = "noTarget"
	InvalidValue  = "invalidValue"
	InvalidVers   = "invalidVers"
	Sensitive     = "sensitive"
)

// Error is a SCIM error: an HTTP status, an optional scimType and a
// human-readable detail that names what was wrong.
type Error struct {
	Status   int
	ScimType string
	Detail   string
}

func (e *Error) Error() string {
	if e.ScimType != "" {
		return fmt.Sprintf("%d %s: %s", e.Status, e.ScimType, e.Detail)
	}
	return fmt.Sprintf("%d: %s", e.Status, e.Detail)
}

// New returns an error with the given status, scimType ("" for none) and
// detail. A detail longer than MaxDetail is cut (see Clip): details that
// quote client input quote it through Quote, and this bounds the rest.
func New(status int, scimType, format string, args ...any) *Error {
	return &Error{Status: status, ScimType: scimType, Detail: clip(fmt.Sprintf(format, args...), MaxDetail)}
}

// Bounds on what an error detail repeats of a request, so that a 1 MB id
// or path is not echoed back.
const (
	MaxQuoted = 256  // bytes of one client-supplied string (Quote, Clip)
	MaxDetail = 4096 // bytes of a whole detail before its marker
)

// Quote quotes client input for a detail as %q does, cut to its first
// MaxQuoted bytes when longer, with a marker giving its length:
// "AAAA…" (1048576 bytes, truncated).
func Quote(s string) string {
	if len(s) <= MaxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:cutAt(s, MaxQuoted)]+"…") + truncated(len(s))
}

// Clip is Quote without the quotes, for input shown as it is.
func Clip(s string) string { return clip(s, MaxQuoted) }

func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	return s[:cutAt(s, limit)] + "…" + truncated(len(s))
}

// cutAt returns the largest index at most limit that does not split a
// UTF-8 sequence of s.
func cutAt(s string, limit int) int {
	i := limit
	for i > 0 && i > limit-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

func truncated(n int) string { return " (" + strconv.Itoa(n) + " bytes, truncated)" }

// BadRequest returns a 400 error with the given scimType.
func BadRequest(scimType, format string, args ...any) *Error {
	return New(http.StatusBadRequest, scimType, format, args...)
}

// NotFound returns a 404 error.
func NotFound(format string, args ...any) *Error {
	return New(http.StatusNotFound, "", format, args...)
}

// As reports whether err is (or wraps) a *Error and returns it. Any other
// non-nil error becomes a 500 so callers always have something to render.
func As(err error) *Error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	return New(http.StatusInternalServerError, "", "internal error")
}
