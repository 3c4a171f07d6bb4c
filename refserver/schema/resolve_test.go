package schema

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		rt             *ResourceType
		urn, attr, sub string
		wantOwner      *Schema
		wantAttr       string
		wantSub        string
	}{
		{"core attribute", UserType, "", "userName", "", User, "userName", ""},
		{"any case", UserType, "", "USERNAME", "", User, "userName", ""},
		{"sub-attribute any case", UserType, "", "name", "FamilyName", User, "name", "familyName"},
		{"multi-valued sub-attribute", UserType, "", "emails", "value", User, "emails", "value"},
		{"$ref sub-attribute", GroupType, "", "members", "$REF", Group, "members", "$ref"},
		{"common id", UserType, "", "id", "", nil, "id", ""},
		{"common externalId", GroupType, "", "EXTERNALID", "", nil, "externalId", ""},
		{"common meta sub", UserType, "", "meta", "Created", nil, "meta", "created"},
		{"extension attribute without URN", UserType, "", "manager", "value", EnterpriseUser, "manager", "value"},
		{"extension attribute any case", UserType, "", "Department", "", EnterpriseUser, "department", ""},
		{"core URN", UserType, UserURN, "userName", "", User, "userName", ""},
		{"core URN any case", UserType, strings.ToLower(UserURN), "displayName", "", User, "displayName", ""},
		{"core URN with common attribute", UserType, UserURN, "id", "", nil, "id", ""},
		{"extension URN", UserType, EnterpriseUserURN, "manager", "", EnterpriseUser, "manager", ""},
		{"extension URN any case", UserType, strings.ToUpper(EnterpriseUserURN), "employeeNumber", "", EnterpriseUser, "employeeNumber", ""},
		{"group core", GroupType, GroupURN, "displayName", "", Group, "displayName", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			owner, a, sub, err := tt.rt.Resolve(tt.urn, tt.attr, tt.sub)
			if err != nil {
				t.Fatalf("Resolve(%q, %q, %q): %v", tt.urn, tt.attr, tt.sub, err)
			}
			if owner != tt.wantOwner {
				t.Errorf("owner = %v, want %v", schemaID(owner), schemaID(tt.wantOwner))
			}
			if a == nil || a.Name != tt.wantAttr {
				t.Errorf("attribute = %v, want %s", a, tt.wantAttr)
			}
			switch {
			case tt.wantSub == "" && sub != nil:
				t.Errorf("sub-attribute = %s, want none", sub.Name)
			case tt.wantSub != "" && (sub == nil || sub.Name != tt.wantSub):
				t.Errorf("sub-attribute = %v, want %s", sub, tt.wantSub)
			}
		})
	}
}

func TestResolveRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		rt             *ResourceType
		urn, attr, sub string
		detail         string
	}{
		{"unknown attribute", UserType, "", "nosuch", "", `unknown attribute "nosuch" for resource type User`},
		{"unknown sub-attribute", UserType, "", "name", "nosuch", `attribute "name" has no sub-attribute "nosuch"`},
		{"sub of a simple attribute", UserType, "", "userName", "value", `attribute "userName" is not complex and has no sub-attribute "value"`},
		{"unknown URN", UserType, "urn:example:nosuch", "userName", "", `unknown schema "urn:example:nosuch" for resource type User`},
		{"extension URN of another type", GroupType, EnterpriseUserURN, "manager", "", `unknown schema "` + EnterpriseUserURN + `" for resource type Group`},
		{"group has no extension attributes", GroupType, "", "manager", "", `unknown attribute "manager" for resource type Group`},
		{"core attribute under extension URN", UserType, EnterpriseUserURN, "userName", "", `unknown attribute "userName" in schema ` + EnterpriseUserURN},
		{"extension attribute under core URN", UserType, UserURN, "manager", "", `unknown attribute "manager" in schema ` + UserURN},
		{"user attribute on group", GroupType, "", "userName", "", `unknown attribute "userName" for resource type Group`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, _, err := tt.rt.Resolve(tt.urn, tt.attr, tt.sub)
			var se *scimerr.Error
			if !errors.As(err, &se) {
				t.Fatalf("Resolve(%q, %q, %q) error = %v, want *scimerr.Error", tt.urn, tt.attr, tt.sub, err)
			}
			if se.Status != http.StatusBadRequest || se.ScimType != scimerr.InvalidPath {
				t.Fatalf("error %v, want 400 invalidPath", se)
			}
			if se.Detail != tt.detail {
				t.Fatalf("detail = %q, want %q", se.Detail, tt.detail)
			}
		})
	}
}

func schemaID(s *Schema) string {
	if s == nil {
		return "<common>"
	}
	return s.ID
}
