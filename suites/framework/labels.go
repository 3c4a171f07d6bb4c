package framework

// Ginkgo labels carried by every spec. A spec has one area, one level and at
// least one source; specs that exercise an optional SCIM feature also carry
// that feature's label. Profiles (see ProfileLabelFilter) are label filters
// built from these values, and users can combine them with their own
// -ginkgo.label-filter.
const (
	// Areas: which part of the SCIM surface a spec exercises.
	LabelEntra       = "entra"
	LabelDiscovery   = "discovery"
	LabelUsers       = "users"
	LabelGroups      = "groups"
	LabelFilter      = "filter"
	LabelPatch       = "patch"
	LabelPagination  = "pagination"
	LabelProjection  = "projection"
	LabelErrors      = "errors"
	LabelSecurity    = "security"
	LabelETag        = "etag"
	LabelConcurrency = "concurrency"
	// LabelSafety marks the suite's own residue check (everything the run
	// created was deleted).
	LabelSafety = "safety"

	// Levels: RFC 2119 strength of the requirement. A failed "should" spec is
	// reported as a warning and does not fail the run (see It).
	LabelMust   = "must"
	LabelShould = "should"

	// Sources: the document the requirement comes from.
	LabelSourceEntra = "entra"
	LabelRFC7643     = "rfc7643"
	LabelRFC7644     = "rfc7644"

	// Dialects of the Entra sequences; the -dialect option filters on them.
	LabelDialectDefault = "dialect-default"
	LabelDialectAAD     = "dialect-aadOptscim062020"
)

// Optional features, as advertised by /ServiceProviderConfig. Each is also a
// label: a spec that needs a feature carries its label and calls
// RequireFeature so that an unsupported feature skips instead of failing.
const (
	FeaturePatch          = "patch"
	FeatureBulk           = "bulk"
	FeatureFilter         = "filter"
	FeatureChangePassword = "changePassword"
	FeatureSort           = "sort"
	FeatureETag           = "etag"
)

// Areas lists the area labels in the order reports present them.
var Areas = []string{
	LabelEntra, LabelDiscovery, LabelUsers, LabelGroups, LabelFilter, LabelPatch,
	LabelPagination, LabelProjection, LabelErrors, LabelSecurity, LabelETag,
	LabelConcurrency, LabelSafety,
}

// Features lists every optional feature name RequireFeature accepts.
var Features = []string{
	FeaturePatch, FeatureBulk, FeatureFilter, FeatureChangePassword, FeatureSort, FeatureETag,
}

// AreaOf returns the area a spec with these labels is reported under. Entra
// sequence steps carry a dialect label and may carry other area labels from
// their sequence, so the dialect decides; otherwise the first area label in
// Areas order other than "entra" (which doubles as a source label) wins.
func AreaOf(labels []string) string {
	has := make(map[string]bool, len(labels))
	for _, l := range labels {
		has[l] = true
	}
	if has[LabelDialectDefault] || has[LabelDialectAAD] {
		return LabelEntra
	}
	for _, a := range Areas {
		if a != LabelEntra && has[a] {
			return a
		}
	}
	if has[LabelEntra] {
		return LabelEntra
	}
	return "other"
}
