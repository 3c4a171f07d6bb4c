package runner

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/scimconform/scimconform/runner/jsonptr"
	"github.com/scimconform/scimconform/runner/sequence"
)

// Mismatch is one difference between an expected subset and a response.
type Mismatch struct {
	Path     string // JSON Pointer of the expected value
	Expected string // JSON text
	Actual   string // JSON text, or "(absent)"
	Message  string
}

const absentText = "(absent)"

// MatchSubset reports every way actual fails to contain expected:
//
//   - an object matches when every expected key is present with a matching
//     value; keys are compared case-insensitively (SCIM attribute names are;
//     see jsonptr.Any) and extra keys in actual are ignored;
//   - a non-empty array matches when each expected element matches a
//     different element of actual, in any order (multi-valued attributes are
//     unordered); an empty expected array matches only an empty or absent one;
//   - null matches null or an absent key;
//   - strings match exactly, case included (a target must store values as
//     sent); numbers match by value (1 and 1.0 are equal); booleans match
//     only booleans (the string "true" is not true).
//
// expected is a JSON value as built by the runner (Object for objects);
// actual is as decoded by encoding/json.
func MatchSubset(expected, actual any) []Mismatch {
	return matchAt("", expected, actual, true)
}

func matchAt(path string, expected, actual any, present bool) []Mismatch {
	if expected == nil {
		if present && actual != nil {
			return []Mismatch{mismatch(path, expected, actual, "want null or absent")}
		}
		return nil
	}
	if !present {
		if a, ok := expected.([]any); ok && len(a) == 0 {
			return nil
		}
		return []Mismatch{{Path: path, Expected: sequence.JSONText(expected), Actual: absentText, Message: "missing"}}
	}
	switch e := expected.(type) {
	case sequence.Object:
		return matchObject(path, e, actual)
	case map[string]any:
		return matchObject(path, objectOf(e), actual)
	case []any:
		return matchArray(path, e, actual)
	case string:
		if a, ok := actual.(string); !ok || a != e {
			return []Mismatch{mismatch(path, expected, actual, "different value")}
		}
	case bool:
		if a, ok := actual.(bool); !ok || a != e {
			return []Mismatch{mismatch(path, expected, actual, "different value")}
		}
	default:
		en, eok := number(expected)
		an, aok := number(actual)
		if !eok || !aok || en != an {
			return []Mismatch{mismatch(path, expected, actual, "different value")}
		}
	}
	return nil
}

func matchObject(path string, e sequence.Object, actual any) []Mismatch {
	a, ok := actual.(map[string]any)
	if !ok {
		return []Mismatch{mismatch(path, e, actual, "want an object")}
	}
	var out []Mismatch
	for _, m := range e {
		v, present := jsonptr.Member(a, m.Key, jsonptr.Any)
		out = append(out, matchAt(path+"/"+jsonptr.Escape(m.Key), m.Value, v, present)...)
	}
	return out
}

// matchArray pairs each expected element with a distinct actual element
// (a bipartite matching, so the order of either side does not matter).
func matchArray(path string, e []any, actual any) []Mismatch {
	a, ok := actual.([]any)
	if !ok {
		return []Mismatch{mismatch(path, e, actual, "want an array")}
	}
	if len(e) == 0 {
		if len(a) != 0 {
			return []Mismatch{mismatch(path, e, actual, "want an empty array")}
		}
		return nil
	}
	fits := make([][]int, len(e))
	for i, ev := range e {
		for j, av := range a {
			if len(matchAt("", ev, av, true)) == 0 {
				fits[i] = append(fits[i], j)
			}
		}
	}
	owner := make([]int, len(a)) // actual index -> expected index + 1
	var out []Mismatch
	for i := range e {
		if !augment(i, fits, owner, make([]bool, len(a))) {
			out = append(out, unmatchedElement(path, i, e[i], a)...)
		}
	}
	return out
}

// augment finds an actual element for expected element i, moving earlier
// assignments when that frees one (Kuhn's algorithm).
func augment(i int, fits [][]int, owner []int, seen []bool) bool {
	for _, j := range fits[i] {
		if seen[j] {
			continue
		}
		seen[j] = true
		if owner[j] == 0 || augment(owner[j]-1, fits, owner, seen) {
			owner[j] = i + 1
			return true
		}
	}
	return false
}

// unmatchedElement explains a missing element; against a one-element array
// it shows the precise differences, which is the common case (one work email).
func unmatchedElement(path string, i int, e any, a []any) []Mismatch {
	at := path + "/" + strconv.Itoa(i)
	if len(a) == 1 {
		if inner := matchAt(at, e, a[0], true); len(inner) > 0 {
			return inner
		}
	}
	return []Mismatch{{Path: at, Expected: sequence.JSONText(e), Actual: sequence.JSONText(a),
		Message: fmt.Sprintf("no element of the array (%d) matches", len(a))}}
}

func mismatch(path string, expected, actual any, msg string) Mismatch {
	return Mismatch{Path: path, Expected: sequence.JSONText(expected), Actual: sequence.JSONText(actual), Message: msg}
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	}
	return 0, false
}

// objectOf turns a decoded map into an Object (key order is irrelevant to matching).
func objectOf(m map[string]any) sequence.Object {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o := make(sequence.Object, 0, len(m))
	for _, k := range keys {
		o = append(o, sequence.Member{Key: k, Value: m[k]})
	}
	return o
}
