package runner

import (
	"fmt"
	"strconv"
	"strings"
)

// JSON Pointers (RFC 6901) into decoded responses. Object keys are found by
// exact spelling first and then case-insensitively, because SCIM attribute
// names and schema URNs are case-insensitive (RFC 7643 §2.1) and a target
// may answer "Resources" as "resources".

// checkPointer reports whether p is a well-formed JSON Pointer.
func checkPointer(p string) error {
	if p != "" && !strings.HasPrefix(p, "/") {
		return fmt.Errorf("JSON Pointer %q must start with /", p)
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 == len(p) || (p[i+1] != '0' && p[i+1] != '1')) {
			return fmt.Errorf("JSON Pointer %q: ~ must be followed by 0 or 1", p)
		}
	}
	return nil
}

func pointerTokens(p string) []string {
	if p == "" {
		return nil
	}
	parts := strings.Split(p[1:], "/")
	for i, t := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return parts
}

// escapeToken writes one key as a pointer token.
func escapeToken(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

// resolvePointer returns the value at p in doc and whether it exists. A
// JSON null counts as existing; callers that treat null as absent say so.
func resolvePointer(doc any, p string) (any, bool) {
	cur := doc
	for _, tok := range pointerTokens(p) {
		switch t := cur.(type) {
		case map[string]any:
			v, ok := lookupKey(t, tok)
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) || (len(tok) > 1 && tok[0] == '0') {
				return nil, false
			}
			cur = t[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// lookupKey finds key exactly, else case-insensitively.
func lookupKey(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}
