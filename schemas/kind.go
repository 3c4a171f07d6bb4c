package schemas

// Kind names a SCIM message shape that has a schema document.
type Kind string

// The kinds of SCIM messages this package validates. Resource kinds (User,
// EnterpriseUser, Group) describe resources as a service provider returns
// them: id, schemas and meta are required.
const (
	// User is a User resource (RFC 7643 §4.1); an enterprise extension object
	// under its URN key is validated too (§4.3).
	User Kind = "User"
	// EnterpriseUser is a User whose schemas list the enterprise extension URN.
	EnterpriseUser Kind = "EnterpriseUser"
	// Group is a Group resource (RFC 7643 §4.2).
	Group Kind = "Group"
	// ListResponse is a query answer (RFC 7644 §3.4.2); use ValidateList to
	// check its Resources too.
	ListResponse Kind = "ListResponse"
	// Error is an error answer (RFC 7644 §3.12).
	Error Kind = "Error"
	// PatchOp is a PATCH request body (RFC 7644 §3.5.2).
	PatchOp Kind = "PatchOp"
	// ServiceProviderConfig is the /ServiceProviderConfig answer (RFC 7643 §5).
	ServiceProviderConfig Kind = "ServiceProviderConfig"
	// ResourceType is one /ResourceTypes entry (RFC 7643 §6).
	ResourceType Kind = "ResourceType"
	// Schema is one /Schemas entry (RFC 7643 §7).
	Schema Kind = "Schema"
	// BulkRequest is a /Bulk request body (RFC 7644 §3.7).
	BulkRequest Kind = "BulkRequest"
	// BulkResponse is a /Bulk answer (RFC 7644 §3.7).
	BulkResponse Kind = "BulkResponse"
)

// documents maps each kind to its embedded schema file, in Kinds order.
var documents = []struct {
	kind Kind
	file string
}{
	{User, "user.json"},
	{EnterpriseUser, "enterprise-user.json"},
	{Group, "group.json"},
	{ListResponse, "list-response.json"},
	{Error, "error.json"},
	{PatchOp, "patch-op.json"},
	{ServiceProviderConfig, "service-provider-config.json"},
	{ResourceType, "resource-type.json"},
	{Schema, "schema.json"},
	{BulkRequest, "bulk-request.json"},
	{BulkResponse, "bulk-response.json"},
}

// Kinds returns every kind, in a stable order. The slice is a fresh copy.
func Kinds() []Kind {
	kinds := make([]Kind, len(documents))
	for i, d := range documents {
		kinds[i] = d.kind
	}
	return kinds
}

// file returns the schema document of a kind, or "" for an unknown kind.
func (k Kind) file() string {
	for _, d := range documents {
		if d.kind == k {
			return d.file
		}
	}
	return ""
}
