package rfc

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/scimconform/scimconform/runner/jsonptr"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
	"github.com/scimconform/scimconform/suites/framework"
)

// pageKeys are the dataset's userName suffixes in creation order, which is
// neither ascending nor descending; familyNames sort in the reverse order of
// userNames, so a sort on the wrong attribute shows.
var (
	pageKeys        = []string{"c", "a", "e", "b", "d"}
	pageFamilyNames = map[string]string{"a": "Yu", "b": "Xu", "c": "Wu", "d": "Vu", "e": "Tu"}
)

// pageDataset is the five users the pagination and sorting specs list.
type pageDataset struct {
	scope string
	ids   map[string]string // key -> id
}

func (d *pageDataset) build(ctx context.Context, f *framework.F) {
	ginkgo.GinkgoHelper()
	d.scope = f.Name("page") + "-"
	d.ids = map[string]string{}
	for _, k := range pageKeys {
		id, _ := f.MakeUser(ctx, f.UserBody(map[string]any{
			"userName": d.scope + k,
			"name":     map[string]any{"givenName": "Page", "familyName": pageFamilyNames[k]},
		}))
		d.ids[k] = id
	}
}

// list sends GET /Users scoped to the dataset with extra query parameters
// (name, value pairs) and asserts 200 (a ListResponse that is not valid is
// a warning: the filter area owns that rule).
func (d *pageDataset) list(ctx context.Context, f *framework.F, params ...string) *scimclient.Exchange {
	ginkgo.GinkgoHelper()
	x := get(ctx, f, "/Users", d.query(params...))
	gomega.Expect(x).To(framework.HaveStatus(200))
	conforms(f, x, framework.BeSCIMList(schemas.User), "a valid ListResponse of users")
	return x
}

// query is the query of a list of the dataset with extra parameters.
func (d *pageDataset) query(params ...string) url.Values {
	return filterQuery("userName sw "+quote(d.scope), params...)
}

// all lists the dataset like list and returns the first answer and the
// keys of every resource, taken from the following pages too when the
// first holds fewer than totalResults (see followingPages).
func (d *pageDataset) all(ctx context.Context, f *framework.F, params ...string) (*scimclient.Exchange, []string) {
	ginkgo.GinkgoHelper()
	x := d.list(ctx, f, params...)
	keys := d.keys(x)
	for _, page := range followingPages(ctx, f, "/Users", d.query(params...), x) {
		keys = append(keys, d.keys(page)...)
	}
	return x, keys
}

// keys returns the dataset keys of a page, in order.
func (d *pageDataset) keys(x *scimclient.Exchange) []string {
	ginkgo.GinkgoHelper()
	out := []string{}
	for _, name := range values(x, "/userName") {
		if len(name) > len(d.scope) {
			name = name[len(d.scope):]
		}
		out = append(out, name)
	}
	return out
}

// walk lists the dataset page by page and returns every page's keys. Each
// page holds at most count resources, and the next one starts after the
// last resource received: a service provider may return fewer than count
// (RFC 7644 §3.4.2.4).
func (d *pageDataset) walk(ctx context.Context, f *framework.F, count int, params ...string) [][]string {
	ginkgo.GinkgoHelper()
	var pages [][]string
	for start := 1; start <= len(pageKeys); {
		x := d.list(ctx, f, append([]string{"startIndex", strconv.Itoa(start), "count", strconv.Itoa(count)}, params...)...)
		page := d.keys(x)
		gomega.Expect(x).To(framework.HaveJSON("/Resources", holdsBetween(1, count)), "the page from startIndex %d, count %d", start, count)
		gomega.Expect(x).To(framework.HaveJSON("/itemsPerPage", len(page)))
		gomega.Expect(x).To(framework.HaveJSON("/totalResults", len(pageKeys)))
		pages = append(pages, page)
		start += len(page)
		if len(pages) > len(pageKeys) {
			ginkgo.Fail(fmt.Sprintf("the walk did not end after %d pages", len(pages)))
		}
	}
	return pages
}

// noResources asserts a ListResponse without resources: Resources absent
// or empty, and itemsPerPage 0 when present.
func noResources(x *scimclient.Exchange) {
	ginkgo.GinkgoHelper()
	// The count, not the resources themselves: the exchange below shows
	// them, and a dump of decoded resources says nothing in SCIM terms.
	n := len(resources(x))
	gomega.Expect(n).To(gomega.BeZero(), "Resources should be absent or empty, and the answer holds %d resource(s)\n%s", n, framework.DescribeExchange(x))
	if _, ok, _ := jsonptr.Lookup(decode(x), "/itemsPerPage", jsonptr.Unique); ok {
		gomega.Expect(x).To(framework.HaveJSON("/itemsPerPage", 0))
	}
}

var _ = framework.Describe("Paging and sorting /Users", ginkgo.Ordered, ginkgo.ContinueOnFailure,
	labels(framework.LabelPagination, framework.LabelRFC7644),
	func(f *framework.F) {
		d := &pageDataset{}
		ginkgo.BeforeAll(func(ctx context.Context) {
			// Without filters the specs could not scope the list to their own users.
			f.RequireFeature(framework.FeatureFilter)
			d.build(ctx, f)
		})

		ginkgo.Context("GET /Users with count smaller than the result set", func() {
			framework.It("returns at most count resources, totalResults of the whole set and itemsPerPage equal to the page", must,
				framework.Rule("RFC 7644 §3.4.2.4: count is the maximum number of results per page (the service provider MAY return fewer); totalResults counts all matches; itemsPerPage the results returned"),
				func(ctx context.Context) {
					x := d.list(ctx, f, "count", "2")
					gomega.Expect(x).To(framework.HaveJSON("/Resources", holdsBetween(1, 2)))
					gomega.Expect(x).To(framework.HaveJSON("/totalResults", len(pageKeys)))
					gomega.Expect(x).To(framework.HaveJSON("/itemsPerPage", len(resources(x))))
					gomega.Expect(x).To(framework.HaveJSON("/startIndex", 1))
				})
		})

		ginkgo.Context("GET /Users page by page with startIndex and count", func() {
			framework.It("sees every resource exactly once", must,
				framework.Rule("RFC 7644 §3.4.2.4: startIndex is the 1-based index of the first result; consecutive pages partition the results"),
				func(ctx context.Context) {
					var seen []string
					for _, page := range d.walk(ctx, f, 2) {
						seen = append(seen, page...)
					}
					gomega.Expect(seen).To(gomega.ConsistOf(pageKeys), "a page walk with count=2 must see each of the %d users once", len(pageKeys))
				})
		})

		ginkgo.Context("GET /Users for the last, partial page", func() {
			framework.It("returns the remaining resources with itemsPerPage equal to their number", must,
				framework.Rule("RFC 7644 §3.4.2.4: itemsPerPage is the number of resources returned in the page"),
				func(ctx context.Context) {
					x := d.list(ctx, f, "startIndex", "5", "count", "2")
					gomega.Expect(x).To(framework.HaveJSON("/Resources", gomega.HaveLen(1)))
					gomega.Expect(x).To(framework.HaveJSON("/itemsPerPage", 1))
					gomega.Expect(x).To(framework.HaveJSON("/startIndex", 5))
				})
		})

		ginkgo.Context("GET /Users with startIndex beyond the last result", func() {
			framework.It("returns 200 with totalResults and no resources", must,
				framework.Rule("RFC 7644 §3.4.2.4: a page past the end holds no results; totalResults still counts every match"),
				func(ctx context.Context) {
					x := d.list(ctx, f, "startIndex", "100", "count", "2")
					gomega.Expect(x).To(framework.HaveJSON("/totalResults", len(pageKeys)))
					noResources(x)
				})
		})

		ginkgo.Context("GET /Users with startIndex below 1", func() {
			framework.It("treats it as 1", must,
				framework.Rule("RFC 7644 §3.4.2.4: a startIndex value less than 1 SHALL be interpreted as 1"),
				func(ctx context.Context) {
					first := d.keys(d.list(ctx, f, "startIndex", "1", "count", "2"))
					for _, start := range []string{"0", "-3"} {
						x := d.list(ctx, f, "startIndex", start, "count", "2")
						gomega.Expect(x).To(framework.HaveJSON("/startIndex", 1))
						gomega.Expect(d.keys(x)).To(gomega.Equal(first), "startIndex=%s must give the first page", start)
					}
				})
		})

		ginkgo.Context("GET /Users with count=0", func() {
			framework.It("returns totalResults and no resources", must,
				framework.Rule("RFC 7644 §3.4.2.4: count 0 returns no resource results except totalResults"),
				func(ctx context.Context) {
					x := d.list(ctx, f, "count", "0")
					gomega.Expect(x).To(framework.HaveJSON("/totalResults", len(pageKeys)))
					noResources(x)
				})
		})

		ginkgo.Context("GET /Users with a negative count", func() {
			framework.It("treats it as 0", must,
				framework.Rule("RFC 7644 §3.4.2.4: a negative count SHALL be interpreted as 0"),
				func(ctx context.Context) {
					x := d.list(ctx, f, "count", "-1")
					gomega.Expect(x).To(framework.HaveJSON("/totalResults", len(pageKeys)))
					noResources(x)
				})
		})

		ginkgo.Context("GET /Users with count larger than the result set", func() {
			framework.It("returns every resource", must,
				framework.Rule("RFC 7644 §3.4.2.4: count is a maximum; fewer results are returned when fewer match (and a service provider may page with fewer still)"),
				func(ctx context.Context) {
					x, keys := d.all(ctx, f, "count", "50")
					gomega.Expect(keys).To(gomega.ConsistOf(pageKeys))
					// itemsPerPage is REQUIRED only for partial results (RFC 7644 §3.4.2).
					if _, ok, _ := jsonptr.Lookup(decode(x), "/itemsPerPage", jsonptr.Unique); ok {
						gomega.Expect(x).To(framework.HaveJSON("/itemsPerPage", len(resources(x))))
					}
				})
		})

		ginkgo.Context("POST /Users/.search with startIndex and count", func() {
			framework.It("pages like the query parameters", must,
				framework.Rule("RFC 7644 §3.4.3: a SearchRequest carries startIndex and count with the meaning of §3.4.2.4"),
				func(ctx context.Context) {
					x := searchOrSkip(ctx, f, "/Users/.search", map[string]any{
						"filter": "userName sw " + quote(d.scope), "startIndex": 2, "count": 2,
					})
					gomega.Expect(x).To(framework.HaveStatus(200))
					conforms(f, x, framework.BeSCIMList(schemas.User), "a valid ListResponse of users")
					// At most count, and at least one: fewer is allowed (§3.4.2.4), none would stall a client.
					gomega.Expect(x).To(framework.HaveJSON("/Resources", holdsBetween(1, 2)))
					gomega.Expect(x).To(framework.HaveJSON("/startIndex", 2))
					gomega.Expect(x).To(framework.HaveJSON("/totalResults", len(pageKeys)))
				})
		})

		sortCases := []struct {
			context, it, rule string
			params            []string
			want              []string
		}{
			{"GET /Users with sortBy=userName", "returns the resources in ascending order",
				"RFC 7644 §3.4.2.3: sortOrder defaults to ascending", []string{"sortBy", "userName"}, []string{"a", "b", "c", "d", "e"}},
			{"GET /Users with sortBy=userName and sortOrder=descending", "returns the resources in descending order",
				"RFC 7644 §3.4.2.3: sortOrder descending orders from the largest value", []string{"sortBy", "userName", "sortOrder", "descending"}, []string{"e", "d", "c", "b", "a"}},
			{"GET /Users with sortBy=userName and sortOrder=ascending", "returns the resources in ascending order",
				"RFC 7644 §3.4.2.3: sortOrder ascending orders from the smallest value", []string{"sortBy", "userName", "sortOrder", "ascending"}, []string{"a", "b", "c", "d", "e"}},
			{"GET /Users with sortBy on a sub-attribute", "orders by that sub-attribute",
				"RFC 7644 §3.4.2.3: sortBy names any attribute, sub-attributes as attribute.subAttribute", []string{"sortBy", "name.familyName"}, []string{"e", "d", "c", "b", "a"}},
			{"GET /Users with sortBy naming the attribute in another case", "orders by that attribute",
				"RFC 7643 §2.1: attribute names are case-insensitive, in sortBy too", []string{"sortBy", "USERNAME"}, []string{"a", "b", "c", "d", "e"}},
		}
		for _, tc := range sortCases {
			ginkgo.Context(tc.context, func() {
				framework.It(tc.it, must, ginkgo.Label(framework.FeatureSort), framework.Rule(tc.rule), func(ctx context.Context) {
					f.RequireFeature(framework.FeatureSort)
					x, keys := d.all(ctx, f, tc.params...)
					gomega.Expect(keys).To(gomega.Equal(tc.want), "sorted order of the users\n%s", framework.DescribeExchange(x))
				})
			})
		}

		ginkgo.Context("GET /Users sorted descending, page by page", func() {
			framework.It("continues the sorted order across pages", must, ginkgo.Label(framework.FeatureSort),
				framework.Rule("RFC 7644 §3.4.2.3 and §3.4.2.4: sorting applies to the whole result set before it is paged"),
				func(ctx context.Context) {
					f.RequireFeature(framework.FeatureSort)
					var seen []string
					for _, page := range d.walk(ctx, f, 2, "sortBy", "userName", "sortOrder", "descending") {
						seen = append(seen, page...)
					}
					gomega.Expect(seen).To(gomega.Equal([]string{"e", "d", "c", "b", "a"}))
				})
		})
	})
