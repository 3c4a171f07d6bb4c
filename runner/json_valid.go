package runner

import (
	"encoding/binary"
	"math/bits"
)

// validJSON reports whether b is exactly one JSON value with optional
// whitespace around it, with encoding/json's rules: json.Valid's answer
// (invalid UTF-8 inside strings is accepted, nesting deeper than 10 000
// is not), in one pass without its per-byte state functions.
func validJSON(b []byte) bool {
	i := jsonValidValue(b, skipJSONSpace(b, 0), 0)
	return i >= 0 && skipJSONSpace(b, i) == len(b)
}

// maxJSONDepth is encoding/json's nesting limit.
const maxJSONDepth = 10000

// jsonValidValue returns the index after the valid value at b[i], -1 when
// there is none. depth counts the arrays and objects around it.
func jsonValidValue(b []byte, i, depth int) int {
	if i >= len(b) {
		return -1
	}
	switch c := b[i]; {
	case c == '"':
		return jsonValidString(b, i)
	case c == '{' || c == '[':
		return jsonValidContainer(b, i, depth+1)
	case c == '-' || c >= '0' && c <= '9':
		return jsonValidNumber(b, i)
	case c == 't':
		return jsonLiteral(b, i, "true")
	case c == 'f':
		return jsonLiteral(b, i, "false")
	case c == 'n':
		return jsonLiteral(b, i, "null")
	}
	return -1
}

// jsonValidContainer checks the object or array opening at b[i].
func jsonValidContainer(b []byte, i, depth int) int {
	if depth > maxJSONDepth {
		return -1
	}
	closer, object := byte(']'), b[i] == '{'
	if object {
		closer = '}'
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == closer {
		return i + 1
	}
	for {
		var end int
		if object {
			_, _, end = jsonValidMember(b, i, depth)
		} else {
			end = jsonValidValue(b, i, depth)
		}
		next, closed := jsonValidAfter(b, end, closer)
		if next < 0 || closed {
			return next
		}
		i = next
	}
}

// jsonValidMember checks the object member `"key": value` at b[i] and
// returns the end of its key and the bounds of its value; end is -1 when
// the member is not valid. depth counts the containers around the value.
func jsonValidMember(b []byte, i, depth int) (keyEnd, start, end int) {
	if i >= len(b) || b[i] != '"' {
		return 0, 0, -1
	}
	if keyEnd = jsonValidString(b, i); keyEnd < 0 {
		return 0, 0, -1
	}
	colon := skipJSONSpace(b, keyEnd)
	if colon >= len(b) || b[colon] != ':' {
		return 0, 0, -1
	}
	start = skipJSONSpace(b, colon+1)
	return keyEnd, start, jsonValidValue(b, start, depth)
}

// jsonValidAfter checks what follows an element ending at b[end] (-1: an
// invalid element): the closer, returning the index after it and true, or
// a comma, returning where the next element starts; -1 when neither.
func jsonValidAfter(b []byte, end int, closer byte) (int, bool) {
	if end < 0 {
		return -1, false
	}
	if end = skipJSONSpace(b, end); end >= len(b) {
		return -1, false
	}
	switch b[end] {
	case closer:
		return end + 1, true
	case ',':
		return skipJSONSpace(b, end+1), false
	}
	return -1, false
}

// memberScan reads the members of a top-level JSON object one at a time
// while checking, with validJSON's rules, that the whole input is one
// valid JSON value: a check that reads a few members then needs one pass
// over the body instead of a validation pass and a scanning pass. A
// member is returned once it is valid, before the rest of the input is
// checked, so callers act on members only when valid() ends up true.
type memberScan struct {
	b     []byte
	i     int // where the next member starts
	state memberScanState
}

type memberScanState int8

const (
	scanMembers   memberScanState = iota // members are left to read
	scanValid                            // the input is a valid JSON object, every member read
	scanInvalid                          // the input is not valid JSON
	scanNotObject                        // the input is not an object (and may or may not be valid)
)

func newMemberScan(b []byte) memberScan {
	s := memberScan{b: b}
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		s.state = scanNotObject
		return s
	}
	if s.i = skipJSONSpace(b, i+1); s.i < len(b) && b[s.i] == '}' {
		s.end(s.i + 1)
	}
	return s
}

// next returns the raw (quoted) key and the raw value of the next member;
// false when none is left or the input turned out invalid.
func (s *memberScan) next() (key, value []byte, ok bool) {
	if s.state != scanMembers {
		return nil, nil, false
	}
	keyEnd, start, end := jsonValidMember(s.b, s.i, 1)
	next, closed := jsonValidAfter(s.b, end, '}')
	switch {
	case next < 0:
		s.state = scanInvalid
		return nil, nil, false
	case closed:
		s.end(next)
	}
	key, value = s.b[s.i:keyEnd], s.b[start:end]
	s.i = next
	return key, value, s.state != scanInvalid
}

// end records that the object closes just before b[i]: only whitespace may follow.
func (s *memberScan) end(i int) {
	s.state = scanValid
	if skipJSONSpace(s.b, i) != len(s.b) {
		s.state = scanInvalid
	}
}

// valid reports, once next has returned false, whether the input is a
// valid JSON object.
func (s *memberScan) valid() bool { return s.state == scanValid }

// jsonValidString checks the string opening at b[i].
func jsonValidString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		if j = skipPlainString(b, j); j >= len(b) {
			break
		}
		switch c := b[j]; {
		case c == '"':
			return j + 1
		case c < 0x20:
			return -1
		case c == '\\':
			if j+1 >= len(b) {
				return -1
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j++
			case 'u':
				if j+6 > len(b) {
					return -1
				}
				for _, h := range b[j+2 : j+6] {
					if !isHexDigit(h) {
						return -1
					}
				}
				j += 5
			default:
				return -1
			}
		}
	}
	return -1
}

// skipPlainString returns the index of the first byte from b[j] on that
// ends a string, starts an escape or may not appear in a string ('"', '\\',
// a control character); len(b) when there is none. It steps over eight
// bytes at a time: strings are most of a SCIM body.
func skipPlainString(b []byte, j int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; j+8 <= len(b); j += 8 {
		w := binary.LittleEndian.Uint64(b[j:])
		quote, backslash := w^(ones*'"'), w^(ones*'\\')
		// A byte's high bit is set below when it is under 0x20, or zero
		// after the xor (a quote or a backslash). Bytes before the first
		// such byte are never set (a borrow only runs upwards from it), so
		// the lowest set bit marks it.
		if m := ((w-ones*0x20)&^w | (quote-ones)&^quote | (backslash-ones)&^backslash) & highs; m != 0 {
			return j + bits.TrailingZeros64(m)/8
		}
	}
	for ; j < len(b); j++ {
		if c := b[j]; c == '"' || c == '\\' || c < 0x20 {
			return j
		}
	}
	return j
}

func isHexDigit(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// jsonValidNumber checks the number starting at b[i]:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonValidNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = skipDigits(b, i)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

func jsonLiteral(b []byte, i int, lit string) int {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
