package runner

import (
	"encoding/json"
	"math"
	"testing"
)

// appendJSON must write exactly what encoding/json writes: request bodies
// and the golden derived bodies depend on its escaping and number format.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	values := []any{
		nil, true, false, "", "plain", `quote " and \ backslash`, "<a href='x'>&amp;</a>",
		"tab\tnew\nline\rcr\bbs\fff\x00nul\x1fus\x7fdel", "Zoë Ó Briain García-Núñez 日本",
		"bad utf8 \xff\xfe end", "line\u2028para\u2029sep", "emoji 😀",
		int64(0), int64(-42), int64(math.MaxInt64), 7,
		0.0, 1.0, -1.5, 1e-7, 1e-6, 123456789.125, 1e20, 1e21, 1.5e300, -2.5e-10, math.SmallestNonzeroFloat64,
		[]any{}, []any(nil), []any{"a", int64(1), nil, []any{true}},
		Object{}, Object(nil), Object{{"schemas", []any{urnUser}}, {"b&c", Object{{"<k>", 1.25}}}},
		map[string]any{"z": "last", "a": []any{map[string]any{"y": nil}}, "M": Object{{"k", "v"}}},
		[]string{"typed", "slice"},
	}
	for _, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%#v): %v", v, err)
		}
		got, err := appendJSON(nil, v)
		if err != nil {
			t.Errorf("appendJSON(%#v): %v", v, err)
			continue
		}
		if string(got) != string(want) {
			t.Errorf("appendJSON(%#v)\n got %s\nwant %s", v, got, want)
		}
	}
}

func TestAppendJSONRefusesWhatJSONCannotExpress(t *testing.T) {
	t.Parallel()
	for _, v := range []any{math.NaN(), math.Inf(1), Object{{"n", math.Inf(-1)}}, []any{func() {}}} {
		if got, err := appendJSON(nil, v); err == nil {
			t.Errorf("appendJSON(%#v) = %s, want an error", v, got)
		}
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("plain", 1.5, int64(3))
	f.Add("<&>\u2028\xff\"\\\n\x01", 1e21, int64(-9))
	f.Add("", 1e-7, int64(0))
	f.Fuzz(func(t *testing.T, s string, x float64, n int64) {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			x = 0
		}
		v := Object{{s, []any{s, x, n, map[string]any{s: x}}}}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendJSON(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("got %s\nwant %s", got, want)
		}
	})
}
