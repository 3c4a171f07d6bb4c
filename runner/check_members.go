package runner

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// judgeMembers judges e's expected body and captures straight from the
// raw members of body, without decoding a document, when each of them
// reads one top-level member holding a JSON scalar: the shapes of load
// mode's cycle, {totalResults: 0} and a capture of /id. It answers only
// for a body that is a valid JSON object and passes every such check,
// returning the captured values (nil when there are none). Anything else,
// a shape it does not read, a failure to report, a key it would have to
// decode or that matches in two spellings, is left to decodeBody and the
// general checks (ok false), which then judge the body in full.
func judgeMembers(body []byte, e *renderedExpect) (captures map[string]string, ok bool) {
	var q memberQuery
	if !q.add(e) || !q.find(body) {
		return nil, false
	}
	expected, _ := e.body.(Object)
	for i, m := range expected {
		raw, present, ok := q.found[i].value()
		if !ok {
			return nil, false
		}
		var v any
		if present {
			if v, ok = decodeScalar(raw); !ok {
				return nil, false
			}
		}
		if len(matchAt("", m.Value, v, present)) > 0 {
			return nil, false
		}
	}
	for i := len(expected); i < q.n; i++ {
		raw, present, ok := q.found[i].value()
		if !ok || !present {
			return nil, false
		}
		v, ok := decodeScalar(raw)
		if !ok || v == nil {
			return nil, false
		}
		if captures == nil {
			captures = make(map[string]string, len(e.Capture))
		}
		captures[q.vars[i]] = scalarText(v)
	}
	return captures, true
}

// maxQueryNames bounds the members one query reads, so that the query
// lives on the stack; expectations reading more take the general path.
const maxQueryNames = 8

// memberQuery is the top-level members an expectation reads: first the
// keys of its expected body, in order, then its captures.
type memberQuery struct {
	n     int
	names [maxQueryNames]string
	vars  [maxQueryNames]string // the variable a capture fills
	found [maxQueryNames]foundMember
}

// add lists the members e reads; false when e reads anything but
// top-level scalars or more members than a query holds.
func (q *memberQuery) add(e *renderedExpect) bool {
	if len(e.Absent) > 0 || len(e.excludes) > 0 || len(e.Distinct) > 0 {
		return false
	}
	switch b := e.body.(type) {
	case nil:
	case Object:
		if len(b) > maxQueryNames {
			return false
		}
		for _, m := range b {
			switch m.Value.(type) {
			case Object, map[string]any, []any:
				return false
			}
			q.names[q.n] = m.Key
			q.n++
		}
	default:
		return false
	}
	if q.n+len(e.Capture) > maxQueryNames {
		return false
	}
	for name, p := range e.Capture {
		// One pointer token without escapes is the member's name as it is.
		if p == "" || p[0] != '/' || strings.ContainsAny(p[1:], "/~") {
			return false
		}
		q.names[q.n], q.vars[q.n] = p[1:], name
		q.n++
	}
	return true
}

// find reads the members of body that q names; false when body is not a
// valid JSON object or holds a key that would need decoding.
func (q *memberQuery) find(body []byte) bool {
	scan := newMemberScan(body)
	for rawKey, raw, ok := scan.next(); ok; rawKey, raw, ok = scan.next() {
		key := rawKey[1 : len(rawKey)-1]
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			return false
		}
		for i, name := range q.names[:q.n] {
			q.found[i].see(key, raw, name)
		}
	}
	return scan.valid()
}

// foundMember is what a body holds for one name, looked up as lookupKey
// looks it up in the decoded document: the exact spelling wins, else
// the one member spelled like it in another case. A repeated key's last
// value wins, as in encoding/json.
type foundMember struct {
	exact, folded []byte // raw values
	foldedKey     []byte
	hasExact      bool
	hasFolded     bool
	ambiguous     bool // two spellings in other cases: lookupKey would pick either
}

func (f *foundMember) see(key, raw []byte, name string) {
	switch {
	case string(key) == name:
		f.exact, f.hasExact = raw, true
	case bytes.EqualFold(key, []byte(name)):
		if f.hasFolded && !bytes.Equal(f.foldedKey, key) {
			f.ambiguous = true
		}
		f.folded, f.foldedKey, f.hasFolded = raw, key, true
	}
}

// value returns the raw value found and whether one was; ok is false
// when the lookup would not be deterministic.
func (f *foundMember) value() (raw []byte, present, ok bool) {
	switch {
	case f.hasExact:
		return f.exact, true, true
	case f.ambiguous:
		return nil, false, false
	case f.hasFolded:
		return f.folded, true, true
	}
	return nil, false, true
}
