package refserver

import (
	"encoding/json"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/scimconform/scimconform/refserver/schema"
)

// buffers recycles encoding buffers between requests.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func getBuffer() *[]byte { b := buffers.Get().(*[]byte); *b = (*b)[:0]; return b }

// putBuffer returns a buffer to the pool unless it grew very large.
func putBuffer(b *[]byte) {
	if cap(*b) <= 1<<20 {
		buffers.Put(b)
	}
}

// appendJSON appends v, a decoded JSON value (map[string]any, []any, string,
// float64, bool, nil), as compact JSON with object keys sorted, the same
// bytes encoding/json produces without its HTML escaping. It avoids
// reflection on the hot path of every response; other types fall back to
// encoding/json.
func appendJSON(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case string:
		return appendString(b, v), nil
	case float64:
		return appendFloat(b, v)
	case map[string]any:
		var small [16]schema.Member // on the stack for the objects of a resource
		return appendMembers(b, sortedMembers(small[:0], v))
	case schema.Object: // members in key order, as encoded for a map
		return appendMembers(b, v)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSON(b, e); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	}
	enc, err := json.Marshal(v)
	return append(b, enc...), err
}

// appendMembers appends a JSON object with members in the order given.
func appendMembers(b []byte, members []schema.Member) ([]byte, error) {
	b = append(b, '{')
	for i, kv := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, kv.Key)
		b = append(b, ':')
		var err error
		if b, err = appendJSON(b, kv.Value); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendObjectOf appends the members of doc (a map[string]any or a
// schema.Object) whose keys keep accepts as a stored body: as appendJSON
// would encode that subset, without building it, except that extension
// URN keys are written as their codes (storedkeys.go); n is the number of
// members written.
func appendObjectOf(b []byte, doc any, keep func(string) bool) (_ []byte, n int, err error) {
	var small [24]schema.Member
	members, _ := doc.(schema.Object) // already in key order
	if m, ok := doc.(map[string]any); ok {
		members = sortedMembers(small[:0], m)
	}
	b = append(b, '{')
	for _, kv := range members {
		if !keep(kv.Key) {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = appendStoredKey(b, kv.Key)
		b = append(b, ':')
		if b, err = appendJSON(b, kv.Value); err != nil {
			return b, n, err
		}
		n++
	}
	return append(b, '}'), n, nil
}

// sortedMembers appends to buf the members of m in key order; taking the
// values along spares looking each key up again.
func sortedMembers(buf []schema.Member, m map[string]any) []schema.Member {
	for k, v := range m {
		buf = append(buf, schema.Member{Key: k, Value: v})
	}
	schema.SortMembers(buf)
	return buf
}

// appendFloat formats like encoding/json: shortest representation, 'e'
// notation only for very large or small magnitudes.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029
// escaped as encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
