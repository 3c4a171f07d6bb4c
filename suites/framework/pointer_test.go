package framework

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParsePointer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"", nil, false},
		{"/", []string{""}, false},
		{"/emails/0/value", []string{"emails", "0", "value"}, false},
		{"/a~1b/c~0d", []string{"a/b", "c~d"}, false},
		{"/~01", []string{"~1"}, false},
		{"emails", nil, true},
		{"/a~2", nil, true},
		{"/a~", nil, true},
	}
	for _, tc := range tests {
		got, err := ParsePointer(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParsePointer(%q) error = %v, wantErr %v", tc.in, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParsePointer(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	var doc any
	if err := json.Unmarshal([]byte(`{"userName":"a","emails":[{"value":"x@y","primary":true}],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m"}},
		"Dup":1,"dup":2,"a/b":3}`), &doc); err != nil {
		t.Fatal(err)
	}
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
		got, found, err := Lookup(doc, tc.pointer)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tc.pointer, err)
			continue
		}
		if found != tc.found || (found && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tc.pointer, got, found, tc.want, tc.found)
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
		v, found, err := Lookup(doc, pointer)
		if err != nil && found {
			t.Fatalf("Lookup(%q) reported both an error and a value", pointer)
		}
		if err == nil && pointer == "" && !reflect.DeepEqual(v, doc) {
			t.Fatalf("the empty pointer must return the whole document")
		}
	})
}
