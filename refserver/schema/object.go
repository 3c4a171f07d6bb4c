package schema

import (
	"slices"
	"strings"
)

// Object is a JSON object as its members in key order, each key once (of
// a key given twice, the last value, which encoding/json keeps too).
// Normalize reads objects only in key order and encoders write them in key
// order, so a body decoded straight into Objects and normalised into an
// Object (NormalizeObject) spares building maps only to sort their keys
// again. Nested Objects are accepted wherever a map[string]any is.
type Object []Member

// Member is one key and value of an Object.
type Member struct {
	Key   string
	Value any
}

// members returns the members of v in key order when v is a JSON object (a
// map[string]any, whose members are appended to buf, or an Object).
func members(v any, buf []Member) (_ []Member, ok bool) {
	switch o := v.(type) {
	case Object:
		return o, true
	case map[string]any:
		for k, v := range o {
			buf = append(buf, Member{k, v})
		}
		slices.SortFunc(buf, func(a, b Member) int { return strings.Compare(a.Key, b.Key) })
		return buf, true
	}
	return nil, false
}

// Get returns the value of key in v, a JSON object as map[string]any or
// Object; nil when v is no object or has no such key.
func Get(v any, key string) any {
	switch o := v.(type) {
	case map[string]any:
		return o[key]
	case Object:
		for _, m := range o {
			if m.Key == key {
				return m.Value
			}
		}
	}
	return nil
}
