// Package scimerr defines SCIM protocol errors (RFC 7644 §3.12) as values, so
// every layer of the reference server can return one and the HTTP layer can
// render it in a single place.
package scimerr

import (
	"errors"
	"fmt"
	"net/http"
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

// New returns an error with the given status, scimType ("" for none) and detail.
func New(status int, scimType, format string, args ...any) *Error {
	return &Error{Status: status, ScimType: scimType, Detail: fmt.Sprintf(format, args...)}
}

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
