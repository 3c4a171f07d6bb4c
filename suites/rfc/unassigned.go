package rfc

import (
	"encoding/json"
	"fmt"

	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/runner/jsonptr"
	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/suites/framework"
)

// beUnassigned matches an answer whose attribute at the JSON Pointer is
// unassigned: absent, null or an empty array. RFC 7643 §2.5: "Unassigned
// attributes, the null value, or empty array (in the case of a
// multi-valued attribute) SHALL be considered to be equivalent in
// "state"", and leaving them out is only a "MAY ... for compactness".
func beUnassigned(pointer string) types.GomegaMatcher { return &unassignedMatcher{pointer: pointer} }

type unassignedMatcher struct {
	pointer string
	got     any
	problem string
	x       *scimclient.Exchange
}

func (m *unassignedMatcher) Match(actual any) (bool, error) {
	x, ok := actual.(*scimclient.Exchange)
	if !ok || x == nil {
		return false, fmt.Errorf("unassigned matcher expects a *scimclient.Exchange, got %T", actual)
	}
	m.x = x
	var doc any
	if err := json.Unmarshal(x.RespBody, &doc); err != nil {
		m.problem = "the response body is not JSON: " + err.Error()
		return false, nil
	}
	v, present, err := jsonptr.Lookup(doc, m.pointer, jsonptr.Unique)
	if err != nil {
		return false, err
	}
	m.got = v
	if list, isList := v.([]any); !present || v == nil || (isList && len(list) == 0) {
		return true, nil
	}
	return false, nil
}

func (m *unassignedMatcher) FailureMessage(any) string {
	if m.problem != "" {
		return m.problem + "\n" + framework.DescribeExchange(m.x)
	}
	got, _ := json.Marshal(m.got)
	return fmt.Sprintf("Expected %q to be unassigned (absent, null or [], RFC 7643 §2.5), got %s\n%s", m.pointer, got, framework.DescribeExchange(m.x))
}

func (m *unassignedMatcher) NegatedFailureMessage(any) string {
	return fmt.Sprintf("Expected %q to have a value\n%s", m.pointer, framework.DescribeExchange(m.x))
}
