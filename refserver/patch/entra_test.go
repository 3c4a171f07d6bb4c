package patch

import (
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

const (
	entraUser = `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","active":true,` +
		`"name":{"givenName":"Adele","familyName":"Vance"},` +
		`"emails":[{"value":"adele@contoso.com","type":"work","primary":true}]}`
	entraUserWithManager = `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com",` +
		`"$E":{"employeeNumber":"55555555555","manager":{"value":"m1","$ref":"../Users/m1"}}}`
	entraUserOnlyManager = `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"manager":{"value":"m1"}}}`
	userNoManager        = `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com"}`
	groupMembersABC      = `{"schemas":["$G"],"id":"g1","displayName":"Sales","members":[{"value":"a"},{"value":"b"},{"value":"c"}]}`
)

// TestApplyEntraUsers replays the user PATCH bodies of Microsoft Entra ID
// (both dialects) and of its SCIM validator.
func TestApplyEntraUsers(t *testing.T) {
	t.Parallel()
	runCases(t, []applyCase{
		{
			name: "U6 value-path replace and sub-attribute replace",
			doc:  entraUser,
			body: `{"schemas":["$P"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"},{"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","active":true,"name":{"givenName":"Adele","familyName":"updatedFamilyName"},"emails":[{"value":"updatedEmail@microsoft.com","type":"work","primary":true}]}`,
		},
		{
			name: "U6 replace on a missing work email creates it",
			doc:  userNoManager,
			body: `{"schemas":["$P"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"updatedEmail@microsoft.com"}]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","emails":[{"type":"work","value":"updatedEmail@microsoft.com"}]}`,
		},
		{
			name: "U6 captured Entra PATCH: emails, new work address, URN department",
			doc:  entraUser,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"AdeleV2@REDACTED.onmicrosoft.com"},{"op":"Replace","path":"addresses[type eq \"work\"].formatted","value":"18/2111"},{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Retail"}]}`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","active":true,"name":{"givenName":"Adele","familyName":"Vance"},` +
				`"emails":[{"value":"AdeleV2@REDACTED.onmicrosoft.com","type":"work","primary":true}],"addresses":[{"type":"work","formatted":"18/2111"}],"$E":{"department":"Retail"}}`,
		},
		{
			name: "U7 replace userName",
			doc:  entraUser,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"userName","value":"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com","active":true,"name":{"givenName":"Adele","familyName":"Vance"},"emails":[{"value":"adele@contoso.com","type":"work","primary":true}]}`,
		},
		{
			name: "U7 displayName keeps its leading space",
			doc:  userNoManager,
			body: `[{"op":"Replace","path":"displayName","value":" User X"}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","displayName":" User X"}`,
		},
		{
			name: "U7b default dialect: one op per attribute",
			doc:  entraUser,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` +
				`{"op":"Replace","path":"displayName","value":"Pvlo"},` +
				`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"TestBcwqnm@test.microsoft.com"},` +
				`{"op":"Replace","path":"name.givenName","value":"Gtfd"},` +
				`{"op":"Replace","path":"name.familyName","value":"Pkqf"},` +
				`{"op":"Replace","path":"externalId","value":"Eqpj"},` +
				`{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}]}`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","active":true,"displayName":"Pvlo","externalId":"Eqpj",` +
				`"name":{"givenName":"Gtfd","familyName":"Pkqf"},"emails":[{"value":"TestBcwqnm@test.microsoft.com","type":"work","primary":true}],"$E":{"employeeNumber":"Eqpj"}}`,
		},
		{
			name: "U7b aadOptscim062020: path-less replace with dotted and URN keys",
			doc:  entraUser,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` +
				`{"op":"replace","path":"emails[type eq \"work\"].value","value":"TestMhvaes@test.microsoft.com"},` +
				`{"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","active":true,"displayName":"Bjfe",` +
				`"name":{"givenName":"Kkom","familyName":"Unua"},"emails":[{"value":"TestMhvaes@test.microsoft.com","type":"work","primary":true}],"$E":{"employeeNumber":"Aklq"}}`,
		},
		{
			name: "U7b late-2020 flag shapes: boolean sub-attribute and path-less active/userName",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","active":true,"emails":[{"value":"h@example.com","type":"home","primary":true}]}`,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` +
				`{"op":"replace","path":"emails[type eq \"work\"].value","value":"someone@contoso.com"},` +
				`{"op":"replace","path":"emails[type eq \"work\"].primary","value":true},` +
				`{"op":"replace","value":{"active":false,"userName":"someone"}}]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"someone","active":false,"emails":[{"value":"h@example.com","type":"home","primary":false},{"type":"work","value":"someone@contoso.com","primary":true}]}`,
		},
		{
			name: "U7b single-value add, default dialect",
			doc:  userNoManager,
			body: `{"schemas":["$P"],"Operations":[{"op":"Add","path":"nickName","value":"Babs"}]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","nickName":"Babs"}`,
		},
		{
			name: "U7b older doc: add enterprise department by URN path",
			doc:  userNoManager,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Tech Infrastructure"}]}`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"department":"Tech Infrastructure"}}`,
		},
		{
			name: "U8 manager shape 1: path manager with an array value",
			doc:  userNoManager,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"manager","value":[{"$ref":"http://example.com/scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee","value":"00aa00aa-bb11-cc22-dd33-44ee44ee44ee"}]}]}`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"manager":{"$ref":"http://example.com/scim/Users/00aa00aa-bb11-cc22-dd33-44ee44ee44ee","value":"00aa00aa-bb11-cc22-dd33-44ee44ee44ee"}}}`,
		},
		{
			name: "U8 manager shape 2: URN path with a bare string",
			doc:  userNoManager,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}]}`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"manager":{"value":"2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}}}`,
		},
		{
			name: "U8 manager shape 3: validator add with an object",
			doc:  userNoManager,
			body: `[{"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"m2"}}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"manager":{"value":"m2"}}}`,
		},
		{
			name: "U8 validator replace manager with a bare string",
			doc:  entraUserOnlyManager,
			body: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m2"}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"manager":{"value":"m2"}}}`,
		},
		{
			name: "U8 replacing the manager by id alone drops the old manager's $ref",
			doc:  entraUserWithManager,
			body: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"m2"}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"employeeNumber":"55555555555","manager":{"value":"m2"}}}`,
		},
		{
			name: "U8 re-sending the same manager keeps its $ref",
			doc:  entraUserWithManager,
			body: `[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"m1"}}]`,
			want: entraUserWithManager,
		},
		{
			name: "U8 manager in any case, readOnly displayName ignored",
			doc:  userNoManager,
			body: `[{"op":"Add","path":"Manager","value":{"Value":"m3","displayName":"Boss"}}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"manager":{"value":"m3"}}}`,
		},
		{
			name: "U8 remove manager with remove",
			doc:  entraUserWithManager,
			body: `[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"employeeNumber":"55555555555"}}`,
		},
		{
			name: "U8 remove manager with replace and an empty string",
			doc:  entraUserOnlyManager,
			body: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":""}]`,
			want: userNoManager,
		},
		{
			name: "U8 remove manager with replace and an empty value object",
			doc:  entraUserWithManager,
			body: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":""}}]`,
			want: `{"schemas":["$U","$E"],"id":"u1","userName":"adele@contoso.com","$E":{"employeeNumber":"55555555555"}}`,
		},
		{
			name: "U8 remove manager by its value sub-attribute",
			doc:  entraUserOnlyManager,
			body: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value","value":""}]`,
			want: userNoManager,
		},
		{
			name: "U8b AppRoleAssignmentsComplex add with a JSON-encoded role",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","roles":[{"value":"User","type":"WindowsAzureActiveDirectoryRole","primary":false}]}`,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}]}]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele","roles":[{"value":"User","type":"WindowsAzureActiveDirectoryRole","primary":false},{"value":"{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"25\",\"displayName\":\"Role1234\"}"}]}`,
		},
		{
			name: "U8b AssertiveAppRoleAssignmentsComplex replace swaps all roles",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","roles":[{"value":"Old"},{"value":"Older"}]}`,
			body: `[{"op":"replace","path":"roles","value":[{"primary":false,"type":"WindowsAzureActiveDirectoryRole","display":"User","value":"User"},{"primary":"False","type":"WindowsAzureActiveDirectoryRole","display":"Admin","value":"Admin"}]}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele","roles":[{"primary":false,"type":"WindowsAzureActiveDirectoryRole","display":"User","value":"User"},{"primary":false,"type":"WindowsAzureActiveDirectoryRole","display":"Admin","value":"Admin"}]}`,
		},
		{
			name: "validator Add Attributes: roles[primary eq \"True\"] sub-attributes build one element",
			doc:  userNoManager,
			body: `[{"op":"add","path":"roles[primary eq \"True\"].display","value":"Admin"},{"op":"add","path":"roles[primary eq \"True\"].value","value":"admin"},{"op":"add","path":"roles[primary eq \"True\"].type","value":"WindowsAzureActiveDirectoryRole"}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","roles":[{"primary":true,"display":"Admin","value":"admin","type":"WindowsAzureActiveDirectoryRole"}]}`,
		},
		{
			name: "validator Add Attributes: home and other emails with display and string primary",
			doc:  userNoManager,
			body: `[{"op":"add","path":"emails[type eq \"home\"].value","value":"h@example.com"},{"op":"add","path":"emails[type eq \"home\"].display","value":"Home"},{"op":"replace","path":"emails[type eq \"other\"].primary","value":"True"},{"op":"add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+1 555 0100"}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","emails":[{"type":"home","value":"h@example.com","display":"Home"},{"type":"other","primary":true}],"phoneNumbers":[{"type":"mobile","value":"+1 555 0100"}]}`,
		},
		{
			name: "validator Replace Attributes: path-less verbose replace",
			doc:  entraUser,
			body: `[{"op":"replace","value":{"active":true,"displayName":"Verbose","name.givenName":"Given","addresses[type eq \"work\"].streetAddress":"1 Main St"}}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","active":true,"displayName":"Verbose","name":{"givenName":"Given","familyName":"Vance"},` +
				`"emails":[{"value":"adele@contoso.com","type":"work","primary":true}],"addresses":[{"type":"work","streetAddress":"1 Main St"}]}`,
		},
		{
			name: "validator Update User userName without path",
			doc:  entraUser,
			body: `[{"op":"replace","value":{"userName":"renamed@contoso.com"}}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"renamed@contoso.com","active":true,"name":{"givenName":"Adele","familyName":"Vance"},"emails":[{"value":"adele@contoso.com","type":"work","primary":true}]}`,
		},
		{
			name: "validator Multiple Ops on different attributes",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","preferredLanguage":"en-US","displayName":"A"}`,
			body: `[{"op":"remove","path":"preferredLanguage"},{"op":"add","path":"externalId","value":"e1"},{"op":"replace","path":"displayName","value":"B"}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele","externalId":"e1","displayName":"B"}`,
		},
		{
			name: "validator Multiple Ops on the same attribute apply in order",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","externalId":"e0"}`,
			body: `[{"op":"remove","path":"externalId"},{"op":"add","path":"externalId","value":"e1"},{"op":"replace","path":"externalId","value":"e2"}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele","externalId":"e2"}`,
		},
		{
			name: "validator empty Operations succeeds and changes nothing",
			doc:  entraUser,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[]}`,
			want: entraUser,
		},
		{
			name: "U9 disable, default dialect string False",
			doc:  entraUser,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele@contoso.com","active":false,"name":{"givenName":"Adele","familyName":"Vance"},"emails":[{"value":"adele@contoso.com","type":"work","primary":true}]}`,
		},
		{
			name: "U9 disable, aadOptscim062020 boolean",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","active":true}`,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele","active":false}`,
		},
		{
			name: "U9 tutorial sample: Operations before schemas",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","active":true}`,
			body: `{"Operations":[{"op":"Replace","path":"active","value":false}],"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele","active":false}`,
		},
		{
			name: "U9 re-enable with TRUE in any case",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","active":false}`,
			body: `[{"op":"Replace","path":"active","value":"TRUE"}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele","active":true}`,
		},
		{
			name: "U9 path-less False string",
			doc:  `{"schemas":["$U"],"id":"u1","userName":"adele","active":true}`,
			body: `[{"op":"Replace","value":{"active":"False"}}]`,
			want: `{"schemas":["$U"],"id":"u1","userName":"adele","active":false}`,
		},
	})
}

// TestApplyEntraGroups replays Entra's and the validator's group PATCH bodies.
func TestApplyEntraGroups(t *testing.T) {
	t.Parallel()
	g := schema.GroupType
	runCases(t, []applyCase{
		{
			name: "G4 replace displayName",
			rt:   g,
			doc:  group0,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}]}`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}`,
		},
		{
			name: "G4 validator path-less displayName",
			rt:   g,
			doc:  group0,
			body: `[{"op":"replace","value":{"displayName":"WUZPWMBDDCGI"}}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"WUZPWMBDDCGI"}`,
		},
		{
			name: "G4 validator path-less externalId",
			rt:   g,
			doc:  group0,
			body: `[{"op":"replace","value":{"externalId":"663fa3a8-e2b6-4ac0-96c8-363432cdc01d"}}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","externalId":"663fa3a8-e2b6-4ac0-96c8-363432cdc01d"}`,
		},
		{
			name: "G5 add a member with $ref null",
			rt:   g,
			doc:  group0,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}]}`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","members":[{"value":"f648f8d5ea4e4cd38e9c"}]}`,
		},
		{
			name: "G5 flag form adds several members in one operation",
			rt:   g,
			doc:  groupAB,
			body: `[{"op":"add","path":"members","value":[{"value":"10263a6910a84ef9a581dd9b8dcc0eae"},{"value":"a"},{"value":"d"}]}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","members":[{"value":"a"},{"value":"b"},{"value":"10263a6910a84ef9a581dd9b8dcc0eae"},{"value":"d"}]}`,
		},
		{
			name: "G6 default dialect removes only the listed members",
			rt:   g,
			doc:  groupMembersABC,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"b"}]}]}`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Sales","members":[{"value":"a"},{"value":"c"}]}`,
		},
		{
			name: "G6 compat-doc form, several values, non-members ignored",
			rt:   g,
			doc:  groupMembersABC,
			body: `[{"op":"Remove","path":"members","value":[{"value":"a"},{"$ref":null,"value":"c"},{"value":"u1091"}]}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Sales","members":[{"value":"b"}]}`,
		},
		{
			name: "G6 removing only non-members changes nothing",
			rt:   g,
			doc:  groupMembersABC,
			body: `[{"op":"Remove","path":"members","value":[{"value":"u1091"}]}]`,
			want: groupMembersABC,
		},
		{
			name: "G6 removing every listed member leaves no members attribute",
			rt:   g,
			doc:  groupAB,
			body: `[{"op":"Remove","path":"members","value":[{"value":"a"},{"value":"b"}]}]`,
			want: group0,
		},
		{
			name: "G6 a single value object or bare ids are accepted too",
			rt:   g,
			doc:  groupMembersABC,
			body: `[{"op":"Remove","path":"members","value":{"value":"a"}},{"op":"remove","path":"members","value":["C"]}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Sales","members":[{"value":"b"}]}`,
		},
		{
			name: "G6 aadOptscim062020 value filter form",
			rt:   g,
			doc:  groupMembersABC,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"b\"]"}]}`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Sales","members":[{"value":"a"},{"value":"c"}]}`,
		},
		{
			name: "validator Add Member with replace on members",
			rt:   g,
			doc:  group0,
			body: `[{"op":"replace","path":"members","value":[{"value":"u1"}]}]`,
			want: `{"schemas":["$G"],"id":"g1","displayName":"Tour Guides","members":[{"value":"u1"}]}`,
		},
		{
			name: "validator Multiple Ops on same attribute: add then remove a member",
			rt:   g,
			doc:  group0,
			body: `[{"op":"add","path":"members","value":[{"value":"u1"}]},{"op":"remove","path":"members[value eq \"u1\"]"}]`,
			want: group0,
		},
	})
}
