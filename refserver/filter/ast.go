// Package filter parses SCIM filters (RFC 7644 §3.4.2.2) and PATCH attribute
// paths (§3.5.2) into a small AST, and compiles filters into matchers over
// resources held as decoded JSON.
package filter

// Op is a comparison operator, always lower case.
type Op string

// Comparison operators of RFC 7644 §3.4.2.2.
const (
	Eq Op = "eq"
	Ne Op = "ne"
	Co Op = "co"
	Sw Op = "sw"
	Ew Op = "ew"
	Pr Op = "pr"
	Gt Op = "gt"
	Ge Op = "ge"
	Lt Op = "lt"
	Le Op = "le"
)

// AttrPath names an attribute as written in a filter or PATCH path:
// [URN ":"] Name ["[" Filter "]"] ["." Sub].
type AttrPath struct {
	URN    string // schema URN prefix, "" when none
	Name   string // attribute name as written
	Filter Expr   // value filter inside [...], nil when none
	Sub    string // sub-attribute name, "" when none
}

// Expr is a filter expression: *Compare, *And, *Or, *Not or *ValuePath.
type Expr interface{ expr() }

// Compare is `attrPath op value` (Value unused for pr). Value is a string,
// bool, float64 or nil (JSON null). Attr.Filter is set for Entra's
// `emails[type eq "work"].value eq "x"` form.
type Compare struct {
	Attr  AttrPath
	Op    Op
	Value any
}

// And is `L and R`.
type And struct{ L, R Expr }

// Or is `L or R`.
type Or struct{ L, R Expr }

// Not is `not (X)`.
type Not struct{ X Expr }

// ValuePath is `attr[filter]` used as a filter on its own.
type ValuePath struct {
	Attr   AttrPath
	Filter Expr
}

func (*Compare) expr()   {}
func (*And) expr()       {}
func (*Or) expr()        {}
func (*Not) expr()       {}
func (*ValuePath) expr() {}
