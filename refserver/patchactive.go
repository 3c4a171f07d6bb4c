package refserver

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/patch"
	"github.com/scimconform/scimconform/refserver/schema"
)

// Microsoft Entra ID disables and re-enables users with one operation,
// {"op":"Replace","path":"active","value":"False"}. That PATCH is applied
// to the stored bytes directly: the stored body is already a valid
// canonical document, so setting one boolean keeps it valid, and the
// decode, apply, normalise and encode round of the general engine would
// only reproduce the same bytes with the flag changed.

// activeAttr is the User attribute the fast path sets.
var activeAttr = schema.UserType.Schema.Attr("active")

// patchActive applies ops when they are exactly one replace of a user's
// active flag with a boolean value (Entra's "True"/"False" strings
// included). handled is false when the general engine must run instead.
func (s *Server) patchActive(k resourceKind, r *http.Request, ops []patch.Operation) (rec *record, handled bool, err error) {
	if k != kindUser || len(ops) != 1 || !s.store.canSplice() || activeAttr == nil {
		return nil, false, nil
	}
	op := ops[0]
	if op.Op != "replace" || !strings.EqualFold(op.Path, "active") {
		return nil, false, nil
	}
	var v any
	if json.Unmarshal(op.Value, &v) != nil {
		return nil, false, nil
	}
	nv, err := schema.NormalizeValue(activeAttr, v)
	active, ok := nv.(bool)
	if err != nil || !ok {
		return nil, false, nil // the general engine words the error
	}
	rec, err = s.store.setActive(r.PathValue("id"), s.ifMatch(r), active)
	return rec, true, err
}

// setActive sets a user's active flag, changing the version only when the
// stored value changes.
func (s *store) setActive(id, ifMatch string, active bool) (*record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.getLocked(kindUser, id)
	if err != nil {
		return nil, err
	}
	if err := checkIfMatch(ifMatch, r); err != nil {
		return nil, err
	}
	body, ok := withActive(r.body, active)
	if !ok {
		return nil, errBadStored
	}
	if string(body) != string(r.body) {
		r.body = body
		s.touchLocked(r)
	}
	return r, nil
}

// withActive returns a copy of the stored body with "active" set, in its
// key order, or body itself when it already says so.
func withActive(body []byte, active bool) ([]byte, bool) {
	value := "false"
	if active {
		value = "true"
	}
	out := make([]byte, 0, len(body)+len(`,"active":false`)+2)
	out = append(out, '{')
	placed := false
	n := 0
	put := func(key string, val []byte) {
		if n > 0 {
			out = append(out, ',')
		}
		n++
		out = appendStoredKey(out, key)
		out = append(out, ':')
		out = append(out, val...)
	}
	for it := (storedFields{b: body}); ; {
		key, val, more, valid := it.next()
		if !valid {
			return nil, false
		}
		if !more {
			break
		}
		switch k := key; {
		case k == "active":
			if string(val) == value {
				return body, true
			}
			put("active", []byte(value))
			placed = true
		case !placed && k > "active":
			put("active", []byte(value))
			placed = true
			put(k, val)
		default:
			put(k, val)
		}
	}
	if !placed {
		put("active", []byte(value))
	}
	return append(out, '}'), true
}
