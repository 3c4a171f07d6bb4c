package schema

import (
	"cmp"
	"encoding/json"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// CompareValues orders two values of attribute a for sortBy (strings per
// caseExact, dateTimes as instants, numbers numerically, booleans false<true).
//
// It returns -1, 0 or +1 like cmp.Compare and is a total order, so it can
// drive a stable sort directly:
//   - nil (absent) sorts after every value; two absent values are equal;
//   - a multi-valued value sorts by its primary element, else its first one
//     (RFC 7644 §3.4.2.3), and a complex value by its "value" sub-attribute;
//   - dateTimes that do not parse sort after those that do, among
//     themselves as plain strings;
//   - values whose JSON type does not fit a sort by that type
//     (boolean < number < string < anything else).
//
// a may be nil: values are then compared by their JSON types, strings
// case-sensitively.
func CompareValues(a *Attribute, x, y any) int {
	a, x, y = keyAttr(a), sortKey(x), sortKey(y)
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return 1
	case y == nil:
		return -1
	}
	if rx, ry := typeRank(x), typeRank(y); rx != ry {
		return cmp.Compare(rx, ry)
	}
	switch xv := x.(type) {
	case bool:
		return compareBool(xv, y.(bool))
	case string:
		ys := y.(string)
		if a != nil && a.Type == DateTime {
			return compareDateTime(xv, ys)
		}
		if a != nil && !a.CaseExact {
			return compareFold(xv, ys)
		}
		return strings.Compare(xv, ys)
	}
	if fx, ok := number(x); ok {
		fy, _ := number(y)
		return cmp.Compare(fx, fy)
	}
	return 0
}

// keyAttr is the attribute whose characteristics order values of a: a
// complex attribute sorts by its "value" sub-attribute.
func keyAttr(a *Attribute) *Attribute {
	if a != nil && a.Type == Complex {
		if v := a.Sub("value"); v != nil {
			return v
		}
	}
	return a
}

// sortKey reduces a multi-valued or complex value to the simple value it
// sorts by: the primary (else first) element, and of a complex value its
// "value" sub-attribute.
func sortKey(v any) any {
	if list, ok := v.([]any); ok {
		v = nil
		for i, el := range list {
			if m, ok := el.(map[string]any); ok && m["primary"] == true {
				v = el
				break
			}
			if i == 0 {
				v = el
			}
		}
	}
	if m, ok := v.(map[string]any); ok {
		return m["value"]
	}
	return v
}

// typeRank orders JSON types for values that cannot be compared as one type.
func typeRank(v any) int {
	switch v.(type) {
	case bool:
		return 0
	case float64, json.Number:
		return 1
	case string:
		return 2
	}
	return 3
}

func compareBool(x, y bool) int {
	switch {
	case x == y:
		return 0
	case !x:
		return -1
	}
	return 1
}

// compareDateTime compares RFC 3339 instants; unparsable strings sort after
// parsable ones and among themselves by their text, which keeps the order
// total.
func compareDateTime(x, y string) int {
	tx, errX := time.Parse(time.RFC3339Nano, x)
	ty, errY := time.Parse(time.RFC3339Nano, y)
	switch {
	case errX == nil && errY == nil:
		return tx.Compare(ty)
	case errX == nil:
		return -1
	case errY == nil:
		return 1
	}
	return strings.Compare(x, y)
}

// compareFold compares strings ignoring case, rune by rune and without
// allocating (sorting calls it O(n log n) times).
func compareFold(x, y string) int {
	for x != "" && y != "" {
		rx, nx := utf8.DecodeRuneInString(x)
		ry, ny := utf8.DecodeRuneInString(y)
		if rx != ry {
			if c := cmp.Compare(unicode.ToLower(rx), unicode.ToLower(ry)); c != 0 {
				return c
			}
		}
		x, y = x[nx:], y[ny:]
	}
	return cmp.Compare(len(x), len(y))
}
