// Package jsonptr resolves RFC 6901 JSON Pointers in decoded JSON, finding object members in any case as SCIM names them.
package jsonptr

import (
	"fmt"
	"strconv"
	"strings"
)

// Object keys are found by their exact spelling first, then
// case-insensitively, because SCIM attribute names and schema URNs are
// case-insensitive (RFC 7643 §2.1) and a target may answer "Resources" as
// "resources". Fold says what happens when several other spellings match.
type Fold int

const (
	// Unique finds a key spelled in another case only when exactly one
	// member is: two such members make the lookup ambiguous, and nothing
	// is found.
	Unique Fold = iota
	// Any finds a key spelled in another case when any member is: the
	// first of them in sorted order.
	Any
)

// Parse splits an RFC 6901 JSON Pointer into its unescaped tokens. "" is
// the whole document.
func Parse(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("JSON Pointer %q must start with /", p)
	}
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 == len(p) || (p[i+1] != '0' && p[i+1] != '1')) {
			return nil, fmt.Errorf("JSON Pointer %q: ~ must be followed by 0 or 1", p)
		}
	}
	tokens := strings.Split(p[1:], "/")
	for i, t := range tokens {
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return tokens, nil
}

// Escape writes one object key as a pointer token.
func Escape(key string) string {
	return strings.ReplaceAll(strings.ReplaceAll(key, "~", "~0"), "/", "~1")
}

// Lookup resolves pointer in doc (a value decoded by encoding/json) and
// reports whether the value exists; a JSON null exists. The error is for
// a malformed pointer.
func Lookup(doc any, pointer string, fold Fold) (any, bool, error) {
	tokens, err := Parse(pointer)
	if err != nil {
		return nil, false, err
	}
	cur := doc
	for _, t := range tokens {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := Member(v, t, fold)
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

// Member finds key in obj: its exact spelling, else as fold says.
func Member(obj map[string]any, key string, fold Fold) (any, bool) {
	if v, ok := obj[key]; ok {
		return v, true
	}
	found, n := "", 0
	for k := range obj {
		if strings.EqualFold(k, key) {
			if n == 0 || k < found {
				found = k
			}
			n++
		}
	}
	if n == 0 || n > 1 && fold == Unique {
		return nil, false
	}
	return obj[found], true
}
