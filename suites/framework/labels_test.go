package framework

import (
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

func TestAreaOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		labels []string
		want   string
	}{
		{[]string{LabelUsers, LabelMust, LabelRFC7644}, LabelUsers},
		{[]string{LabelEntra, LabelUsers, LabelMust, LabelDialectDefault}, LabelEntra},
		{[]string{LabelSourceEntra, LabelFilter, LabelRFC7644}, LabelFilter},
		{[]string{LabelEntra, LabelMust}, LabelEntra},
		{[]string{LabelMust}, "other"},
		{nil, "other"},
	}
	for _, tc := range tests {
		if got := AreaOf(tc.labels); got != tc.want {
			t.Errorf("AreaOf(%v) = %q, want %q", tc.labels, got, tc.want)
		}
	}
}

// Every label constant must be a valid Ginkgo label, or declaring a spec
// with it fails at tree construction.
func TestLabelsAreValidGinkgoLabels(t *testing.T) {
	t.Parallel()
	all := append(append([]string{}, Areas...), Features...)
	all = append(all, LabelMust, LabelShould, LabelSourceEntra, LabelRFC7643, LabelRFC7644, LabelDialectDefault, LabelDialectAAD)
	for _, l := range all {
		if _, err := types.ValidateAndCleanupLabel(l, types.CodeLocation{}); err != nil {
			t.Errorf("label %q is not a valid Ginkgo label: %v", l, err)
		}
	}
	for _, p := range []string{ProfileEntra, ProfileRFC} {
		filter, err := ProfileLabelFilter(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := types.ParseLabelFilter(filter); err != nil {
			t.Errorf("profile %s filter %q does not parse: %v", p, filter, err)
		}
	}
}
