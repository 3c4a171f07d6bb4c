package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// SPC is the part of /ServiceProviderConfig (RFC 7643 §5) that decides
// which optional features the suite tests.
type SPC struct {
	Patch          bool
	Bulk           bool
	BulkMaxOps     int
	BulkMaxPayload int
	Filter         bool
	FilterMax      int
	ChangePassword bool
	Sort           bool
	ETag           bool
}

// spcDoc mirrors the JSON document; missing sections read as unsupported.
type spcDoc struct {
	Patch struct {
		Supported bool `json:"supported"`
	} `json:"patch"`
	Bulk struct {
		Supported      bool `json:"supported"`
		MaxOperations  int  `json:"maxOperations"`
		MaxPayloadSize int  `json:"maxPayloadSize"`
	} `json:"bulk"`
	Filter struct {
		Supported  bool `json:"supported"`
		MaxResults int  `json:"maxResults"`
	} `json:"filter"`
	ChangePassword struct {
		Supported bool `json:"supported"`
	} `json:"changePassword"`
	Sort struct {
		Supported bool `json:"supported"`
	} `json:"sort"`
	ETag struct {
		Supported bool `json:"supported"`
	} `json:"etag"`
}

// ParseSPC reads a /ServiceProviderConfig body.
func ParseSPC(body []byte) (*SPC, error) {
	var d spcDoc
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, fmt.Errorf("parse /ServiceProviderConfig: %w", err)
	}
	return &SPC{
		Patch: d.Patch.Supported,
		Bulk:  d.Bulk.Supported, BulkMaxOps: d.Bulk.MaxOperations, BulkMaxPayload: d.Bulk.MaxPayloadSize,
		Filter: d.Filter.Supported, FilterMax: d.Filter.MaxResults,
		ChangePassword: d.ChangePassword.Supported,
		Sort:           d.Sort.Supported,
		ETag:           d.ETag.Supported,
	}, nil
}

// FetchSPC GETs and parses the target's /ServiceProviderConfig.
func FetchSPC(ctx context.Context, c *scimclient.Client) (*SPC, error) {
	x := c.Do(ctx, scimclient.Request{Method: "GET", Path: "/ServiceProviderConfig"})
	if x.Err != nil {
		return nil, fmt.Errorf("GET /ServiceProviderConfig: %w", x.Err)
	}
	if x.Status != 200 {
		return nil, fmt.Errorf("GET /ServiceProviderConfig: HTTP %d, expected 200", x.Status)
	}
	return ParseSPC(x.RespBody)
}

// Supported reports whether the feature is advertised as supported.
// Unknown feature names are not supported.
func (s *SPC) Supported(feature string) bool {
	if s == nil {
		return false
	}
	switch feature {
	case FeaturePatch:
		return s.Patch
	case FeatureBulk:
		return s.Bulk
	case FeatureFilter:
		return s.Filter
	case FeatureChangePassword:
		return s.ChangePassword
	case FeatureSort:
		return s.Sort
	case FeatureETag:
		return s.ETag
	}
	return false
}

// ParseFeatures reads the -features option: a comma-separated list of
// optional features (any case: "patch,filter,ETag") or "none". The result
// stands in for the target's /ServiceProviderConfig.
func ParseFeatures(list string) (*SPC, error) {
	spc := &SPC{}
	if strings.EqualFold(strings.TrimSpace(list), "none") {
		return spc, nil
	}
	var unknown []string
	for _, raw := range strings.Split(list, ",") {
		name := strings.TrimSpace(raw)
		i := slices.IndexFunc(Features, func(f string) bool { return strings.EqualFold(f, name) })
		if i < 0 {
			unknown = append(unknown, strconv.Quote(name))
			continue
		}
		switch Features[i] {
		case FeaturePatch:
			spc.Patch = true
		case FeatureBulk:
			spc.Bulk = true
		case FeatureFilter:
			spc.Filter = true
		case FeatureChangePassword:
			spc.ChangePassword = true
		case FeatureSort:
			spc.Sort = true
		case FeatureETag:
			spc.ETag = true
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("-features %q: unknown feature %s: list some of %s, or write none", list, strings.Join(unknown, ", "), strings.Join(Features, ","))
	}
	return spc, nil
}

// EntraFeatures are the optional features Microsoft Entra ID uses whatever
// a target's /ServiceProviderConfig says (Entra never reads it): it looks
// users and groups up with filters and updates them with PATCH.
var EntraFeatures = []string{FeaturePatch, FeatureFilter}

// SkipFeatureUnknown starts the skip message of a spec that needs an
// optional feature when nothing says whether the target supports it: no
// usable /ServiceProviderConfig and no -features. Reports count these.
const SkipFeatureUnknown = "feature support unknown"

// Supports reports whether the target supports feature: as -features
// states, else as its /ServiceProviderConfig advertises (false when it
// could not be read).
func (f *F) Supports(feature string) bool { return f.SPC.Supported(feature) }

// RequireFeature skips the spec unless the target supports feature (as
// -features states, else as /ServiceProviderConfig advertises): optional
// features are never failed, only skipped with the reason. A spec labelled
// "entra" never skips for a feature Entra uses (EntraFeatures): Entra sends
// those requests whatever the target advertises. An unknown feature name
// is a mistake in the spec and fails it.
func (f *F) RequireFeature(feature string) {
	ginkgo.GinkgoHelper()
	if !slices.Contains(Features, feature) {
		ginkgo.Fail(fmt.Sprintf("RequireFeature(%q): unknown feature, use one of %v", feature, Features))
	}
	if slices.Contains(EntraFeatures, feature) && slices.Contains(ginkgo.CurrentSpecReport().Labels(), LabelSourceEntra) {
		return
	}
	if f.SPC == nil {
		reason := "it could not be read"
		if f.env != nil && f.env.SPCError != nil {
			reason = f.env.SPCError.Error()
		}
		ginkgo.Skip(fmt.Sprintf("%s: %s (the target has no usable /ServiceProviderConfig: %s); state the features it supports with -features (SCIM_FEATURES)", SkipFeatureUnknown, feature, reason))
	}
	if !f.SPC.Supported(feature) {
		if f.env != nil && f.env.FeaturesStated {
			ginkgo.Skip(fmt.Sprintf("not supported: %s (not among -features %s)", feature, f.env.Config.Features))
		}
		ginkgo.Skip(fmt.Sprintf("not supported: %s (ServiceProviderConfig says supported=false)", feature))
	}
}
