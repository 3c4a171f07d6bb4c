package schemas

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// readTestdata returns a file under testdata/, failing the test if absent.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return b
}

// decode parses JSON keeping numbers exact, so re-encoding a mutated
// document changes only what the test changed.
func decode(t testing.TB, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return v
}

func encode(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// edit describes one change to a document: set the value at Pointer, or
// delete it when Delete is true.
type edit struct {
	Pointer string
	Value   any
	Delete  bool
}

func set(ptr string, v any) edit    { return edit{Pointer: ptr, Value: v} }
func del(ptr string) edit           { return edit{Pointer: ptr, Delete: true} }
func rawJSON(s string) any          { return json.RawMessage(s) }
func mustContain(urn string) string { return "must contain " + strconv.Quote(urn) }

// applyEdits returns base with every edit applied. Pointers use "/" tokens
// without escapes (none of the test documents need them).
func applyEdits(t testing.TB, base []byte, edits ...edit) []byte {
	t.Helper()
	doc := decode(t, base)
	for _, e := range edits {
		tokens := strings.Split(strings.TrimPrefix(e.Pointer, "/"), "/")
		parent := doc
		for _, tok := range tokens[:len(tokens)-1] {
			parent = child(t, parent, tok, e.Pointer)
		}
		last := tokens[len(tokens)-1]
		switch p := parent.(type) {
		case map[string]any:
			if e.Delete {
				delete(p, last)
			} else {
				p[last] = e.Value
			}
		case []any:
			i, err := strconv.Atoi(last)
			if err != nil || i >= len(p) || e.Delete {
				t.Fatalf("edit %s: only existing array elements can be set", e.Pointer)
			}
			p[i] = e.Value
		default:
			t.Fatalf("edit %s: parent is not a container", e.Pointer)
		}
	}
	return encode(t, doc)
}

func child(t testing.TB, v any, tok, ptr string) any {
	t.Helper()
	switch c := v.(type) {
	case map[string]any:
		if n, ok := c[tok]; ok {
			return n
		}
	case []any:
		if i, err := strconv.Atoi(tok); err == nil && i < len(c) {
			return c[i]
		}
	}
	t.Fatalf("edit %s: %q not found", ptr, tok)
	return nil
}

// elements splits a JSON array document into its elements; any other
// document is returned as the only element.
func elements(t testing.TB, b []byte) [][]byte {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return [][]byte{b}
	}
	out := make([][]byte, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}
