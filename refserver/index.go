package refserver

import (
	"sort"
	"strings"

	"github.com/scimconform/scimconform/refserver/filter"
)

// candidatesLocked returns the only records that can match e when e is (or
// is one side of an "and" with) an equality on an indexed attribute: id, the
// name attribute (userName / group displayName) or externalId. ok is false
// when e needs a scan. Candidates are in creation order and still have to be
// checked against the whole filter.
func (s *store) candidatesLocked(k resourceKind, e filter.Expr) (recs []*record, ok bool) {
	switch e := e.(type) {
	case *filter.And:
		if recs, ok := s.candidatesLocked(k, e.L); ok {
			return recs, true
		}
		return s.candidatesLocked(k, e.R)
	case *filter.Compare:
		return s.lookupLocked(k, e)
	}
	return nil, false
}

func (s *store) lookupLocked(k resourceKind, c *filter.Compare) ([]*record, bool) {
	v, isString := c.Value.(string)
	if c.Op != filter.Eq || !isString || c.Attr.Filter != nil || c.Attr.Sub != "" {
		return nil, false
	}
	if c.Attr.URN != "" && !strings.EqualFold(c.Attr.URN, k.resourceType().Schema.ID) {
		return nil, false
	}
	t := s.table(k)
	var r *record
	switch {
	case strings.EqualFold(c.Attr.Name, "id"):
		r = t.byID[v]
	case strings.EqualFold(c.Attr.Name, k.nameAttr()):
		if !isASCII(v) {
			return nil, false // case folding beyond ASCII: let the matcher decide
		}
		r = t.byName[nameKey(v)]
	case strings.EqualFold(c.Attr.Name, "externalId"):
		recs := t.byExternalID(v)
		sort.Slice(recs, func(i, j int) bool { return recs[i].seq < recs[j].seq })
		return recs, true
	default:
		return nil, false
	}
	if r == nil || (s.faults.has(fIndexLag) && r.version == 1) {
		return nil, true // index-lag: a resource never updated is not indexed yet
	}
	return []*record{r}, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
