package filter

import (
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Limits bound what Parse accepts, so hostile input is refused before it
// costs time or stack.
type Limits struct {
	MaxLength int // bytes of filter text
	MaxDepth  int // nesting of parentheses, not, and value filters
}

// DefaultLimits are the limits Parse applies.
var DefaultLimits = Limits{MaxLength: 4096, MaxDepth: 32}

// Parse parses a filter with DefaultLimits. Errors are *scimerr.Error with
// scimType invalidFilter.
func Parse(s string) (Expr, error) { return ParseWithLimits(s, DefaultLimits) }

// ParseWithLimits parses a filter.
func ParseWithLimits(s string, l Limits) (Expr, error) {
	return nil, scimerr.BadRequest(scimerr.InvalidFilter, "filter parsing not implemented yet")
}

// ParsePath parses a PATCH path. Errors are *scimerr.Error with scimType invalidPath.
func ParsePath(s string) (AttrPath, error) {
	return AttrPath{}, scimerr.BadRequest(scimerr.InvalidPath, "path parsing not implemented yet")
}
