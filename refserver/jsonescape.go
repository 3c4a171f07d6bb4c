package refserver

import (
	"unicode/utf16"
	"unicode/utf8"
)

// unescape finishes the JSON string whose contents start at b[start]
// (after the opening quote); b[start:i] was already scanned and holds no
// escape. strict refuses what encoding/json would not take as
// it is: control characters and invalid UTF-8. It returns the string,
// the index after its closing quote, and false when it is not valid.
func unescape(b []byte, start, i int, strict bool) (string, int, bool) {
	// Short strings unescape on the stack: the result is then the only
	// allocation.
	var small [128]byte
	out := append(small[:0], b[start:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			return string(out), i + 1, true
		case c == '\\':
			var ok bool
			if out, i, ok = appendEscape(out, b, i); !ok {
				return "", i, false
			}
			continue
		case strict && c < 0x20:
			return "", i, false
		case strict && c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return "", i, false
			}
			out = append(out, b[i:i+size]...)
			i += size
			continue
		}
		out = append(out, c)
		i++
	}
	return "", i, false
}

// appendEscape decodes the JSON escape sequence at b[i] (a backslash) onto
// out as encoding/json does: a UTF-16 surrogate pair becomes one rune, a
// lone surrogate becomes U+FFFD and what follows it is decoded on its own.
// It returns the index after the sequence, and false for an invalid one.
// Both decoders (request bodies and stored records) use it.
func appendEscape(out, b []byte, i int) ([]byte, int, bool) {
	if i+1 >= len(b) {
		return out, i, false
	}
	switch esc := b[i+1]; esc {
	case '"', '\\', '/':
		return append(out, esc), i + 2, true
	case 'b':
		return append(out, '\b'), i + 2, true
	case 'f':
		return append(out, '\f'), i + 2, true
	case 'n':
		return append(out, '\n'), i + 2, true
	case 'r':
		return append(out, '\r'), i + 2, true
	case 't':
		return append(out, '\t'), i + 2, true
	case 'u':
		r, ok := hex4(b, i+2)
		if !ok {
			return out, i, false
		}
		i += 6
		if utf16.IsSurrogate(r) {
			if i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u' {
				if r2, ok := hex4(b, i+2); ok {
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						return utf8.AppendRune(out, pair), i + 6, true
					}
				}
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(out, r), i, true
	}
	return out, i, false
}

// hex4 reads the four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
