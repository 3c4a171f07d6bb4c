package runner

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"
)

// The guard reads the id and names of every resource a POST, GET or
// .search answer shows: on a load run that is every create. It reads them
// with memberScan, in one pass and without reflection or copies, rather
// than with encoding/json, whose decode of a create answer cost about a
// tenth of load mode's throughput; encoding/json decodes only what has
// escapes or invalid UTF-8, as decodeMembers does.

// resourceNames is what the guard and the residue check read of a user or
// group: its id and names, as bytes of the body.
type resourceNames struct {
	id, userName, displayName   []byte
	hasUserName, hasDisplayName bool
}

// name is the attribute that carries the run prefix in collection c, and
// whether the resource has it (a null counts as absent).
func (r *resourceNames) name(c collection) ([]byte, bool) {
	if c == groupsCollection {
		return r.displayName, r.hasDisplayName
	}
	return r.userName, r.hasUserName
}

var (
	memberID          = []byte("id")
	memberUserName    = []byte("userName")
	memberDisplayName = []byte("displayName")
	memberResources   = []byte("Resources")
	memberTotal       = []byte("totalResults")
)

// readResourceNames reads the members id, userName and displayName of the
// JSON object b, their names in any case as SCIM has them; false when b is
// not a valid JSON object. An id that is not a string reads as none, a
// name that is not a string as present and empty; a repeated member's
// last value wins, as in encoding/json.
func readResourceNames(b []byte, r *resourceNames) bool {
	scan := newMemberScan(b)
	for rawKey, raw, ok := scan.next(); ok; rawKey, raw, ok = scan.next() {
		key, ok := jsonStringValue(rawKey)
		if !ok {
			return false
		}
		switch {
		case bytes.EqualFold(key, memberID):
			r.id, _ = jsonStringValue(raw)
		case bytes.EqualFold(key, memberUserName):
			r.userName, _ = jsonStringValue(raw)
			r.hasUserName = string(raw) != "null"
		case bytes.EqualFold(key, memberDisplayName):
			r.displayName, _ = jsonStringValue(raw)
			r.hasDisplayName = string(raw) != "null"
		}
	}
	return scan.valid()
}

// readList reads a ListResponse: its totalResults (present false when it
// has none) and each element of its Resources, passed to fn once the
// whole body is known to be valid (an element that is not an object is
// passed with no id and no names). The error says, without Go types, why
// b is not one.
func readList(b []byte, fn func(*resourceNames)) (total int, present bool, err error) {
	var resources []byte
	scan := newMemberScan(b)
	for rawKey, raw, ok := scan.next(); ok; rawKey, raw, ok = scan.next() {
		key, ok := jsonStringValue(rawKey)
		if !ok {
			return 0, false, errors.New("the body is not valid JSON")
		}
		switch {
		case bytes.EqualFold(key, memberTotal):
			if total, err = strconv.Atoi(string(raw)); err != nil {
				return 0, false, errors.New("totalResults is not an integer")
			}
			present = true
		case bytes.EqualFold(key, memberResources):
			resources = raw
		}
	}
	switch {
	case scan.state == scanNotObject && validJSON(b):
		return 0, false, errors.New("the body is not a JSON object")
	case !scan.valid():
		return 0, false, errors.New("the body is not valid JSON")
	case len(resources) > 0 && resources[0] != '[' && string(resources) != "null":
		return 0, false, errors.New("Resources is not an array")
	}
	eachElement(resources, func(elem []byte) {
		var r resourceNames
		if !readResourceNames(elem, &r) {
			r = resourceNames{}
		}
		fn(&r)
	})
	return total, present, nil
}

// eachElement calls fn with each element of arr, a valid JSON array (or
// anything else, which has none).
func eachElement(arr []byte, fn func(elem []byte)) {
	if len(arr) == 0 || arr[0] != '[' {
		return
	}
	i := skipJSONSpace(arr, 1)
	if i < len(arr) && arr[i] == ']' {
		return
	}
	for {
		end := jsonValidValue(arr, i, 1)
		if end < 0 {
			return
		}
		fn(arr[i:end])
		next, closed := jsonValidAfter(arr, end, ']')
		if next < 0 || closed {
			return
		}
		i = next
	}
}

// jsonStringValue returns the text of the valid JSON string raw: its bytes
// between the quotes when it has no escapes and is valid UTF-8, else as
// encoding/json decodes it; false when raw is not a string.
func jsonStringValue(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, false
	}
	s := raw[1 : len(raw)-1]
	if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return s, true
	}
	var text string
	if json.Unmarshal(raw, &text) != nil {
		return nil, false
	}
	return []byte(text), true
}

// mentioned reports whether body holds the run prefix in any case: an
// answer without it has nothing to register and is not decoded. (A target
// that escapes the prefix's letters as \u00XX is read as not showing it,
// which only refuses more.)
func (o *ownership) mentioned(body []byte) bool {
	return indexFold(body, o.prefixBytes) >= 0
}

// indexFold is bytes.Index under case folding, for a needle starting with
// an ASCII byte. Candidates are found with bytes.IndexByte for both cases
// of the first byte, each searched again only once passed, so the scan
// stays linear.
func indexFold(s, needle []byte) int {
	n := len(needle)
	switch {
	case n == 0:
		return 0
	case n > len(s):
		return -1
	}
	starts := s[:len(s)-n+1]
	lo, up := lowerASCII(needle[0]), upperASCII(needle[0])
	nextLo, nextUp := -2, -2 // -2: not searched yet; -1: none left
	for i := 0; i < len(starts); {
		if nextLo != -1 && nextLo < i {
			nextLo = indexByteFrom(starts, lo, i)
		}
		if nextUp != -1 && nextUp < i {
			nextUp = indexByteFrom(starts, up, i)
		}
		j := nextLo
		if j < 0 || (nextUp >= 0 && nextUp < j) {
			j = nextUp
		}
		if j < 0 {
			return -1
		}
		if bytes.EqualFold(s[j:j+n], needle) {
			return j
		}
		i = j + 1
	}
	return -1
}

// indexByteFrom is the index of the first c in s at or after from, -1 if none.
func indexByteFrom(s []byte, c byte, from int) int {
	if k := bytes.IndexByte(s[from:], c); k >= 0 {
		return from + k
	}
	return -1
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func upperASCII(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - ('a' - 'A')
	}
	return b
}
