package patch

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// target is a PATCH path resolved against a resource type.
type target struct {
	path  string              // as written, for messages
	ext   *schema.Schema      // non-nil when the path is a whole schema URN; attr is nil then
	owner *schema.Schema      // schema of attr; nil for id, externalId, meta
	attr  *schema.Attribute   // the attribute the path names
	sub   *schema.Attribute   // its sub-attribute, nil when none
	expr  filter.Expr         // the value filter inside [...], nil when none
	match func(elem any) bool // reports whether an element of attr passes expr
}

// resolveTarget parses path and resolves it against rt. Every failure is
// invalidPath. A path equal to a schema URN of rt (e.g. the enterprise
// extension URN) names that schema's whole object.
func resolveTarget(rt *schema.ResourceType, path string) (*target, error) {
	if s := schemaByURN(rt, strings.TrimSpace(path)); s != nil {
		return &target{path: path, ext: s}, nil
	}
	ap, err := filter.ParsePath(path)
	if err != nil {
		return nil, badPath(path, err)
	}
	owner, a, sub, err := rt.Resolve(ap.URN, ap.Name, ap.Sub)
	if err != nil {
		return nil, badPath(path, err)
	}
	if a == nil || (ap.Sub != "" && sub == nil) {
		return nil, scimerr.BadRequest(scimerr.InvalidPath, "path %s names no attribute", scimerr.Quote(path))
	}
	t := &target{path: path, owner: owner, attr: a, sub: sub, expr: ap.Filter}
	if ap.Filter == nil {
		return t, nil
	}
	if !a.MultiValued {
		return nil, scimerr.BadRequest(scimerr.InvalidPath, "path %s: a value filter needs a multi-valued attribute, %s is single-valued", scimerr.Quote(path), a.Name)
	}
	if t.match, err = elementMatcher(rt, owner, a, ap); err != nil {
		return nil, badPath(path, err)
	}
	return t, nil
}

// elementMatcher compiles attr[filter] as a resource filter and evaluates it
// on a one-element document per element, so value filters get exactly the
// comparison rules of resource filters (caseExact, "True" for booleans, ...).
func elementMatcher(rt *schema.ResourceType, owner *schema.Schema, a *schema.Attribute, ap filter.AttrPath) (func(any) bool, error) {
	vp := &filter.ValuePath{Attr: filter.AttrPath{URN: ap.URN, Name: ap.Name}, Filter: ap.Filter}
	m, err := filter.Compile(rt, vp)
	if err != nil {
		return nil, err
	}
	extURN := ""
	if isExtension(rt, owner) {
		extURN = owner.ID
	}
	// One probe document is reused for every element: a target serves a
	// single operation, never concurrently, and matchers keep no reference.
	one := []any{nil}
	probe := map[string]any{a.Name: one}
	if extURN != "" {
		probe = map[string]any{extURN: probe}
	}
	return func(elem any) bool {
		one[0] = elem
		return m(probe)
	}, nil
}

// writable rejects paths naming readOnly attributes or sub-attributes.
func (t *target) writable() error {
	if t.ext != nil {
		return nil
	}
	if t.attr.Mutability == schema.ReadOnly {
		return scimerr.BadRequest(scimerr.Mutability, "attribute %s is readOnly", t.attr.Name)
	}
	if t.sub != nil && t.sub.Mutability == schema.ReadOnly {
		return scimerr.BadRequest(scimerr.Mutability, "attribute %s.%s is readOnly", t.attr.Name, t.sub.Name)
	}
	return nil
}

// container returns the map holding t.attr: the document itself, or the
// extension object (created when create is set; nil when absent otherwise).
func (t *target) container(rt *schema.ResourceType, doc map[string]any, create bool) map[string]any {
	if !isExtension(rt, t.owner) {
		return doc
	}
	m, ok := doc[t.owner.ID].(map[string]any)
	if !ok && create {
		m = map[string]any{}
		doc[t.owner.ID] = m
	}
	return m
}

// schemaByURN returns the core or extension schema of rt whose URN is urn.
func schemaByURN(rt *schema.ResourceType, urn string) *schema.Schema {
	if !strings.HasPrefix(strings.ToLower(urn), "urn:") {
		return nil
	}
	if strings.EqualFold(rt.Schema.ID, urn) {
		return rt.Schema
	}
	return rt.Extension(urn)
}

// isExtension reports whether s is one of rt's extension schemas.
func isExtension(rt *schema.ResourceType, s *schema.Schema) bool {
	return s != nil && s != rt.Schema && rt.Extension(s.ID) != nil
}

// badPath turns a parse or resolve failure into invalidPath naming the path.
func badPath(path string, err error) error {
	return scimerr.BadRequest(scimerr.InvalidPath, "path %s: %s", scimerr.Quote(path), detail(err))
}
