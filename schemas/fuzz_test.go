package schemas

import (
	"encoding/json"
	"slices"
	"testing"
)

// FuzzValidate feeds arbitrary bodies to every kind: Validate must never
// panic, must fail exactly when the body is not JSON, and must return
// violations sorted, unique and with JSON Pointer paths.
func FuzzValidate(f *testing.F) {
	for _, name := range []string{
		"rfc7643-8.2-full-user.json",
		"rfc7643-8.3-enterprise-user.json",
		"entra-u4-list-one-user.json",
		"entra-error-404.json",
		"entra-u7b-patch-pathless.json",
		"rfc7644-3.7-bulk-response.json",
	} {
		f.Add(readTestdata(f, name), uint8(0))
	}
	f.Add([]byte(`{"schemas":"x","Resources":[1,{"id":7}],"totalResults":-1}`), uint8(3))
	kinds := Kinds()
	f.Fuzz(func(t *testing.T, body []byte, k uint8) {
		kind := kinds[int(k)%len(kinds)]
		vs, err := Validate(kind, body)
		if valid := json.Valid(body); valid != (err == nil) {
			t.Fatalf("json.Valid=%v but Validate error=%v", valid, err)
		}
		checkViolations(t, vs)
		lvs, lerr := ValidateList(kind, body)
		if (lerr == nil) != (err == nil) {
			t.Fatalf("ValidateList error=%v, Validate error=%v", lerr, err)
		}
		checkViolations(t, lvs)
	})
}

func checkViolations(t *testing.T, vs []Violation) {
	t.Helper()
	for i, v := range vs {
		if v.Path != "" && v.Path[0] != '/' {
			t.Errorf("path %q is not a JSON Pointer", v.Path)
		}
		if v.Message == "" {
			t.Errorf("violation at %q has no message", v.Path)
		}
		if i > 0 && comparePointers(vs[i-1].Path, v.Path) > 0 {
			t.Errorf("violations out of order: %q before %q", vs[i-1].Path, v.Path)
		}
	}
	if !slices.Equal(slices.Compact(slices.Clone(vs)), vs) {
		t.Errorf("duplicate violations: %v", vs)
	}
}
