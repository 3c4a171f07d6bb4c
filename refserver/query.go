package refserver

import (
	"math"
	"net/http"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// SearchRequestSchema is the schema URI of a POST .search body (RFC 7644 §3.4.3).
const SearchRequestSchema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

// listQuery is a list or search request: filter, sort, page and projection.
type listQuery struct {
	filter     string
	sortBy     string
	descending bool
	startIndex int
	count      int
	proj       projection
}

// pageDefaults clamps startIndex and count (RFC 7644 §3.4.2.4): startIndex
// below 1 is 1, a negative count is 0, and count defaults to and is capped
// at MaxResults.
func (s *Server) page(startIndex, count int, hasStart, hasCount bool) (int, int) {
	if !hasStart || startIndex < 1 {
		startIndex = 1
	}
	if s.faults.has(fPagingIgnored) {
		return 1, s.opts.MaxResults
	}
	if hasStart && s.faults.has(fStartIndexZeroBased) {
		startIndex++ // read as a 0-based offset: one resource is skipped
	}
	switch {
	case !hasCount || count > s.opts.MaxResults || (count <= 0 && s.faults.has(fCountZeroIgnored)):
		count = s.opts.MaxResults
	case count < 0:
		count = 0
	}
	return startIndex, count
}

// parseSortOrder accepts "", "ascending" and "descending" (case-insensitive).
func parseSortOrder(v string) (descending bool, err error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "ascending":
		return false, nil
	case "descending":
		return true, nil
	}
	return false, scimerr.BadRequest(scimerr.InvalidValue, "sortOrder must be \"ascending\" or \"descending\", got %s", scimerr.Quote(v))
}

// queryFromURL reads a list request's query parameters; unknown ones are ignored.
func (s *Server) queryFromURL(r *http.Request) (listQuery, error) {
	q := r.URL.Query()
	start, hasStart, err := intParam(q, "startIndex")
	if err == nil {
		err = s.checkStartIndex(start, hasStart)
	}
	if err != nil {
		return listQuery{}, err
	}
	count, hasCount, err := intParam(q, "count")
	if err != nil {
		return listQuery{}, err
	}
	desc, err := parseSortOrder(q.Get("sortOrder"))
	if err != nil {
		return listQuery{}, err
	}
	lq := listQuery{filter: q.Get("filter"), sortBy: strings.TrimSpace(q.Get("sortBy")), descending: desc, proj: projectionFrom(q)}
	lq.startIndex, lq.count = s.page(start, count, hasStart, hasCount)
	return s.variedQuery(s.faultyQuery(lq, false)), nil
}

// searchRequest is the body of POST .search.
type searchRequest struct {
	Schemas            []string `json:"schemas"`
	Attributes         []string `json:"attributes"`
	ExcludedAttributes []string `json:"excludedAttributes"`
	Filter             string   `json:"filter"`
	SortBy             string   `json:"sortBy"`
	SortOrder          string   `json:"sortOrder"`
	StartIndex         *float64 `json:"startIndex"`
	Count              *float64 `json:"count"`
}

// queryFromSearch decodes a SearchRequest body.
func (s *Server) queryFromSearch(body []byte) (listQuery, error) {
	var sr searchRequest
	if err := strictUnmarshal(body, &sr); err != nil {
		return listQuery{}, err
	}
	if sr.Schemas != nil && !containsFold(sr.Schemas, SearchRequestSchema) {
		return listQuery{}, scimerr.BadRequest(scimerr.InvalidSyntax, "schemas must contain %s", SearchRequestSchema)
	}
	desc, err := parseSortOrder(sr.SortOrder)
	if err != nil {
		return listQuery{}, err
	}
	start, err := wholeNumber("startIndex", sr.StartIndex)
	if err != nil {
		return listQuery{}, err
	}
	count, err := wholeNumber("count", sr.Count)
	if err != nil {
		return listQuery{}, err
	}
	lq := listQuery{filter: sr.Filter, sortBy: strings.TrimSpace(sr.SortBy), descending: desc,
		proj: projection{attributes: trimAll(sr.Attributes), excluded: trimAll(sr.ExcludedAttributes)}}
	lq.startIndex, lq.count = s.page(start, count, sr.StartIndex != nil, sr.Count != nil)
	return s.variedQuery(s.faultyQuery(lq, true)), nil
}

func wholeNumber(name string, v *float64) (int, error) {
	if v == nil {
		return 0, nil
	}
	if *v != math.Trunc(*v) || math.Abs(*v) > math.MaxInt32 {
		return 0, scimerr.BadRequest(scimerr.InvalidValue, "%s must be an integer", name)
	}
	return int(*v), nil
}

func trimAll(list []string) []string {
	var out []string
	for _, s := range list {
		out = append(out, splitList(s)...)
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
