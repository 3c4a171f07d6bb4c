package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// objectOf converts a decoded JSON value's maps, at every depth, into
// Objects.
func objectOf(v any) any {
	switch v := v.(type) {
	case map[string]any:
		o := make(Object, 0, len(v))
		for k, x := range v {
			o = append(o, Member{k, objectOf(x)})
		}
		slices.SortFunc(o, func(a, b Member) int { return strings.Compare(a.Key, b.Key) })
		return o
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = objectOf(x)
		}
		return out
	}
	return v
}

// mapOf turns the Objects in v, at every depth, back into maps, failing
// unless their keys are in strictly increasing order (sorted, each once).
func mapOf(t testing.TB, v any) any {
	t.Helper()
	switch v := v.(type) {
	case Object:
		m := make(map[string]any, len(v))
		for i, kv := range v {
			if i > 0 && v[i-1].Key >= kv.Key {
				t.Fatalf("Object keys out of order: %q before %q", v[i-1].Key, kv.Key)
			}
			m[kv.Key] = mapOf(t, kv.Value)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = mapOf(t, x)
		}
		return out
	}
	return v
}

// normalizeBoth runs Normalize on body and NormalizeObject on body as
// Objects, fails unless both give the same document (the Object one in
// key order) or the same error, and returns Normalize's answer.
func normalizeBoth(t testing.TB, rt *ResourceType, body map[string]any, mode Mode) (map[string]any, error) {
	t.Helper()
	got, err := Normalize(rt, body, mode)
	obj, objErr := NormalizeObject(rt, objectOf(body).(Object), mode, &Arena{})
	var objDoc any
	if objErr == nil {
		objDoc = mapOf(t, obj)
	} else if obj != nil {
		t.Fatalf("NormalizeObject gave %v with error %v", obj, objErr)
	}
	if (err == nil && !reflect.DeepEqual(objDoc, any(got))) || !sameError(objErr, err) {
		t.Fatalf("%s mode %d: %s\nNormalize:       %s, %v\nNormalizeObject: %s, %v",
			rt.ID, mode, toJSON(body), toJSON(got), err, toJSON(obj), objErr)
	}
	return got, err
}

func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(scimerr.As(a), scimerr.As(b))
}

// TestNormalizeObjectNestedInMap checks that an Object nested in a map
// body is read like a map: normalised into a map, its errors worded alike.
func TestNormalizeObjectNestedInMap(t *testing.T) {
	t.Parallel()
	body := decode(t, `{`+userSchemas+`,"userName":"u","emails":[{"value":"e","primary":"True"}]}`)
	body["name"] = Object{{"familyName", "F"}, {"givenName", "G"}}
	got, err := Normalize(UserType, body, Create)
	if err != nil {
		t.Fatal(err)
	}
	want := decode(t, `{`+userSchemas+`,"userName":"u","name":{"familyName":"F","givenName":"G"},"emails":[{"value":"e","primary":true}]}`)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %s\nwant %s", toJSON(got), toJSON(want))
	}
	body["name"] = Object{{"givenName", 1.0}}
	_, err = Normalize(UserType, body, Create)
	wantSCIMError(t, err, scimerr.InvalidValue, `attribute "name.givenName": expected string, got number`)
	body["name"] = Object{{"givenName", "G"}}
	body["userName"] = Object{}
	_, err = Normalize(UserType, body, Create)
	wantSCIMError(t, err, scimerr.InvalidValue, `attribute "userName": expected string, got object`)
}

// TestSortMembersIsAStableSort holds SortMembers to slices.SortStableFunc
// on small and large objects with keys given more than once.
func TestSortMembersIsAStableSort(t *testing.T) {
	t.Parallel()
	keys := []string{"userName", "name", "Name", "emails", "", "urn:a", "urn:a:b", "z", "a"}
	for _, n := range []int{0, 1, 2, 5, 14, smallSort, smallSort + 1, 100} {
		ms := make([]Member, n)
		for i := range ms {
			ms[i] = Member{keys[(i*7+n)%len(keys)], i} // the value records the order given
		}
		want := slices.Clone(ms)
		slices.SortStableFunc(want, func(a, b Member) int { return strings.Compare(a.Key, b.Key) })
		SortMembers(ms)
		if !reflect.DeepEqual(ms, want) {
			t.Errorf("%d members: got %v, want %v", n, ms, want)
		}
	}
}

// TestNormalizeObjectKeepsCanonical checks that NormalizeObject takes
// the body's Objects and arrays that are canonical already into the
// document as they are, and copies (never edits) the others.
func TestNormalizeObjectKeepsCanonical(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		kept       []string // top-level attributes shared with the body
		copied     []string
	}{
		{"canonical", `"name":{"familyName":"F","givenName":"G"},"emails":[{"primary":true,"value":"e"},{"value":"f"}]`,
			[]string{"name", "emails"}, nil},
		{"coerced boolean", `"name":{"givenName":"G"},"emails":[{"value":"f"},{"primary":"True","value":"e"}]`,
			[]string{"name"}, []string{"emails"}},
		{"unknown sub-attribute", `"name":{"givenName":"G","nick":"n"},"emails":[{"value":"f"}]`,
			[]string{"emails"}, []string{"name"}},
		{"key spelt otherwise", `"name":{"GivenName":"G"},"emails":[{"value":"f"},null]`,
			nil, []string{"name", "emails"}},
	} {
		body := objectOf(decode(t, `{`+userSchemas+`,"userName":"u",`+tc.body+`}`)).(Object)
		before := toJSON(body)
		doc, err := NormalizeObject(UserType, body, Create, &Arena{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, names := range []struct {
			list []string
			want bool
		}{{tc.kept, true}, {tc.copied, false}} {
			for _, name := range names.list {
				if got := sameValue(Get(doc, name), Get(body, name)); got != names.want {
					t.Errorf("%s: %s shared with the body = %v, want %v", tc.name, name, got, names.want)
				}
			}
		}
		if after := toJSON(body); after != before {
			t.Errorf("%s: body changed from %s to %s", tc.name, before, after)
		}
	}
}
