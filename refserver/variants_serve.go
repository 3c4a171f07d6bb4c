package refserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/patch"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// This file holds what the variants (variants.go) change in the server's
// answers. Each function does nothing unless its variant is on, so the
// default behaviour is the one documented in doc.go.

// variedConnection asks net/http to close the connection after the answer
// under connection-close.
func (s *Server) variedConnection(w http.ResponseWriter) {
	if s.variants.has(vConnectionClose) {
		w.Header().Set("Connection", "close")
	}
}

// variedOptions applies the variants that are server settings: one
// resource per page under page-size-1, times kept to the second under
// time-seconds.
func variedOptions(o Options, vs variantSet) Options {
	if vs.has(vPageSize1) {
		o.MaxResults = 1
	}
	if vs.has(vTimeSeconds) {
		now := o.Now
		o.Now = func() time.Time { return now().Truncate(time.Second) }
	}
	return o
}

// variedSPC says what the variants leave out: etag, sort and
// changePassword unsupported, and the optional URIs under
// discovery-minimal.
func (s *Server) variedSPC(spc map[string]any) map[string]any {
	off := map[variant]string{vETagUnsupported: "etag", vSortUnsupported: "sort", vChangePasswordOff: "changePassword"}
	for v, feature := range off {
		if s.variants.has(v) {
			spc[feature] = map[string]any{"supported": false}
		}
	}
	if s.variants.has(vDiscoveryMinimal) {
		delete(spc, "documentationUri")
		schemes, _ := spc["authenticationSchemes"].([]any)
		for _, scheme := range schemes {
			if m, ok := scheme.(map[string]any); ok {
				delete(m, "specUri")
				delete(m, "documentationUri")
			}
		}
	}
	return spc
}

// variedResourceType leaves out the optional id, and schemaExtensions when
// there are none, under discovery-minimal.
func (s *Server) variedResourceType(doc map[string]any) map[string]any {
	if !s.variants.has(vDiscoveryMinimal) {
		return doc
	}
	delete(doc, "id")
	if exts, _ := doc["schemaExtensions"].([]any); len(exts) == 0 {
		delete(doc, "schemaExtensions")
	}
	return doc
}

// variedQuery drops sortBy and sortOrder under sort-unsupported.
func (s *Server) variedQuery(q listQuery) listQuery {
	if s.variants.has(vSortUnsupported) {
		q.sortBy, q.descending = "", false
	}
	return q
}

// searchUnsupported refuses POST .search under search-unsupported.
func (s *Server) searchUnsupported() error {
	if !s.variants.has(vSearchUnsupported) {
		return nil
	}
	return scimerr.New(http.StatusNotImplemented, "", "POST .search is not supported: query with GET and the filter parameter")
}

// passwordChangeUnsupported is the answer to a PUT or PATCH that sets a
// user's password under change-password-unsupported.
func passwordChangeUnsupported() error {
	return scimerr.New(http.StatusNotImplemented, "",
		"changing a password is not supported (ServiceProviderConfig changePassword.supported is false)")
}

// checkPasswordReplace refuses a PUT body carrying a password under
// change-password-unsupported.
func (s *Server) checkPasswordReplace(k resourceKind, body map[string]any) error {
	if k != kindUser || !s.variants.has(vChangePasswordOff) {
		return nil
	}
	for key := range body {
		if strings.EqualFold(key, "password") {
			return passwordChangeUnsupported()
		}
	}
	return nil
}

// checkPasswordPatch refuses PATCH operations that set a password, by path
// or as a key of a path-less value, under change-password-unsupported.
func (s *Server) checkPasswordPatch(k resourceKind, ops []patch.Operation) error {
	if k != kindUser || !s.variants.has(vChangePasswordOff) {
		return nil
	}
	for _, op := range ops {
		path := strings.ToLower(strings.TrimSpace(op.Path))
		if path == "password" || strings.HasSuffix(path, ":password") {
			return passwordChangeUnsupported()
		}
		if path == "" && op.Op != "remove" {
			var value map[string]json.RawMessage
			if json.Unmarshal(op.Value, &value) != nil {
				continue
			}
			for key := range value {
				if key = strings.ToLower(key); key == "password" || strings.HasSuffix(key, ":password") {
					return passwordChangeUnsupported()
				}
			}
		}
	}
	return nil
}

// variedPatchStatus is the status of a successful PATCH under patch-204
// and patch-200; ok is false when neither decides it.
func (s *Server) variedPatchStatus(k resourceKind, projected bool) (status int, ok bool) {
	switch {
	case projected:
		return 0, false // RFC 7644 §3.5.2: 200 whenever attributes is given
	case s.variants.has(vPatch204):
		return http.StatusNoContent, true
	case k == kindGroup && s.variants.has(vPatch200):
		return http.StatusOK, true
	}
	return 0, false
}

// unversionedPrecondition is the If-Match (or, with ifNoneMatch, the
// If-None-Match) precondition of a server without entity tags
// (etag-unsupported): "*" holds for any existing resource and a list of
// tags names none (RFC 9110 §13.1.1 and §13.1.2).
func unversionedPrecondition(header string, ifNoneMatch bool) string {
	h := strings.TrimSpace(header)
	switch {
	case h == "":
		return ""
	case h == "*" && ifNoneMatch:
		return "*" // matches the existing resource: 304
	case h == "*":
		return "" // If-Match: * holds for an existing resource
	case ifNoneMatch:
		return "" // no tag matches: the answer is the normal one
	}
	return noETag // no tag matches: 412
}

// noETag is a precondition no version matches: versions are W/"<n>".
const noETag = `W/"-"`

// variedError leaves detail out under error-no-detail, and every scimType
// RFC 7644 does not require under error-scimtype-minimal.
func (s *Server) variedError(e *errorBody) {
	if s.variants.has(vErrorNoDetail) {
		e.Detail = ""
	}
	if s.variants.has(vErrorScimTypeMinimal) && !requiredScimTypes[e.ScimType] {
		e.ScimType = ""
	}
}

// requiredScimTypes are the scimTypes RFC 7644 requires by name: uniqueness
// for a duplicate on create (§3.3), noTarget for a remove without path or a
// replace whose filter matches nothing (§3.5.2.2, §3.5.2.3), invalidFilter
// for ordering comparisons of booleans (§3.4.2.2), and mutability, which
// §3.5.2 asks for with "a JSON detail error response".
var requiredScimTypes = map[string]bool{
	scimerr.Uniqueness: true, scimerr.NoTarget: true, scimerr.InvalidFilter: true, scimerr.Mutability: true,
}

// variedList leaves out of a list answer what list-fields-minimal allows:
// startIndex and itemsPerPage when it holds every result, Resources when
// there is none.
func (s *Server) variedList(l listResponse) listResponse {
	if !s.variants.has(vListFieldsMinimal) {
		return l
	}
	if partial := l.StartIndex > 1 || l.ItemsPerPage < l.TotalResults; !partial {
		l.paging = nil
	}
	if l.TotalResults == 0 {
		l.Resources = nil
	}
	return l
}

// variedResource shapes a resource as served (after projection; full when
// no attributes or excludedAttributes were given) per the representation
// variants.
func (s *Server) variedResource(k resourceKind, doc map[string]any, full bool) map[string]any {
	if meta, ok := doc["meta"].(map[string]any); ok {
		doc["meta"] = s.variedMeta(meta)
	}
	if s.variants.has(vMembersValueOnly) {
		valuesOnly(doc, k.derivedKey())
	}
	if s.variants.has(vSchemasExtensionLead) {
		if list, ok := doc["schemas"].([]any); ok && len(list) > 1 {
			doc["schemas"] = append(append([]any{}, list[1:]...), list[0])
		}
	}
	if full && s.variants.has(vUnassignedExplicit) {
		rt := k.resourceType()
		fillUnassigned(schema.CommonAttributes, doc)
		fillUnassigned(rt.Schema.Attributes, doc)
		for _, e := range rt.Extensions {
			if ext, ok := doc[e.Schema.ID].(map[string]any); ok {
				fillUnassigned(e.Schema.Attributes, ext)
			}
		}
	}
	if k == kindUser && s.variants.has(vUserGroupsOff) {
		delete(doc, "groups")
	}
	return doc
}

// variedMeta returns a copy of meta without version under
// etag-unsupported, and with its times written as time-seconds and
// time-offset say; meta itself when none of them is on.
func (s *Server) variedMeta(meta map[string]any) map[string]any {
	if !s.variants.has(vETagUnsupported) && !s.variants.has(vTimeSeconds) && !s.variants.has(vTimeOffset) {
		return meta
	}
	out := make(map[string]any, len(meta))
	for k, v := range meta {
		out[k] = v
	}
	if s.variants.has(vETagUnsupported) {
		delete(out, "version")
	}
	if !s.variants.has(vTimeSeconds) && !s.variants.has(vTimeOffset) {
		return out
	}
	layout, zone := "2006-01-02T15:04:05.000Z07:00", time.UTC
	if s.variants.has(vTimeSeconds) {
		layout = "2006-01-02T15:04:05Z07:00"
	}
	if s.variants.has(vTimeOffset) {
		zone = offsetZone
	}
	for _, key := range []string{"created", "lastModified"} {
		if v, ok := out[key].(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				out[key] = t.In(zone).Format(layout)
			}
		}
	}
	return out
}

// offsetZone is the time zone of time-offset: UTC+05:30, an offset that is
// not a whole number of hours.
var offsetZone = time.FixedZone("UTC+05:30", 5*3600+30*60)

// valuesOnly reduces every value of the multi-valued attribute key of doc
// to its value sub-attribute.
func valuesOnly(doc map[string]any, key string) {
	list, ok := doc[key].([]any)
	if !ok {
		return
	}
	out := make([]any, len(list))
	for i, e := range list {
		if m, ok := e.(map[string]any); ok {
			out[i] = map[string]any{"value": m["value"]}
		} else {
			out[i] = e
		}
	}
	doc[key] = out
}

// fillUnassigned sets every attribute of attrs that obj lacks and that is
// returned by default to null, or to [] when it is multi-valued, and does
// the same inside the singular complex attributes obj has (meta aside).
func fillUnassigned(attrs []*schema.Attribute, obj map[string]any) {
	for _, a := range attrs {
		if a.Returned != schema.Default && a.Returned != schema.Always {
			continue
		}
		v, present := obj[a.Name]
		switch {
		case !present && a.MultiValued:
			obj[a.Name] = []any{}
		case !present:
			obj[a.Name] = nil
		case a.Type == schema.Complex && !a.MultiValued && a != schema.MetaAttr:
			if sub, ok := v.(map[string]any); ok {
				fillUnassigned(a.SubAttributes, sub)
			}
		}
	}
}

// variedLocation is the Location header of a create: under
// location-relative, the path of the absolute URL abs.
func (s *Server) variedLocation(abs string) string {
	if !s.variants.has(vLocationRelative) {
		return abs
	}
	u, err := url.Parse(abs)
	if err != nil {
		return abs
	}
	return u.EscapedPath()
}

// publicRequest reports whether r is served without credentials: GET (or
// HEAD) /ServiceProviderConfig under spc-public.
func (s *Server) publicRequest(r *http.Request) bool {
	if !s.variants.has(vSPCPublic) || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	return path.Clean("/"+r.URL.Path) == path.Clean(s.opts.BasePath+"/ServiceProviderConfig")
}

// variedSchemaDoc leaves groups out of the User schema under
// user-groups-unsupported.
func (s *Server) variedSchemaDoc(doc map[string]any) map[string]any {
	if !s.variants.has(vUserGroupsOff) || doc["id"] != schema.User.ID {
		return doc
	}
	attrs, _ := doc["attributes"].([]any)
	kept := make([]any, 0, len(attrs))
	for _, a := range attrs {
		if m, ok := a.(map[string]any); ok && m["name"] == "groups" {
			continue
		}
		kept = append(kept, a)
	}
	doc["attributes"] = kept
	return doc
}
