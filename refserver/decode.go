package refserver

import (
	"errors"
	"strconv"

	"github.com/scimconform/scimconform/refserver/schema"
)

// errBadStored reports stored bytes that are not the JSON appendJSON writes.
var errBadStored = errors.New("stored document is not valid JSON")

// decodeStored decodes a stored record body (compact JSON written by
// appendJSON) into the canonical document form: map[string]any, []any,
// string, float64, bool and nil. It is a small single-pass decoder, faster
// than encoding/json on the read path of every request.
func decodeStored(b []byte) (map[string]any, error) {
	d := storedDecoder{b: b, topHint: 16}
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok || d.i != len(b) {
		return nil, errBadStored
	}
	return m, nil
}

type storedDecoder struct {
	b []byte
	i int
	// topHint sizes the top-level map, which the caller extends with id,
	// meta and other server-held attributes.
	topHint int
}

func (d *storedDecoder) value() (any, error) {
	if d.i >= len(d.b) {
		return nil, errBadStored
	}
	switch d.b[d.i] {
	case '{':
		return d.object()
	case '[':
		return d.array()
	case '"':
		return d.string()
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return nil, d.literal("null")
	}
	return d.number()
}

func (d *storedDecoder) literal(word string) error {
	if len(d.b)-d.i < len(word) || string(d.b[d.i:d.i+len(word)]) != word {
		return errBadStored
	}
	d.i += len(word)
	return nil
}

func (d *storedDecoder) object() (any, error) {
	d.i++ // {
	m := make(map[string]any, d.topHint)
	d.topHint = 0
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return m, nil
	}
	for {
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return nil, errBadStored
		}
		k, err := d.key()
		if err != nil {
			return nil, err
		}
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return nil, errBadStored
		}
		d.i++
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m[k] = v
		if d.i >= len(d.b) {
			return nil, errBadStored
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			return m, nil
		default:
			return nil, errBadStored
		}
	}
}

func (d *storedDecoder) array() (any, error) {
	d.i++ // [
	list := []any{}
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return list, nil
	}
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		if d.i >= len(d.b) {
			return nil, errBadStored
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			return list, nil
		default:
			return nil, errBadStored
		}
	}
}

func (d *storedDecoder) number() (any, error) {
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		if (c < '0' || c > '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			break
		}
		d.i++
	}
	f, err := strconv.ParseFloat(string(d.b[start:d.i]), 64)
	if err != nil || start == d.i {
		return nil, errBadStored
	}
	return f, nil
}

// key decodes an object key, reusing the schema's own attribute-name
// strings so that decoding a document does not allocate its keys.
func (d *storedDecoder) key() (string, error) {
	end := d.i + 1
	for end < len(d.b) && d.b[end] != '"' && d.b[end] != '\\' {
		end++
	}
	if end < len(d.b) && d.b[end] == '"' {
		if k, ok := attributeNames[string(d.b[d.i+1:end])]; ok {
			d.i = end + 1
			return k, nil
		}
	}
	return d.string()
}

// attributeNames holds every attribute and extension name of the served
// schemas, for key interning.
var attributeNames = func() map[string]string {
	names := map[string]string{}
	var add func(attrs []*schema.Attribute)
	add = func(attrs []*schema.Attribute) {
		for _, a := range attrs {
			names[a.Name] = a.Name
			add(a.SubAttributes)
		}
	}
	add(schema.CommonAttributes)
	names["schemas"] = "schemas" // every body's first key
	for _, sc := range schema.Schemas {
		names[sc.ID] = sc.ID
		add(sc.Attributes)
	}
	return names
}()

// string decodes a JSON string starting at its opening quote.
func (d *storedDecoder) string() (string, error) {
	d.i++ // "
	start := d.i
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case '"':
			s := string(d.b[start:d.i])
			d.i++
			return s, nil
		case '\\':
			return d.escapedString(start)
		}
		d.i++
	}
	return "", errBadStored
}

// escapedString finishes a string that contains escapes. Stored bytes
// are the store's own encoding, so they are not checked as a body is.
func (d *storedDecoder) escapedString(start int) (string, error) {
	s, next, ok := unescape(d.b, start, d.i, false)
	d.i = next
	if !ok {
		return "", errBadStored
	}
	return s, nil
}
