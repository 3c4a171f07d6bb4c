package refserver

import (
	"net/http"
	"strconv"
	"time"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
)

// The served form of a resource without attributes / excludedAttributes is
// its stored body with the fields the record holds apart (the name
// attribute, externalId, schemas, id, meta and the derived members or
// groups) merged in. Both are compact JSON with keys in byte order, so the
// response can be spliced from the stored bytes instead of decoding them
// into a document, projecting it and encoding it again: the same bytes, for
// a fraction of the work on every GET, create, PATCH answer and index
// lookup. Servers with deliberate defects always take the general path.

// splice says how a stored top-level key takes part in the served form.
type splice uint8

const (
	spliceCopy    splice = iota // returned as stored
	spliceSkip                  // never returned (password)
	spliceProject               // needs projection: the general path decides
)

// servedKeys classifies the stored top-level keys of each kind: attributes
// (and extension objects) whose values, sub-attributes included, are all
// returned by default are copied, returned=never attributes are skipped.
// Keys missing from the map take the general path.
var servedKeys = [2]map[string]splice{
	kindUser:  spliceKeysOf(schema.UserType),
	kindGroup: spliceKeysOf(schema.GroupType),
}

func spliceKeysOf(rt *schema.ResourceType) map[string]splice {
	keys := map[string]splice{}
	for _, a := range rt.Schema.Attributes {
		switch {
		case a.Returned == schema.Never:
			keys[a.Name] = spliceSkip
		case returnedAsIs(a):
			keys[a.Name] = spliceCopy
		default:
			keys[a.Name] = spliceProject
		}
	}
	for _, e := range rt.Extensions {
		all := true
		for _, a := range e.Schema.Attributes {
			all = all && returnedAsIs(a)
		}
		if all {
			keys[e.Schema.ID] = spliceCopy
		} else {
			keys[e.Schema.ID] = spliceProject
		}
	}
	return keys
}

// returnedAsIs reports whether a value of a is shown whole when no
// attributes are requested: a and every sub-attribute are returned by
// default or always.
func returnedAsIs(a *schema.Attribute) bool {
	if a.Returned != schema.Default && a.Returned != schema.Always {
		return false
	}
	for _, sub := range a.SubAttributes {
		if !returnedAsIs(sub) {
			return false
		}
	}
	return true
}

// canSplice reports whether responses may be spliced: never under
// deliberate defects or variants, which act on the decoded document.
func (s *store) canSplice() bool { return !s.faults.any() && !s.variants.any() && !s.noSplice.Load() }

// appendServedLocked appends r as served with no attributes requested: the
// bytes appendJSON(schema.Project(rt, s.docLocked(r, base), nil, nil))
// gives. ok is false, with b unchanged, when the stored body holds a key
// the splice does not handle.
func (s *store) appendServedLocked(b []byte, r *record, base string) (_ []byte, ok bool) {
	keys := servedKeys[r.kind]
	rt := r.kind.resourceType()
	start := len(b)
	var extPresent [4]bool // rt.Extensions present in the body
	if len(rt.Extensions) > len(extPresent) {
		return b, false
	}
	// Check every stored key and note the extensions before writing
	// anything; the fields are kept for writing.
	var fieldBuf [24]storedField
	fields := fieldBuf[:0]
	for it := (storedFields{b: r.body}); ; {
		key, val, more, valid := it.next()
		if !valid {
			return b, false
		}
		if !more {
			break
		}
		how, known := keys[key]
		if !known || how == spliceProject {
			return b, false
		}
		for i, e := range rt.Extensions {
			if key == e.Schema.ID {
				extPresent[i] = true
			}
		}
		fields = append(fields, storedField{key, val, how})
	}
	var derived []any
	if r.kind == kindGroup {
		derived = s.membersLocked(r, base)
	} else {
		derived = s.userGroupsLocked(r.id, base)
	}
	var extraKeys [len(userExtras)]string
	extras := s.servedExtras(r, len(derived) > 0, extraKeys[:0])
	b = append(b, '{')
	first := true
	field := func(key string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, key)
		b = append(b, ':')
	}
	emit := func(key string) {
		field(key)
		switch key {
		case r.kind.nameAttr():
			b = appendString(b, r.name)
		case "externalId":
			b = appendString(b, r.externalID)
		case "id":
			b = appendString(b, r.id)
		case "meta":
			b = s.appendMeta(b, r, base)
		case "schemas":
			b = append(b, '[')
			b = appendString(b, rt.Schema.ID)
			for i, e := range rt.Extensions {
				if extPresent[i] {
					b = append(b, ',')
					b = appendString(b, e.Schema.ID)
				}
			}
			b = append(b, ']')
		case r.kind.derivedKey():
			var err error
			if b, err = appendJSON(b, derived); err != nil {
				ok = false
			}
		}
	}
	ok = true
	next := 0
	for _, f := range fields {
		for next < len(extras) && extras[next] < f.key {
			emit(extras[next])
			next++
		}
		if f.how == spliceSkip {
			continue
		}
		field(f.key)
		b = append(b, f.val...)
	}
	for ; next < len(extras); next++ {
		emit(extras[next])
	}
	b = append(b, '}')
	if !ok {
		return b[:start], false
	}
	return b, true
}

// storedField is one top-level field of a stored body and how it is
// served.
type storedField struct {
	key string
	val []byte
	how splice
}

// servedExtras appends to out, in byte order, the keys of the fields r
// holds apart from its body that its served form shows.
func (s *store) servedExtras(r *record, hasDerived bool, out []string) []string {
	var all []string
	if r.kind == kindGroup {
		all = groupExtras[:]
	} else {
		all = userExtras[:]
	}
	if r.externalID != "" && hasDerived {
		return all
	}
	for _, k := range all {
		if (k == "externalId" && r.externalID == "") || (k == r.kind.derivedKey() && !hasDerived) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// userExtras and groupExtras are the record-held keys in byte order.
var (
	userExtras  = [...]string{"externalId", "groups", "id", "meta", "schemas", "userName"}
	groupExtras = [...]string{"displayName", "externalId", "id", "members", "meta", "schemas"}
)

// appendMeta appends r's meta object with its keys in byte order.
func (s *store) appendMeta(b []byte, r *record, base string) []byte {
	b = append(b, `{"created":`...)
	b = appendMillis(b, r.created)
	b = append(b, `,"lastModified":`...)
	b = appendMillis(b, r.modified)
	b = append(b, `,"location":`...)
	b = appendLocation(b, base, r.kind, r.id)
	b = append(b, `,"resourceType":`...)
	b = appendString(b, r.kind.resourceType().Name)
	b = append(b, `,"version":"W/\"`...)
	b = strconv.AppendUint(b, r.version, 10)
	return append(b, `\""}`...)
}

// appendLocation appends location(base, k, id) as a JSON string without
// building the string first.
func appendLocation(b []byte, base string, k resourceKind, id string) []byte {
	start := len(b)
	b = appendString(b, base)
	b = b[:len(b)-1] // reopen the string
	b = append(b, '/')
	b = append(b, k.endpoint()...)
	b = append(b, '/')
	mark := len(b)
	b = appendString(b, id)
	if b[mark] != '"' || len(b)-start < 2 {
		return b // cannot happen: appendString opens with a quote
	}
	return append(b[:mark], b[mark+1:]...)
}

// appendMillis appends a Unix-millisecond time as a JSON string in
// timeLayout, digit by digit: time.AppendFormat interprets the layout on
// every call.
func appendMillis(b []byte, ms int64) []byte {
	t := time.UnixMilli(ms).UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		b = append(b, '"')
		b = t.AppendFormat(b, timeLayout)
		return append(b, '"')
	}
	hour, minute, sec := t.Clock()
	b = append(b, '"')
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1e6, 3)
	return append(b, 'Z', '"')
}

// appendDigits appends n (0 <= n < 10^width) zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var buf [4]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[:width]...)
}

// storedFields iterates over the top-level fields of a stored body (compact
// JSON written by appendJSON) without decoding their values.
type storedFields struct {
	b []byte
	i int
}

// next returns the next key (an extension's code given back as its URN)
// and raw value. more is false at the end of the object; valid is false for
// bytes appendJSON does not write (the caller then decodes instead).
func (it *storedFields) next() (key string, val []byte, more, valid bool) {
	if len(it.b) == 0 {
		return "", nil, false, true // an empty body: no stored attributes
	}
	if it.i == 0 {
		if it.b[0] != '{' {
			return "", nil, false, false
		}
		it.i = 1
	}
	if it.i >= len(it.b) {
		return "", nil, false, false
	}
	switch it.b[it.i] {
	case '}':
		return "", nil, false, it.i == len(it.b)-1
	case ',':
		it.i++
	}
	if it.i >= len(it.b) || it.b[it.i] != '"' {
		return "", nil, false, false
	}
	end := it.i + 1
	for end < len(it.b) && it.b[end] != '"' {
		if it.b[end] == '\\' {
			return "", nil, false, false // attribute names have no escapes
		}
		end++
	}
	if end+1 >= len(it.b) || it.b[end+1] != ':' {
		return "", nil, false, false
	}
	raw := it.b[it.i+1 : end]
	if name, ok := attributeNames[string(raw)]; ok {
		key = name // interned, and codes expanded
	} else {
		key = string(raw)
	}
	vstart := end + 2
	vend, ok := skipValue(it.b, vstart)
	if !ok || vend == vstart {
		return "", nil, false, false
	}
	it.i = vend
	if it.i >= len(it.b) || (it.b[it.i] != ',' && it.b[it.i] != '}') {
		return "", nil, false, false
	}
	return key, it.b[vstart:vend], true, true
}

// skipValue returns the end of the compact JSON value starting at i.
func skipValue(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i, i > 0
			}
			depth--
			i++
			if depth == 0 {
				return i, true
			}
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(b) {
				return i, false
			}
			i++
			if depth == 0 {
				return i, true
			}
		case ',', ':':
			if depth == 0 {
				return i, true
			}
			i++
		default: // numbers, true, false, null
			i++
			if depth == 0 && (i >= len(b) || b[i] == ',' || b[i] == '}' || b[i] == ']') {
				return i, true
			}
		}
	}
	return i, false
}

// empty reports whether p names no attributes either way.
func (p projection) empty() bool { return len(p.attributes) == 0 && len(p.excluded) == 0 }

// spliceable reports whether the answer to r may be spliced.
func (s *Server) spliceable(r *http.Request) bool {
	return s.store.canSplice() && projectionOf(r).empty()
}

// writeSpliced writes rec's spliced served form with its ETag (and
// Location on a POST). It reports false, having written nothing, when the
// general path must answer.
func (s *Server) writeSpliced(w http.ResponseWriter, r *http.Request, status int, rec *record, base string) bool {
	if !s.spliceable(r) {
		return false
	}
	buf := getBuffer()
	defer putBuffer(buf)
	s.store.mu.RLock()
	body, ok := s.store.appendServedLocked(*buf, rec, base)
	etag := etagOf(rec.version)
	s.store.mu.RUnlock()
	*buf = body
	if !ok {
		return false
	}
	s.setETag(w, etag)
	if r.Method == http.MethodPost {
		setHeader(w, "Location", presetValue(location(base, rec.kind, rec.id)))
	}
	s.writeBody(w, status, body)
	return true
}

// serveGetSpliced answers GET by id from the stored bytes, 304 included. It
// reports false, having written nothing, when the general path must answer.
func (s *Server) serveGetSpliced(w http.ResponseWriter, r *http.Request, k resourceKind) bool {
	if !s.spliceable(r) {
		return false
	}
	base := s.baseURL(r)
	buf := getBuffer()
	defer putBuffer(buf)
	s.store.mu.RLock()
	rec, err := s.store.getLocked(k, r.PathValue("id"))
	if err != nil {
		s.store.mu.RUnlock()
		s.writeError(w, err)
		return true
	}
	etag := etagOf(rec.version)
	if inm := s.ifNoneMatch(r); inm != "" && etagMatches(inm, etag) {
		s.store.mu.RUnlock()
		s.setETag(w, etag)
		s.writeEmpty(w, http.StatusNotModified)
		return true
	}
	body, ok := s.store.appendServedLocked(*buf, rec, base)
	s.store.mu.RUnlock()
	*buf = body
	if !ok {
		return false
	}
	s.setETag(w, etag)
	s.writeBody(w, http.StatusOK, body)
	return true
}

// isIndexedCompare reports whether e is a single comparison, which the
// index lookup answered from one of the indexed attributes (id, the name
// attribute, externalId): matching it needs only those fields.
func isIndexedCompare(e filter.Expr) bool {
	_, ok := e.(*filter.Compare)
	return ok
}

// indexedDoc is the part of r's document an indexed comparison reads: id,
// the name attribute and externalId.
func indexedDoc(r *record) map[string]any {
	doc := map[string]any{"id": r.id, r.kind.nameAttr(): r.name}
	if r.externalID != "" {
		doc["externalId"] = r.externalID
	}
	return doc
}
