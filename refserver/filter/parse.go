package filter

import (
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Limits bound what Parse accepts, so hostile input is refused before it
// costs time or stack. A zero or negative field means the DefaultLimits value,
// never "unlimited".
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
	p, err := newParser(s, l, scimerr.InvalidFilter, "filter")
	if err != nil {
		return nil, err
	}
	return p.filter()
}

// ParsePath parses a PATCH path: an attribute path, or a value path
// optionally followed by "." and a sub-attribute. Errors are *scimerr.Error
// with scimType invalidPath.
func ParsePath(s string) (AttrPath, error) {
	p, err := newParser(s, DefaultLimits, scimerr.InvalidPath, "path")
	if err != nil {
		return AttrPath{}, err
	}
	return p.patchPath()
}
