package refserver

import (
	"net/http"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// writeList writes a ListResponse, as the list faults shape it:
// list-bare-array, list-total-is-page and list-items-per-page-total.
func (s *Server) writeList(w http.ResponseWriter, resp listResponse) {
	switch {
	case s.faults.has(fListBareArray):
		list := make([]any, len(resp.Resources))
		for i, r := range resp.Resources {
			list[i] = r
		}
		s.writeJSON(w, http.StatusOK, list)
		return
	case s.faults.has(fListTotalIsPage):
		resp.TotalResults = len(resp.Resources)
	case s.faults.has(fListItemsPerPageAll):
		resp.ItemsPerPage = resp.TotalResults
	}
	s.writeListResponse(w, resp)
}

// writeListResponse writes a ListResponse as the variants shape it.
func (s *Server) writeListResponse(w http.ResponseWriter, resp listResponse) {
	s.writeJSON(w, http.StatusOK, s.variedList(resp))
}

// checkStartIndex refuses a startIndex below 1 under
// start-index-below-1-rejected.
func (s *Server) checkStartIndex(start int, given bool) error {
	if given && start < 1 && s.faults.has(fStartIndexBelow1400) {
		return scimerr.BadRequest(scimerr.InvalidValue, "startIndex must be 1 or more, got %d", start)
	}
	return nil
}

// faultyQuery is a list query as the sort and paging faults read it:
// sort-ignored drops sortBy, sort-order-ignored sorts ascending,
// search-paging-ignored drops the paging of a SearchRequest.
func (s *Server) faultyQuery(q listQuery, search bool) listQuery {
	if s.faults.has(fSortIgnored) {
		q.sortBy = ""
	}
	if s.faults.has(fSortOrderIgnored) {
		q.descending = false
	}
	if search && s.faults.has(fSearchPagingIgnored) {
		q.startIndex, q.count = s.page(0, 0, false, false)
	}
	return q
}

// sortKey resolves sortBy for kind k; under sort-attr-case-sensitive a name
// not spelled as in the schema is refused.
func (s *Server) sortKey(k resourceKind, sortBy string) (*sortKey, error) {
	if s.faults.has(fSortNameCaseSensitve) && len(schemaSpelled(k.resourceType(), []string{sortBy})) == 0 {
		return nil, scimerr.BadRequest(scimerr.InvalidValue, "sortBy %s is not an attribute", scimerr.Quote(sortBy))
	}
	return resolveSortKey(k.resourceType(), sortBy)
}
