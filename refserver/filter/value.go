package filter

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// value parses a comparison value: a JSON string, number, true, false or
// null. An unquoted word that is none of these is taken as a string, as
// Microsoft Entra ID documents `externalId eq jyoung`.
func (p *parser) value() (any, error) {
	at := p.pos
	if at >= len(p.s) {
		return nil, p.errorf(at, "expected a value, got %s", p.got(at))
	}
	if p.s[at] == '"' {
		return p.quoted()
	}
	end := at
	for end < len(p.s) && !isSpace(p.s[end]) && !isDelim(p.s[end]) {
		end++
	}
	if end < len(p.s) && (p.s[end] == '(' || p.s[end] == '[' || p.s[end] == '"') {
		return nil, p.errorf(end, "unexpected %q in a value; quote the value as a JSON string", p.s[end])
	}
	w := p.s[at:end]
	if w == "" {
		return nil, p.errorf(at, "expected a value, got %s", p.got(at))
	}
	switch {
	case strings.EqualFold(w, "true"):
		p.pos = end
		return true, nil
	case strings.EqualFold(w, "false"):
		p.pos = end
		return false, nil
	case strings.EqualFold(w, "null"):
		p.pos = end
		return nil, nil
	case strings.EqualFold(w, "and"), strings.EqualFold(w, "or"), strings.EqualFold(w, "not"):
		return nil, p.errorf(at, "expected a value, got the keyword %s", scimerr.Quote(w))
	case isJSONNumber(w):
		f, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return nil, p.errorf(at, "number %s is out of range", scimerr.Clip(w))
		}
		p.pos = end
		return f, nil
	}
	p.pos = end
	return w, nil
}

// quoted decodes the JSON string starting at p.pos (a '"').
func (p *parser) quoted() (string, error) {
	start := p.pos
	i := start + 1
	plain := true
	for i < len(p.s) {
		switch c := p.s[i]; {
		case c == '"':
			p.pos = i + 1
			if plain {
				return p.s[start+1 : i], nil
			}
			return p.unescape(start+1, i)
		case c == '\\':
			plain = false
			i += 2
		case c < 0x20:
			return "", p.errorf(i, "control character %q in a string must be escaped", c)
		default:
			i++
		}
	}
	return "", p.errorf(start, `unterminated string: expected a closing '"'`)
}

// unescape decodes the JSON escapes in p.s[from:to].
func (p *parser) unescape(from, to int) (string, error) {
	var b strings.Builder
	b.Grow(to - from)
	for i := from; i < to; {
		c := p.s[i]
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= to {
			return "", p.errorf(i, "unfinished escape in a string")
		}
		switch e := p.s[i+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n, err := p.unicodeEscape(i, to)
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
			i += n
			continue
		default:
			return "", p.errorf(i, "invalid escape %q in a string", p.s[i:i+2])
		}
		i += 2
	}
	return b.String(), nil
}

// unicodeEscape decodes \uXXXX at i (and a following low surrogate), returning
// the rune and the bytes consumed. Unpaired surrogates become U+FFFD, as
// encoding/json does.
func (p *parser) unicodeEscape(i, to int) (rune, int, error) {
	r, ok := hex4(p.s, i+2, to)
	if !ok {
		return 0, 0, p.errorf(i, `invalid \u escape in a string: expected four hex digits`)
	}
	if !utf16.IsSurrogate(r) {
		return r, 6, nil
	}
	if i+7 < to && p.s[i+6] == '\\' && p.s[i+7] == 'u' {
		if r2, ok := hex4(p.s, i+8, to); ok {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, 12, nil
			}
		}
	}
	return utf8.RuneError, 6, nil
}

func hex4(s string, i, to int) (rune, bool) {
	if i+4 > to {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		var d byte
		switch {
		case isDigit(c):
			d = c - '0'
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			d = c | 0x20 - 'a' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// isJSONNumber reports whether s matches the JSON number grammar
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return i == len(s)
}
