// Package schema holds the reference server's SCIM schemas (RFC 7643 §4, §7,
// §8.7): every attribute with its characteristics. The same definitions drive
// input validation, filtering, PATCH, projection and the /Schemas endpoint, so
// what the server advertises is exactly what it enforces.
package schema

import "strings"

// Type is a SCIM attribute data type (RFC 7643 §2.3).
type Type string

const (
	String    Type = "string"
	Boolean   Type = "boolean"
	Decimal   Type = "decimal"
	Integer   Type = "integer"
	DateTime  Type = "dateTime"
	Reference Type = "reference"
	Binary    Type = "binary"
	Complex   Type = "complex"
)

// Mutability is RFC 7643 §7 "mutability".
type Mutability string

const (
	ReadOnly  Mutability = "readOnly"
	ReadWrite Mutability = "readWrite"
	Immutable Mutability = "immutable"
	WriteOnly Mutability = "writeOnly"
)

// Returned is RFC 7643 §7 "returned".
type Returned string

const (
	Always    Returned = "always"
	Never     Returned = "never"
	Default   Returned = "default"
	OnRequest Returned = "request"
)

// Uniqueness is RFC 7643 §7 "uniqueness".
type Uniqueness string

const (
	None   Uniqueness = "none"
	Server Uniqueness = "server"
	Global Uniqueness = "global"
)

// Attribute is one attribute definition with its characteristics.
type Attribute struct {
	Name            string
	Type            Type
	MultiValued     bool
	Description     string
	Required        bool
	CaseExact       bool
	CanonicalValues []string
	Mutability      Mutability
	Returned        Returned
	Uniqueness      Uniqueness
	ReferenceTypes  []string
	SubAttributes   []*Attribute
	// NoControls refuses control characters (Unicode Cc) other than tab,
	// line feed and carriage return in values: the server's own constraint
	// on identifiers that people type and filters match (userName,
	// displayName, externalId). Not part of the advertised schema.
	NoControls bool
}

// Sub returns the sub-attribute with the given name, matched
// case-insensitively, or nil.
func (a *Attribute) Sub(name string) *Attribute {
	return find(a.SubAttributes, name)
}

// Schema is one schema resource (core or extension).
type Schema struct {
	ID          string
	Name        string
	Description string
	Attributes  []*Attribute
}

// Attr returns the top-level attribute with the given name, matched
// case-insensitively, or nil.
func (s *Schema) Attr(name string) *Attribute {
	return find(s.Attributes, name)
}

func find(attrs []*Attribute, name string) *Attribute {
	// Clients nearly always spell names as defined: try that first, since an
	// exact comparison is much cheaper than case folding. Names are unique
	// case-insensitively, so both loops find the same attribute.
	if a := findExact(attrs, name); a != nil {
		return a
	}
	return findFold(attrs, name)
}

func findExact(attrs []*Attribute, name string) *Attribute {
	for _, a := range attrs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

func findFold(attrs []*Attribute, name string) *Attribute {
	for _, a := range attrs {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// Extension is a schema extension of a resource type.
type Extension struct {
	Schema   *Schema
	Required bool
}

// ResourceType is RFC 7643 §6: a named resource with its core schema and
// extensions, served at Endpoint.
type ResourceType struct {
	ID          string // "User"
	Name        string // "User"
	Endpoint    string // "/Users"
	Description string
	Schema      *Schema
	Extensions  []Extension
}

// Extension returns the extension schema whose URN equals urn
// (case-insensitively), or nil.
func (rt *ResourceType) Extension(urn string) *Schema {
	for _, e := range rt.Extensions {
		if strings.EqualFold(e.Schema.ID, urn) {
			return e.Schema
		}
	}
	return nil
}

// SchemaURNs returns the core schema URN followed by every extension URN.
func (rt *ResourceType) SchemaURNs() []string {
	out := []string{rt.Schema.ID}
	for _, e := range rt.Extensions {
		out = append(out, e.Schema.ID)
	}
	return out
}
