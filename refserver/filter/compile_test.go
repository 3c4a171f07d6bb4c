package filter

import (
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// sampleUser is a canonical User document as the store hands it to matchers.
func sampleUser() map[string]any {
	return map[string]any{
		"schemas":    []any{schema.UserURN, schema.EnterpriseUserURN},
		"id":         "2819c223-7f76-453a-919d-413861904646",
		"externalId": "jyoung",
		"userName":   "Bjensen@Example.com",
		"name": map[string]any{
			"formatted":  "Ms. Barbara J Jensen, III",
			"familyName": "Jensen",
			"givenName":  "Barbara",
		},
		"displayName":  "Babs Jensen",
		"nickName":     "",
		"profileUrl":   "https://login.example.com/bjensen",
		"active":       true,
		"phoneNumbers": []any{},
		"emails": []any{
			map[string]any{"value": "bjensen@example.com", "type": "work", "primary": true},
			map[string]any{"value": "babs@jensen.org", "type": "home"},
		},
		"addresses": []any{
			map[string]any{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"},
		},
		"roles": []any{
			map[string]any{"value": "admin", "display": "Administrator", "primary": true},
			map[string]any{"value": "reader", "display": "Reader", "primary": false},
		},
		"groups": []any{
			map[string]any{"value": "e9e30dba-f08f-4109-8486-d5c6a331660a", "display": "Tour Guides", "type": "direct"},
		},
		"meta": map[string]any{
			"resourceType": "User",
			"created":      "2010-01-23T04:56:22.000Z",
			"lastModified": "2011-05-13T04:42:34.000Z",
			"location":     "https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
			"version":      `W/"3"`,
		},
		schema.EnterpriseUserURN: map[string]any{
			"employeeNumber": "701984",
			"department":     "Tour Operations",
			"manager": map[string]any{
				"value":       "26118915-6090-4610-87e4-49d8ca9f808d",
				"displayName": "John Smith",
			},
		},
	}
}

// sampleGroup is a canonical Group document.
func sampleGroup() map[string]any {
	return map[string]any{
		"schemas":     []any{schema.GroupURN},
		"id":          "e9e30dba-f08f-4109-8486-d5c6a331660a",
		"externalId":  "Tour-Guides",
		"displayName": "Tour Guides",
		"members": []any{
			map[string]any{"value": "2819c223-7f76-453a-919d-413861904646", "display": "Babs Jensen", "type": "User"},
			map[string]any{"value": "902c246b-6245-4190-8e05-00816be7344a", "display": "Mandy Pepperidge", "type": "User"},
		},
		"meta": map[string]any{"resourceType": "Group", "created": "2010-01-23T04:56:22.000Z", "lastModified": "2011-05-13T04:42:34.000Z"},
	}
}

// deviceType has number attributes, which the SCIM core schemas lack.
var deviceType = &schema.ResourceType{
	ID: "Device", Name: "Device", Endpoint: "/Devices",
	Schema: &schema.Schema{ID: "urn:example:Device", Name: "Device", Attributes: []*schema.Attribute{
		{Name: "serial", Type: schema.String, CaseExact: true},
		{Name: "ports", Type: schema.Integer},
		{Name: "weight", Type: schema.Decimal},
		{Name: "tags", Type: schema.String, MultiValued: true},
		{Name: "readings", Type: schema.Decimal, MultiValued: true},
	}},
}

func sampleDevice() map[string]any {
	return map[string]any{
		"id": "d1", "serial": "SN-001", "ports": 4.0, "weight": 1.25,
		"tags": []any{"Rack", "edge"}, "readings": []any{1.5, 20.0},
	}
}

func TestCompileMatch(t *testing.T) {
	t.Parallel()
	user, group, device := sampleUser(), sampleGroup(), sampleDevice()
	tests := []struct {
		filter string
		rt     *schema.ResourceType
		doc    map[string]any
		want   bool
	}{
		// string operators, caseExact false (userName, displayName, emails.value)
		{`userName eq "bjensen@example.com"`, schema.UserType, user, true},
		{`userName eq "BJENSEN@EXAMPLE.COM"`, schema.UserType, user, true},
		{`userName eq "bjensen"`, schema.UserType, user, false},
		{`userName ne "BJENSEN@example.com"`, schema.UserType, user, false},
		{`userName ne "other"`, schema.UserType, user, true},
		{`userName co "JENSEN@"`, schema.UserType, user, true},
		{`userName co "jensen@x"`, schema.UserType, user, false},
		{`userName sw "BJEN"`, schema.UserType, user, true},
		{`userName sw "jensen"`, schema.UserType, user, false},
		{`userName ew ".COM"`, schema.UserType, user, true},
		{`userName ew ".org"`, schema.UserType, user, false},
		{`userName gt "ajensen"`, schema.UserType, user, true},
		{`userName gt "BJENSEN@EXAMPLE.COM"`, schema.UserType, user, false},
		{`userName ge "BJENSEN@EXAMPLE.COM"`, schema.UserType, user, true},
		{`userName lt "C"`, schema.UserType, user, true},
		{`userName le "bjensen@example.com"`, schema.UserType, user, true},
		{`userName lt "a"`, schema.UserType, user, false},
		{`name.givenName eq "barbara"`, schema.UserType, user, true},
		{`Name.GivenName EQ "barbara"`, schema.UserType, user, true},
		{`displayName co "babs"`, schema.UserType, user, true},
		// caseExact true (id, externalId, meta.resourceType)
		{`externalId eq "jyoung"`, schema.UserType, user, true},
		{`externalId eq "JYoung"`, schema.UserType, user, false},
		{`externalId sw "jy"`, schema.UserType, user, true},
		{`externalId sw "JY"`, schema.UserType, user, false},
		{`externalId co "OUN"`, schema.UserType, user, false},
		{`externalId ew "UNG"`, schema.UserType, user, false},
		{`id eq "2819C223-7F76-453A-919D-413861904646"`, schema.UserType, user, false},
		{`meta.resourceType eq "User"`, schema.UserType, user, true},
		{`meta.resourceType eq "user"`, schema.UserType, user, false},
		// pr
		{`title pr`, schema.UserType, user, false},
		{`nickName pr`, schema.UserType, user, false},
		{`phoneNumbers pr`, schema.UserType, user, false},
		{`emails pr`, schema.UserType, user, true},
		{`name pr`, schema.UserType, user, true},
		{`name.middleName pr`, schema.UserType, user, false},
		{`emails.type pr`, schema.UserType, user, true},
		{`manager pr`, schema.UserType, user, true},
		// absent attributes
		{`title eq "x"`, schema.UserType, user, false},
		{`title ne "x"`, schema.UserType, user, true},
		{`title gt "a"`, schema.UserType, user, false},
		{`title lt "z"`, schema.UserType, user, false},
		{`title eq null`, schema.UserType, user, true},
		{`title ne null`, schema.UserType, user, false},
		{`userName eq null`, schema.UserType, user, false},
		{`userName ne null`, schema.UserType, user, true},
		{`nickName eq null`, schema.UserType, user, true},
		// boolean
		{`active eq true`, schema.UserType, user, true},
		{`active eq false`, schema.UserType, user, false},
		{`active ne false`, schema.UserType, user, true},
		{`active eq "True"`, schema.UserType, user, true},
		{`active eq "FALSE"`, schema.UserType, user, false},
		{`active pr`, schema.UserType, user, true},
		{`emails.primary eq true`, schema.UserType, user, true},
		{`roles[primary eq "True"]`, schema.UserType, user, true},
		{`roles[primary eq "True" and value eq "reader"]`, schema.UserType, user, false},
		{`roles[primary eq false].display eq "reader"`, schema.UserType, user, true},
		// dateTime as instants
		{`meta.created eq "2010-01-23T04:56:22Z"`, schema.UserType, user, true},
		{`meta.created eq "2010-01-23T05:56:22+01:00"`, schema.UserType, user, true},
		{`meta.created ne "2010-01-23T04:56:22Z"`, schema.UserType, user, false},
		{`meta.lastModified gt "2011-05-13T04:42:33.999Z"`, schema.UserType, user, true},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, schema.UserType, user, false},
		{`meta.lastModified ge "2011-05-13T04:42:34Z"`, schema.UserType, user, true},
		{`meta.lastModified lt "2011-05-13T00:42:34-04:00"`, schema.UserType, user, false},
		{`meta.lastModified le "2011-05-13T00:42:34-04:00"`, schema.UserType, user, true},
		{`meta.lastModified lt "2012-01-01T00:00:00Z"`, schema.UserType, user, true},
		// multi-valued: any value; complex without sub-attribute compares "value"
		{`emails eq "BABS@jensen.org"`, schema.UserType, user, true},
		{`emails.value eq "babs@jensen.org"`, schema.UserType, user, true},
		{`emails.value eq "nobody@jensen.org"`, schema.UserType, user, false},
		{`emails.value ne "babs@jensen.org"`, schema.UserType, user, false},
		{`emails.type eq "home"`, schema.UserType, user, true},
		{`emails.value ew "@jensen.org"`, schema.UserType, user, true},
		{`emails[type eq "work" and value co "@example.com"]`, schema.UserType, user, true},
		{`emails[type eq "home" and value co "@example.com"]`, schema.UserType, user, false},
		{`emails[type eq "home"] and emails[value co "@example.com"]`, schema.UserType, user, true},
		{`emails[not (type eq "work")]`, schema.UserType, user, true},
		{`emails[type eq "work"].value eq "bjensen@example.com"`, schema.UserType, user, true},
		{`emails[type eq "work"].value eq "babs@jensen.org"`, schema.UserType, user, false},
		{`emails[type eq "home"].value eq "babs@jensen.org"`, schema.UserType, user, true},
		{`emails[type eq "work"].primary eq true`, schema.UserType, user, true},
		{`emails[type eq "other"].value eq null`, schema.UserType, user, true},
		{`phoneNumbers[type eq "work"]`, schema.UserType, user, false},
		{`addresses[type eq "work"].streetAddress sw "100"`, schema.UserType, user, true},
		{`name[givenName eq "Barbara"]`, schema.UserType, user, true},
		{`groups eq "e9e30dba-f08f-4109-8486-d5c6a331660a"`, schema.UserType, user, true},
		{`groups.display eq "tour guides"`, schema.UserType, user, true},
		// extension attributes, with and without URN
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"`, schema.UserType, user, true},
		{`URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:DEPARTMENT eq "tour operations"`, schema.UserType, user, true},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, schema.UserType, user, true},
		{`manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, schema.UserType, user, true},
		{`manager.displayName eq "john smith"`, schema.UserType, user, true},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "b"`, schema.UserType, user, true},
		{`costCenter eq "x"`, schema.UserType, user, false},
		{`costCenter ne "x"`, schema.UserType, user, true},
		// logic
		{`userName eq "x" or active eq true`, schema.UserType, user, true},
		{`userName eq "x" or active eq false`, schema.UserType, user, false},
		{`title pr and userName pr`, schema.UserType, user, false},
		{`not (title pr) and userName pr`, schema.UserType, user, true},
		{`userName eq "x" and title pr or active eq true`, schema.UserType, user, true},
		{`userName eq "x" and (title pr or active eq true)`, schema.UserType, user, false},
		// filters Microsoft Entra ID sends (U1, U4, U5, G1, §1.3)
		{`userName eq "non-existent user"`, schema.UserType, user, false},
		{`userName eq "3b1f6c2e-8d0a-4a3c-9c53-0e0f5b6f1a77"`, schema.UserType, user, false},
		{`userName eq "Bjensen@Example.com"`, schema.UserType, user, true},
		{`externalId eq jyoung`, schema.UserType, user, true},
		{`emails[type eq "work"].value eq "BJensen@example.com"`, schema.UserType, user, true},
		{`id eq 2819c223-7f76-453a-919d-413861904646 and manager eq 26118915-6090-4610-87e4-49d8ca9f808d`, schema.UserType, user, true},
		{`displayName eq "TOUR GUIDES"`, schema.GroupType, group, true},
		{`displayName eq "displayName"`, schema.GroupType, group, false},
		{`id eq "e9e30dba-f08f-4109-8486-d5c6a331660a" and members eq "902c246b-6245-4190-8e05-00816be7344a"`, schema.GroupType, group, true},
		{`members[value eq "2819c223-7f76-453a-919d-413861904646"]`, schema.GroupType, group, true},
		{`members.value eq "0000"`, schema.GroupType, group, false},
		{`members.display sw "mandy"`, schema.GroupType, group, true},
		{`externalId eq "tour-guides"`, schema.GroupType, group, false},
		// numbers and non-complex multi-valued attributes
		{`ports eq 4`, deviceType, device, true},
		{`ports ne 4`, deviceType, device, false},
		{`ports gt 3`, deviceType, device, true},
		{`ports ge 4`, deviceType, device, true},
		{`ports lt 4`, deviceType, device, false},
		{`ports le 4.0`, deviceType, device, true},
		{`weight lt 1.5`, deviceType, device, true},
		{`weight gt 1.25`, deviceType, device, false},
		{`readings gt 10`, deviceType, device, true},
		{`readings lt 1`, deviceType, device, false},
		{`tags eq "rack"`, deviceType, device, true},
		{`tags co "DG"`, deviceType, device, true},
		{`serial eq "sn-001"`, deviceType, device, false},
		{`serial gt "SN-000"`, deviceType, device, true},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			e, err := Parse(tt.filter)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.filter, err)
			}
			m, err := Compile(tt.rt, e)
			if err != nil {
				t.Fatalf("Compile(%q): %v", tt.filter, err)
			}
			if got := m(tt.doc); got != tt.want {
				t.Fatalf("%q matched %v, want %v", tt.filter, got, tt.want)
			}
		})
	}
}

func TestCompileRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		filter string
		rt     *schema.ResourceType
		detail string
	}{
		{`nosuch eq "x"`, schema.UserType, `unknown attribute "nosuch" for resource type User`},
		{`name.nosuch eq "x"`, schema.UserType, `attribute "name" has no sub-attribute "nosuch"`},
		{`userName.value eq "x"`, schema.UserType, `attribute "userName" is not complex and has no sub-attribute "value"`},
		{`urn:example:nosuch:userName eq "x"`, schema.UserType, `unknown schema "urn:example:nosuch"`},
		{`manager eq "x"`, schema.GroupType, `unknown attribute "manager" for resource type Group`},
		{`emails[nosuch eq "x"]`, schema.UserType, `attribute "emails" has no sub-attribute "nosuch"`},
		{`emails[type eq "work"].nosuch eq "x"`, schema.UserType, `attribute "emails" has no sub-attribute "nosuch"`},
		{`emails[type.x eq "work"]`, schema.UserType, `inside the value filter of emails, name one of its sub-attributes, not type.x`},
		{`userName[value eq "x"]`, schema.UserType, `attribute userName is not complex: a value filter does not apply`},
		{`userName eq 5`, schema.UserType, `attribute userName is a string: compare it with a quoted string, not 5`},
		{`userName eq true`, schema.UserType, `attribute userName is a string: compare it with a quoted string, not true`},
		{`userName gt null`, schema.UserType, `userName gt null: null can only be compared with eq or ne`},
		{`userName co null`, schema.UserType, `null can only be compared with eq or ne`},
		{`active gt true`, schema.UserType, `attribute active is boolean: only eq, ne and pr apply, not gt`},
		{`active co "t"`, schema.UserType, `attribute active is boolean: only eq, ne and pr apply, not co`},
		{`active eq "yes"`, schema.UserType, `attribute active is boolean: "yes" is not true or false`},
		{`active eq 1`, schema.UserType, `attribute active is boolean: 1 is not true or false`},
		{`roles[primary eq "Truthy"]`, schema.UserType, `attribute roles.primary is boolean: "Truthy" is not true or false`},
		{`meta.created co "2010"`, schema.UserType, `attribute meta.created is a dateTime: co does not apply`},
		{`meta.created sw "2010"`, schema.UserType, `attribute meta.created is a dateTime: sw does not apply`},
		{`meta.created ew "Z"`, schema.UserType, `attribute meta.created is a dateTime: ew does not apply`},
		{`meta.created gt "yesterday"`, schema.UserType, `attribute meta.created is a dateTime: "yesterday" is not an RFC 3339 date and time`},
		{`meta.created eq 5`, schema.UserType, `attribute meta.created is a dateTime: 5 is not an RFC 3339 date and time`},
		{`name eq "x"`, schema.UserType, `attribute name is complex: name one of its sub-attributes to compare`},
		{`addresses eq "x"`, schema.UserType, `attribute addresses is complex: name one of its sub-attributes to compare`},
		{`name gt "x"`, schema.UserType, `attribute name is complex`},
		{`meta eq "x"`, schema.UserType, `attribute meta is complex`},
		{`ports eq "4"`, deviceType, `attribute ports is a number: "4" is not a number`},
		{`ports co 4`, deviceType, `attribute ports is a number: co does not apply`},
		{`weight sw 1`, deviceType, `attribute weight is a number: sw does not apply`},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			e, err := Parse(tt.filter)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.filter, err)
			}
			m, err := Compile(tt.rt, e)
			if err == nil {
				t.Fatalf("Compile(%q) succeeded (matcher %p), want an error", tt.filter, m)
			}
			assertSCIMError(t, err, scimerr.InvalidFilter, tt.detail)
		})
	}
}

func TestCompileRejectsMalformedTrees(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		e      Expr
		detail string
	}{
		{"nil", nil, "empty filter expression"},
		{"nil compare", (*Compare)(nil), "empty filter expression"},
		{"and with nil side", &And{L: eq("userName", "x")}, "empty filter expression"},
		{"not of nil", &Not{}, "empty filter expression"},
		{"value path without filter", &ValuePath{Attr: path("emails")}, "malformed value path"},
		{"nested value path", vpath("emails", vpath("type", eq("value", "x"))), "value filters cannot be nested"},
		{"nested filter in compare", vpath("emails", cmp(filtered("type", eq("value", "x"), ""), Eq, "y")), "value filters cannot be nested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Compile(schema.UserType, tt.e)
			assertSCIMError(t, err, scimerr.InvalidFilter, tt.detail)
		})
	}
	_, err := Compile(nil, eq("userName", "x"))
	assertSCIMError(t, err, scimerr.InvalidFilter, "no resource type")
}

// TestMatchToleratesOddDocuments checks a matcher never panics on documents
// that are not in canonical form and simply does not match them.
func TestMatchToleratesOddDocuments(t *testing.T) {
	t.Parallel()
	docs := []map[string]any{
		nil,
		{},
		{"userName": 5.0, "emails": "not a list", "name": "not an object", "active": "maybe"},
		{"emails": []any{"x", nil, 3.0, map[string]any{"value": nil}}, "meta": map[string]any{"created": "not a time"}},
		{schema.EnterpriseUserURN: "not an object", "roles": []any{map[string]any{"primary": "maybe"}, []any{true}}},
	}
	filters := []string{
		`userName eq "x"`, `userName sw "x"`, `emails[type eq "work"].value eq "x"`, `emails.value pr`,
		`name.givenName eq "x"`, `active eq true`, `meta.created gt "2010-01-01T00:00:00Z"`,
		`manager eq "x"`, `roles[primary eq true]`,
	}
	for _, f := range filters {
		e, err := Parse(f)
		if err != nil {
			t.Fatalf("Parse(%q): %v", f, err)
		}
		m, err := Compile(schema.UserType, e)
		if err != nil {
			t.Fatalf("Compile(%q): %v", f, err)
		}
		for i, d := range docs {
			if m(d) {
				t.Errorf("%q matched odd document %d", f, i)
			}
		}
	}
}

func TestFold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s, sub             string
		prefix, suffix, co bool
	}{
		{"Hello World", "hello", true, false, true},
		{"Hello World", "WORLD", false, true, true},
		{"Hello World", "O W", false, false, true},
		{"Hello", "", true, true, true},
		{"", "a", false, false, false},
		{"Straße", "STRASSE", false, false, false},
		{"Ünïcode ÉTÉ", "été", false, true, true},
		{"\u212Aelvin", "kel", true, false, true}, // Kelvin sign folds to k
		{"abc", "abcd", false, false, false},
	}
	for _, tt := range tests {
		if got := hasPrefixFold(tt.s, tt.sub); got != tt.prefix {
			t.Errorf("hasPrefixFold(%q, %q) = %v", tt.s, tt.sub, got)
		}
		if got := hasSuffixFold(tt.s, tt.sub); got != tt.suffix {
			t.Errorf("hasSuffixFold(%q, %q) = %v", tt.s, tt.sub, got)
		}
		if got := containsFold(tt.s, tt.sub); got != tt.co {
			t.Errorf("containsFold(%q, %q) = %v", tt.s, tt.sub, got)
		}
	}
	orders := []struct {
		a, b string
		want int
	}{
		{"abc", "ABC", 0}, {"abc", "ABD", -1}, {"b", "A", 1}, {"ab", "ABC", -1}, {"ÉTÉ", "été", 0}, {"", "", 0},
	}
	for _, o := range orders {
		if got := compareFold(o.a, o.b); got != o.want {
			t.Errorf("compareFold(%q, %q) = %d, want %d", o.a, o.b, got, o.want)
		}
	}
}

// TestCompileHandBuiltValues covers expressions built in code rather than
// parsed, whose numbers may be Go integers.
func TestCompileHandBuiltValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    Expr
		text string
		want bool
	}{
		{cmp(path("ports"), Gt, 3), `ports gt 3`, true},
		{cmp(path("ports"), Eq, int64(4)), `ports eq 4`, true},
		{cmp(path("weight"), Lt, 1), `weight lt 1`, false},
	}
	for _, tt := range tests {
		if got := exprString(tt.e); got != tt.text {
			t.Errorf("String() = %s, want %s", got, tt.text)
		}
		m, err := Compile(deviceType, tt.e)
		if err != nil {
			t.Fatalf("Compile(%s): %v", tt.text, err)
		}
		if got := m(sampleDevice()); got != tt.want {
			t.Errorf("%s matched %v, want %v", tt.text, got, tt.want)
		}
	}
}
