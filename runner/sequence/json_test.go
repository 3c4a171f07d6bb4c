package sequence

import (
	"encoding/json"
	"math"
	"testing"
)

// EncodeJSON writes what encoding/json writes (request bodies and the
// golden derived bodies depend on its escaping and number format), an
// Object's members in their order.
func TestEncodeJSON(t *testing.T) {
	t.Parallel()
	values := []any{
		nil, true, false, "", "plain", `quote " and \ backslash`, "<a href='x'>&amp;</a>",
		"tab\tnew\nline\rcr\bbs\fff\x00nul\x1fus\x7fdel", "Zoë Ó Briain García-Núñez 日本",
		"bad utf8 \xff\xfe end", "line\u2028para\u2029sep", "emoji 😀",
		int64(0), int64(-42), int64(math.MaxInt64), 7,
		0.0, 1.0, -1.5, 1e-7, 1e-6, 123456789.125, 1e20, 1e21, 1.5e300, -2.5e-10, math.SmallestNonzeroFloat64,
		[]any{}, []any(nil), []any{"a", int64(1), nil, []any{true}},
		map[string]any{"z": "last", "a": []any{map[string]any{"y": nil}}},
		[]string{"typed", "slice"},
	}
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%#v): %v", v, err)
		}
		got, err := EncodeJSON(v)
		if err != nil || string(got) != string(want) {
			t.Errorf("EncodeJSON(%#v) = %s, %v; want %s", v, got, err, want)
		}
	}
	o := Object{{Key: "schemas", Value: []any{"urn:x"}}, {Key: "b&c", Value: Object{{Key: "<k>", Value: 1.25}, {Key: "a", Value: Object(nil)}}}}
	want := `{"schemas":["urn:x"],"b\u0026c":{"\u003ck\u003e":1.25,"a":{}}}`
	for _, enc := range []func(any) ([]byte, error){EncodeJSON, json.Marshal} {
		if got, err := enc(o); err != nil || string(got) != want {
			t.Errorf("%s, %v; want %s", got, err, want)
		}
	}
}

func TestEncodeJSONRefusesWhatJSONCannotExpress(t *testing.T) {
	t.Parallel()
	for _, v := range []any{math.NaN(), math.Inf(1), Object{{Key: "n", Value: math.Inf(-1)}}, []any{func() {}}} {
		if got, err := EncodeJSON(v); err == nil {
			t.Errorf("EncodeJSON(%#v) = %s, want an error", v, got)
		}
	}
}
