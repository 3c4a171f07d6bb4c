package selftest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/scimconform/scimconform/refserver"
)

// variantsFile declares, per variant of the reference server, the specs it
// makes skip: a variant switching an optional feature off (etag, sort,
// POST .search) makes the specs of that feature skip, and nothing else
// may. A variant that made other specs skip would pass by not being
// checked.
const variantsFile = "testdata/variants.json"

// variantSkips is the content of variantsFile: variant -> the specs it
// skips, sorted.
type variantSkips map[string][]string

func loadVariantSkips() (variantSkips, error) {
	data, err := os.ReadFile(variantsFile)
	if err != nil {
		return nil, fmt.Errorf("read the declared variant skips: %w", err)
	}
	var v variantSkips
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("parse %s: %w", variantsFile, err)
	}
	return v, nil
}

func writeVariantSkips(v variantSkips) error {
	for name, skips := range v {
		sort.Strings(skips)
		if skips == nil {
			v[name] = []string{}
		}
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(variantsFile, append(data, '\n'), 0o644)
}

// TestVariants runs the suites once per variant of the reference server
// (refserver.VariantCatalog): each is a behaviour RFC 7643 or RFC 7644
// allows, so every spec must pass without a warning, and only the specs
// declared in testdata/variants.json may skip.
func TestVariants(t *testing.T) {
	declared, err := loadVariantSkips()
	if err != nil && !*update {
		t.Fatal(err)
	}
	names := refserver.VariantNames()
	if !*update {
		for name := range declared {
			if !slices.Contains(names, name) {
				t.Errorf("%s declares %q, which is not a variant of the reference server", variantsFile, name)
			}
		}
	}
	var mu sync.Mutex
	observed := variantSkips{}
	t.Run("variant", func(t *testing.T) {
		for _, name := range names {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				res := runWith(t, "variant "+name, refserver.Options{Variants: []string{name}}, nil)
				mu.Lock()
				observed[name] = res.names(skipped)
				mu.Unlock()
				if msg := variantProblems(name, res); msg != "" {
					t.Error(msg)
				}
				if *update {
					return
				}
				want, ok := declared[name]
				if !ok {
					t.Errorf("variant %s has no entry in %s; run with -update and review it", name, variantsFile)
					return
				}
				if msg := skipMismatch(name, want, res.names(skipped)); msg != "" {
					t.Error(msg)
				}
			})
		}
	})
	if !*update {
		return
	}
	if len(observed) < len(names) {
		// -run selected some variants: keep the entries of the others.
		maps.Copy(declared, observed)
		observed = declared
	}
	if err := writeVariantSkips(observed); err != nil {
		t.Fatalf("write %s: %v", variantsFile, err)
	}
	t.Logf("wrote %s; review the diff before committing", variantsFile)
}

// variantProblems lists the specs that failed or warned against a
// variant, each with the start of its failure message, or returns "".
func variantProblems(name string, res runResult) string {
	failedSpecs, warnedSpecs := res.names(failed), res.names(warned)
	if len(failedSpecs)+len(warnedSpecs) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "variant %s is a behaviour the RFCs allow, yet %d spec(s) failed and %d warned; each is a spec to fix:\n",
		name, len(failedSpecs), len(warnedSpecs))
	for _, s := range failedSpecs {
		fmt.Fprintf(&b, "  failed: %s\n", s)
		if msg := firstLines(res.message(s), 6); msg != "" {
			fmt.Fprintf(&b, "      %s\n", strings.ReplaceAll(msg, "\n", "\n      "))
		}
	}
	for _, s := range warnedSpecs {
		fmt.Fprintf(&b, "  warned: %s\n", s)
	}
	return b.String()
}

// skipMismatch explains how the specs a variant skipped differ from the
// declared ones, or returns "".
func skipMismatch(name string, want, got []string) string {
	extra, missing := setDiff(got, want)
	if len(extra)+len(missing) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "variant %s: the specs it skips differ from %s:\n", name, variantsFile)
	for _, s := range extra {
		fmt.Fprintf(&b, "  skipped, not declared: %s\n", s)
	}
	for _, s := range missing {
		fmt.Fprintf(&b, "  declared skipped, but ran: %s\n", s)
	}
	b.WriteString("a skip the variant does not explain hides a check; if the new set is right, run `go test ./suites/selftest -run TestVariants -update` and review the diff")
	return b.String()
}

// The committed variant skips are sorted and name only variants the server
// has.
func TestVariantsFileIsTidy(t *testing.T) {
	t.Parallel()
	v, err := loadVariantSkips()
	if err != nil {
		t.Fatal(err)
	}
	names := refserver.VariantNames()
	for name, skips := range v {
		if !slices.Contains(names, name) {
			t.Errorf("%s: %q is not a variant of the reference server", variantsFile, name)
		}
		if !slices.IsSorted(skips) {
			t.Errorf("%s: the skips of %s are not sorted; run with -update", variantsFile, name)
		}
	}
}

func TestVariantProblemsNameEverySpec(t *testing.T) {
	t.Parallel()
	res := runResult{Specs: []specResult{
		{Name: "A passes", Outcome: passed},
		{Name: "B fails", Outcome: failed, Message: "why B failed"},
		{Name: "C warns", Outcome: warned},
		{Name: "D skips", Outcome: skipped},
	}}
	msg := variantProblems("some-variant", res)
	for _, part := range []string{"variant some-variant", "1 spec(s) failed and 1 warned", "failed: B fails\n      why B failed", "warned: C warns"} {
		if !strings.Contains(msg, part) {
			t.Errorf("the message lacks %q:\n%s", part, msg)
		}
	}
	if strings.Contains(msg, "A passes") || strings.Contains(msg, "D skips") {
		t.Errorf("the message names specs that neither failed nor warned:\n%s", msg)
	}
	if msg := variantProblems("v", runResult{Specs: []specResult{{Name: "A", Outcome: passed}}}); msg != "" {
		t.Errorf("a clean run gave problems:\n%s", msg)
	}
	if msg := skipMismatch("v", []string{"X", "Y"}, []string{"Y", "Z"}); !strings.Contains(msg, "skipped, not declared: Z") || !strings.Contains(msg, "declared skipped, but ran: X") {
		t.Errorf("skipMismatch:\n%s", msg)
	}
	if msg := skipMismatch("v", []string{"X"}, []string{"X"}); msg != "" {
		t.Errorf("equal skips gave a mismatch:\n%s", msg)
	}
}
