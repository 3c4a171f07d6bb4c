package refserver

import (
	"net/http"
	"strconv"

	"github.com/scimconform/scimconform/refserver/schema"
)

// servedResourceTypes are the resource types /ResourceTypes lists: all of
// them, or User only under resourcetypes-missing-group.
func (s *Server) servedResourceTypes() []*schema.ResourceType {
	if !s.faults.has(fResourceTypesNoGroup) {
		return schema.ResourceTypes
	}
	var out []*schema.ResourceType
	for _, rt := range schema.ResourceTypes {
		if rt != schema.GroupType {
			out = append(out, rt)
		}
	}
	return out
}

// servedSchemas are the schemas /Schemas serves: all of them, or all but the
// extensions under schemas-missing-extension.
func (s *Server) servedSchemas() []*schema.Schema {
	if !s.faults.has(fSchemasNoExtension) {
		return schema.Schemas
	}
	var out []*schema.Schema
	for _, sc := range schema.Schemas {
		if !isExtension(sc) {
			out = append(out, sc)
		}
	}
	return out
}

func isExtension(sc *schema.Schema) bool {
	for _, rt := range schema.ResourceTypes {
		for _, e := range rt.Extensions {
			if e.Schema == sc {
				return true
			}
		}
	}
	return false
}

// writeDiscoveryList answers a discovery list: a ListResponse, or a bare
// array under discovery-lists-bare-array.
func (s *Server) writeDiscoveryList(w http.ResponseWriter, resources []map[string]any) {
	if s.faults.has(fDiscoveryBareArray) {
		list := make([]any, len(resources))
		for i, r := range resources {
			list[i] = r
		}
		s.writeJSON(w, http.StatusOK, list)
		return
	}
	s.writeJSON(w, http.StatusOK, discoveryList(resources))
}

// faultySPC turns every feature's supported into a string under
// spc-supported-strings.
func (s *Server) faultySPC(spc map[string]any) map[string]any {
	if !s.faults.has(fSPCSupportedStrings) {
		return spc
	}
	for _, v := range spc {
		if m, ok := v.(map[string]any); ok {
			if b, ok := m["supported"].(bool); ok {
				m["supported"] = strconv.FormatBool(b)
			}
		}
	}
	return spc
}

// faultySchemaDoc leaves mutability and returned out of every attribute
// under schema-attributes-incomplete.
func (s *Server) faultySchemaDoc(doc map[string]any) map[string]any {
	if s.faults.has(fSchemaAttrsSparse) {
		stripCharacteristics(doc["attributes"])
	}
	return doc
}

func stripCharacteristics(attrs any) {
	list, _ := attrs.([]any)
	for _, a := range list {
		if m, ok := a.(map[string]any); ok {
			delete(m, "mutability")
			delete(m, "returned")
			stripCharacteristics(m["subAttributes"])
		}
	}
}
