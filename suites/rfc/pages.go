package rfc

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// maxPages bounds how many further pages followingPages fetches.
const maxPages = 50

// followingPages fetches the pages after first, the answer to GET path with
// query q (startIndex 1), and returns them in order. A service provider
// may return fewer resources than match, and fewer than count asks ("it
// MAY return fewer results", RFC 7644 §3.4.2.4), so a client that wants
// every match pages on, from the index after the last resource it got,
// until it has totalResults of them. A page without resources ends the
// walk: the caller's comparison then shows what is missing.
func followingPages(ctx context.Context, f *framework.F, path string, q url.Values, first *scimclient.Exchange) []*scimclient.Exchange {
	ginkgo.GinkgoHelper()
	total, seen := pageCounts(first)
	var out []*scimclient.Exchange
	for seen < total && len(out) < maxPages {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("startIndex", strconv.Itoa(seen+1))
		x := get(ctx, f, path, next)
		gomega.Expect(x).To(framework.HaveStatus(200), "GET %s from startIndex %d", path, seen+1)
		_, n := pageCounts(x)
		if n == 0 {
			break
		}
		seen += n
		out = append(out, x)
	}
	return out
}

// pageCounts returns the totalResults of a ListResponse and the number of
// resources it holds (0 and 0 for a body that is not one).
func pageCounts(x *scimclient.Exchange) (total, n int) {
	var page struct {
		TotalResults int               `json:"totalResults"`
		Resources    []json.RawMessage `json:"Resources"`
	}
	if json.Unmarshal(x.RespBody, &page) != nil {
		return 0, 0
	}
	return page.TotalResults, len(page.Resources)
}

// holdsBetween matches a JSON array of lo to hi elements: a page of at
// most count resources ("MUST NOT return more results than specified"),
// and at least one, since a page without any while more match would stall
// a client paging through them.
func holdsBetween(lo, hi int) types.GomegaMatcher {
	return gomega.WithTransform(func(v []any) int { return len(v) },
		gomega.And(gomega.BeNumerically(">=", lo), gomega.BeNumerically("<=", hi)))
}
