package jsonptr

import (
	"encoding/json"
	"reflect"
	"testing"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"", nil, ""},
		{"/", []string{""}, ""},
		{"/emails/0/value", []string{"emails", "0", "value"}, ""},
		{"/a~1b/c~0d", []string{"a/b", "c~d"}, ""},
		{"/~01", []string{"~1"}, ""},
		{"emails", nil, `JSON Pointer "emails" must start with /`},
		{"/a~2", nil, `JSON Pointer "/a~2": ~ must be followed by 0 or 1`},
		{"/a~", nil, `JSON Pointer "/a~": ~ must be followed by 0 or 1`},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if gotErr != tc.wantErr || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %q, %q; want %q, %q", tc.in, got, gotErr, tc.want, tc.wantErr)
		}
	}
}

func TestEscape(t *testing.T) {
	t.Parallel()
	if got := Escape("a/b~c"); got != "a~1b~0c" {
		t.Errorf("Escape = %q", got)
	}
}

// The suites' rule: an ambiguous spelling finds nothing.
func TestLookupUnique(t *testing.T) {
	t.Parallel()
	doc := decode(t, `{"userName":"a","emails":[{"value":"x@y","primary":true}],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m"}},
		"Dup":1,"dup":2,"a/b":3}`)
	tests := []struct {
		pointer string
		want    any
		found   bool
	}{
		{"/userName", "a", true},
		{"/USERNAME", "a", true},
		{"/emails/0/primary", true, true},
		{"/emails/1", nil, false},
		{"/emails/00", nil, false},
		{"/emails/-1", nil, false},
		{"/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/manager/value", "m", true},
		{"/dup", 2.0, true},
		{"/DUP", nil, false}, // two keys differ only in case: ambiguous
		{"/a~1b", 3.0, true},
		{"/userName/x", nil, false},
		{"/missing", nil, false},
	}
	for _, tc := range tests {
		got, found, err := Lookup(doc, tc.pointer, Unique)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tc.pointer, err)
			continue
		}
		if found != tc.found || (found && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tc.pointer, got, found, tc.want, tc.found)
		}
	}
}

// The runner's rule: any other spelling is found.
func TestLookupAny(t *testing.T) {
	t.Parallel()
	doc := decode(t, `{"id":"1","Resources":[{"members":null,"a/b":{"c~d":5}}],"Name":{"givenName":"g"},"Dup":1,"dUP":2}`)
	cases := []struct {
		ptr   string
		found bool
		value string
	}{
		{"", true, ""},
		{"/id", true, `"1"`},
		{"/resources/0/members", true, "null"},
		{"/Resources/0/a~1b/c~0d", true, "5"},
		{"/name/GIVENNAME", true, `"g"`},
		{"/dup", true, "1"}, // the first spelling in sorted order
		{"/Resources/1", false, ""},
		{"/Resources/01", false, ""},
		{"/Resources/-1", false, ""},
		{"/id/x", false, ""},
		{"/nope", false, ""},
	}
	for _, tc := range cases {
		v, ok, err := Lookup(doc, tc.ptr, Any)
		text, _ := json.Marshal(v)
		if err != nil || ok != tc.found || (tc.value != "" && string(text) != tc.value) {
			t.Errorf("Lookup(%q) = %s, %v, %v; want %s, %v", tc.ptr, text, ok, err, tc.value, tc.found)
		}
	}
}

func FuzzLookup(f *testing.F) {
	f.Add(`{"a":[{"b":1}]}`, "/a/0/b")
	f.Add(`[1,2]`, "/1")
	f.Add(`{"~":{"/":0}}`, "/~0/~1")
	f.Add(`null`, "")
	f.Fuzz(func(t *testing.T, body, pointer string) {
		var doc any
		if json.Unmarshal([]byte(body), &doc) != nil {
			return
		}
		for _, fold := range []Fold{Unique, Any} {
			v, found, err := Lookup(doc, pointer, fold)
			if err != nil && found {
				t.Fatalf("Lookup(%q) reported both an error and a value", pointer)
			}
			if err == nil && pointer == "" && !reflect.DeepEqual(v, doc) {
				t.Fatalf("the empty pointer must return the whole document")
			}
		}
	})
}
