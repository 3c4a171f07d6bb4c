package refserver

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// marshalNoHTML is encoding/json without HTML escaping, the reference the
// fast encoder must match byte for byte.
func marshalNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func TestDecodeStored(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{}`, `{"a":[]}`, `{"a":{"b":[1,-2.5e-7,true,false,null,"x\"y\\z\n\u00e9\ud83d\ude00\ud800 \/"]}}`,
	} {
		var want map[string]any
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		got, err := decodeStored([]byte(in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("decodeStored(%s) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{``, `[]`, `{"a"}`, `{"a":tru}`, `{"a":1,}`, `{"a":"\q"}`, `{"a":"x`, `{"a":1}x`, `{"a":-}`} {
		if _, err := decodeStored([]byte(bad)); err == nil {
			t.Errorf("decodeStored(%s) accepted malformed input", bad)
		}
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"b":1,"a":[true,false,null],"c":{"z":"x","y":-0.5}}`,
		`{"s":"quote \" backslash \\ nl \n tab \t cr \r ctl \u0001 \u001f <>& é 😀 \u2028 \u2029"}`,
		`[1e21,1e-7,123456789,0.000001,-1.5e300,0,100]`,
		`"plain"`, `true`, `null`, `{}`, `[]`,
	} {
		var v any
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatal(err)
		}
		want, err := marshalNoHTML(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendJSON(nil, v)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("appendJSON(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	if got, _ := appendJSON(nil, "bad \xff utf8"); string(got) != `"bad \ufffd utf8"` {
		t.Errorf("invalid UTF-8: %s", got)
	}
	if got, err := appendJSON(nil, map[string]any{"typed": []string{"a"}}); err != nil || string(got) != `{"typed":["a"]}` {
		t.Errorf("fallback: %s, %v", got, err)
	}
}

// FuzzAppendJSON requires the fast encoder to round-trip any JSON value.
func FuzzAppendJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,"x",{"b":null}]}`, `"\u2028\ud800"`, `[1e-7,2.5,1e300]`, `{"é":"\u0000"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var v any
		if json.Unmarshal(in, &v) != nil {
			return
		}
		got, err := appendJSON(nil, v)
		if err != nil {
			t.Fatalf("appendJSON: %v", err)
		}
		want, _ := marshalNoHTML(v)
		if !bytes.Equal(got, want) {
			t.Fatalf("appendJSON = %s, encoding/json = %s", got, want)
		}
		var back any
		if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back, v) {
			t.Fatalf("round trip of %s: %v", got, err)
		}
		if m, ok := v.(map[string]any); ok {
			stored, err := decodeStored(got)
			if err != nil || !reflect.DeepEqual(stored, m) {
				t.Fatalf("decodeStored(%s) = %v, %v; want %v", got, stored, err, m)
			}
		}
	})
}

func TestAppendObjectOf(t *testing.T) {
	t.Parallel()
	doc := map[string]any{"id": "x", "b": []any{1.0, "s"}, "a": map[string]any{"z": true, "y": nil}, "meta": map[string]any{}}
	keep := func(k string) bool { return k != "id" && k != "meta" }
	got, n, err := appendObjectOf([]byte("p"), doc, keep)
	want, _ := appendJSON([]byte("p"), map[string]any{"b": doc["b"], "a": doc["a"]})
	if err != nil || n != 2 || string(got) != string(want) {
		t.Errorf("appendObjectOf = %s, %d, %v; want %s, 2", got, n, err, want)
	}
	if got, n, err := appendObjectOf(nil, map[string]any{"id": "x"}, keep); err != nil || n != 0 || string(got) != "{}" {
		t.Errorf("nothing kept: %s, %d, %v; want {}, 0", got, n, err)
	}
}
