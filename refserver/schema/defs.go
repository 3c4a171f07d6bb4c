package schema

// URNs of the schemas the reference server implements.
const (
	UserURN           = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupURN          = "urn:ietf:params:scim:schemas:core:2.0:Group"
	EnterpriseUserURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// attr builds a single-valued, readWrite, returned-by-default, non-unique
// attribute; the option funcs adjust it. Keeping the definitions short makes
// them easy to check against RFC 7643 §8.7.
func attr(name string, t Type, opts ...func(*Attribute)) *Attribute {
	a := &Attribute{Name: name, Type: t, Mutability: ReadWrite, Returned: Default, Uniqueness: None}
	for _, o := range opts {
		o(a)
	}
	if t != Complex {
		return a
	}
	a.Uniqueness = ""
	return a
}

func multi(a *Attribute)    { a.MultiValued = true }
func required(a *Attribute) { a.Required = true }
func caseExact(a *Attribute) {
	a.CaseExact = true
}
func readOnly(a *Attribute)  { a.Mutability = ReadOnly }
func immutable(a *Attribute) { a.Mutability = Immutable }
func returnedAlways(a *Attribute) {
	a.Returned = Always
}
func uniqueServer(a *Attribute) { a.Uniqueness = Server }
func noControls(a *Attribute)   { a.NoControls = true }
func canonical(vals ...string) func(*Attribute) {
	return func(a *Attribute) { a.CanonicalValues = vals }
}
func refTypes(types ...string) func(*Attribute) {
	return func(a *Attribute) { a.ReferenceTypes = types }
}
func subs(sub ...*Attribute) func(*Attribute) {
	return func(a *Attribute) { a.SubAttributes = sub }
}
func desc(d string) func(*Attribute) { return func(a *Attribute) { a.Description = d } }

// multiValuedSubs returns the standard sub-attributes of a multi-valued
// attribute (RFC 7643 §2.4): value, display, type, primary.
func multiValuedSubs(valueType Type, typeValues []string, extra ...func(*Attribute)) func(*Attribute) {
	value := attr("value", valueType, extra...)
	return subs(
		value,
		attr("display", String),
		attr("type", String, canonical(typeValues...)),
		attr("primary", Boolean),
	)
}

// Common attributes (RFC 7643 §3.1) present on every resource.
var (
	IDAttr = attr("id", String, caseExact, readOnly, returnedAlways, uniqueServer,
		desc("Unique identifier for the resource, assigned by the service provider."))
	ExternalIDAttr = attr("externalId", String, caseExact, noControls,
		desc("Identifier of the resource as defined by the provisioning client."))
	MetaAttr = attr("meta", Complex, readOnly, desc("Resource metadata."), subs(
		attr("resourceType", String, caseExact, readOnly),
		attr("created", DateTime, readOnly),
		attr("lastModified", DateTime, readOnly),
		attr("location", Reference, caseExact, readOnly, refTypes("uri")),
		attr("version", String, caseExact, readOnly),
	))
)

// CommonAttributes lists id, externalId and meta.
var CommonAttributes = []*Attribute{IDAttr, ExternalIDAttr, MetaAttr}

// User is the core User schema (RFC 7643 §4.1, §8.7.1).
var User = &Schema{
	ID:          UserURN,
	Name:        "User",
	Description: "User Account",
	Attributes: []*Attribute{
		attr("userName", String, required, uniqueServer, noControls,
			desc("Unique identifier for the User, used to authenticate; matched case-insensitively.")),
		attr("name", Complex, desc("The components of the user's real name."), subs(
			attr("formatted", String),
			attr("familyName", String),
			attr("givenName", String),
			attr("middleName", String),
			attr("honorificPrefix", String),
			attr("honorificSuffix", String),
		)),
		attr("displayName", String, noControls),
		attr("nickName", String),
		attr("profileUrl", Reference, refTypes("external")),
		attr("title", String),
		attr("userType", String),
		attr("preferredLanguage", String),
		attr("locale", String),
		attr("timezone", String),
		attr("active", Boolean),
		attr("password", String, func(a *Attribute) { a.Mutability = WriteOnly; a.Returned = Never },
			desc("The User's cleartext password; write-only, never returned.")),
		attr("emails", Complex, multi, multiValuedSubs(String, []string{"work", "home", "other"})),
		attr("phoneNumbers", Complex, multi, multiValuedSubs(String, []string{"work", "home", "mobile", "fax", "pager", "other"})),
		attr("ims", Complex, multi, multiValuedSubs(String, []string{"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"})),
		attr("photos", Complex, multi, multiValuedSubs(Reference, []string{"photo", "thumbnail"}, refTypes("external"))),
		attr("addresses", Complex, multi, subs(
			attr("formatted", String),
			attr("streetAddress", String),
			attr("locality", String),
			attr("region", String),
			attr("postalCode", String),
			attr("country", String),
			attr("type", String, canonical("work", "home", "other")),
			attr("primary", Boolean),
		)),
		attr("groups", Complex, multi, readOnly, desc("Groups the user belongs to, derived from group membership."), subs(
			attr("value", String, readOnly),
			attr("$ref", Reference, readOnly, refTypes("User", "Group")),
			attr("display", String, readOnly),
			attr("type", String, readOnly, canonical("direct", "indirect")),
		)),
		attr("entitlements", Complex, multi, multiValuedSubs(String, nil)),
		attr("roles", Complex, multi, multiValuedSubs(String, nil)),
		attr("x509Certificates", Complex, multi, multiValuedSubs(Binary, nil)),
	},
}

// EnterpriseUser is the Enterprise User extension (RFC 7643 §4.3).
var EnterpriseUser = &Schema{
	ID:          EnterpriseUserURN,
	Name:        "EnterpriseUser",
	Description: "Enterprise User",
	Attributes: []*Attribute{
		attr("employeeNumber", String),
		attr("costCenter", String),
		attr("organization", String),
		attr("division", String),
		attr("department", String),
		attr("manager", Complex, subs(
			attr("value", String),
			attr("$ref", Reference, refTypes("User")),
			attr("displayName", String, readOnly),
		)),
	},
}

// Group is the core Group schema (RFC 7643 §4.2). displayName is required
// (§4.2 text) and unique, as Microsoft Entra ID requires of a target.
var Group = &Schema{
	ID:          GroupURN,
	Name:        "Group",
	Description: "Group",
	Attributes: []*Attribute{
		attr("displayName", String, required, uniqueServer, noControls),
		// members.value is optional in RFC 7643 §8.7.1, but a member without
		// it names nothing; requiring it is advertised so it is also enforced.
		attr("members", Complex, multi, subs(
			attr("value", String, required, immutable),
			attr("$ref", Reference, immutable, refTypes("User", "Group")),
			attr("display", String, readOnly),
			attr("type", String, immutable, canonical("User", "Group")),
		)),
	},
}

// Resource types served by the reference server.
var (
	UserType = &ResourceType{
		ID: "User", Name: "User", Endpoint: "/Users", Description: "User Account",
		Schema:     User,
		Extensions: []Extension{{Schema: EnterpriseUser, Required: false}},
	}
	GroupType = &ResourceType{
		ID: "Group", Name: "Group", Endpoint: "/Groups", Description: "Group",
		Schema: Group,
	}
)

// ResourceTypes lists every resource type, in the order /ResourceTypes shows them.
var ResourceTypes = []*ResourceType{UserType, GroupType}

// Schemas lists every schema, in the order /Schemas shows them.
var Schemas = []*Schema{User, EnterpriseUser, Group}
