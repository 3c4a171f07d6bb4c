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
	// Every byte a string scan stops at, or must not, at every offset of
	// the eight-byte steps.
	for _, special := range []string{`"`, `\\`, `\n`, `\u00e9`, "\x00", "\x1f", " ", "\x7f", "\x80", "é", "\xff"} {
		for at := range 18 {
			plain := strings.Repeat("a", 18)
			cases = append(cases, `"`+plain[:at]+special+plain[at:]+`"`, `{"`+plain[:at]+special+`":1}`)
		}
	}
	for _, c := range cases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%.40q) = %v, json.Valid says %v", c, got, want)
		}
		checkMemberScan(t, c)
	}
}

// checkMemberScan holds memberScan to encoding/json: it accepts exactly
// the valid objects and returns their members in order.
func checkMemberScan(t *testing.T, s string) {
	t.Helper()
	var keys []string
	var values []json.RawMessage
	scan := newMemberScan([]byte(s))
	for key, value, ok := scan.next(); ok; key, value, ok = scan.next() {
		var k string
		if err := json.Unmarshal(key, &k); err != nil {
			t.Fatalf("memberScan(%.40q) returned the key %q: %v", s, key, err)
		}
		keys, values = append(keys, k), append(values, value)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	tok, err := dec.Token()
	wantObject := json.Valid([]byte(s)) && err == nil && tok == json.Delim('{')
	if scan.valid() != wantObject {
		t.Fatalf("memberScan(%.40q).valid() = %v, want %v", s, scan.valid(), wantObject)
	}
	if !wantObject {
		return
	}
	i := 0
	for ; dec.More(); i++ {
		tok, _ := dec.Token()
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if i >= len(keys) || tok != keys[i] || string(v) != string(values[i]) {
			t.Fatalf("memberScan(%.40q): member %d is %q: %s; encoding/json reads %q: %s", s, i, keys[i:], values[i:], tok, v)
		}
	}
	if i != len(keys) {
		t.Fatalf("memberScan(%.40q) read %d members, encoding/json %d", s, len(keys), i)
	}
}

// FuzzValidJSON holds validJSON to json.Valid's answer on any input, and
// memberScan to encoding/json's reading of the members of an object.
func FuzzValidJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,-2.5e3,"x\u00e9",true,null,{}]}`, ` {"a" : 1 , "b":[{}],"a":"\""} `, `[01]`, `"\ud800"`, " 1 ", `{"a":1,}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid says %v", s, got, want)
		}
		checkMemberScan(t, s)
	})
}
