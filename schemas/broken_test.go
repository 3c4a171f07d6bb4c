package schemas

import (
	"reflect"
	"testing"
)

const (
	userURN       = "urn:ietf:params:scim:schemas:core:2.0:User"
	enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	scimTypes     = `"invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax", "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive"`
	missing       = "required attribute is missing"
)

// Each case breaks one valid document in exactly one way and names the
// violation that must be reported, path and message.
func TestRejectsBrokenDocuments(t *testing.T) {
	t.Parallel()
	const (
		minimalUser = "rfc7643-8.1-minimal-user.json"
		fullUser    = "rfc7643-8.2-full-user.json"
		entUser     = "rfc7643-8.3-enterprise-user.json"
		group       = "rfc7643-8.4-group.json"
		spc         = "rfc7643-8.5-service-provider-config.json"
		resType     = "rfc7643-8.6-resource-types.json"
		schema      = "rfc7643-8.7-schemas-abridged.json"
		list        = "entra-u4-list-one-user.json"
		errorBody   = "entra-error-404.json"
		patch       = "entra-u6-patch-multivalued.json"
		patchRemove = "entra-g6-patch-remove-member.json"
		bulkReq     = "rfc7644-3.7-bulk-request.json"
		bulkResp    = "rfc7644-3.7-bulk-response.json"
	)
	tests := []struct {
		name string
		kind Kind
		base string // a valid document; for a JSON array, its first element
		edit edit
		want []Violation
	}{
		// Common attributes of a returned resource (RFC 7643 §3, §3.1).
		{"missing id", User, minimalUser, del("/id"), []Violation{{"/id", missing}}},
		{"empty id", User, minimalUser, set("/id", ""), []Violation{{"/id", "must be at least 1 character(s) long"}}},
		{"id not a string", User, minimalUser, set("/id", 42), []Violation{{"/id", "expected string, got integer 42"}}},
		{"missing schemas", User, minimalUser, del("/schemas"), []Violation{{"/schemas", missing}}},
		{"schemas not an array", User, minimalUser, set("/schemas", userURN), []Violation{{"/schemas", `expected array, got string "` + userURN + `"`}}},
		{"schemas item not a string", User, minimalUser, set("/schemas", rawJSON(`["`+userURN+`", 7]`)), []Violation{{"/schemas/1", "expected string, got integer 7"}}},
		{"schemas repeats a URN", User, minimalUser, set("/schemas", []string{userURN, userURN}), []Violation{{"/schemas", "items 0 and 1 are equal; values must be unique"}}},
		{"missing core URN", User, minimalUser, set("/schemas", []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}), []Violation{{"/schemas", mustContain(userURN)}}},
		{"missing meta", User, minimalUser, del("/meta"), []Violation{{"/meta", missing}}},
		{"meta without resourceType", User, minimalUser, del("/meta/resourceType"), []Violation{{"/meta/resourceType", missing}}},
		{"meta.created without a time", User, minimalUser, set("/meta/created", "2010-01-23"), []Violation{{"/meta/created", `expected an xsd:dateTime such as "2008-01-23T04:56:22Z", got "2010-01-23"`}}},
		{"meta.version not a string", User, minimalUser, set("/meta/version", 3), []Violation{{"/meta/version", "expected string, got integer 3"}}},
		{"externalId not a string", User, fullUser, set("/externalId", 701984), []Violation{{"/externalId", "expected string, got integer 701984"}}},

		// Core User attributes (RFC 7643 §4.1).
		{"userName empty", User, fullUser, set("/userName", ""), []Violation{{"/userName", "must be at least 1 character(s) long"}}},
		{"active as a string", User, fullUser, set("/active", "true"), []Violation{{"/active", `expected boolean, got string "true"`}}},
		{"name not an object", User, fullUser, set("/name", "Babs"), []Violation{{"/name", `expected object, got string "Babs"`}}},
		{"name.givenName not a string", User, fullUser, set("/name/givenName", true), []Violation{{"/name/givenName", "expected string, got boolean true"}}},
		{"emails not an array", User, fullUser, set("/emails", map[string]any{"value": "bjensen@example.com"}), []Violation{{"/emails", "expected array, got object"}}},
		{"emails[0].primary as a string", User, fullUser, set("/emails/0/primary", "true"), []Violation{{"/emails/0/primary", `expected boolean, got string "true"`}}},
		{"emails[1].value not a string", User, fullUser, set("/emails/1/value", 5), []Violation{{"/emails/1/value", "expected string, got integer 5"}}},
		{"emails item not an object", User, fullUser, set("/emails/0", "bjensen@example.com"), []Violation{{"/emails/0", `expected object, got string "bjensen@example.com"`}}},
		{"phoneNumbers[0].type not a string", User, fullUser, set("/phoneNumbers/0/type", 1), []Violation{{"/phoneNumbers/0/type", "expected string, got integer 1"}}},
		{"addresses[0].primary as a string", User, fullUser, set("/addresses/0/primary", "True"), []Violation{{"/addresses/0/primary", `expected boolean, got string "True"`}}},
		{"addresses[1].postalCode as a number", User, fullUser, set("/addresses/1/postalCode", 91608), []Violation{{"/addresses/1/postalCode", "expected string, got integer 91608"}}},
		{"groups[2].display not a string", User, fullUser, set("/groups/2/display", false), []Violation{{"/groups/2/display", "expected string, got boolean false"}}},
		{"groups not an array", User, fullUser, set("/groups", "Tour Guides"), []Violation{{"/groups", `expected array, got string "Tour Guides"`}}},
		{"x509Certificates[0].value not a string", User, fullUser, set("/x509Certificates/0/value", rawJSON(`[1,2]`)), []Violation{{"/x509Certificates/0/value", "expected string, got array"}}},
		{"two primary emails", User, fullUser, set("/emails/1/primary", true), []Violation{{"/emails", "primary is true on items 0, 1; at most one value may be primary"}}},
		{"two primary addresses", EnterpriseUser, entUser, set("/addresses/1/primary", true), []Violation{{"/addresses", "primary is true on items 0, 1; at most one value may be primary"}}},
		{"roles[0].primary as a string", User, fullUser, set("/roles", rawJSON(`[{"value":"Admin","primary":"True"}]`)), []Violation{{"/roles/0/primary", `expected boolean, got string "True"`}}},

		// Enterprise extension (RFC 7643 §4.3) on a User.
		{"manager as a bare string", User, entUser, set("/"+enterpriseURN+"/manager", "26118915"), []Violation{{"/" + enterpriseURN + "/manager", `expected object, got string "26118915"`}}},
		{"manager.value not a string", User, entUser, set("/"+enterpriseURN+"/manager/value", 26118915), []Violation{{"/" + enterpriseURN + "/manager/value", "expected string, got integer 26118915"}}},
		{"extension not an object", User, entUser, set("/"+enterpriseURN, "Tour Operations"), []Violation{{"/" + enterpriseURN, `expected object, got string "Tour Operations"`}}},
		{"extension present, URN not in schemas", User, entUser, set("/schemas", []string{userURN}), []Violation{{"/schemas", mustContain(enterpriseURN)}}},
		{"EnterpriseUser without the extension URN", EnterpriseUser, entUser, set("/schemas", []string{userURN}), []Violation{{"/schemas", mustContain(enterpriseURN)}}},
		{"EnterpriseUser employeeNumber as a number", EnterpriseUser, entUser, set("/"+enterpriseURN+"/employeeNumber", 701984), []Violation{{"/" + enterpriseURN + "/employeeNumber", "expected string, got integer 701984"}}},
		{"EnterpriseUser still checks core attributes", EnterpriseUser, entUser, set("/active", "false"), []Violation{{"/active", `expected boolean, got string "false"`}}},

		// Group (RFC 7643 §4.2).
		{"group missing id", Group, group, del("/id"), []Violation{{"/id", missing}}},
		{"group missing core URN", Group, group, set("/schemas", []string{userURN}), []Violation{{"/schemas", mustContain("urn:ietf:params:scim:schemas:core:2.0:Group")}}},
		{"displayName not a string", Group, group, set("/displayName", 12), []Violation{{"/displayName", "expected string, got integer 12"}}},
		{"members not an array", Group, group, set("/members", map[string]any{"value": "x"}), []Violation{{"/members", "expected array, got object"}}},
		{"members[1].value not a string", Group, group, set("/members/1/value", 902), []Violation{{"/members/1/value", "expected string, got integer 902"}}},
		{"members[0] null", Group, group, set("/members/0", nil), []Violation{{"/members/0", "expected object, got null"}}},
		{"userName null", User, fullUser, set("/userName", nil), []Violation{{"/userName", "expected string, got null"}}},
		{"id null", User, fullUser, set("/id", nil), []Violation{{"/id", "expected string, got null"}}},

		// ListResponse (RFC 7644 §3.4.2).
		{"list missing totalResults", ListResponse, list, del("/totalResults"), []Violation{{"/totalResults", missing}}},
		{"totalResults as a string", ListResponse, list, set("/totalResults", "1"), []Violation{{"/totalResults", `expected integer, got string "1"`}}},
		{"totalResults negative", ListResponse, list, set("/totalResults", -1), []Violation{{"/totalResults", "must be >= 0, got -1"}}},
		{"totalResults fractional", ListResponse, list, set("/totalResults", 1.5), []Violation{{"/totalResults", "expected integer, got number 1.5"}}},
		{"Resources not an array", ListResponse, list, set("/Resources", map[string]any{}), []Violation{{"/Resources", "expected array, got object"}}},
		{"Resources missing although totalResults is 1", ListResponse, list, del("/Resources"), []Violation{{"/Resources", missing}}},
		{"Resources item not an object", ListResponse, list, set("/Resources/0", "user"), []Violation{{"/Resources/0", `expected object, got string "user"`}}},
		{"startIndex as a string", ListResponse, list, set("/startIndex", "1"), []Violation{{"/startIndex", `expected integer, got string "1"`}}},
		{"startIndex zero", ListResponse, list, set("/startIndex", 0), []Violation{{"/startIndex", "must be >= 1, got 0"}}},
		{"itemsPerPage fractional", ListResponse, list, set("/itemsPerPage", 2.5), []Violation{{"/itemsPerPage", "expected integer, got number 2.5"}}},
		{"list missing its URN", ListResponse, list, set("/schemas", []string{"urn:ietf:params:scim:api:messages:2.0:Error"}), []Violation{{"/schemas", mustContain("urn:ietf:params:scim:api:messages:2.0:ListResponse")}}},

		// Error (RFC 7644 §3.12).
		{"status as a number", Error, errorBody, set("/status", 404), []Violation{{"/status", "expected string, got integer 404"}}},
		{"status not digits", Error, errorBody, set("/status", "Not Found"), []Violation{{"/status", `expected an HTTP status code as a string of three digits, e.g. "404", got "Not Found"`}}},
		{"missing status", Error, errorBody, del("/status"), []Violation{{"/status", missing}}},
		{"scimType not in the table", Error, errorBody, set("/scimType", "notFound"), []Violation{{"/scimType", `"notFound" is not one of ` + scimTypes}}},
		{"detail not a string", Error, errorBody, set("/detail", rawJSON(`{"message":"x"}`)), []Violation{{"/detail", "expected string, got object"}}},
		{"error missing its URN", Error, errorBody, set("/schemas", []string{"urn:ietf:params:scim:api:messages:2.0:Errors"}), []Violation{{"/schemas", mustContain("urn:ietf:params:scim:api:messages:2.0:Error")}}},

		// PatchOp (RFC 7644 §3.5.2).
		{"PatchOp without Operations", PatchOp, patch, del("/Operations"), []Violation{{"/Operations", missing}}},
		{"Operations empty", PatchOp, patch, set("/Operations", rawJSON(`[]`)), []Violation{{"/Operations", "must have at least 1 item(s)"}}},
		{"Operations not an array", PatchOp, patch, set("/Operations", rawJSON(`{"op":"add","value":{}}`)), []Violation{{"/Operations", "expected array, got object"}}},
		{"op destroy", PatchOp, patch, set("/Operations/0/op", "destroy"), []Violation{{"/Operations/0/op", `expected "add", "remove" or "replace" (any case), got "destroy"`}}},
		{"op missing", PatchOp, patch, del("/Operations/1/op"), []Violation{{"/Operations/1/op", missing}}},
		{"replace without value", PatchOp, patch, del("/Operations/1/value"), []Violation{{"/Operations/1/value", missing}}},
		{"remove without path", PatchOp, patchRemove, del("/Operations/0/path"), []Violation{{"/Operations/0/path", missing}}},
		{"path not a string", PatchOp, patch, set("/Operations/0/path", rawJSON(`["emails"]`)), []Violation{{"/Operations/0/path", "expected string, got array"}}},
		{"PatchOp missing its URN", PatchOp, patch, set("/schemas", []string{"urn:ietf:params:scim:api:messages:2.0:Patch"}), []Violation{{"/schemas", mustContain("urn:ietf:params:scim:api:messages:2.0:PatchOp")}}},

		// ServiceProviderConfig (RFC 7643 §5).
		{"spc without patch", ServiceProviderConfig, spc, del("/patch"), []Violation{{"/patch", missing}}},
		{"patch.supported as a string", ServiceProviderConfig, spc, set("/patch/supported", "true"), []Violation{{"/patch/supported", `expected boolean, got string "true"`}}},
		{"bulk without maxOperations", ServiceProviderConfig, spc, del("/bulk/maxOperations"), []Violation{{"/bulk/maxOperations", missing}}},
		{"filter.maxResults as a string", ServiceProviderConfig, spc, set("/filter/maxResults", "200"), []Violation{{"/filter/maxResults", `expected integer, got string "200"`}}},
		{"etag without supported", ServiceProviderConfig, spc, del("/etag/supported"), []Violation{{"/etag/supported", missing}}},
		{"authenticationSchemes[0] without name", ServiceProviderConfig, spc, del("/authenticationSchemes/0/name"), []Violation{{"/authenticationSchemes/0/name", missing}}},

		// ResourceType (RFC 7643 §6).
		{"resource type without endpoint", ResourceType, resType, del("/endpoint"), []Violation{{"/endpoint", missing}}},
		{"schemaExtensions[0].required as a string", ResourceType, resType, set("/schemaExtensions/0/required", "true"), []Violation{{"/schemaExtensions/0/required", `expected boolean, got string "true"`}}},

		// Schema (RFC 7643 §7).
		{"schema without id", Schema, schema, del("/id"), []Violation{{"/id", missing}}},
		{"attribute type unknown", Schema, schema, set("/attributes/0/type", "text"), []Violation{{"/attributes/0/type", `"text" is not one of "string", "boolean", "decimal", "integer", "dateTime", "reference", "binary", "complex"`}}},
		{"sub-attribute mutability unknown", Schema, schema, set("/attributes/1/subAttributes/0/mutability", "sometimes"), []Violation{{"/attributes/1/subAttributes/0/mutability", `"sometimes" is not one of "readOnly", "readWrite", "immutable", "writeOnly"`}}},
		{"attribute multiValued as a string", Schema, schema, set("/attributes/0/multiValued", "false"), []Violation{{"/attributes/0/multiValued", `expected boolean, got string "false"`}}},

		// Bulk (RFC 7644 §3.7).
		{"bulk POST without bulkId", BulkRequest, bulkReq, del("/Operations/0/bulkId"), []Violation{{"/Operations/0/bulkId", missing}}},
		{"bulk PUT without data", BulkRequest, bulkReq, del("/Operations/1/data"), []Violation{{"/Operations/1/data", missing}}},
		{"bulk method GET", BulkRequest, bulkReq, set("/Operations/3/method", "GET"), []Violation{{"/Operations/3/method", `"GET" is not one of "POST", "PUT", "PATCH", "DELETE"`}}},
		{"failOnErrors as a string", BulkRequest, bulkReq, set("/failOnErrors", "1"), []Violation{{"/failOnErrors", `expected integer, got string "1"`}}},
		{"bulk status as a number", BulkResponse, bulkResp, set("/Operations/0/status", 201), []Violation{{"/Operations/0/status", "expected string, got integer 201"}}},
		{"bulk PUT result without location", BulkResponse, bulkResp, del("/Operations/1/location"), []Violation{{"/Operations/1/location", missing}}},
		{"bulk failure without response", BulkResponse, bulkResp, del("/Operations/3/response"), []Violation{{"/Operations/3/response", missing}}},
		{"bulk failure response not an Error", BulkResponse, bulkResp, set("/Operations/3/response/status", 400), []Violation{{"/Operations/3/response/status", "expected string, got integer 400"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := elements(t, readTestdata(t, tt.base))[0]
			if vs, err := Validate(tt.kind, base); err != nil || len(vs) != 0 {
				t.Fatalf("base %s is not valid %s: %v %v", tt.base, tt.kind, vs, err)
			}
			got, err := Validate(tt.kind, applyEdits(t, base, tt.edit))
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("violations:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestReportsEveryViolation(t *testing.T) {
	t.Parallel()
	body := applyEdits(t, readTestdata(t, "rfc7643-8.2-full-user.json"),
		set("/emails/0/primary", "yes"),
		del("/id"),
		set("/active", "true"),
	)
	got, err := Validate(User, body)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := []Violation{
		{"/active", `expected boolean, got string "true"`},
		{"/emails/0/primary", `expected boolean, got string "yes"`},
		{"/id", missing},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations:\n got  %q\n want %q", got, want)
	}
}

func TestEmptySchemasReportsBothRules(t *testing.T) {
	t.Parallel()
	body := applyEdits(t, readTestdata(t, "rfc7643-8.1-minimal-user.json"), set("/schemas", rawJSON(`[]`)))
	got, err := Validate(User, body)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	// An empty array has no item to name the missing URN from.
	want := []Violation{
		{"/schemas", "does not contain a required value"},
		{"/schemas", "must have at least 1 item(s)"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations:\n got  %q\n want %q", got, want)
	}
}
