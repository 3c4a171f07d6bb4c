package schemas

// Kind names a SCIM message shape that has a schema document.
type Kind string

// The kinds of SCIM messages this package validates.
const (
	User                  Kind = "User"
	EnterpriseUser        Kind = "EnterpriseUser"
	Group                 Kind = "Group"
	ListResponse          Kind = "ListResponse"
	Error                 Kind = "Error"
	PatchOp               Kind = "PatchOp"
	ServiceProviderConfig Kind = "ServiceProviderConfig"
	ResourceType          Kind = "ResourceType"
	Schema                Kind = "Schema"
	BulkRequest           Kind = "BulkRequest"
	BulkResponse          Kind = "BulkResponse"
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
