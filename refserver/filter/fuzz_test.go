package filter

import (
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Seed inputs live in testdata/fuzz/<FuzzName>/.

func FuzzParse(f *testing.F) {
	f.Add(`userName eq "bjensen"`)
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			requireBadRequest(t, err, scimerr.InvalidFilter)
			return
		}
		text := exprString(e)
		again, err := ParseWithLimits(text, Limits{MaxLength: 4*len(s) + 64})
		if err != nil {
			t.Fatalf("String() of Parse(%q) = %q does not parse: %v", s, text, err)
		}
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("Parse(%q) and Parse(String()) differ:\n %s\n %s", s, text, exprString(again))
		}
	})
}

func FuzzParsePath(f *testing.F) {
	f.Add(`emails[type eq "work"].value`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			requireBadRequest(t, err, scimerr.InvalidPath)
			return
		}
		text := p.String()
		if len(text) > DefaultLimits.MaxLength {
			return // quoting an unquoted value can push a path over the limit
		}
		again, err := ParsePath(text)
		if err != nil {
			t.Fatalf("String() of ParsePath(%q) = %q does not parse: %v", s, text, err)
		}
		if !reflect.DeepEqual(again, p) {
			t.Fatalf("ParsePath(%q) and ParsePath(String()) differ:\n %s\n %s", s, text, again)
		}
	})
}

func FuzzCompileMatch(f *testing.F) {
	f.Add(`emails[type eq "work"].value eq "bjensen@example.com"`)
	docs := []map[string]any{sampleUser(), sampleGroup(), {}, {"userName": 1.0, "emails": "x", "meta": "y"}}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			return
		}
		for _, rt := range []*schema.ResourceType{schema.UserType, schema.GroupType, deviceType} {
			m, err := Compile(rt, e)
			if err != nil {
				requireBadRequest(t, err, scimerr.InvalidFilter)
				continue
			}
			neg, err := Compile(rt, &Not{X: e})
			if err != nil {
				t.Fatalf("%q compiles but its negation does not: %v", s, err)
			}
			for i, d := range docs {
				if m(d) == neg(d) {
					t.Fatalf("%q and its negation agree (%v) on document %d", s, m(d), i)
				}
			}
		}
	})
}

func requireBadRequest(t *testing.T, err error, scimType string) {
	t.Helper()
	var se *scimerr.Error
	if !errors.As(err, &se) || se.Status != http.StatusBadRequest || se.ScimType != scimType {
		t.Fatalf("error %v (%T), want a 400 %s *scimerr.Error", err, err, scimType)
	}
}
