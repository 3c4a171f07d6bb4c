package filter

import (
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Matcher reports whether a resource document matches.
type Matcher func(doc map[string]any) bool

// Compile checks every attribute and value in e against rt and returns a
// matcher. Errors are *scimerr.Error with scimType invalidFilter.
func Compile(rt *schema.ResourceType, e Expr) (Matcher, error) {
	return nil, scimerr.BadRequest(scimerr.InvalidFilter, "filter evaluation not implemented yet")
}
