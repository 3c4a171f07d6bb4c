package schema

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Mode says which request a body comes from, for Normalize.
type Mode int

const (
	// Create is a POST body.
	Create Mode = iota
	// Replace is a PUT body.
	Replace
)

// Normalize validates a client-supplied resource body for rt and returns it in
// canonical form (attribute names spelt as defined, extension data under its
// URN, `schemas` listing the core URN and each extension present). Every
// client error is a 400 *scimerr.Error with scimType invalidValue whose
// detail names the attribute path and what was expected. Keys are read in
// sorted order, so that of several errors the same one is reported every
// time.
//
// Create and Replace bodies are checked alike: both carry a whole resource.
// What differs for a PUT (the id in the URL, immutable attributes compared
// with the stored resource) needs the stored resource and is the caller's job.
// body is never modified; the result shares only immutable leaf values with it.
func Normalize(rt *ResourceType, body map[string]any, mode Mode) (map[string]any, error) {
	if rt == nil || rt.Schema == nil {
		return nil, scimerr.New(http.StatusInternalServerError, "", "normalize: no resource type")
	}
	if mode != Create && mode != Replace {
		return nil, scimerr.New(http.StatusInternalServerError, "", "normalize: unknown mode %d", mode)
	}
	keys := sortedKeys(body)
	if err := checkSchemas(rt, body, keys); err != nil {
		return nil, err
	}

	core := newObjectBuilder("", len(body)+1+len(rt.Extensions))
	exts := make([]*objectBuilder, len(rt.Extensions))
	for i, e := range rt.Extensions {
		exts[i] = newObjectBuilder(e.Schema.ID+":", len(e.Schema.Attributes))
	}
	for _, k := range keys {
		if err := addTopLevel(rt, core, exts, k, body[k]); err != nil {
			return nil, err
		}
	}

	if err := checkRequired(rt.Schema.Attributes, core.out, ""); err != nil {
		return nil, err
	}
	doc := core.out
	schemas := []any{rt.Schema.ID}
	for i, e := range rt.Extensions {
		if len(exts[i].out) == 0 {
			if e.Required {
				return nil, scimerr.BadRequest(scimerr.InvalidValue, "extension %q is required", e.Schema.ID)
			}
			continue
		}
		if err := checkRequired(e.Schema.Attributes, exts[i].out, e.Schema.ID+":"); err != nil {
			return nil, err
		}
		doc[e.Schema.ID] = exts[i].out
		schemas = append(schemas, e.Schema.ID)
	}
	doc["schemas"] = schemas
	return doc, nil
}

// sortedKeys returns the keys of m in byte order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// NormalizeValue validates and canonicalises v as a value of a (for PATCH).
//
// It applies the same checks as Normalize to one attribute's value. A
// multi-valued attribute accepts an array or a single element and yields a
// []any; a complex attribute yields a normalised map. A JSON null, an empty
// array or an object with nothing left in it yields (nil, nil): "absent".
// Whether a may be written at all (mutability) is the caller's decision;
// readOnly sub-attributes inside v are dropped like in Normalize.
func NormalizeValue(a *Attribute, v any) (any, error) {
	if a == nil {
		return nil, scimerr.New(http.StatusInternalServerError, "", "normalize value: no attribute")
	}
	return normalizeAttr(a, v, a.Name, true)
}

// checkSchemas enforces that `schemas` is an array of strings holding the
// resource type's core URN. Other URIs are ignored: Microsoft Entra ID sends
// non-SCIM ones and misspelt extension URNs.
func checkSchemas(rt *ResourceType, body map[string]any, keys []string) error {
	var found []string
	for _, k := range keys {
		if strings.EqualFold(k, "schemas") {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 0:
		return scimerr.BadRequest(scimerr.InvalidValue, "attribute \"schemas\" is required and must contain %q", rt.Schema.ID)
	case 1:
	default:
		return scimerr.BadRequest(scimerr.InvalidValue, "attribute \"schemas\" given more than once (as %q)", found)
	}
	value := body[found[0]]
	list, ok := value.([]any)
	if !ok {
		return typeError("schemas", "array of strings", value)
	}
	hasCore := false
	for i, u := range list {
		s, ok := u.(string)
		if !ok {
			return typeError("schemas["+strconv.Itoa(i)+"]", "string", u)
		}
		if strings.EqualFold(s, rt.Schema.ID) {
			hasCore = true
		}
	}
	if !hasCore {
		return scimerr.BadRequest(scimerr.InvalidValue, "attribute \"schemas\" must contain %q", rt.Schema.ID)
	}
	return nil
}

// addTopLevel routes one top-level body key to the core attributes or to an
// extension, accepting "urn:…:User" objects, "urn:…:User:attr" keys and
// extension attributes without a URN. Unknown keys, id, meta and other
// readOnly attributes are dropped.
func addTopLevel(rt *ResourceType, core *objectBuilder, exts []*objectBuilder, key string, v any) error {
	if strings.EqualFold(key, "schemas") {
		return nil
	}
	owner, name := splitURN(rt, key)
	if owner < 0 {
		if a := coreAttr(rt, name); a != nil || name != key {
			return core.add(a, key, v)
		}
		return addUnqualified(rt, exts, key, v)
	}
	ext := rt.Extensions[owner].Schema
	if name != "" {
		return exts[owner].add(ext.Attr(name), key, v)
	}
	if v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return typeError(ext.ID, "object", v)
	}
	for _, k := range sortedKeys(m) {
		if err := exts[owner].add(ext.Attr(k), k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

// addUnqualified files an extension attribute sent without its URN (Microsoft
// Entra ID's documented create body puts "department" and "manager" at the
// top level) under the first extension that defines the name, as Resolve
// does for paths. Names no schema defines are dropped.
func addUnqualified(rt *ResourceType, exts []*objectBuilder, key string, v any) error {
	for i, e := range rt.Extensions {
		if a := e.Schema.Attr(key); a != nil {
			return exts[i].add(a, key, v)
		}
	}
	return nil
}

// splitURN finds which schema a top-level key belongs to. owner is the index
// of the extension in rt.Extensions, or -1 for the core schema (also for keys
// qualified with the core URN). name is the attribute name with any URN
// prefix removed; "" with owner >= 0 means the key is the extension itself.
func splitURN(rt *ResourceType, key string) (owner int, name string) {
	if rest, ok := cutURN(key, rt.Schema.ID); ok && rest != "" {
		return -1, rest
	}
	best, bestLen := -1, 0
	for i, e := range rt.Extensions {
		if rest, ok := cutURN(key, e.Schema.ID); ok && len(e.Schema.ID) > bestLen {
			best, bestLen, name = i, len(e.Schema.ID), rest
		}
	}
	if best < 0 {
		return -1, key
	}
	return best, name
}

// cutURN reports whether key is urn or "urn:rest" (case-insensitively) and
// returns rest.
func cutURN(key, urn string) (rest string, ok bool) {
	if len(key) < len(urn) || !strings.EqualFold(key[:len(urn)], urn) {
		return "", false
	}
	if len(key) == len(urn) {
		return "", true
	}
	if key[len(urn)] != ':' {
		return "", false
	}
	return key[len(urn)+1:], true
}

// coreAttr looks name up among the core schema's attributes and the common
// attributes (id, externalId, meta).
func coreAttr(rt *ResourceType, name string) *Attribute {
	if a := rt.Schema.Attr(name); a != nil {
		return a
	}
	return find(CommonAttributes, name)
}

// objectBuilder collects the canonical attributes of one JSON object and
// rejects an attribute given twice under differently cased keys, which would
// otherwise make the result depend on map order.
type objectBuilder struct {
	prefix string         // the object's path and separator, for error messages
	out    map[string]any // canonical name -> normalised value (absent values left out)
	sent   []sentAs       // every attribute sent, with the key it was sent as
}

// sentAs is an attribute's canonical name and the key it was sent as.
type sentAs struct{ name, key string }

// newObjectBuilder returns a builder with room for n attributes.
func newObjectBuilder(prefix string, n int) *objectBuilder {
	return &objectBuilder{prefix: prefix, out: make(map[string]any, n), sent: make([]sentAs, 0, n)}
}

// add normalises v as the value of a (nil a: unknown attribute, dropped).
func (b *objectBuilder) add(a *Attribute, key string, v any) error {
	if a == nil || a.Mutability == ReadOnly || v == nil {
		return nil
	}
	path := b.prefix + a.Name
	for _, s := range b.sent {
		if s.name == a.Name {
			return scimerr.BadRequest(scimerr.InvalidValue, "attribute %q given more than once (as %q and %q)", path, s.key, key)
		}
	}
	b.sent = append(b.sent, sentAs{a.Name, key})
	nv, err := normalizeAttr(a, v, path, false)
	if err != nil || nv == nil {
		return err
	}
	b.out[a.Name] = nv
	return nil
}

// normalizeAttr checks v against a, the value at path. single allows one
// element in place of an array for a multi-valued attribute (PATCH
// values). A nil result means absent.
func normalizeAttr(a *Attribute, v any, path string, single bool) (any, error) {
	if v == nil {
		return nil, nil
	}
	if !a.MultiValued {
		return normalizeOne(a, v, path)
	}
	list, ok := v.([]any)
	if !ok {
		if !single {
			return nil, typeError(path, "array", v)
		}
		list = []any{v}
	}
	out := make([]any, 0, len(list))
	primaries := 0
	for i, el := range list {
		nv, err := normalizeOne(a, el, path+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		if nv == nil {
			continue
		}
		if m, ok := nv.(map[string]any); ok && m["primary"] == true {
			primaries++
		}
		out = append(out, nv)
	}
	if primaries > 1 {
		return nil, scimerr.BadRequest(scimerr.InvalidValue,
			"attribute %q: at most one value may have \"primary\": true, got %d", path, primaries)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// normalizeOne checks a single (non-array) value of a.
func normalizeOne(a *Attribute, v any, path string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch a.Type {
	case Complex:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, typeError(path, "object", v)
		}
		return normalizeComplex(a, m, path)
	case String, Reference:
		s, ok := v.(string)
		if !ok {
			return nil, typeError(path, "string", v)
		}
		if a.Required && s == "" {
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "attribute %q is required and must not be empty", path)
		}
		if a.NoControls {
			if err := checkNoControls(s, path); err != nil {
				return nil, err
			}
		}
		return s, nil
	case Boolean:
		return normalizeBool(v, path)
	case Decimal:
		f, ok := number(v)
		if !ok {
			return nil, typeError(path, "number", v)
		}
		return f, nil
	case Integer:
		f, ok := number(v)
		if !ok || f != math.Trunc(f) || math.IsInf(f, 0) {
			return nil, typeError(path, "integer", v)
		}
		return f, nil
	case DateTime:
		return normalizeDateTime(v, path)
	case Binary:
		return normalizeBinary(v, path)
	}
	return nil, scimerr.New(http.StatusInternalServerError, "", "attribute %q has unknown type %q", path, a.Type)
}

// checkNoControls refuses a control character (Unicode Cc: U+0000-U+001F,
// U+007F-U+009F) other than tab, line feed and carriage return.
func checkNoControls(s string, path string) error {
	for i, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return scimerr.BadRequest(scimerr.InvalidValue,
				"attribute %q: control character %U at byte %d is not allowed here (tab, line feed and carriage return are)", path, r, i)
		}
	}
	return nil
}

// normalizeComplex keeps the known, client-writable sub-attributes of m,
// the object at path, under their canonical names. An object with nothing
// left is absent (nil).
func normalizeComplex(a *Attribute, m map[string]any, path string) (any, error) {
	b := newObjectBuilder(path+".", len(m))
	for _, k := range sortedKeys(m) {
		if err := b.add(a.Sub(k), k, m[k]); err != nil {
			return nil, err
		}
	}
	if len(b.out) == 0 {
		return nil, nil
	}
	if err := checkRequired(a.SubAttributes, b.out, path+"."); err != nil {
		return nil, err
	}
	return b.out, nil
}

// normalizeBool accepts JSON booleans and, because Microsoft Entra ID sends
// them, the strings "true" and "false" in any case.
func normalizeBool(v any, path string) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch {
		case strings.EqualFold(x, "true"):
			return true, nil
		case strings.EqualFold(x, "false"):
			return false, nil
		}
		return nil, scimerr.BadRequest(scimerr.InvalidValue,
			"attribute %q: expected boolean, got string %s", path, scimerr.Quote(x))
	}
	return nil, typeError(path, "boolean", v)
}

// normalizeDateTime checks an RFC 3339 string and keeps it exactly as sent.
func normalizeDateTime(v any, path string) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(path, "dateTime string", v)
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidValue,
			"attribute %q: expected dateTime (RFC 3339, e.g. \"2006-01-02T15:04:05Z\"), got %s", path, scimerr.Quote(s))
	}
	return s, nil
}

// normalizeBinary checks base64 (RFC 7643 §2.3.6), padded or not, and keeps
// the string as sent.
func normalizeBinary(v any, path string) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(path, "base64 string", v)
	}
	enc := base64.StdEncoding
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	if _, err := enc.DecodeString(s); err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "attribute %q: expected base64 string, got invalid base64 (%v)", path, err)
	}
	return s, nil
}

// checkRequired reports the first required attribute missing from out, the
// object whose attribute paths start with prefix.
func checkRequired(attrs []*Attribute, out map[string]any, prefix string) error {
	for _, a := range attrs {
		if a.Required && a.Mutability != ReadOnly && out[a.Name] == nil {
			return scimerr.BadRequest(scimerr.InvalidValue, "attribute %q is required", prefix+a.Name)
		}
	}
	return nil
}

// number returns v as float64 for JSON numbers (float64 from encoding/json,
// json.Number when decoded with UseNumber).
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// typeError is the 400 invalidValue for a value of the wrong JSON type.
func typeError(path, want string, got any) error {
	return scimerr.BadRequest(scimerr.InvalidValue, "attribute %q: expected %s, got %s", path, want, jsonType(got))
}

// jsonType names the JSON type of a decoded value.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
