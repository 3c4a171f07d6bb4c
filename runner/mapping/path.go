package mapping

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Schema URNs of the attributes a profile maps.
const (
	URNUser       = "urn:ietf:params:scim:schemas:core:2.0:User"
	URNEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// TargetPath is a SCIM attribute an app maps, in the forms Entra's mapping
// editor writes: "userName", "name.givenName", `emails[type eq "work"].value`,
// or "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department".
type TargetPath struct {
	URN  string // extension schema URN; empty for core attributes
	Attr string // top-level attribute
	// TypeValue selects one element of a multi-valued attribute by its
	// "type" sub-attribute (`emails[type eq "work"]`); empty otherwise.
	TypeValue string
	Sub       string // sub-attribute; empty for a simple attribute
}

var targetPathRE = regexp.MustCompile(
	`^(?:(urn:[^\s\[\]"]+):)?([A-Za-z][\w$-]*)(?:\[type eq "([^"\\]+)"\])?(?:\.([A-Za-z][\w$-]*))?$`)

// ParseTargetPath parses a mapping target. Only the value filter on "type"
// is accepted, because that is the only one Entra's mappings use.
func ParseTargetPath(s string) (TargetPath, error) {
	m := targetPathRE.FindStringSubmatch(s)
	if m == nil {
		return TargetPath{}, fmt.Errorf("target %q: want attr, attr.sub, attr[type eq \"x\"].sub or urn:...:attr", s)
	}
	p := TargetPath{URN: m[1], Attr: m[2], TypeValue: m[3], Sub: m[4]}
	if strings.EqualFold(p.URN, URNUser) {
		p.URN = ""
	}
	if p.TypeValue != "" && p.Sub == "" {
		return TargetPath{}, fmt.Errorf("target %q: a [type eq ...] element needs a sub-attribute such as .value", s)
	}
	return p, nil
}

// String writes the path the way Entra sends it in PATCH paths and filters.
func (p TargetPath) String() string {
	if p.URN == "" && p.TypeValue == "" && p.Sub == "" {
		return p.Attr
	}
	var b strings.Builder
	b.Grow(len(p.URN) + len(p.Attr) + len(p.TypeValue) + len(p.Sub) + 16)
	if p.URN != "" {
		b.WriteString(p.URN)
		b.WriteByte(':')
	}
	b.WriteString(p.Attr)
	if p.TypeValue != "" {
		b.WriteString("[type eq ")
		b.WriteString(strconv.Quote(p.TypeValue)) // as %q writes it
		b.WriteByte(']')
	}
	if p.Sub != "" {
		b.WriteByte('.')
		b.WriteString(p.Sub)
	}
	return b.String()
}

// MultiValued reports whether the path addresses an element of a
// multi-valued attribute (Entra keeps such PATCH ops separate, with a path).
func (p TargetPath) MultiValued() bool { return p.TypeValue != "" }

// Equal compares paths case-insensitively, as SCIM attribute names are.
func (p TargetPath) Equal(q TargetPath) bool {
	return strings.EqualFold(p.URN, q.URN) && strings.EqualFold(p.Attr, q.Attr) &&
		p.TypeValue == q.TypeValue && strings.EqualFold(p.Sub, q.Sub)
}

// IsActive and IsManager name the two attributes with dedicated requests.
func (p TargetPath) IsActive() bool {
	return p.URN == "" && strings.EqualFold(p.Attr, "active") && p.Sub == ""
}

func (p TargetPath) IsManager() bool {
	return strings.EqualFold(p.URN, URNEnterprise) && strings.EqualFold(p.Attr, "manager")
}
