package framework

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ParsePointer splits an RFC 6901 JSON Pointer into its unescaped tokens.
// "" is the whole document.
func ParsePointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("JSON pointer %q must start with \"/\"", p)
	}
	parts := strings.Split(p[1:], "/")
	for i, t := range parts {
		for j := 0; j < len(t); j++ {
			if t[j] == '~' && (j+1 == len(t) || (t[j+1] != '0' && t[j+1] != '1')) {
				return nil, fmt.Errorf("JSON pointer %q: \"~\" must be followed by 0 or 1", p)
			}
		}
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

// Lookup resolves pointer in doc (a value decoded by encoding/json). Object
// keys match exactly, or else case-insensitively when exactly one key does,
// because SCIM attribute names are case-insensitive (RFC 7643 §2.1).
func Lookup(doc any, pointer string) (any, bool, error) {
	tokens, err := ParsePointer(pointer)
	if err != nil {
		return nil, false, err
	}
	cur := doc
	for _, t := range tokens {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := objectMember(v, t)
			if !ok {
				return nil, false, nil
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(v) || (len(t) > 1 && t[0] == '0') {
				return nil, false, nil
			}
			cur = v[i]
		default:
			return nil, false, nil
		}
	}
	return cur, true, nil
}

func objectMember(obj map[string]any, key string) (any, bool) {
	if v, ok := obj[key]; ok {
		return v, true
	}
	var found any
	n := 0
	for k, v := range obj {
		if strings.EqualFold(k, key) {
			found, n = v, n+1
		}
	}
	return found, n == 1
}

// normalizeJSON gives v the shape encoding/json decodes into (float64
// numbers, []any, map[string]any) so Go literals compare with responses.
func normalizeJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}
