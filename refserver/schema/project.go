package schema

import (
	"net/http"
	"strings"
	"sync"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Project applies returned characteristics and the attributes /
// excludedAttributes query parameters (comma-separated lists already split)
// to a canonical document, returning a new document.
//
// Rules (RFC 7643 §7 "returned", RFC 7644 §3.4.2.5): returned=never is never
// shown; id, schemas and other returned=always attributes always are;
// returned=default attributes are shown unless excluded, or unless attributes
// is given and does not name them; returned=request only when named. Names
// are "userName", "name.givenName", "emails.value" (that sub-attribute of
// every value), URN-qualified forms, whole extension URNs and extension
// attributes without their URN, all matched case-insensitively; unknown
// names are ignored. Objects and arrays left empty
// are removed. doc is not modified; the result shares only leaf values with it.
func Project(rt *ResourceType, doc map[string]any, attributes, excluded []string) (map[string]any, error) {
	if rt == nil || rt.Schema == nil {
		return nil, scimerr.New(http.StatusInternalServerError, "", "project: no resource type")
	}
	idx := indexOf(rt)
	sel := selection{}
	if len(attributes) > 0 {
		sel.restricted = true
		sel.include = idx.tree(rt, attributes)
	}
	if len(excluded) > 0 {
		sel.exclude = idx.tree(rt, excluded)
	}
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if k == "schemas" {
			out[k] = copyLeaf(v)
			continue
		}
		a := idx.top[k]
		if a == nil {
			continue // not part of the resource type: never shown
		}
		if pv, ok := sel.project(a, v, sel.include.child(k), false, sel.exclude.child(k)); ok {
			out[k] = pv
		}
	}
	return out, nil
}

// selection is a parsed attributes / excludedAttributes pair.
type selection struct {
	restricted bool  // attributes was given: only named values are shown
	include    *node // names from attributes
	exclude    *node // names from excludedAttributes
}

// node is one level of a set of attribute names: the root holds top-level
// attribute names and extension URNs, their children attribute or
// sub-attribute names, all in canonical spelling.
type node struct {
	all  bool // the whole value is named
	kids map[string]*node
}

func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	return n.kids[name]
}

// add marks path (canonical names, outermost first) as named.
func (n *node) add(path ...string) {
	for _, p := range path {
		if n.all {
			return
		}
		if n.kids == nil {
			n.kids = map[string]*node{}
		}
		next := n.kids[p]
		if next == nil {
			next = &node{}
			n.kids[p] = next
		}
		n = next
	}
	n.all, n.kids = true, nil
}

// project decides whether value v of attribute a is shown and returns what is
// left of it. inc and exc are a's nodes in the include / exclude trees;
// named says an enclosing value was named as a whole.
func (s selection) project(a *Attribute, v any, inc *node, named bool, exc *node) (any, bool) {
	switch a.Returned {
	case Never:
		return nil, false
	case Always:
		return s.projectValue(a, v, nil, true, nil)
	}
	named = named || inc != nil
	if (s.restricted || a.Returned == OnRequest) && !named {
		return nil, false
	}
	if exc != nil && exc.all {
		return nil, false
	}
	return s.projectValue(a, v, inc, named && (inc == nil || inc.all), exc)
}

// projectValue projects the sub-attributes of a complex value (or of each
// element of a multi-valued one); other values are copied.
func (s selection) projectValue(a *Attribute, v any, inc *node, whole bool, exc *node) (any, bool) {
	if a.Type != Complex {
		return copyLeaf(v), true
	}
	if m, ok := v.(map[string]any); ok {
		pm := s.projectObject(a, m, inc, whole, exc)
		return pm, len(pm) > 0
	}
	list, ok := v.([]any)
	if !ok {
		return copyLeaf(v), true
	}
	out := make([]any, 0, len(list))
	for _, el := range list {
		m, ok := el.(map[string]any)
		if !ok {
			out = append(out, copyLeaf(el))
			continue
		}
		if pm := s.projectObject(a, m, inc, whole, exc); len(pm) > 0 {
			out = append(out, pm)
		}
	}
	return out, len(out) > 0
}

func (s selection) projectObject(a *Attribute, m map[string]any, inc *node, whole bool, exc *node) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		sub := subExact(a, k)
		if sub == nil {
			continue
		}
		var subInc *node
		if !whole {
			subInc = inc.child(k)
		}
		if pv, ok := s.project(sub, v, subInc, whole, exc.child(k)); ok {
			out[k] = pv
		}
	}
	return out
}

// subExact finds a sub-attribute by its canonical name, as found in canonical
// documents, before falling back to a case-insensitive match.
func subExact(a *Attribute, name string) *Attribute {
	for _, s := range a.SubAttributes {
		if s.Name == name {
			return s
		}
	}
	return a.Sub(name)
}

// copyLeaf returns v, with arrays of simple values copied so the result never
// shares a container with the stored document.
func copyLeaf(v any) any {
	if list, ok := v.([]any); ok {
		return append([]any(nil), list...)
	}
	return v
}

// rtIndex maps the canonical top-level keys of a resource type's documents to
// their attributes; an extension appears as a complex pseudo-attribute named
// by its URN whose sub-attributes are the extension's attributes.
type rtIndex struct {
	top map[string]*Attribute
}

var indexes sync.Map // *ResourceType -> *rtIndex

func indexOf(rt *ResourceType) *rtIndex {
	if idx, ok := indexes.Load(rt); ok {
		return idx.(*rtIndex)
	}
	idx := &rtIndex{top: map[string]*Attribute{}}
	for _, a := range CommonAttributes {
		idx.top[a.Name] = a
	}
	for _, a := range rt.Schema.Attributes {
		idx.top[a.Name] = a
	}
	for _, e := range rt.Extensions {
		idx.top[e.Schema.ID] = &Attribute{Name: e.Schema.ID, Type: Complex, Returned: Default, SubAttributes: e.Schema.Attributes}
	}
	actual, _ := indexes.LoadOrStore(rt, idx)
	return actual.(*rtIndex)
}

// tree parses attribute names into a node tree; unknown names are skipped.
func (idx *rtIndex) tree(rt *ResourceType, names []string) *node {
	root := &node{}
	for _, name := range names {
		if path := idx.resolve(rt, strings.TrimSpace(name)); path != nil {
			root.add(path...)
		}
	}
	return root
}

// resolve turns one attribute name into canonical path segments, or nil.
func (idx *rtIndex) resolve(rt *ResourceType, name string) []string {
	owner, rest := splitURN(rt, name)
	if owner >= 0 {
		ext := idx.top[rt.Extensions[owner].Schema.ID]
		if rest == "" {
			return []string{ext.Name}
		}
		return attrPath(ext, []string{ext.Name}, rest)
	}
	if _, ok := cutURN(name, rt.Schema.ID); ok && rest == name {
		return nil // the core URN alone names no attribute
	}
	attrName, sub, hasSub := strings.Cut(rest, ".")
	a := coreAttr(rt, attrName)
	if a == nil && rest == name {
		return idx.unqualified(rt, rest)
	}
	if a == nil {
		return nil
	}
	if !hasSub {
		return []string{a.Name}
	}
	if s := a.Sub(sub); s != nil {
		return []string{a.Name, s.Name}
	}
	return nil
}

// attrPath resolves "attr" or "attr.sub" within the pseudo-attribute of an
// extension, appending the canonical names to prefix.
func attrPath(ext *Attribute, prefix []string, rest string) []string {
	attrName, sub, hasSub := strings.Cut(rest, ".")
	a := ext.Sub(attrName)
	if a == nil {
		return nil
	}
	if !hasSub {
		return append(prefix, a.Name)
	}
	if s := a.Sub(sub); s != nil {
		return append(prefix, a.Name, s.Name)
	}
	return nil
}

// unqualified resolves an extension attribute named without its URN, which
// RFC 7644 §3.10 discourages but does not forbid; the first extension that
// defines the name wins.
func (idx *rtIndex) unqualified(rt *ResourceType, rest string) []string {
	for _, e := range rt.Extensions {
		ext := idx.top[e.Schema.ID]
		if path := attrPath(ext, []string{ext.Name}, rest); path != nil {
			return path
		}
	}
	return nil
}
