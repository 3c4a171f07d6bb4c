package scimclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// Names is what the guard and the residue check read of a user or group:
// its id and names (a null name counts as absent).
type Names struct {
	ID, UserName, DisplayName   string
	HasUserName, HasDisplayName bool
}

// name is the attribute that carries the run prefix in collection c, and
// whether the resource has it.
func (r *Names) name(c collection) (string, bool) {
	if c == groupsCollection {
		return r.DisplayName, r.HasDisplayName
	}
	return r.UserName, r.HasUserName
}

// readResourceNames reads the members id, userName and displayName of the
// JSON object b, their names in any case as SCIM has them (encoding/json
// matches struct fields so); false when b is not a JSON object. An id
// that is not a string reads as none, a name that is not a string as
// present and empty; a repeated member's last value wins.
func readResourceNames(b []byte, r *Names) bool {
	var v struct{ ID, UserName, DisplayName any }
	if !isObject(b) || json.Unmarshal(b, &v) != nil {
		return false
	}
	r.ID, _ = v.ID.(string)
	r.UserName, _ = v.UserName.(string)
	r.DisplayName, _ = v.DisplayName.(string)
	r.HasUserName, r.HasDisplayName = v.UserName != nil, v.DisplayName != nil
	return true
}

// isObject reports whether b starts, after whitespace, as a JSON object.
func isObject(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// ReadList reads a ListResponse: its totalResults (present false when it
// has none) and each element of its Resources, passed to fn (an element
// that is not an object is passed with no id and no names). The error
// says, without Go types, why b is not one.
func ReadList(b []byte, fn func(*Names)) (total int, present bool, err error) {
	var l struct{ TotalResults, Resources json.RawMessage }
	switch {
	case !json.Valid(b):
		return 0, false, errors.New("the body is not valid JSON")
	case !isObject(b):
		return 0, false, errors.New("the body is not a JSON object")
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return 0, false, errors.New("the body is not valid JSON")
	}
	if l.TotalResults != nil {
		if total, err = strconv.Atoi(string(l.TotalResults)); err != nil {
			return 0, false, errors.New("totalResults is not an integer")
		}
		present = true
	}
	var elems []json.RawMessage
	if l.Resources != nil && json.Unmarshal(l.Resources, &elems) != nil {
		return 0, false, errors.New("Resources is not an array")
	}
	for _, elem := range elems {
		var r Names
		if !readResourceNames(elem, &r) {
			r = Names{}
		}
		fn(&r)
	}
	return total, present, nil
}

// mentioned reports whether body holds the run prefix, its ASCII letters
// in any case: an answer without it has nothing to register and is not
// decoded. (A target that escapes the prefix's letters as \u00XX is read
// as not showing it, which only refuses more.)
func (o *ownership) mentioned(body []byte) bool {
	// bytes.EqualFold of two windows of the same byte length folds ASCII
	// letters only when the prefix is ASCII, as a run id is.
	for i := 0; i+len(o.prefix) <= len(body); i++ {
		if bytes.EqualFold(body[i:i+len(o.prefix)], o.prefixBytes) {
			return true
		}
	}
	return false
}
