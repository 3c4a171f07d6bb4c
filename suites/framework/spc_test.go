package framework

import (
	"strings"
	"testing"
)

func TestParseSPC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want SPC
	}{
		{"everything", `{"patch":{"supported":true},"bulk":{"supported":true,"maxOperations":100,"maxPayloadSize":1048576},
			"filter":{"supported":true,"maxResults":200},"changePassword":{"supported":true},"sort":{"supported":true},"etag":{"supported":true}}`,
			SPC{Patch: true, Bulk: true, BulkMaxOps: 100, BulkMaxPayload: 1048576, Filter: true, FilterMax: 200, ChangePassword: true, Sort: true, ETag: true}},
		{"minimal", `{"patch":{"supported":true},"filter":{"supported":false}}`, SPC{Patch: true}},
		{"empty object", `{}`, SPC{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSPC([]byte(tc.body))
			if err != nil {
				t.Fatalf("ParseSPC: %v", err)
			}
			if *got != tc.want {
				t.Errorf("got %+v, want %+v", *got, tc.want)
			}
		})
	}
	for _, bad := range []string{``, `[]`, `{"patch":{"supported":"yes"}}`} {
		if _, err := ParseSPC([]byte(bad)); err == nil {
			t.Errorf("ParseSPC(%q) accepted a malformed document", bad)
		}
	}
}

func TestSupported(t *testing.T) {
	t.Parallel()
	s := &SPC{Patch: true, Sort: true}
	for feature, want := range map[string]bool{FeaturePatch: true, FeatureSort: true, FeatureETag: false, FeatureBulk: false, FeatureFilter: false, FeatureChangePassword: false, "nope": false} {
		if got := s.Supported(feature); got != want {
			t.Errorf("Supported(%q) = %v, want %v", feature, got, want)
		}
	}
	var none *SPC
	if none.Supported(FeaturePatch) {
		t.Error("a nil SPC supports nothing")
	}
}

func TestParseFeatures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list string
		want SPC
		err  string
	}{
		{"patch,filter", SPC{Patch: true, Filter: true}, ""},
		{" Patch , ETAG,changepassword,sort,bulk", SPC{Patch: true, ETag: true, ChangePassword: true, Sort: true, Bulk: true}, ""},
		{"none", SPC{}, ""},
		{"NONE", SPC{}, ""},
		{"patch,paging,", SPC{}, `unknown feature "paging", ""`},
		{"none,patch", SPC{}, `unknown feature "none"`},
	}
	for _, tc := range tests {
		got, err := ParseFeatures(tc.list)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseFeatures(%q) error = %v, want one mentioning %s", tc.list, err, tc.err)
		case tc.err == "" && err != nil:
			t.Errorf("ParseFeatures(%q): %v", tc.list, err)
		case tc.err == "" && *got != tc.want:
			t.Errorf("ParseFeatures(%q) = %+v, want %+v", tc.list, *got, tc.want)
		}
	}
}
