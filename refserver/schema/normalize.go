package schema

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
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
// detail names the attribute path and what was expected.
//
// Create and Replace bodies are checked alike: both carry a whole resource.
// What differs for a PUT (the id in the URL, immutable attributes compared
// with the stored resource) needs the stored resource and is the caller's job.
// body is never modified; the result shares only immutable leaf values with it.
func Normalize(rt *ResourceType, body map[string]any, mode Mode) (map[string]any, error) {
	var buf [smallObject]Member
	top, _ := members(body, buf[:0])
	doc, err := normalize(rt, top, mode, nil)
	if err != nil {
		return nil, err
	}
	return doc.(map[string]any), nil
}

// NormalizeObject is Normalize for a body decoded as an Object, giving the
// document as an Object too (every object in it an Object): the same
// document or error, for less work, to a caller that only reads or encodes
// the document. Objects and arrays of the body that are canonical already
// become part of the document as they are, so body must not change
// afterwards; the others are cut from arena (nil: a fresh one), usually
// the one the body was decoded into, which is first given room for the
// top-level and extension objects.
func NormalizeObject(rt *ResourceType, body Object, mode Mode, arena *Arena) (Object, error) {
	if arena == nil {
		arena = new(Arena)
	}
	if rt != nil {
		arena.Reserve(topMembers(rt, len(body)), 1+len(rt.Extensions))
	}
	doc, err := normalize(rt, body, mode, arena)
	if err != nil {
		return nil, err
	}
	return doc.(Object), nil
}

// topMembers bounds the members of the objects normalize builds itself
// from a body of n top-level members: the core object (a member per body
// member, each extension and schemas) and each extension's object.
func topMembers(rt *ResourceType, n int) int {
	n += 1 + len(rt.Extensions)
	for _, e := range rt.Extensions {
		n += len(e.Schema.Attributes)
	}
	return n
}

// normalize is Normalize for the body's members in key order; an arena
// makes every object of the document an Object cut from it instead of a
// map.
func normalize(rt *ResourceType, body []Member, mode Mode, arena *Arena) (any, error) {
	if rt == nil || rt.Schema == nil {
		return nil, scimerr.New(http.StatusInternalServerError, "", "normalize: no resource type")
	}
	if mode != Create && mode != Replace {
		return nil, scimerr.New(http.StatusInternalServerError, "", "normalize: unknown mode %d", mode)
	}
	if err := checkSchemas(rt, body); err != nil {
		return nil, err
	}

	core := &objectBuilder{arena: arena}
	var extBuf [2]extObject // on the stack for the served resource types
	exts := extBuf[:0]
	for _, e := range rt.Extensions {
		exts = append(exts, extObject{objectBuilder: objectBuilder{arena: arena}, at: rootPath(e.Schema.ID)})
	}
	for _, m := range body {
		if err := addTopLevel(rt, core, exts, m.Key, m.Value); err != nil {
			return nil, err
		}
	}

	if err := checkRequired(rt.Schema.Attributes, core, &valuePath{}, ""); err != nil {
		return nil, err
	}
	var extra [3]Member // the extension objects and schemas, added to the core attributes
	more := extra[:0]
	schemas := append(arena.List(1+len(rt.Extensions)), arena.BoxString(rt.Schema.ID))
	for i, e := range rt.Extensions {
		if exts[i].present() == 0 {
			if e.Required {
				return nil, scimerr.BadRequest(scimerr.InvalidValue, "extension %q is required", e.Schema.ID)
			}
			continue
		}
		if err := checkRequired(e.Schema.Attributes, &exts[i].objectBuilder, &exts[i].at, ":"); err != nil {
			return nil, err
		}
		more = append(more, Member{e.Schema.ID, exts[i].result(nil)})
		schemas = append(schemas, arena.BoxString(e.Schema.ID))
	}
	return core.result(append(more, Member{"schemas", arena.BoxList(schemas)})), nil
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
	path := rootPath(a.Name)
	return normalizeAttr(a, v, &path, true, nil)
}

// checkSchemas enforces that `schemas` is an array of strings holding the
// resource type's core URN. Other URIs are ignored: Microsoft Entra ID sends
// non-SCIM ones and misspelt extension URNs.
func checkSchemas(rt *ResourceType, body []Member) error {
	var found []string // the keys spelling "schemas", listed only for an error
	var value any
	n := 0
	for _, m := range body {
		if strings.EqualFold(m.Key, "schemas") {
			if n == 0 {
				value = m.Value
			}
			n++
		}
	}
	switch n {
	case 0:
		return scimerr.BadRequest(scimerr.InvalidValue, "attribute \"schemas\" is required and must contain %q", rt.Schema.ID)
	case 1:
	default:
		for _, m := range body {
			if strings.EqualFold(m.Key, "schemas") {
				found = append(found, m.Key)
			}
		}
		return scimerr.BadRequest(scimerr.InvalidValue, "attribute \"schemas\" given more than once (as %q)", found)
	}
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
func addTopLevel(rt *ResourceType, core *objectBuilder, exts []extObject, key string, v any) error {
	if strings.EqualFold(key, "schemas") {
		return nil
	}
	owner, name := splitURN(rt, key)
	if owner < 0 {
		if a := coreAttr(rt, name); a != nil || name != key {
			return core.add(&valuePath{}, "", a, key, v)
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
	var buf [smallObject]Member
	ms, ok := members(v, buf[:0])
	if !ok {
		return typeError(ext.ID, "object", v)
	}
	for _, m := range ms {
		if err := exts[owner].add(ext.Attr(m.Key), m.Key, m.Value); err != nil {
			return err
		}
	}
	return nil
}

// addUnqualified files an extension attribute sent without its URN (Microsoft
// Entra ID's documented create body puts "department" and "manager" at the
// top level) under the first extension that defines the name, as Resolve
// does for paths. Names no schema defines are dropped.
func addUnqualified(rt *ResourceType, exts []extObject, key string, v any) error {
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
	// Exact spellings in both lists first (as find does for one): id,
	// externalId and meta need no case folding of the core names. Core and
	// common names are unique case-insensitively together, so the order
	// finds the same attribute.
	if a := findExact(rt.Schema.Attributes, name); a != nil {
		return a
	}
	if a := findExact(CommonAttributes, name); a != nil {
		return a
	}
	if a := findFold(rt.Schema.Attributes, name); a != nil {
		return a
	}
	return findFold(CommonAttributes, name)
}

// valuePath is where a value sits in a body, for error messages: "userName",
// "name.givenName", "emails[0].value", "urn:…:User:department". It is a
// short list of segments, spelled out only when an error needs it: a valid
// body costs no path strings. A path holds no pointer to its parent's path,
// so that paths stay on the stack (escape analysis moves such chains to the
// heap through the recursion); callers pass it by pointer and extend it in
// place.
type valuePath struct {
	segs [maxPathDepth]pathSegment
	n    int
}

// maxPathDepth covers the deepest value a schema defines: "urn:…:attr[i].sub".
const maxPathDepth = 4

// pathSegment is one step of a valuePath: an attribute name joined to the
// path before it by sep ("", "." or ":"), or an element of the array there
// when index >= 0.
type pathSegment struct {
	sep, name string
	index     int
}

// rootPath is the path of a top-level value named name.
func rootPath(name string) valuePath {
	var p valuePath
	p.pushChild("", name)
	return p
}

// pushChild makes p the path of name inside the object at p, joined by
// sep, until pop. One path per object is extended and cut back in place
// as normalising descends and returns, instead of copying it per value.
func (p *valuePath) pushChild(sep, name string) {
	p.push(pathSegment{sep: sep, name: name, index: -1})
}

// pushElement makes p the path of the i-th element of the array at p,
// until pop.
func (p *valuePath) pushElement(i int) { p.push(pathSegment{index: i}) }

// pop undoes the last push. After a push that folded, p is spelt as
// before the push, which is all a path is for.
func (p *valuePath) pop() { p.n-- }

// childString spells out the path of name inside the object at p.
func (p *valuePath) childString(sep, name string) string {
	p.pushChild(sep, name)
	defer p.pop()
	return p.String()
}

func (p *valuePath) push(s pathSegment) {
	if p.n == len(p.segs) {
		// Deeper than any schema goes: fold the first two segments into one.
		head := valuePath{segs: [maxPathDepth]pathSegment{p.segs[0], p.segs[1]}, n: 2}
		p.segs[0] = pathSegment{name: head.String(), index: -1}
		copy(p.segs[1:], p.segs[2:])
		p.n--
	}
	p.segs[p.n] = s
	p.n++
}

func (p *valuePath) String() string {
	var b strings.Builder
	for i, s := range p.segs[:p.n] {
		switch {
		case s.index >= 0:
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case i == 0:
			b.WriteString(s.name)
		default:
			b.WriteString(s.sep + s.name)
		}
	}
	return b.String()
}

// objectBuilder collects the canonical attributes of one JSON object and
// rejects an attribute given twice under differently cased keys, which would
// otherwise make the result depend on map order.
type objectBuilder struct {
	// The attributes by canonical name, with the keys they were sent as
	// (to report duplicates). Each canonical name is recorded once (a
	// second one is the error), so no object has more entries than its
	// schema has attributes (TestBuilderHoldsWidestObject); in place, so
	// that the builder stays on the stack.
	sent  [maxObjectWidth]sentAs
	nSent int
	arena *Arena // not nil: the result is an Object cut from it, not a map
}

// smallObject is the number of members of a map that members sorts
// without allocating.
const smallObject = 24

// maxObjectWidth bounds the attributes of one object: the core User
// schema's and the common attributes, with room to spare.
const maxObjectWidth = 40

// sentAs records the key under which an attribute was sent and its
// normalised value (nil: absent).
type sentAs struct {
	name, key string
	value     any
}

// extObject builds the object of one extension, whose attribute paths are
// "<URN>:<name>".
type extObject struct {
	objectBuilder
	at valuePath
}

func (e *extObject) add(a *Attribute, key string, v any) error {
	return e.objectBuilder.add(&e.at, ":", a, key, v)
}

// sentKey returns the key under which the attribute name was already sent.
func (b *objectBuilder) sentKey(name string) (string, bool) {
	for _, f := range b.sent[:b.nSent] {
		if f.name == name {
			return f.key, true
		}
	}
	return "", false
}

// markSent records the attribute name as sent under key; it returns
// where its value goes.
func (b *objectBuilder) markSent(name, key string) *sentAs {
	if b.nSent == len(b.sent) {
		return nil // cannot happen: see TestBuilderHoldsWidestObject
	}
	b.sent[b.nSent] = sentAs{name: name, key: key}
	b.nSent++
	return &b.sent[b.nSent-1]
}

// get returns the value of the attribute name, nil when absent.
func (b *objectBuilder) get(name string) any {
	for _, f := range b.sent[:b.nSent] {
		if f.name == name {
			return f.value
		}
	}
	return nil
}

// present counts the attributes with a value.
func (b *objectBuilder) present() int {
	n := 0
	for _, f := range b.sent[:b.nSent] {
		if f.value != nil {
			n++
		}
	}
	return n
}

// result is the object built, with the extra members added: a map, or an
// Object in key order.
func (b *objectBuilder) result(extra []Member) any {
	n := b.present() + len(extra)
	if b.arena == nil {
		m := make(map[string]any, n)
		for _, f := range b.sent[:b.nSent] {
			if f.value != nil {
				m[f.name] = f.value
			}
		}
		for _, kv := range extra {
			m[kv.Key] = kv.Value
		}
		return m
	}
	o := b.arena.Object(n)
	// Attributes come in the body's key order; sent as spelt, that is
	// already the order of their names.
	sorted := len(extra) == 0
	for _, f := range b.sent[:b.nSent] {
		if f.value != nil {
			o = append(o, Member{f.name, f.value})
			sorted = sorted && f.name == f.key
		}
	}
	o = append(o, extra...)
	if !sorted {
		SortMembers(o)
	}
	return b.arena.BoxObject(o)
}

// add normalises v as the value of a (nil a: unknown attribute, dropped)
// in the object at parent (empty: the top level); sep joins the parent's
// path and a's name in error messages.
func (b *objectBuilder) add(parent *valuePath, sep string, a *Attribute, key string, v any) error {
	if a == nil || a.Mutability == ReadOnly || v == nil {
		return nil
	}
	if prev, dup := b.sentKey(a.Name); dup {
		return scimerr.BadRequest(scimerr.InvalidValue, "attribute %q given more than once (as %q and %q)",
			parent.childString(sep, a.Name), prev, key)
	}
	slot := b.markSent(a.Name, key)
	if slot == nil {
		return scimerr.New(http.StatusInternalServerError, "", "object at %q has more attributes than the server can hold", parent.String())
	}
	parent.pushChild(sep, a.Name)
	nv, err := normalizeAttr(a, v, parent, false, b.arena)
	parent.pop()
	if err != nil {
		return err
	}
	slot.value = nv
	return nil
}

// keepsAll reports whether the object built from in is in, member for
// member: every member kept under its own key with its own value. in is
// in key order with each key once, so it can stand for the result.
func (b *objectBuilder) keepsAll(in Object) bool {
	if b.nSent != len(in) {
		return false // a member was dropped (unknown, readOnly or null)
	}
	// Nothing was dropped, so the i-th attribute recorded is in[i].
	for i, f := range b.sent[:b.nSent] {
		if f.value == nil || f.name != in[i].Key || !sameValue(f.value, in[i].Value) {
			return false
		}
	}
	return true
}

// sameValue reports whether normalising kept v as sent: the same string,
// boolean or number, or the very Object or array (never compared by
// content: that is what normalising them decided).
func sameValue(nv, v any) bool {
	switch x := nv.(type) {
	case string:
		y, ok := v.(string)
		return ok && x == y
	case bool:
		y, ok := v.(bool)
		return ok && x == y
	case float64:
		y, ok := v.(float64)
		return ok && x == y
	case Object:
		y, ok := v.(Object)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case []any:
		y, ok := v.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	}
	return false
}

// normalizeAttr checks v against a. single allows one element in place of an
// array for a multi-valued attribute (PATCH values). A nil result means absent.
func normalizeAttr(a *Attribute, v any, path *valuePath, single bool, arena *Arena) (any, error) {
	if v == nil {
		return nil, nil
	}
	if !a.MultiValued {
		return normalizeOne(a, v, path, arena)
	}
	list, ok := v.([]any)
	if !ok {
		if !single {
			return nil, typeError(path.String(), "array", v)
		}
		list = []any{v}
	}
	// Building Objects, an array whose elements all stay as they are is
	// kept as it is: out is cut only at the first element that changes.
	// Building maps, the result must not share the body's arrays.
	keep := arena != nil && ok
	var out []any
	primaries := 0
	for i, el := range list {
		path.pushElement(i)
		nv, err := normalizeOne(a, el, path, arena)
		path.pop()
		if err != nil {
			return nil, err
		}
		if keep && (nv == nil || !sameValue(nv, el)) {
			keep = false
			out = append(arena.List(len(list)), list[:i]...)
		}
		if nv == nil {
			continue
		}
		if Get(nv, "primary") == true {
			primaries++
		}
		if !keep {
			if out == nil {
				out = arena.List(len(list))
			}
			out = append(out, nv)
		}
	}
	if primaries > 1 {
		return nil, scimerr.BadRequest(scimerr.InvalidValue,
			"attribute %q: at most one value may have \"primary\": true, got %d", path.String(), primaries)
	}
	if keep && len(list) > 0 {
		return v, nil
	}
	if len(out) == 0 {
		return nil, nil
	}
	return arena.BoxList(out), nil
}

// normalizeOne checks a single (non-array) value of a.
func normalizeOne(a *Attribute, v any, path *valuePath, arena *Arena) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch a.Type {
	case Complex:
		return normalizeComplex(a, v, path, arena)
	case String, Reference:
		s, ok := v.(string)
		if !ok {
			return nil, typeError(path.String(), "string", v)
		}
		if a.Required && s == "" {
			return nil, scimerr.BadRequest(scimerr.InvalidValue, "attribute %q is required and must not be empty", path.String())
		}
		if a.NoControls {
			if err := checkNoControls(s, path); err != nil {
				return nil, err
			}
		}
		return v, nil // v already holds s; boxing s again would allocate
	case Boolean:
		return normalizeBool(v, path.String)
	case Decimal:
		f, ok := number(v)
		if !ok {
			return nil, typeError(path.String(), "number", v)
		}
		return numberValue(v, f), nil
	case Integer:
		f, ok := number(v)
		if !ok || f != math.Trunc(f) || math.IsInf(f, 0) {
			return nil, typeError(path.String(), "integer", v)
		}
		return numberValue(v, f), nil
	case DateTime:
		return normalizeDateTime(v, path.String)
	case Binary:
		return normalizeBinary(v, path.String)
	}
	return nil, scimerr.New(http.StatusInternalServerError, "", "attribute %q has unknown type %q", path.String(), a.Type)
}

// checkNoControls refuses a control character (Unicode Cc: U+0000-U+001F,
// U+007F-U+009F) other than tab, line feed and carriage return.
func checkNoControls(s string, path *valuePath) error {
	for i, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return scimerr.BadRequest(scimerr.InvalidValue,
				"attribute %q: control character %U at byte %d is not allowed here (tab, line feed and carriage return are)", path.String(), r, i)
		}
	}
	return nil
}

// normalizeComplex checks that v is an object and keeps its known,
// client-writable sub-attributes under their canonical names. An object
// with nothing left is absent (nil).
func normalizeComplex(a *Attribute, v any, path *valuePath, arena *Arena) (any, error) {
	var buf [smallObject]Member
	ms, ok := members(v, buf[:0])
	if !ok {
		return nil, typeError(path.String(), "object", v)
	}
	b := &objectBuilder{arena: arena}
	for _, m := range ms {
		if err := b.add(path, ".", a.Sub(m.Key), m.Key, m.Value); err != nil {
			return nil, err
		}
	}
	if b.present() == 0 {
		return nil, nil
	}
	if err := checkRequired(a.SubAttributes, b, path, "."); err != nil {
		return nil, err
	}
	if o, ok := v.(Object); ok && arena != nil && b.keepsAll(o) {
		return v, nil // already canonical: no copy, and v is boxed already
	}
	return b.result(nil), nil
}

// normalizeBool accepts JSON booleans and, because Microsoft Entra ID sends
// them, the strings "true" and "false" in any case.
func normalizeBool(v any, path func() string) (any, error) {
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
			"attribute %q: expected boolean, got string %s", path(), scimerr.Quote(x))
	}
	return nil, typeError(path(), "boolean", v)
}

// normalizeDateTime checks an RFC 3339 string and keeps it exactly as sent.
func normalizeDateTime(v any, path func() string) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(path(), "dateTime string", v)
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidValue,
			"attribute %q: expected dateTime (RFC 3339, e.g. \"2006-01-02T15:04:05Z\"), got %s", path(), scimerr.Quote(s))
	}
	return v, nil
}

// normalizeBinary checks base64 (RFC 7643 §2.3.6), padded or not, and keeps
// the string as sent.
func normalizeBinary(v any, path func() string) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(path(), "base64 string", v)
	}
	enc := base64.StdEncoding
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	if _, err := enc.DecodeString(s); err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "attribute %q: expected base64 string, got invalid base64 (%v)", path(), err)
	}
	return v, nil
}

// checkRequired reports the first required attribute missing from out, the
// object at parent (sep joins their names in the message).
func checkRequired(attrs []*Attribute, out *objectBuilder, parent *valuePath, sep string) error {
	for _, a := range attrs {
		if a.Required && a.Mutability != ReadOnly && out.get(a.Name) == nil {
			return scimerr.BadRequest(scimerr.InvalidValue, "attribute %q is required", parent.childString(sep, a.Name))
		}
	}
	return nil
}

// numberValue is the canonical value of a number v whose value is f: v
// itself when it already is a float64 (no new allocation), else f.
func numberValue(v any, f float64) any {
	if _, ok := v.(float64); ok {
		return v
	}
	return f
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
	case map[string]any, Object:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
