package patch

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
)

// subIndex files the elements of a multi-valued attribute by the value of
// one sub-attribute, so that `sub eq "x"` finds its elements without a scan.
// Removing or re-filing an element is O(1): each key's positions are kept
// in no particular order and an element remembers its slot.
type subIndex struct {
	sub   *schema.Attribute
	keys  map[string][]int // key -> positions of the elements filed under it
	filed []filing         // by position
}

// filing is where one element is filed; ok is false when it is not.
type filing struct {
	key  string
	slot int
	ok   bool
}

func newSubIndex(sub *schema.Attribute, size int) *subIndex {
	return &subIndex{sub: sub, keys: make(map[string][]int, size), filed: make([]filing, 0, size)}
}

// keyOf returns the key of element e: its sub-attribute's string value,
// folded unless caseExact. ok is false when e has no such string.
func (x *subIndex) keyOf(e any) (string, bool) {
	m, ok := e.(map[string]any)
	if !ok {
		return "", false
	}
	s, ok := m[x.sub.Name].(string)
	if !ok {
		return "", false
	}
	return indexKey(x.sub, s), true
}

// file records element e at position pos.
func (x *subIndex) file(pos int, e any) {
	for len(x.filed) <= pos {
		x.filed = append(x.filed, filing{})
	}
	key, ok := x.keyOf(e)
	if !ok {
		return
	}
	x.filed[pos] = filing{key: key, slot: len(x.keys[key]), ok: true}
	x.keys[key] = append(x.keys[key], pos)
}

// unfile forgets the element at pos, moving the last position of its key
// into its slot.
func (x *subIndex) unfile(pos int) {
	if pos >= len(x.filed) || !x.filed[pos].ok {
		return
	}
	f := x.filed[pos]
	x.filed[pos] = filing{}
	ps := x.keys[f.key]
	last := ps[len(ps)-1]
	ps[f.slot] = last
	if last != pos {
		x.filed[last].slot = f.slot
	}
	if ps = ps[:len(ps)-1]; len(ps) == 0 {
		delete(x.keys, f.key)
		return
	}
	x.keys[f.key] = ps
}

// lookup returns the positions of the elements whose key is that of want.
// The slice belongs to the index: copy it before changing the list.
func (x *subIndex) lookup(want string) []int {
	return x.keys[indexKey(x.sub, want)]
}

// indexKey is the key of string value v of sub-attribute s: two values
// have the same key exactly when an eq filter on s finds them equal.
func indexKey(s *schema.Attribute, v string) string {
	if s.CaseExact {
		return v
	}
	return foldKey(v)
}

// foldKey maps s to one representative of its class under
// strings.EqualFold, which compares filters on strings that are not
// caseExact: each rune becomes the smallest rune of its simple case-folding
// orbit (k, K and the Kelvin sign all become K). Invalid UTF-8 becomes
// U+FFFD, as EqualFold decodes it.
func foldKey(s string) string {
	return strings.Map(minFold, s)
}

// minFold returns the smallest rune that simple case folding maps to r.
func minFold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// indexedEquality finds, in the value filter e of attribute a, a term
// `sub eq "value"` that every selected element must satisfy (the filter
// itself, or one side of an and) on a sub-attribute compared as a string.
// The elements filed under that value are then the only candidates.
func indexedEquality(a *schema.Attribute, e filter.Expr) (sub *schema.Attribute, value string, ok bool) {
	switch x := e.(type) {
	case *filter.And:
		if x == nil {
			return nil, "", false
		}
		if sub, value, ok = indexedEquality(a, x.L); ok {
			return sub, value, ok
		}
		return indexedEquality(a, x.R)
	case *filter.Compare:
		if x == nil {
			return nil, "", false
		}
		value, isString := x.Value.(string)
		if x.Op != filter.Eq || !isString || x.Attr.URN != "" || x.Attr.Sub != "" || x.Attr.Filter != nil {
			return nil, "", false
		}
		sub = a.Sub(x.Attr.Name)
		if sub == nil || sub.MultiValued || !comparesAsString(sub.Type) {
			return nil, "", false
		}
		return sub, value, true
	}
	return nil, "", false
}

// comparesAsString reports whether filters compare values of type t as
// strings (filter.newPredicate).
func comparesAsString(t schema.Type) bool {
	return t == schema.String || t == schema.Reference || t == schema.Binary
}
