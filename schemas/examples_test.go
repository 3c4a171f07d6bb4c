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
