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
		SortMembers(buf)
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

// SortMembers sorts members by key, stably: of a key given twice, the
// later member stays later. Objects are small, and an insertion sort
// comparing keys directly beats a generic sort calling a comparison.
func SortMembers(ms []Member) {
	if len(ms) > smallSort {
		slices.SortStableFunc(ms, func(a, b Member) int { return strings.Compare(a.Key, b.Key) })
		return
	}
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Key < ms[j-1].Key; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// smallSort is the most members SortMembers sorts by insertion.
const smallSort = 32
