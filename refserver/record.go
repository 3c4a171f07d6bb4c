package refserver

import (
	"github.com/scimconform/scimconform/refserver/schema"
)

// resourceKind says which resource type a record or endpoint serves.
type resourceKind uint8

const (
	kindUser resourceKind = iota
	kindGroup
)

// resourceType returns the schema resource type of k.
func (k resourceKind) resourceType() *schema.ResourceType {
	if k == kindGroup {
		return schema.GroupType
	}
	return schema.UserType
}

// endpoint returns the path segment of k's endpoint ("Users" or "Groups").
func (k resourceKind) endpoint() string {
	if k == kindGroup {
		return "Groups"
	}
	return "Users"
}

// nameAttr is the attribute that is required and unique case-insensitively:
// userName for users, displayName for groups.
func (k resourceKind) nameAttr() string {
	if k == kindGroup {
		return "displayName"
	}
	return "userName"
}

// record is one stored resource. To keep the per-resource heap small it holds
// the indexed fields as strings and everything else as compact canonical JSON
// (decoded on read); id, meta, schemas and the derived attributes are rebuilt
// when a document is served.
type record struct {
	id         string
	name       string // userName (users) or displayName (groups), as sent
	externalID string
	body       []byte     // canonical JSON of every other stored attribute
	created    int64      // Unix milliseconds
	modified   int64      // Unix milliseconds
	version    uint64     // meta.version is W/"<version>"
	seq        uint64     // creation order
	nextExt    *record    // next record sharing externalID (index chain)
	members    *memberSet // groups only
	kind       resourceKind
	deleted    bool
}

// isFieldKey reports the document keys kept out of record.body because
// the record holds them in fields (externalId) or the server rebuilds them
// on every read (id, meta, schemas). The name attribute and derivedKey are
// kept out too.
func isFieldKey(key string) bool {
	switch key {
	case "id", "meta", "schemas", "externalId":
		return true
	}
	return false
}

// derivedKey is the attribute the server derives per kind and never stores
// in a body: a user's groups, a group's members (held in record.members).
func (k resourceKind) derivedKey() string {
	if k == kindGroup {
		return "members"
	}
	return "groups"
}
