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

// normalizeBoth runs Normalize on body and NormalizeObject on body as
// Objects, fails unless both give the same document or the same error,
// and returns Normalize's answer.
func normalizeBoth(t testing.TB, rt *ResourceType, body map[string]any, mode Mode) (map[string]any, error) {
	t.Helper()
	got, err := Normalize(rt, body, mode)
	obj, objErr := NormalizeObject(rt, objectOf(body).(Object), mode)
	if !reflect.DeepEqual(obj, got) || !sameError(objErr, err) {
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
