package filter

import (
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Matcher reports whether a resource document matches.
type Matcher func(doc map[string]any) bool

// Compile checks every attribute and value in e against rt and returns a
// matcher. Errors are *scimerr.Error with scimType invalidFilter.
//
// The matcher reads canonical documents: attribute names as in the schema,
// extension attributes under their URN key. Semantics follow RFC 7644
// §3.4.2.2: a multi-valued attribute matches if any value does; a complex
// attribute compared without a sub-attribute compares its "value"; "ne" is
// the negation of "eq", so it is true for an absent attribute, and "eq null"
// means absent; the ordering operators never match an absent attribute.
func Compile(rt *schema.ResourceType, e Expr) (Matcher, error) {
	if rt == nil {
		return nil, scimerr.BadRequest(scimerr.InvalidFilter, "no resource type to filter")
	}
	return compiler{rt: rt}.expr(e)
}

// compiler compiles against the attributes of rt or, inside a value filter,
// against the sub-attributes of parent.
type compiler struct {
	rt     *schema.ResourceType
	parent *schema.Attribute
}

func (c compiler) expr(e Expr) (Matcher, error) {
	switch x := e.(type) {
	case *And:
		if x != nil {
			l, r, err := c.pair(x.L, x.R)
			if err != nil {
				return nil, err
			}
			return func(m map[string]any) bool { return l(m) && r(m) }, nil
		}
	case *Or:
		if x != nil {
			l, r, err := c.pair(x.L, x.R)
			if err != nil {
				return nil, err
			}
			return func(m map[string]any) bool { return l(m) || r(m) }, nil
		}
	case *Not:
		if x != nil {
			inner, err := c.expr(x.X)
			if err != nil {
				return nil, err
			}
			return func(m map[string]any) bool { return !inner(m) }, nil
		}
	case *Compare:
		if x != nil {
			return c.compare(x)
		}
	case *ValuePath:
		if x != nil {
			return c.valuePath(x)
		}
	}
	return nil, scimerr.BadRequest(scimerr.InvalidFilter, "empty filter expression")
}

func (c compiler) pair(l, r Expr) (Matcher, Matcher, error) {
	lm, err := c.expr(l)
	if err != nil {
		return nil, nil, err
	}
	rm, err := c.expr(r)
	if err != nil {
		return nil, nil, err
	}
	return lm, rm, nil
}

// compare compiles `attrPath op value`.
func (c compiler) compare(x *Compare) (Matcher, error) {
	loc, a, label, err := c.locate(x.Attr)
	if err != nil {
		return nil, err
	}
	if x.Value == nil && (x.Op == Eq || x.Op == Ne) {
		absent, at := x.Op == Eq, loc
		return func(m map[string]any) bool { return at.any(m, present{}) != absent }, nil
	}
	if a.Type == schema.Complex && x.Op != Pr {
		if v := a.Sub("value"); v != nil && loc.sub == "" {
			loc.sub, a, label = v.Name, v, label+"."+v.Name
		}
	}
	p, err := newPredicate(a, label, x.Op, x.Value)
	if err != nil {
		return nil, err
	}
	// A copy assigned once is held in the closure itself: one allocation
	// for the matcher and where it looks.
	at := loc
	if x.Op == Ne {
		return func(m map[string]any) bool { return !at.any(m, p) }, nil
	}
	return func(m map[string]any) bool { return at.any(m, p) }, nil
}

// valuePath compiles `attr[filter]`: some value of attr passes filter.
func (c compiler) valuePath(x *ValuePath) (Matcher, error) {
	if x.Filter == nil || x.Attr.Filter != nil || x.Attr.Sub != "" {
		return nil, scimerr.BadRequest(scimerr.InvalidFilter, "malformed value path %s", scimerr.Clip(x.String()))
	}
	p := x.Attr
	p.Filter = x.Filter
	loc, _, _, err := c.locate(p)
	if err != nil {
		return nil, err
	}
	return func(m map[string]any) bool { return loc.any(m, anyValue{}) }, nil
}

// locate resolves an attribute path to where its values are and the
// attribute they are values of; label names it in error messages.
func (c compiler) locate(p AttrPath) (loc location, a *schema.Attribute, label string, err error) {
	if c.parent != nil {
		return c.locateSub(p)
	}
	owner, a, sub, err := c.rt.Resolve(p.URN, p.Name, p.Sub)
	if err != nil {
		return location{}, nil, "", asInvalidFilter(err)
	}
	loc = location{name: a.Name, multi: a.MultiValued}
	if owner != nil && owner != c.rt.Schema {
		loc.ext = owner.ID
	}
	label = a.Name
	if p.Filter != nil {
		if a.Type != schema.Complex {
			return location{}, nil, "", scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is not complex: a value filter does not apply", a.Name)
		}
		if loc.elem, err = (compiler{rt: c.rt, parent: a}).expr(p.Filter); err != nil {
			return location{}, nil, "", err
		}
	}
	if sub != nil {
		loc.sub, a, label = sub.Name, sub, label+"."+sub.Name
	}
	return loc, a, label, nil
}

// locateSub resolves a path inside the value filter of c.parent: a bare
// sub-attribute name.
func (c compiler) locateSub(p AttrPath) (location, *schema.Attribute, string, error) {
	if p.Filter != nil {
		return location{}, nil, "", scimerr.BadRequest(scimerr.InvalidFilter, "value filters cannot be nested (inside %s)", c.parent.Name)
	}
	if p.URN != "" || p.Sub != "" {
		return location{}, nil, "", scimerr.BadRequest(scimerr.InvalidFilter,
			"inside the value filter of %s, name one of its sub-attributes, not %s", c.parent.Name, p)
	}
	s := c.parent.Sub(p.Name)
	if s == nil {
		return location{}, nil, "", scimerr.BadRequest(scimerr.InvalidFilter, "attribute %q has no sub-attribute %s", c.parent.Name, scimerr.Quote(p.Name))
	}
	return location{name: s.Name, multi: s.MultiValued}, s, c.parent.Name + "." + s.Name, nil
}

// asInvalidFilter turns an attribute resolution error (invalidPath) into the
// filter error the client should see, keeping its detail.
func asInvalidFilter(err error) error {
	se := scimerr.As(err)
	return scimerr.New(se.Status, scimerr.InvalidFilter, "%s", se.Detail)
}
