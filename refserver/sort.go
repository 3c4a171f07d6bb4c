package refserver

import (
	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// sortKey extracts the sortBy value of a document (RFC 7644 §3.4.2.3).
type sortKey struct {
	owner *schema.Schema    // nil or the core schema: top level; else the extension object
	top   *schema.Attribute // the named attribute
	sub   *schema.Attribute // its sub-attribute, or nil
	attr  *schema.Attribute // the attribute whose values are compared
}

// resolveSortKey resolves sortBy against rt. Complex attributes without a
// sub-attribute cannot be ordered.
func resolveSortKey(rt *schema.ResourceType, sortBy string) (*sortKey, error) {
	p, err := filter.ParsePath(sortBy)
	if err != nil || p.Filter != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "sortBy %s is not an attribute path", scimerr.Quote(sortBy))
	}
	owner, a, sub, err := rt.Resolve(p.URN, p.Name, p.Sub)
	if err != nil {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "sortBy %s: %s", scimerr.Quote(sortBy), scimerr.As(err).Detail)
	}
	k := &sortKey{top: a, sub: sub, attr: a}
	if owner != nil && owner != rt.Schema {
		k.owner = owner
	}
	if sub != nil {
		k.attr = sub
	}
	if k.attr.Type == schema.Complex {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "sortBy %s names a complex attribute; name a sub-attribute", scimerr.Quote(sortBy))
	}
	return k, nil
}

// value returns the document's sort value, nil when absent. For a
// multi-valued attribute the primary value is used, else the first.
func (k *sortKey) value(doc map[string]any) any {
	container := doc
	if k.owner != nil {
		container, _ = doc[k.owner.ID].(map[string]any)
	}
	v := container[k.top.Name]
	if list, ok := v.([]any); ok {
		v = primaryOrFirst(list)
	}
	if k.sub != nil {
		m, _ := v.(map[string]any)
		v = m[k.sub.Name]
	}
	return v
}

func primaryOrFirst(list []any) any {
	for _, item := range list {
		if m, ok := item.(map[string]any); ok && m["primary"] == true {
			return m
		}
	}
	if len(list) == 0 {
		return nil
	}
	return list[0]
}
