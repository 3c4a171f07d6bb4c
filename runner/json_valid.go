package runner

// validJSON reports whether b is exactly one JSON value with optional
// whitespace around it, with encoding/json's rules: json.Valid's answer
// (invalid UTF-8 inside strings is accepted, nesting deeper than 10 000
// is not), in one pass without its per-byte state functions. The member
// scanner of decodeBody relies on it.
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
		if object {
			if i >= len(b) || b[i] != '"' {
				return -1
			}
			if i = jsonValidString(b, i); i < 0 {
				return -1
			}
			if i = skipJSONSpace(b, i); i >= len(b) || b[i] != ':' {
				return -1
			}
			i = skipJSONSpace(b, i+1)
		}
		if i = jsonValidValue(b, i, depth); i < 0 {
			return -1
		}
		if i = skipJSONSpace(b, i); i >= len(b) {
			return -1
		}
		switch b[i] {
		case closer:
			return i + 1
		case ',':
			i = skipJSONSpace(b, i+1)
		default:
			return -1
		}
	}
}

// jsonValidString checks the string opening at b[i].
func jsonValidString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
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
