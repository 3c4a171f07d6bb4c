package patch

import (
	"hash/maphash"
	"unicode"
	"unicode/utf8"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
)

// subIndex files the elements of a multi-valued attribute by the value of
// one sub-attribute, so that `sub eq "x"` finds its elements without a
// scan. Elements are filed under a hash of their value, folded as eq
// compares it, in doubly linked chains threaded through their positions:
// building the index allocates nothing per element, and filing or
// removing one is O(1). Different values may share a hash, so what the
// index returns are candidates for the caller to check.
type subIndex struct {
	sub   *schema.Attribute
	seed  maphash.Seed
	first map[uint64]int // hash -> one position filed under it
	at    []filing       // by position
}

// filing is where the element at one position is filed.
type filing struct {
	hash       uint64
	prev, next int // positions under the same hash, -1 at the ends
	ok         bool
}

func newSubIndex(sub *schema.Attribute, size int) *subIndex {
	return &subIndex{sub: sub, seed: maphash.MakeSeed(), first: make(map[uint64]int, size), at: make([]filing, 0, size)}
}

// valueOf returns element e's string value of the sub-attribute.
func (x *subIndex) valueOf(e any) (string, bool) {
	m, ok := e.(map[string]any)
	if !ok {
		return "", false
	}
	s, ok := m[x.sub.Name].(string)
	return s, ok
}

// file records element e at position pos.
func (x *subIndex) file(pos int, e any) {
	for len(x.at) <= pos {
		x.at = append(x.at, filing{})
	}
	v, ok := x.valueOf(e)
	if !ok {
		return
	}
	h := x.hash(v)
	f := filing{hash: h, prev: -1, next: -1, ok: true}
	if head, taken := x.first[h]; taken {
		f.next = head
		x.at[head].prev = pos
	}
	x.at[pos] = f
	x.first[h] = pos
}

// unfile forgets the element at pos.
func (x *subIndex) unfile(pos int) {
	if pos >= len(x.at) || !x.at[pos].ok {
		return
	}
	f := x.at[pos]
	x.at[pos] = filing{}
	switch {
	case f.prev >= 0:
		x.at[f.prev].next = f.next
	case f.next >= 0:
		x.first[f.hash] = f.next
	default:
		delete(x.first, f.hash)
	}
	if f.next >= 0 {
		x.at[f.next].prev = f.prev
	}
}

// lookup returns the positions of the elements filed under the hash of
// want: every element whose value eq finds equal to want, and maybe others.
func (x *subIndex) lookup(want string) []int {
	pos, ok := x.first[x.hash(want)]
	if !ok {
		return nil
	}
	var found []int
	for ; pos >= 0; pos = x.at[pos].next {
		found = append(found, pos)
	}
	return found
}

// hash hashes value v of the sub-attribute: values an eq filter finds
// equal hash alike. Unless the sub-attribute is caseExact, each rune is
// replaced by the smallest rune of its simple case-folding orbit, the
// classes strings.EqualFold compares (k, K and the Kelvin sign all become
// K); invalid UTF-8 becomes U+FFFD, as EqualFold decodes it.
func (x *subIndex) hash(v string) uint64 {
	if x.sub.CaseExact {
		return maphash.String(x.seed, v)
	}
	var small [64]byte
	folded := small[:0]
	for i := 0; i < len(v); {
		c := v[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(v[i:])
			folded = utf8.AppendRune(folded, minFold(r))
			i += n
			continue
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A' // minFold of ASCII, inline: most values are ASCII
		}
		folded = append(folded, c)
		i++
	}
	return maphash.Bytes(x.seed, folded)
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
