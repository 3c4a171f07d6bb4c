package runner

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestValidJSON(t *testing.T) {
	t.Parallel()
	cases := []string{
		``, ` `, `{}`, `[]`, ` { } `, `{"a":1}`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `[1,]`, `[,1]`, `[1 2]`,
		`"x"`, `"x`, `"\u00e9\n\"\\\/"`, `"\u00g0"`, `"\x"`, "\"tab\there\"", "\"\xff\xfe\"", `"\u12"`,
		`0`, `-0`, `01`, `-`, `1.`, `.5`, `1.5e`, `1.5e+3`, `1E-3`, `-12.0e10`, `1e`, `+1`,
		`true`, `tru`, `truex`, `null`, `nul`, `false`, `[true,false,null]`, `{"a":[{"b":{}}]}`,
		`{"a":1} {"b":2}`, `{"a":1}x`, "\t[1]\r\n", `{"":""}`, `[`, `{`, `}`, `]`, `{"a":}`, `{"a"}`,
		strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth),
		strings.Repeat("[", maxJSONDepth+1) + strings.Repeat("]", maxJSONDepth+1),
		strings.Repeat(`{"a":`, maxJSONDepth) + "1" + strings.Repeat("}", maxJSONDepth),
		strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1),
	}
	for _, c := range cases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%.40q) = %v, json.Valid says %v", c, got, want)
		}
	}
}

// FuzzValidJSON holds validJSON to json.Valid's answer on any input.
func FuzzValidJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,-2.5e3,"x\u00e9",true,null,{}]}`, `[01]`, `"\ud800"`, " 1 ", `{"a":1,}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid says %v", s, got, want)
		}
	})
}
