package schema

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// attrName is ATTRNAME from RFC 7643 §2.1; "$ref" is the one reserved
// exception the RFC itself uses.
var attrName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// walk calls fn for every attribute of every schema, with its dotted path and
// its parent (nil for top-level attributes).
func walk(fn func(path string, a, parent *Attribute)) {
	visit := func(prefix string, attrs []*Attribute) {
		for _, a := range attrs {
			fn(prefix+a.Name, a, nil)
			for _, s := range a.SubAttributes {
				fn(prefix+a.Name+"."+s.Name, s, a)
			}
		}
	}
	visit("", CommonAttributes)
	for _, s := range Schemas {
		visit(s.ID+":", s.Attributes)
	}
}

// TestDefinitionsAreWellFormed checks every definition against the rules of
// RFC 7643 §2 and §7 that /Schemas consumers rely on.
func TestDefinitionsAreWellFormed(t *testing.T) {
	t.Parallel()
	types := []Type{String, Boolean, Decimal, Integer, DateTime, Reference, Binary, Complex}
	mutabilities := []Mutability{ReadOnly, ReadWrite, Immutable, WriteOnly}
	returneds := []Returned{Always, Never, Default, OnRequest}
	uniquenesses := []Uniqueness{None, Server, Global}
	walk(func(path string, a, parent *Attribute) {
		if a.Name != "$ref" && !attrName.MatchString(a.Name) {
			t.Errorf("%s: name is not an RFC 7643 §2.1 ATTRNAME", path)
		}
		if !slices.Contains(types, a.Type) {
			t.Errorf("%s: unknown type %q", path, a.Type)
		}
		if !slices.Contains(mutabilities, a.Mutability) {
			t.Errorf("%s: unknown mutability %q", path, a.Mutability)
		}
		if !slices.Contains(returneds, a.Returned) {
			t.Errorf("%s: unknown returned %q", path, a.Returned)
		}
		if a.Type != Complex && !slices.Contains(uniquenesses, a.Uniqueness) {
			t.Errorf("%s: unknown uniqueness %q", path, a.Uniqueness)
		}
		if (a.Type == Complex) != (len(a.SubAttributes) > 0) {
			t.Errorf("%s: type %s with %d sub-attributes; only complex attributes have them, and always some", path, a.Type, len(a.SubAttributes))
		}
		if parent != nil && a.Type == Complex {
			t.Errorf("%s: a sub-attribute cannot be complex (RFC 7643 §2.3.8)", path)
		}
		if (a.Type == Reference) != (len(a.ReferenceTypes) > 0) {
			t.Errorf("%s: type %s with referenceTypes %v; references need them, nothing else has them", path, a.Type, a.ReferenceTypes)
		}
		if len(a.CanonicalValues) > 0 && a.Type != String {
			t.Errorf("%s: canonicalValues on a %s", path, a.Type)
		}
		if a.Mutability == WriteOnly && a.Returned != Never {
			t.Errorf("%s: writeOnly but returned %s (RFC 7643 §7: writeOnly attributes are never returned)", path, a.Returned)
		}
		if parent != nil && parent.Mutability == ReadOnly && a.Mutability != ReadOnly {
			t.Errorf("%s: %s inside a readOnly attribute", path, a.Mutability)
		}
	})
}

func TestNamesAreUniqueIgnoringCase(t *testing.T) {
	t.Parallel()
	check := func(where string, attrs []*Attribute) {
		seen := map[string]bool{}
		for _, a := range attrs {
			k := strings.ToLower(a.Name)
			if seen[k] {
				t.Errorf("%s: %q defined twice (names are case-insensitive)", where, a.Name)
			}
			seen[k] = true
		}
	}
	for _, s := range Schemas {
		check(s.ID, append(slices.Clone(CommonAttributes), s.Attributes...))
	}
	walk(func(path string, a, _ *Attribute) { check(path, a.SubAttributes) })
}

// TestCharacteristicsFollowRFC7643 pins the characteristics that the server's
// behaviour depends on to RFC 7643 §4 and §8.7.
func TestCharacteristicsFollowRFC7643(t *testing.T) {
	t.Parallel()
	type want struct {
		typ        Type
		multi      bool
		required   bool
		caseExact  bool
		mutability Mutability
		returned   Returned
		uniqueness Uniqueness
	}
	cases := []struct {
		schema *Schema // nil: common attributes
		path   string
		want   want
	}{
		{nil, "id", want{String, false, false, true, ReadOnly, Always, Server}},
		{nil, "externalId", want{String, false, false, true, ReadWrite, Default, None}},
		{nil, "meta", want{Complex, false, false, false, ReadOnly, Default, ""}},
		{nil, "meta.created", want{DateTime, false, false, false, ReadOnly, Default, None}},
		{nil, "meta.lastModified", want{DateTime, false, false, false, ReadOnly, Default, None}},
		{nil, "meta.location", want{Reference, false, false, true, ReadOnly, Default, None}},
		{User, "userName", want{String, false, true, false, ReadWrite, Default, Server}},
		{User, "name", want{Complex, false, false, false, ReadWrite, Default, ""}},
		{User, "name.givenName", want{String, false, false, false, ReadWrite, Default, None}},
		{User, "displayName", want{String, false, false, false, ReadWrite, Default, None}},
		{User, "profileUrl", want{Reference, false, false, false, ReadWrite, Default, None}},
		{User, "active", want{Boolean, false, false, false, ReadWrite, Default, None}},
		{User, "password", want{String, false, false, false, WriteOnly, Never, None}},
		{User, "emails", want{Complex, true, false, false, ReadWrite, Default, ""}},
		{User, "emails.value", want{String, false, false, false, ReadWrite, Default, None}},
		{User, "emails.primary", want{Boolean, false, false, false, ReadWrite, Default, None}},
		{User, "phoneNumbers", want{Complex, true, false, false, ReadWrite, Default, ""}},
		{User, "photos.value", want{Reference, false, false, false, ReadWrite, Default, None}},
		{User, "addresses.postalCode", want{String, false, false, false, ReadWrite, Default, None}},
		{User, "groups", want{Complex, true, false, false, ReadOnly, Default, ""}},
		{User, "groups.value", want{String, false, false, false, ReadOnly, Default, None}},
		{User, "roles", want{Complex, true, false, false, ReadWrite, Default, ""}},
		{User, "x509Certificates.value", want{Binary, false, false, false, ReadWrite, Default, None}},
		{EnterpriseUser, "employeeNumber", want{String, false, false, false, ReadWrite, Default, None}},
		{EnterpriseUser, "department", want{String, false, false, false, ReadWrite, Default, None}},
		{EnterpriseUser, "manager", want{Complex, false, false, false, ReadWrite, Default, ""}},
		{EnterpriseUser, "manager.value", want{String, false, false, false, ReadWrite, Default, None}},
		{EnterpriseUser, "manager.displayName", want{String, false, false, false, ReadOnly, Default, None}},
		{Group, "displayName", want{String, false, true, false, ReadWrite, Default, Server}},
		{Group, "members", want{Complex, true, false, false, ReadWrite, Default, ""}},
		{Group, "members.value", want{String, false, true, false, Immutable, Default, None}},
		{Group, "members.$ref", want{Reference, false, false, false, Immutable, Default, None}},
		{Group, "members.type", want{String, false, false, false, Immutable, Default, None}},
		{Group, "members.display", want{String, false, false, false, ReadOnly, Default, None}},
	}
	for _, tc := range cases {
		name, sub, hasSub := strings.Cut(tc.path, ".")
		var a *Attribute
		if tc.schema == nil {
			a = find(CommonAttributes, name)
		} else {
			a = tc.schema.Attr(name)
		}
		if a != nil && hasSub {
			a = a.Sub(sub)
		}
		if a == nil {
			t.Errorf("%s: not defined", tc.path)
			continue
		}
		got := want{a.Type, a.MultiValued, a.Required, a.CaseExact, a.Mutability, a.Returned, a.Uniqueness}
		if got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.path, got, tc.want)
		}
	}
}

func TestCanonicalAndReferenceValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		schema *Schema
		path   string
		got    func(*Attribute) []string
		want   []string
	}{
		{User, "emails.type", canonicalOf, []string{"work", "home", "other"}},
		{User, "phoneNumbers.type", canonicalOf, []string{"work", "home", "mobile", "fax", "pager", "other"}},
		{User, "ims.type", canonicalOf, []string{"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"}},
		{User, "photos.type", canonicalOf, []string{"photo", "thumbnail"}},
		{User, "addresses.type", canonicalOf, []string{"work", "home", "other"}},
		{User, "groups.type", canonicalOf, []string{"direct", "indirect"}},
		{Group, "members.type", canonicalOf, []string{"User", "Group"}},
		{User, "profileUrl", referenceTypesOf, []string{"external"}},
		{User, "photos.value", referenceTypesOf, []string{"external"}},
		{User, "groups.$ref", referenceTypesOf, []string{"User", "Group"}},
		{Group, "members.$ref", referenceTypesOf, []string{"User", "Group"}},
		{EnterpriseUser, "manager.$ref", referenceTypesOf, []string{"User"}},
	}
	for _, tc := range cases {
		name, sub, _ := strings.Cut(tc.path, ".")
		a := tc.schema.Attr(name)
		if a != nil && sub != "" {
			a = a.Sub(sub)
		}
		if a == nil {
			t.Errorf("%s: not defined", tc.path)
			continue
		}
		if got := tc.got(a); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.path, got, tc.want)
		}
	}
}

func canonicalOf(a *Attribute) []string      { return a.CanonicalValues }
func referenceTypesOf(a *Attribute) []string { return a.ReferenceTypes }

func TestLookupsIgnoreCase(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		got  *Attribute
		want string // canonical name, "" for not found
	}{
		{"Attr exact", User.Attr("userName"), "userName"},
		{"Attr upper", User.Attr("USERNAME"), "userName"},
		{"Attr unknown", User.Attr("userNames"), ""},
		{"Attr empty", User.Attr(""), ""},
		{"Attr common attributes are not schema attributes", User.Attr("id"), ""},
		{"Sub exact", User.Attr("name").Sub("givenName"), "givenName"},
		{"Sub mixed", User.Attr("emails").Sub("VALUE"), "value"},
		{"Sub $ref", Group.Attr("members").Sub("$REF"), "$ref"},
		{"Sub unknown", User.Attr("name").Sub("nick"), ""},
		{"Sub of a simple attribute", User.Attr("userName").Sub("x"), ""},
		{"extension Attr", EnterpriseUser.Attr("Manager"), "manager"},
	}
	for _, tc := range cases {
		got := ""
		if tc.got != nil {
			got = tc.got.Name
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestResourceTypes(t *testing.T) {
	t.Parallel()
	if got := UserType.Extension(strings.ToUpper(EnterpriseUserURN)); got != EnterpriseUser {
		t.Errorf("UserType.Extension(upper-case URN) = %v, want EnterpriseUser", got)
	}
	for _, urn := range []string{UserURN, GroupURN, EnterpriseUserURN + ":manager", "", "urn:example:x"} {
		if got := UserType.Extension(urn); got != nil {
			t.Errorf("UserType.Extension(%q) = %s, want nil", urn, got.ID)
		}
	}
	if got := GroupType.Extension(EnterpriseUserURN); got != nil {
		t.Errorf("GroupType.Extension(enterprise) = %s, want nil", got.ID)
	}
	if got, want := UserType.SchemaURNs(), []string{UserURN, EnterpriseUserURN}; !slices.Equal(got, want) {
		t.Errorf("UserType.SchemaURNs() = %v, want %v", got, want)
	}
	if got, want := GroupType.SchemaURNs(), []string{GroupURN}; !slices.Equal(got, want) {
		t.Errorf("GroupType.SchemaURNs() = %v, want %v", got, want)
	}
	// Every schema a resource type uses is served at /Schemas, and every
	// served schema is used.
	used := map[*Schema]bool{}
	for _, rt := range ResourceTypes {
		used[rt.Schema] = true
		for _, e := range rt.Extensions {
			used[e.Schema] = true
		}
		if rt.ID == "" || rt.Name == "" || !strings.HasPrefix(rt.Endpoint, "/") {
			t.Errorf("resource type %+v: id, name and an endpoint starting with / are required", rt)
		}
	}
	for _, s := range Schemas {
		if !used[s] {
			t.Errorf("schema %s is served but used by no resource type", s.ID)
		}
		delete(used, s)
	}
	for s := range used {
		t.Errorf("schema %s is used but not served", s.ID)
	}
}

// TestCoreAndCommonNamesUniqueFolded holds what coreAttr relies on to try
// exact spellings in both lists before folding case in either: no two
// names of a resource type's core schema and the common attributes are
// equal case-insensitively.
func TestCoreAndCommonNamesUniqueFolded(t *testing.T) {
	t.Parallel()
	for _, rt := range ResourceTypes {
		seen := map[string]string{}
		for _, a := range append(slices.Clone(rt.Schema.Attributes), CommonAttributes...) {
			folded := strings.ToLower(a.Name)
			if prev, dup := seen[folded]; dup {
				t.Errorf("%s: %q and %q are equal case-insensitively", rt.ID, prev, a.Name)
			}
			seen[folded] = a.Name
		}
	}
}
