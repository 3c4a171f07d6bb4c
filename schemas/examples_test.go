package schemas

import "testing"

// The RFC 7643 §8 examples, RFC 7644 §3.7 bulk examples and the bodies
// Microsoft Entra ID documents for its provisioning traffic must all pass.
func TestAcceptsPublishedExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		kind Kind
	}{
		{"rfc7643-8.1-minimal-user.json", User},
		{"rfc7643-8.2-full-user.json", User},
		{"rfc7643-8.3-enterprise-user.json", User},
		{"rfc7643-8.3-enterprise-user.json", EnterpriseUser},
		{"rfc7643-8.4-group.json", Group},
		{"rfc7643-8.5-service-provider-config.json", ServiceProviderConfig},
		{"rfc7643-8.6-resource-types.json", ResourceType},
		{"rfc7643-8.7-schemas-abridged.json", Schema},
		{"rfc7644-3.7-bulk-request.json", BulkRequest},
		{"rfc7644-3.7-bulk-response.json", BulkResponse},
		{"entra-u1-list-empty.json", ListResponse},
		{"entra-u2-user-created.json", User},
		{"entra-u4-list-one-user.json", ListResponse},
		{"entra-g1-list-one-group.json", ListResponse},
		{"entra-g2-group-created.json", Group},
		{"entra-g3-group-without-members.json", Group},
		{"entra-error-404.json", Error},
		{"entra-u6-patch-multivalued.json", PatchOp},
		{"entra-u7b-patch-pathless.json", PatchOp},
		{"entra-u8-patch-manager.json", PatchOp},
		{"entra-u9-patch-disable.json", PatchOp},
		{"entra-g5-patch-add-members.json", PatchOp},
		{"entra-g6-patch-remove-member.json", PatchOp},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.file, func(t *testing.T) {
			t.Parallel()
			// §8.6 and §8.7 are JSON arrays of representations.
			for i, doc := range elements(t, readTestdata(t, tt.file)) {
				vs, err := Validate(tt.kind, doc)
				if err != nil {
					t.Fatalf("element %d: Validate: %v", i, err)
				}
				if len(vs) != 0 {
					t.Errorf("element %d: want valid, got %d violation(s): %v", i, len(vs), vs)
				}
			}
		})
	}
}

// RFC 7644 §3.4.2.4: with count=0 only totalResults is returned, so a
// non-zero total without Resources is valid when itemsPerPage is 0.
func TestListResponseCountZero(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want []Violation
	}{
		{"count=0 answer", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":12,"itemsPerPage":0,"startIndex":1}`, nil},
		{"empty answer without Resources", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0}`, nil},
		{"non-zero total without Resources", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":12}`, []Violation{{"/Resources", missing}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ValidateList(User, []byte(tt.body))
			if err != nil {
				t.Fatalf("ValidateList: %v", err)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Errorf("violations = %q, want %q", got, tt.want)
			}
		})
	}
}

// RFC 7643 §2.5: null is equivalent to an unassigned attribute, so optional
// attributes may come back as null (the shape Entra itself sends on create).
func TestAcceptsNullForUnassignedAttributes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind Kind
		file string
		set  []edit
	}{
		{User, "rfc7643-8.3-enterprise-user.json", []edit{
			set("/title", nil), set("/addresses", nil), set("/phoneNumbers", nil), set("/active", nil),
			set("/name/middleName", nil), set("/emails/1/primary", nil), set("/externalId", nil),
			set("/"+enterpriseURN+"/manager", nil), set("/"+enterpriseURN+"/department", nil),
		}},
		{Group, "rfc7643-8.4-group.json", []edit{set("/members/0/$ref", nil), set("/members/1/display", nil)}},
		{Group, "entra-g2-group-created.json", []edit{set("/members", nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			vs, err := Validate(tt.kind, applyEdits(t, readTestdata(t, tt.file), tt.set...))
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if len(vs) != 0 {
				t.Errorf("want valid, got %v", vs)
			}
		})
	}
}

func TestValidateListAcceptsEntraLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		kind Kind
	}{
		{"entra-u1-list-empty.json", User},
		{"entra-u1-list-empty.json", Group},
		{"entra-u4-list-one-user.json", User},
		{"entra-g1-list-one-group.json", Group},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.file, func(t *testing.T) {
			t.Parallel()
			vs, err := ValidateList(tt.kind, readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("ValidateList: %v", err)
			}
			if len(vs) != 0 {
				t.Errorf("want valid, got %v", vs)
			}
		})
	}
}
