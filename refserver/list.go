package refserver

import (
	"net/http"
	"sort"

	"github.com/scimconform/scimconform/refserver/filter"
	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// ListResponseSchema is the schema URI of list and search responses.
const ListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

// listResponse is RFC 7644 §3.4.2 ListResponse, its members in the RFC's
// order.
type listResponse struct {
	Schemas      []string `json:"schemas"`
	TotalResults int      `json:"totalResults"`
	// *paging is nil when startIndex and itemsPerPage are left out
	// (list-fields-minimal); encoding/json then writes neither.
	*paging
	// Resources is nil when left out (list-fields-minimal); an empty page
	// is an empty, not a nil, slice.
	Resources []map[string]any `json:"Resources,omitzero"`
}

// paging is the startIndex and itemsPerPage of a ListResponse.
type paging struct {
	StartIndex   int `json:"startIndex"`
	ItemsPerPage int `json:"itemsPerPage"`
}

// handleList serves GET /Users and GET /Groups.
func (s *Server) handleList(k resourceKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.closedOnFilter(w, r, k) {
			return
		}
		q, err := s.queryFromURL(r)
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.serveList(w, r, q, k)
	}
}

// handleSearch serves POST .search over the given kinds.
func (s *Server) handleSearch(kinds ...resourceKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.searchUnsupported(); err != nil {
			s.writeError(w, err)
			return
		}
		body, err := s.readBody(w, r)
		if err != nil {
			s.writeError(w, err)
			return
		}
		q, err := s.queryFromSearch(body)
		if err != nil {
			s.writeError(w, err)
			return
		}
		s.serveList(w, r, q, kinds...)
	}
}

// plan is how one resource kind takes part in a list request.
type plan struct {
	kind  resourceKind
	expr  filter.Expr
	match filter.Matcher // nil: every resource matches
	sort  *sortKey       // nil: creation order
}

// hit is one matching resource.
type hit struct {
	rec *record
	doc map[string]any // kept only for index lookups, which find few; built for the page otherwise
	key any            // sortBy value, nil when absent
	srt *sortKey
}

// serveList answers a list or search request. A filter that matches nothing
// is a 200 with an empty ListResponse, never a 404.
func (s *Server) serveList(w http.ResponseWriter, r *http.Request, q listQuery, kinds ...resourceKind) {
	plans, err := s.plan(q, kinds)
	if err != nil {
		s.writeError(w, err)
		return
	}
	total, page := s.store.search(plans, q, s.baseURL(r))
	if total == 0 && q.filter != "" && s.faults.has(fFilterNoMatch404) {
		s.writeError(w, scimerr.NotFound("no resource matches the filter"))
		return
	}
	resp := listResponse{Schemas: []string{ListResponseSchema}, TotalResults: total,
		paging:    &paging{StartIndex: q.startIndex, ItemsPerPage: len(page)},
		Resources: make([]map[string]any, 0, len(page))}
	for _, h := range page {
		out, err := s.project(h.rec.kind, h.doc, q.proj)
		if err != nil {
			s.writeError(w, err)
			return
		}
		resp.Resources = append(resp.Resources, out)
	}
	s.writeList(w, resp)
}

// plan parses the filter once and compiles it, and resolves sortBy, per
// kind. With several kinds (root .search) a
// kind the filter or sortBy does not apply to simply matches nothing /
// sorts last; only if no kind accepts the filter is it an error.
func (s *Server) plan(q listQuery, kinds []resourceKind) ([]plan, error) {
	var expr filter.Expr
	if q.filter != "" {
		e, err := s.parseFilter(q.filter)
		if err != nil {
			return nil, err
		}
		expr = e
	}
	var plans []plan
	var firstErr error
	for _, k := range kinds {
		p := plan{kind: k, expr: expr}
		if expr != nil {
			e, m, err := s.compileFilter(k, expr)
			if err != nil {
				firstErr = cmpOr(firstErr, err)
				continue
			}
			p.expr, p.match = e, m
		}
		if q.sortBy != "" {
			sk, err := s.sortKey(k, q.sortBy)
			if err != nil && len(kinds) == 1 {
				return nil, err
			}
			p.sort = sk
		}
		plans = append(plans, p)
	}
	if len(plans) == 0 && firstErr != nil {
		return nil, firstErr
	}
	if q.sortBy != "" && !anySorted(plans) {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "sortBy %s names no attribute of the searched resource types", scimerr.Quote(q.sortBy))
	}
	return plans, nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

func anySorted(plans []plan) bool {
	for _, p := range plans {
		if p.sort != nil {
			return true
		}
	}
	return len(plans) == 0
}

// search runs the plans under one read lock and returns the total number of
// matches and the requested page, each with its document built.
func (s *store) search(plans []plan, q listQuery, base string) (int, []hit) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var hits []hit
	for _, p := range plans {
		hits = s.matchLocked(hits, p, base)
	}
	if q.sortBy != "" && !s.faults.has(fSortPerPage) {
		sortHits(hits, q.descending)
	}
	total := len(hits)
	from := min(q.startIndex-1, total)
	to := total
	if q.count < total-from {
		to = from + q.count
	}
	page := hits[from:to]
	if q.sortBy != "" && s.faults.has(fSortPerPage) {
		sortHits(page, q.descending)
	}
	for i := range page {
		if page[i].doc == nil {
			page[i].doc = s.docLocked(page[i].rec, bodyAttrs(page[i].rec), base)
		}
	}
	return total, page
}

// matchLocked appends p's matches to hits, using an index when the filter
// allows and scanning in creation order otherwise.
func (s *store) matchLocked(hits []hit, p plan, base string) []hit {
	recs, indexed := s.candidatesLocked(p.kind, p.expr)
	if !indexed {
		recs = s.table(p.kind).order
	}
	for _, r := range recs {
		if r.deleted {
			continue
		}
		var doc map[string]any
		if p.match != nil || p.sort != nil {
			doc = s.docLocked(r, bodyAttrs(r), base)
		}
		if p.match != nil && !p.match(doc) {
			continue
		}
		h := hit{rec: r, srt: p.sort}
		if p.sort != nil {
			h.key = p.sort.value(doc)
		}
		if indexed {
			h.doc = doc
		}
		hits = append(hits, h)
	}
	return hits
}

// sortHits orders hits by their sortBy values; resources without a value
// come last in ascending order and first in descending order.
func sortHits(hits []hit, descending bool) {
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		var c int
		switch {
		case a.key == nil && b.key == nil:
			return false
		case a.key == nil:
			c = 1
		case b.key == nil:
			c = -1
		case a.srt.attr.Type != b.srt.attr.Type:
			return false // root search: values of different types stay in place
		default:
			c = schema.CompareValues(a.srt.attr, a.key, b.key)
		}
		if descending {
			c = -c
		}
		return c < 0
	})
}
