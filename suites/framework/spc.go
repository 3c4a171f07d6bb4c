package framework

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"

	"github.com/scimconform/scimconform/runner"
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
func FetchSPC(ctx context.Context, c *runner.Client) (*SPC, error) {
	x := c.Do(ctx, runner.Request{Method: "GET", Path: "/ServiceProviderConfig"})
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

// Supports reports whether the target advertises feature in its
// /ServiceProviderConfig (false when it could not be read).
func (f *F) Supports(feature string) bool { return f.SPC.Supported(feature) }

// RequireFeature skips the spec unless the target advertises feature:
// optional features are never failed, only skipped with the reason. An
// unknown feature name is a mistake in the spec and fails it.
func (f *F) RequireFeature(feature string) {
	ginkgo.GinkgoHelper()
	if !slices.Contains(Features, feature) {
		ginkgo.Fail(fmt.Sprintf("RequireFeature(%q): unknown feature, use one of %v", feature, Features))
	}
	if f.SPC == nil {
		reason := "it could not be read"
		if f.env != nil && f.env.SPCError != nil {
			reason = f.env.SPCError.Error()
		}
		ginkgo.Skip(fmt.Sprintf("not supported: %s (ServiceProviderConfig unavailable: %s)", feature, reason))
	}
	if !f.SPC.Supported(feature) {
		ginkgo.Skip(fmt.Sprintf("not supported: %s (ServiceProviderConfig says supported=false)", feature))
	}
}
