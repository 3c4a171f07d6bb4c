package runner

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/runner/sequence"
)

// check captures from a passing create and reports a failing lookup.
func TestCheckCapturesAndMatches(t *testing.T) {
	t.Parallel()
	x := &scimclient.Exchange{Status: 201, RespHeader: map[string][]string{"Content-Type": {"application/scim+json; charset=utf-8"}},
		RespBody: []byte(` {"id":"u1","totalResults":3} `)}
	c := check(x, &renderedExpect{Expect: sequence.Expect{Status: []int{201}, Capture: map[string]string{"userId": "/id"}}})
	if len(c.violations)+len(c.warnings) > 0 || c.captures["userId"] != "u1" || len(c.captures) != 1 {
		t.Errorf("passing create: %+v", c)
	}
	c = check(x, &renderedExpect{Expect: sequence.Expect{Status: []int{201}}, body: sequence.Object{{Key: "totalResults", Value: int64(0)}}})
	want := []Violation{{Kind: ViolationMatch, Path: "/totalResults", Message: "different value", Expected: "0", Actual: "3"}}
	if len(c.violations) != 1 || c.violations[0] != want[0] || c.captures != nil {
		t.Errorf("failing lookup: %+v, want violations %+v", c, want)
	}
}

func TestIsScimContentType(t *testing.T) {
	t.Parallel()
	cases := []struct {
		ct   string
		want bool
	}{
		{"application/scim+json", true},
		{"Application/SCIM+JSON", true},
		{"application/scim+json; charset=utf-8", true},
		{"application/scim+json;charset=UTF-8", true},
		{"application/scim+json ; charset=utf-8", true},
		{"application/scim+json; charset=\"utf-8\"", true},
		{"application/ſcim+json", false},
		{"application/json", false},
		{"application/scim+json; charset", false},
		{"", false},
	}
	for _, tc := range cases {
		if got := isScimContentType(tc.ct); got != tc.want {
			t.Errorf("isScimContentType(%q) = %v, want %v", tc.ct, got, tc.want)
		}
	}
}

// A body that is not JSON fails with encoding/json's reason.
func TestCheckRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	e := &renderedExpect{Expect: sequence.Expect{Status: []int{200}, Capture: map[string]string{"id": "/id"}}}
	for _, body := range []string{`{"id":`, `{"id":"x"} trailing`, `<html>`} {
		x := &scimclient.Exchange{Status: 200, RespHeader: map[string][]string{"Content-Type": {scimclient.ScimContentType}}, RespBody: []byte(body)}
		c := check(x, e)
		var v any
		want := json.Unmarshal([]byte(body), &v)
		if len(c.violations) != 1 || c.violations[0].Kind != ViolationSchema || !strings.HasSuffix(c.violations[0].Message, want.Error()) {
			t.Errorf("%s: %+v, want one schema violation ending %q", body, c.violations, want)
		}
	}
}
