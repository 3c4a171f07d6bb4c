package runner

import (
	"encoding/json"
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
		var r resourceNames
		ok := readResourceNames([]byte(tc.body), &r)
		if ok != tc.ok || (ok && (string(r.id) != tc.id || string(r.userName) != tc.user || string(r.displayName) != tc.disp || r.hasUserName != tc.hasUser)) {
			t.Errorf("%s: ok %v id %q userName %q (%v) displayName %q", tc.body, ok, r.id, r.userName, r.hasUserName, r.displayName)
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
		total, present, err := readList([]byte(tc.body), func(r *resourceNames) { ids = append(ids, string(r.id)) })
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if total != tc.total || present != tc.present || strings.Join(ids, ",") != tc.ids || gotErr != tc.err {
			t.Errorf("%s: total %d (%v), ids %q, error %q", tc.body, total, present, ids, gotErr)
		}
	}
}

// FuzzReadResourceNames checks the reader against encoding/json on every
// object both accept (ASCII only: the two fold other letters alike but not
// identically, which no SCIM name needs).
func FuzzReadResourceNames(f *testing.F) {
	for _, s := range []string{`{"id":"a1","userName":"u"}`, `{"ID":"\u0041","displayName":null}`, `{"id":1}`, `{"userName":"a","UserName":"b"}`, `{}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r resourceNames
		ok := readResourceNames(body, &r)
		_, _, _ = readList(body, func(*resourceNames) {})
		for _, c := range body {
			if c >= 0x80 {
				return
			}
		}
		var want struct {
			ID          string
			UserName    *string
			DisplayName *string
		}
		jerr := json.Unmarshal(body, &want)
		if object := validJSON(body) && strings.HasPrefix(strings.TrimSpace(string(body)), "{"); ok != object {
			t.Fatalf("%q: read as an object: %v, is one: %v", body, ok, object)
		}
		if !ok || jerr != nil {
			return // not an object, or a member of another type, which encoding/json refuses and the reader reads as none
		}
		if string(r.id) != want.ID || r.hasUserName != (want.UserName != nil) || r.hasDisplayName != (want.DisplayName != nil) {
			t.Fatalf("%q: id %q, names %v %v; encoding/json: %+v", body, r.id, r.hasUserName, r.hasDisplayName, want)
		}
		if want.UserName != nil && string(r.userName) != *want.UserName {
			t.Fatalf("%q: userName %q, encoding/json %q", body, r.userName, *want.UserName)
		}
	})
}
