package refserver

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// servedResourceTypes are the built-in resource types /ResourceTypes
// lists: all of them, or User only under resourcetypes-missing-group, less
// those a DELETE removed under discovery-writes-applied.
func (s *Server) servedResourceTypes() []*schema.ResourceType {
	if !s.faults.has(fResourceTypesNoGroup) && !s.faults.has(fDiscoveryWritesKept) {
		return schema.ResourceTypes
	}
	var out []*schema.ResourceType
	for _, rt := range schema.ResourceTypes {
		if (rt != schema.GroupType || !s.faults.has(fResourceTypesNoGroup)) && !s.discoveryGone("ResourceTypes/"+strings.ToLower(rt.ID)) {
			out = append(out, rt)
		}
	}
	return out
}

// servedSchemas are the built-in schemas /Schemas serves: all of them, or
// all but the extensions under schemas-missing-extension, less those a
// DELETE removed under discovery-writes-applied.
func (s *Server) servedSchemas() []*schema.Schema {
	if !s.faults.has(fSchemasNoExtension) && !s.faults.has(fDiscoveryWritesKept) {
		return schema.Schemas
	}
	var out []*schema.Schema
	for _, sc := range schema.Schemas {
		if (!isExtension(sc) || !s.faults.has(fSchemasNoExtension)) && !s.discoveryGone("Schemas/"+strings.ToLower(sc.ID)) {
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

// applyDiscoveryWrite applies a write to a discovery endpoint under
// discovery-writes-applied, as a generic SCIM framework that stores its
// schemas and resource types like any other resource does, and reports
// whether it answered; a PUT, PATCH or DELETE of an unknown resource is
// answered 404, and the writes it does not apply (a POST to
// /ServiceProviderConfig or to a resource) are left to the 405 of a
// correct server.
//   - POST /Schemas or /ResourceTypes stores the body, which needs an id
//     no discovery resource has, and answers 201 with it; the stored
//     resource is served like the built-in ones until deleted.
//   - PUT replaces a stored resource; of a built-in one it keeps the
//     documentationUri (of /ServiceProviderConfig) or description the
//     body gives, and of /ServiceProviderConfig the authenticationSchemes
//     as typedSchemes stores them.
//   - PATCH applies the add and replace operations whose path names a
//     top-level attribute: any of a stored resource, the documentationUri
//     or description of a built-in one.
//   - DELETE removes a stored resource, or a built-in one from discovery.
func (s *Server) applyDiscoveryWrite(w http.ResponseWriter, r *http.Request) bool {
	rest := strings.TrimPrefix(r.URL.Path, s.opts.BasePath)
	collection, id, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	if r.Method == http.MethodPost && id == "" && (collection == "Schemas" || collection == "ResourceTypes") {
		s.storeDiscovery(w, r, collection)
		return true
	}
	key, field := discoveryKey(rest)
	if key == "" {
		return false
	}
	st := s.faults.state
	st.mu.Lock()
	stored, isStored := st.stored[key]
	st.mu.Unlock()
	builtIn := !isStored && s.builtInDiscovery(collection, id)
	write := r.Method == http.MethodPut || r.Method == http.MethodPatch || r.Method == http.MethodDelete
	switch {
	case !write:
		return false
	case !isStored && !builtIn:
		s.writeError(w, scimerr.NotFound("%s not found", scimerr.Quote(rest)))
		return true
	}
	switch r.Method {
	case http.MethodDelete:
		st.mu.Lock()
		if isStored {
			delete(st.stored, key)
		} else {
			st.gone[key] = true
		}
		st.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	body, err := s.readBody(w, r)
	if err != nil {
		s.writeError(w, err)
		return true
	}
	changes, err := discoveryChanges(r.Method, body)
	if err != nil {
		s.writeError(w, err)
		return true
	}
	if builtIn {
		schemes, replaced := changes["authenticationSchemes"].([]any)
		st.mu.Lock()
		if v, ok := changes[field].(string); ok && v != "" {
			st.kept[key] = v
		}
		if key == "ServiceProviderConfig" && replaced {
			st.schemes = typedSchemes(schemes)
		}
		st.mu.Unlock()
		s.serveAsGet(w, r)
		return true
	}
	// A stored document is never changed in place: a reader may be
	// encoding it.
	doc := maps.Clone(stored)
	if r.Method == http.MethodPut {
		doc = map[string]any{"meta": stored["meta"]}
	}
	for k, v := range changes {
		if k != "id" && k != "meta" {
			doc[k] = v
		}
	}
	doc["id"] = stored["id"]
	st.mu.Lock()
	st.stored[key] = doc
	st.mu.Unlock()
	s.writeJSON(w, http.StatusOK, doc)
	return true
}

// typedSchemes are authentication schemes as a store that knows the
// sub-attributes RFC 7643 §5 defines keeps them: primary, which only the
// example of RFC 7643 §8.5 shows, is lost.
func typedSchemes(schemes []any) []any {
	out := make([]any, 0, len(schemes))
	for _, sc := range schemes {
		m, _ := sc.(map[string]any)
		kept := map[string]any{}
		for _, k := range []string{"type", "name", "description", "specUri", "documentationUri"} {
			if v, ok := m[k]; ok {
				kept[k] = v
			}
		}
		out = append(out, kept)
	}
	return out
}

// discoveryChanges reads the attributes a PUT (its body) or a PATCH (its
// add and replace operations with a top-level path) of a discovery
// resource sets.
func discoveryChanges(method string, body []byte) (map[string]any, error) {
	var doc map[string]any
	if json.Unmarshal(body, &doc) != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidSyntax, "the body is not a JSON object")
	}
	if method == http.MethodPut {
		return doc, nil
	}
	ops, _ := doc["Operations"].([]any)
	out := map[string]any{}
	for _, o := range ops {
		op, _ := o.(map[string]any)
		name, _ := op["op"].(string)
		path, _ := op["path"].(string)
		if (strings.EqualFold(name, "add") || strings.EqualFold(name, "replace")) && path != "" && !strings.ContainsAny(path, ".[:") {
			out[path] = op["value"]
		}
	}
	return out, nil
}

// storeDiscovery stores a schema or resource type POSTed to collection
// under discovery-writes-applied.
func (s *Server) storeDiscovery(w http.ResponseWriter, r *http.Request, collection string) {
	body, err := s.readBody(w, r)
	if err != nil {
		s.writeError(w, err)
		return
	}
	var doc map[string]any
	if json.Unmarshal(body, &doc) != nil {
		s.writeError(w, scimerr.BadRequest(scimerr.InvalidSyntax, "the body is not a JSON object"))
		return
	}
	id, _ := doc["id"].(string)
	if id == "" || strings.ContainsAny(id, "/?#") {
		s.writeError(w, scimerr.BadRequest(scimerr.InvalidValue, "a %s needs an id usable in a path", strings.TrimSuffix(collection, "s")))
		return
	}
	key := collection + "/" + strings.ToLower(id)
	location := s.baseURL(r) + "/" + collection + "/" + id
	doc["meta"] = map[string]any{"resourceType": strings.TrimSuffix(collection, "s"), "location": location}
	taken := s.builtInDiscovery(collection, id)
	if !taken {
		st := s.faults.state
		st.mu.Lock()
		_, taken = st.stored[key]
		if !taken {
			st.stored[key] = doc
		}
		st.mu.Unlock()
	}
	if taken {
		s.writeError(w, scimerr.New(http.StatusConflict, scimerr.Uniqueness, "%s %s exists", collection, scimerr.Quote(id)))
		return
	}
	w.Header().Set("Location", location)
	s.writeJSON(w, http.StatusCreated, doc)
}

// builtInDiscovery reports whether the discovery resource id of
// collection ("" for /ServiceProviderConfig) is one the server defines and
// serves. Call it without faults.state.mu held.
func (s *Server) builtInDiscovery(collection, id string) bool {
	switch collection {
	case "ServiceProviderConfig":
		return id == "" && !s.discoveryGone("ServiceProviderConfig")
	case "Schemas":
		for _, sc := range schema.Schemas {
			if strings.EqualFold(sc.ID, id) {
				return slices.Contains(s.servedSchemas(), sc)
			}
		}
	case "ResourceTypes":
		for _, rt := range schema.ResourceTypes {
			if strings.EqualFold(rt.ID, id) {
				return slices.Contains(s.servedResourceTypes(), rt)
			}
		}
	}
	return false
}

// discoveryKey names the discovery resource at rest (a path below
// BasePath) for the memory of discovery-writes-applied, with the field a
// write keeps there when the resource is built in; "" for a collection.
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

// keptValue returns what a write left for a built-in discovery resource
// under discovery-writes-applied.
func (s *Server) keptValue(key string) (string, bool) {
	if !s.faults.has(fDiscoveryWritesKept) {
		return "", false
	}
	s.faults.state.mu.Lock()
	defer s.faults.state.mu.Unlock()
	v, ok := s.faults.state.kept[key]
	return v, ok
}

// discoveryGone reports whether a DELETE removed the built-in discovery
// resource key from discovery under discovery-writes-applied. Call it
// without faults.state.mu held.
func (s *Server) discoveryGone(key string) bool {
	if !s.faults.has(fDiscoveryWritesKept) {
		return false
	}
	s.faults.state.mu.Lock()
	defer s.faults.state.mu.Unlock()
	return s.faults.state.gone[key]
}

// storedDiscovery returns the resources POSTed to collection under
// discovery-writes-applied, ordered by key, and the one with id when id
// is not "" (case-insensitively, as the built-in ones are found).
func (s *Server) storedDiscovery(collection, id string) []map[string]any {
	if !s.faults.has(fDiscoveryWritesKept) {
		return nil
	}
	s.faults.state.mu.Lock()
	defer s.faults.state.mu.Unlock()
	prefix := collection + "/"
	var keys []string
	for k := range s.faults.state.stored {
		if strings.HasPrefix(k, prefix) && (id == "" || k == prefix+strings.ToLower(id)) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = s.faults.state.stored[k]
	}
	return out
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
// spc-supported-strings, and serves the documentationUri and
// authenticationSchemes a write left under discovery-writes-applied.
func (s *Server) faultySPC(spc map[string]any) map[string]any {
	if v, ok := s.keptValue("ServiceProviderConfig"); ok {
		spc["documentationUri"] = v
	}
	if s.faults.has(fDiscoveryWritesKept) {
		s.faults.state.mu.Lock()
		if s.faults.state.schemes != nil {
			spc["authenticationSchemes"] = s.faults.state.schemes // never changed in place
		}
		s.faults.state.mu.Unlock()
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
// under schema-attributes-incomplete, and serves the description a write
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
