package refserver

import (
	"net/url"
	"testing"
)

// checkParamsLikeValues fails unless paramsOf reads raw as url.Values does,
// for the list parameters and for every key the query names.
func checkParamsLikeValues(t *testing.T, raw string) {
	t.Helper()
	got := paramsOf(&url.URL{RawQuery: raw})
	want := (&url.URL{RawQuery: raw}).Query()
	names := []string{"", "filter", "startIndex", "count", "sortBy", "sortOrder", "attributes", "excludedAttributes"}
	for k := range want {
		names = append(names, k)
	}
	if got.one {
		names = append(names, got.key)
	}
	for _, name := range names {
		if g, w := got.Get(name), want.Get(name); g != w {
			t.Fatalf("query %q: Get(%q) = %q, url.Values gives %q", raw, name, g, w)
		}
		if g, w := got.Has(name), want.Has(name); g != w {
			t.Fatalf("query %q: Has(%q) = %v, url.Values gives %v", raw, name, g, w)
		}
	}
}

func TestParamsOfReadsLikeURLValues(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"",
		`filter=userName+eq+%22first.last%40contoso.example%22`,
		`filter=userName eq "x"`,
		"filter",
		"filter=",
		"=value",
		"%66ilter=a",
		"filter=%zz",
		"%zz=a",
		"filter=a;b",
		"filter=a&count=2&filter=b",
		"count=3&",
		"&",
		"attributes=userName,emails&excludedAttributes=groups",
		"fil+ter=a",
	} {
		checkParamsLikeValues(t, raw)
	}
}

func TestParamsOfSinglePairTakesNoValues(t *testing.T) {
	t.Parallel()
	p := paramsOf(&url.URL{RawQuery: `filter=userName+eq+%22u%22`})
	if p.values != nil || !p.one || p.key != "filter" || p.value != `userName eq "u"` {
		t.Fatalf("single pair read as %+v", p)
	}
}

// FuzzParamsOf holds the single-parameter path of paramsOf to url.Values.
func FuzzParamsOf(f *testing.F) {
	f.Add(`filter=userName+eq+%22first.last%40contoso.example%22`)
	f.Add("filter=a&count=2")
	f.Add("=")
	f.Fuzz(func(t *testing.T, raw string) {
		checkParamsLikeValues(t, raw)
	})
}
