package scimclient

import (
	"strings"
	"testing"
)

func TestReadResourceNames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body           string
		ok             bool
		id, user, disp string
		hasUser        bool
	}{
		{`{"id":"a1","userName":"scimc-x-u","displayName":"D"}`, true, "a1", "scimc-x-u", "D", true},
		{`{"ID":"a1","UserName":"u","username":"last wins"}`, true, "a1", "last wins", "", true},
		{`{"id":"a\u00e9\"1","userName":null}`, true, "aé\"1", "", "", false},
		{`{"id":7,"userName":42}`, true, "", "", "", true},
		{` {"meta":{"id":"nested"},"schemas":["id"]} `, true, "", "", "", false},
		{`{"id":"a1"`, false, "", "", "", false},
		{`[{"id":"a1"}]`, false, "", "", "", false},
		{`{"id":"a1"} x`, false, "", "", "", false},
	}
	for _, tc := range cases {
		var r Names
		ok := readResourceNames([]byte(tc.body), &r)
		if ok != tc.ok || (ok && (r.ID != tc.id || r.UserName != tc.user || r.DisplayName != tc.disp || r.HasUserName != tc.hasUser)) {
			t.Errorf("%s: ok %v id %q userName %q (%v) displayName %q", tc.body, ok, r.ID, r.UserName, r.HasUserName, r.DisplayName)
		}
	}
}

func TestReadList(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body    string
		total   int
		present bool
		ids     string
		err     string
	}{
		{`{"totalResults":2,"Resources":[{"id":"a"},{"id":"b"}]}`, 2, true, "a,b", ""},
		{`{"resources":[{"id":"a"}, 3, {"id":"c"}],"TOTALRESULTS":3}`, 3, true, "a,,c", ""},
		{`{"totalResults":0}`, 0, true, "", ""},
		{`{"Resources":null}`, 0, false, "", ""},
		{`{"totalResults":1.5}`, 0, false, "", "totalResults is not an integer"},
		{`{"totalResults":1,"Resources":"x"}`, 0, false, "", "Resources is not an array"},
		{`[]`, 0, false, "", "the body is not a JSON object"},
		{`<html>`, 0, false, "", "the body is not valid JSON"},
		{`{"totalResults":1,"Resources":[{"id":"a"}]`, 0, false, "", "the body is not valid JSON"},
	}
	for _, tc := range cases {
		var ids []string
		total, present, err := ReadList([]byte(tc.body), func(r *Names) { ids = append(ids, r.ID) })
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if total != tc.total || present != tc.present || strings.Join(ids, ",") != tc.ids || gotErr != tc.err {
			t.Errorf("%s: total %d (%v), ids %q, error %q", tc.body, total, present, ids, gotErr)
		}
	}
}
