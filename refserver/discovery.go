package refserver

import (
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Schema URIs of the discovery resources (RFC 7643 §5, §6, §7).
const (
	ServiceProviderConfigSchema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	ResourceTypeSchema          = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	SchemaSchema                = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// DocumentationURI is advertised as ServiceProviderConfig documentationUri.
const DocumentationURI = "https://github.com/scimconform/scimconform"

// handleServiceProviderConfig serves GET /ServiceProviderConfig.
func (s *Server) handleServiceProviderConfig(w http.ResponseWriter, r *http.Request) {
	if s.discoveryGone("ServiceProviderConfig") {
		s.writeError(w, scimerr.NotFound("the service provider configuration was deleted"))
		return
	}
	s.writeJSON(w, http.StatusOK, s.faultySPC(s.variedSPC(s.serviceProviderConfig(s.baseURL(r)))))
}

// serviceProviderConfig says exactly what the server implements.
func (s *Server) serviceProviderConfig(base string) map[string]any {
	supported := func(b bool) map[string]any { return map[string]any{"supported": b} }
	return map[string]any{
		"schemas":          []string{ServiceProviderConfigSchema},
		"documentationUri": DocumentationURI,
		"patch":            supported(true),
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": s.opts.MaxResults},
		"changePassword":   supported(true),
		"sort":             supported(true),
		"etag":             supported(true),
		"authenticationSchemes": []any{map[string]any{
			"type":        "oauthbearertoken",
			"name":        "OAuth Bearer Token",
			"description": "Authentication with a bearer token in the Authorization header (RFC 6750).",
			"specUri":     "https://www.rfc-editor.org/rfc/rfc6750",
			"primary":     true,
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": base + "/ServiceProviderConfig"},
	}
}

// handleResourceTypes serves GET /ResourceTypes as a ListResponse.
func (s *Server) handleResourceTypes(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r)
	var out []map[string]any
	for _, rt := range s.servedResourceTypes() {
		out = append(out, s.variedResourceType(s.faultyResourceTypeDoc(resourceTypeDoc(rt, base))))
	}
	s.writeDiscoveryList(w, append(out, s.storedDiscovery("ResourceTypes", "")...))
}

// handleResourceType serves GET /ResourceTypes/{id}.
func (s *Server) handleResourceType(w http.ResponseWriter, r *http.Request) {
	if s.faults.has(fDiscoveryByIDList) {
		s.handleResourceTypes(w, r)
		return
	}
	id := r.PathValue("id")
	for _, rt := range s.servedResourceTypes() {
		if strings.EqualFold(rt.ID, id) || s.faults.has(fDiscoveryUnknownID) {
			s.writeJSON(w, http.StatusOK, s.variedResourceType(s.faultyResourceTypeDoc(resourceTypeDoc(rt, s.baseURL(r)))))
			return
		}
	}
	if stored := s.storedDiscovery("ResourceTypes", id); len(stored) > 0 {
		s.writeJSON(w, http.StatusOK, stored[0])
		return
	}
	s.writeError(w, scimerr.NotFound("resource type %s not found", scimerr.Quote(id)))
}

func resourceTypeDoc(rt *schema.ResourceType, base string) map[string]any {
	exts := make([]any, 0, len(rt.Extensions))
	for _, e := range rt.Extensions {
		exts = append(exts, map[string]any{"schema": e.Schema.ID, "required": e.Required})
	}
	return map[string]any{
		"schemas":          []string{ResourceTypeSchema},
		"id":               rt.ID,
		"name":             rt.Name,
		"endpoint":         rt.Endpoint,
		"description":      rt.Description,
		"schema":           rt.Schema.ID,
		"schemaExtensions": exts,
		"meta":             map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/" + rt.ID},
	}
}

// handleSchemas serves GET /Schemas as a ListResponse.
func (s *Server) handleSchemas(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r)
	var out []map[string]any
	for _, sc := range s.servedSchemas() {
		out = append(out, s.faultySchemaDoc(s.variedSchemaDoc(schemaDoc(sc, base))))
	}
	s.writeDiscoveryList(w, append(out, s.storedDiscovery("Schemas", "")...))
}

// handleSchema serves GET /Schemas/{id}; the id is the schema URN.
func (s *Server) handleSchema(w http.ResponseWriter, r *http.Request) {
	if s.faults.has(fDiscoveryByIDList) {
		s.handleSchemas(w, r)
		return
	}
	id := r.PathValue("id")
	for _, sc := range s.servedSchemas() {
		if strings.EqualFold(sc.ID, id) || s.faults.has(fDiscoveryUnknownID) {
			s.writeJSON(w, http.StatusOK, s.faultySchemaDoc(s.variedSchemaDoc(schemaDoc(sc, s.baseURL(r)))))
			return
		}
	}
	if stored := s.storedDiscovery("Schemas", id); len(stored) > 0 {
		s.writeJSON(w, http.StatusOK, stored[0])
		return
	}
	s.writeError(w, scimerr.NotFound("schema %s not found", scimerr.Quote(id)))
}

// schemaDoc renders a schema from the same definitions the server enforces.
// Resource schemas list the common attributes too, so a client sees the
// characteristics of id, externalId and meta.
func schemaDoc(sc *schema.Schema, base string) map[string]any {
	attrs := sc.Attributes
	if sc == schema.User || sc == schema.Group {
		attrs = append(append([]*schema.Attribute{}, schema.CommonAttributes...), attrs...)
	}
	return map[string]any{
		"schemas":     []string{SchemaSchema},
		"id":          sc.ID,
		"name":        sc.Name,
		"description": sc.Description,
		"attributes":  attributeDocs(sc.Name, attrs),
		"meta":        map[string]any{"resourceType": "Schema", "location": base + "/Schemas/" + sc.ID},
	}
}

func attributeDocs(parent string, attrs []*schema.Attribute) []any {
	out := make([]any, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, attributeDoc(parent, a))
	}
	return out
}

// attributeDoc renders every characteristic of RFC 7643 §7.
func attributeDoc(parent string, a *schema.Attribute) map[string]any {
	d := map[string]any{
		"name":        a.Name,
		"type":        string(a.Type),
		"multiValued": a.MultiValued,
		"description": describe(parent, a),
		"required":    a.Required,
		"caseExact":   a.CaseExact,
		"mutability":  string(a.Mutability),
		"returned":    string(a.Returned),
	}
	if a.Uniqueness != "" {
		d["uniqueness"] = string(a.Uniqueness)
	}
	if len(a.CanonicalValues) > 0 {
		d["canonicalValues"] = a.CanonicalValues
	}
	if a.Type == schema.Reference {
		refs := a.ReferenceTypes
		if len(refs) == 0 {
			refs = []string{"external"}
		}
		d["referenceTypes"] = refs
	}
	if len(a.SubAttributes) > 0 {
		d["subAttributes"] = attributeDocs(parent+"."+a.Name, a.SubAttributes)
	}
	return d
}

// describe returns the definition's description or, when it has none, one
// naming the attribute's place in its schema.
func describe(parent string, a *schema.Attribute) string {
	if a.Description != "" {
		return a.Description
	}
	return "The " + a.Name + " attribute of " + parent + "."
}

// discoveryList wraps discovery resources in a ListResponse; the lists are
// short, so they are never paged.
func discoveryList(resources []map[string]any) listResponse {
	if resources == nil {
		resources = []map[string]any{} // an empty list, not none
	}
	return listResponse{Schemas: []string{ListResponseSchema}, TotalResults: len(resources),
		paging: &paging{StartIndex: 1, ItemsPerPage: len(resources)}, Resources: resources}
}
