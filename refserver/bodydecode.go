package refserver

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"github.com/scimconform/scimconform/refserver/schema"
)

// fastDecodeObject decodes a request body that is exactly one JSON object
// in a single pass, giving the same document encoding/json would. ok is
// false for anything it does not decide alone: malformed JSON, invalid
// UTF-8, surrogate escapes, numbers out of range, deep nesting. The caller
// then decodes with encoding/json, which also words the error.
//
// The strings of the result share one copy of body, so a string kept
// beyond the request (a stored name, a member id) must be cloned, or it
// keeps the whole body alive.
func fastDecodeObject(body []byte) (_ map[string]any, ok bool) {
	m, ok := fastDecode(body, nil).(map[string]any)
	return m, ok
}

// fastDecodeMembers is fastDecodeObject giving every object as a
// schema.Object, for schema.NormalizeObject; the Objects and arrays are
// cut from arena, which it first sizes, in one chunk, for this body (the
// document normalised from it keeps the body's canonical objects and
// reserves its own room for the rest).
func fastDecodeMembers(body []byte, arena *schema.Arena) (_ schema.Object, ok bool) {
	arena.Reserve(countMembers(body), 0)
	o, ok := fastDecode(body, arena).(schema.Object)
	return o, ok
}

// countMembers counts the colons that follow a closing quote, spaces
// aside: every member has one, and few strings hold one (URNs hold
// colons after letters). It jumps from colon to colon with a vectorised
// search.
func countMembers(body []byte) int {
	n := 0
	for i := 0; ; i++ {
		j := bytes.IndexByte(body[i:], ':')
		if j < 0 {
			return n
		}
		i += j
		k := i - 1
		for k >= 0 && (body[k] == ' ' || body[k] == '\t' || body[k] == '\n' || body[k] == '\r') {
			k--
		}
		if k >= 0 && body[k] == '"' {
			n++
		}
	}
}

// fastDecode decodes body, exactly one JSON object, or returns nil. With
// an arena, objects are schema.Objects cut from it.
func fastDecode(body []byte, arena *schema.Arena) any {
	d := bodyDecoder{b: body, s: string(body), members: arena != nil, arena: arena}
	d.space()
	if d.i >= len(d.b) || d.b[d.i] != '{' {
		return nil
	}
	v, ok := d.value(0)
	if !ok {
		return nil
	}
	d.space()
	if d.i != len(d.b) {
		return nil
	}
	return v
}

// bodyMaxDepth bounds nesting; deeper bodies go to encoding/json.
const bodyMaxDepth = 512

type bodyDecoder struct {
	b []byte
	s string // b as a string: decoded strings without escapes are slices of it
	i int
	// members makes objects schema.Objects, cut from arena, instead of
	// maps.
	members bool
	arena   *schema.Arena
}

func (d *bodyDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *bodyDecoder) value(depth int) (any, bool) {
	if d.i >= len(d.b) || depth > bodyMaxDepth {
		return nil, false
	}
	switch c := d.b[d.i]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		s, ok := d.string(false)
		return d.arena.BoxString(s), ok
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	return nil, false
}

func (d *bodyDecoder) literal(word string) bool {
	if len(d.b)-d.i < len(word) || string(d.b[d.i:d.i+len(word)]) != word {
		return false
	}
	d.i += len(word)
	return true
}

func (d *bodyDecoder) object(depth int) (any, bool) {
	d.i++ // {
	// Members collect on the stack first, so the result is allocated once
	// at its final size.
	var small [16]schema.Member
	list := small[:0]
	d.space()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return d.finishObject(list), true
	}
	for {
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return nil, false
		}
		k, ok := d.string(true)
		if !ok {
			return nil, false
		}
		d.space()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return nil, false
		}
		d.i++
		d.space()
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		list = append(list, schema.Member{Key: k, Value: v})
		d.space()
		if d.i >= len(d.b) {
			return nil, false
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			return d.finishObject(list), true
		default:
			return nil, false
		}
	}
}

// finishObject builds an object from its members in the order given; of
// a key given twice the last value counts, as with encoding/json.
func (d *bodyDecoder) finishObject(list []schema.Member) any {
	if !d.members {
		m := make(map[string]any, len(list))
		for _, kv := range list {
			m[kv.Key] = kv.Value
		}
		return m
	}
	schema.SortMembers(list)
	out := d.arena.Object(len(list))
	for i, kv := range list {
		if i+1 < len(list) && list[i+1].Key == kv.Key {
			continue // a later value of the same key follows
		}
		out = append(out, kv)
	}
	return d.arena.BoxObject(out)
}

func (d *bodyDecoder) array(depth int) (any, bool) {
	d.i++ // [
	d.space()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return d.arena.BoxList([]any{}), true
	}
	// Elements collect on the stack first, so the result is allocated
	// once at its final size.
	var small [8]any
	list := small[:0]
	for {
		d.space()
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		list = append(list, v)
		d.space()
		if d.i >= len(d.b) {
			return nil, false
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			// A nil arena (map form) makes and boxes it as Go does.
			return d.arena.BoxList(append(d.arena.List(len(list)), list...)), true
		default:
			return nil, false
		}
	}
}

// number accepts exactly the JSON number grammar.
func (d *bodyDecoder) number() (any, bool) {
	start := d.i
	if d.b[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.b) && d.b[d.i] == '0':
		d.i++
	case d.i < len(d.b) && d.b[d.i] >= '1' && d.b[d.i] <= '9':
		d.digits()
	default:
		return nil, false
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		if !d.digits() {
			return nil, false
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if !d.digits() {
			return nil, false
		}
	}
	f, err := strconv.ParseFloat(string(d.b[start:d.i]), 64)
	if err != nil {
		return nil, false // out of range: encoding/json reports it
	}
	return f, true
}

// digits consumes one or more decimal digits.
func (d *bodyDecoder) digits() bool {
	start := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	return d.i > start
}

// string decodes a JSON string at its opening quote. Keys that are
// attribute names reuse the schema's strings in maps, which are kept.
func (d *bodyDecoder) string(key bool) (string, bool) {
	d.i++ // "
	start := d.i
	for d.i < len(d.b) {
		// Runs of plain ASCII, nearly all of a body, take one test a byte.
		for d.i < len(d.b) && plainASCII[d.b[d.i]] {
			d.i++
		}
		if d.i >= len(d.b) {
			break
		}
		c := d.b[d.i]
		switch {
		case c == '"':
			raw := d.s[start:d.i]
			d.i++
			if key && !d.members { // Normalize spells a kept key as defined
				if k, ok := attributeNames[raw]; ok {
					return k, true
				}
			}
			return raw, true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(d.b[d.i:])
			if r == utf8.RuneError && size == 1 {
				return "", false // invalid UTF-8: encoding/json replaces it
			}
			d.i += size
		default:
			d.i++
		}
	}
	return "", false
}

// plainASCII marks the bytes a JSON string holds as they are: ASCII
// other than control characters, quote and backslash.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// escaped finishes a string that contains escapes.
func (d *bodyDecoder) escaped(start int) (string, bool) {
	s, next, ok := unescape(d.b, start, d.i, true)
	d.i = next
	return s, ok
}
