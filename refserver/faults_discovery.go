package refserver

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

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
	s.writeListResponse(w, discoveryList(resources))
}

// keepDiscoveryWrite answers a PUT on a discovery resource under
// discovery-writes-applied: it keeps the documentationUri (of
// /ServiceProviderConfig) or the description (of a resource type or
// schema) the body gives, then answers like a GET.
func (s *Server) keepDiscoveryWrite(w http.ResponseWriter, r *http.Request) {
	body, err := s.readBody(w, r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	key, field := discoveryKey(strings.TrimPrefix(r.URL.Path, s.opts.BasePath))
	var doc map[string]any
	var value string
	if json.Unmarshal(body, &doc) == nil {
		value, _ = doc[field].(string)
	}
	if key != "" && value != "" {
		s.faults.state.mu.Lock()
		s.faults.state.kept[key] = value
		s.faults.state.mu.Unlock()
	}
	s.serveAsGet(w, r)
}

// discoveryKey names the discovery resource at rest (a path below
// BasePath) for faultState.kept, with the field a PUT changes there; ""
// for a collection.
func discoveryKey(rest string) (key, field string) {
	parts := strings.SplitN(strings.TrimPrefix(rest, "/"), "/", 2)
	switch {
	case len(parts) == 1 && parts[0] == "ServiceProviderConfig":
		return "ServiceProviderConfig", "documentationUri"
	case len(parts) == 2 && parts[1] != "":
		return parts[0] + "/" + strings.ToLower(parts[1]), "description"
	}
	return "", ""
}

// keptValue returns what a PUT left for a discovery resource under
// discovery-writes-applied.
func (s *Server) keptValue(key string) (string, bool) {
	if !s.faults.has(fDiscoveryWritesKept) {
		return "", false
	}
	s.faults.state.mu.Lock()
	defer s.faults.state.mu.Unlock()
	v, ok := s.faults.state.kept[key]
	return v, ok
}

// faultyResourceTypeDoc is a resource type as discovery-writes-applied
// serves it.
func (s *Server) faultyResourceTypeDoc(doc map[string]any) map[string]any {
	if id, _ := doc["id"].(string); id != "" {
		if v, ok := s.keptValue("ResourceTypes/" + strings.ToLower(id)); ok {
			doc["description"] = v
		}
	}
	return doc
}

// faultySPC turns every feature's supported into a string under
// spc-supported-strings, and serves the documentationUri a PUT left under
// discovery-writes-applied.
func (s *Server) faultySPC(spc map[string]any) map[string]any {
	if v, ok := s.keptValue("ServiceProviderConfig"); ok {
		spc["documentationUri"] = v
	}
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
// under schema-attributes-incomplete, and serves the description a PUT
// left under discovery-writes-applied.
func (s *Server) faultySchemaDoc(doc map[string]any) map[string]any {
	if id, _ := doc["id"].(string); id != "" {
		if v, ok := s.keptValue("Schemas/" + strings.ToLower(id)); ok {
			doc["description"] = v
		}
	}
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
