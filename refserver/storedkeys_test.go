package refserver

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// TestStoredKeyCodes checks that extension URNs are stored as their codes
// and read back as URNs by both readers of stored bodies.
func TestStoredKeyCodes(t *testing.T) {
	t.Parallel()
	const urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	code, ok := storedKeyCode[urn]
	if !ok || len(code) != 2 || code[0] != 0x01 {
		t.Fatalf("code of %s = %q, %v", urn, code, ok)
	}
	for key := range storedKeyCode {
		if !strings.HasPrefix(key, "urn:") {
			t.Errorf("coded key %q does not start with urn:, which appendStoredKey looks for", key)
		}
	}
	doc := map[string]any{"title": "T", urn: map[string]any{"department": "D"}, "active": true}
	body, n, err := appendObjectOf(nil, doc, func(string) bool { return true })
	if err != nil || n != 3 {
		t.Fatalf("appendObjectOf: %v, %d", err, n)
	}
	if bytes.Contains(body, []byte(urn)) || !bytes.Contains(body, []byte(`"`+code+`":`)) {
		t.Errorf("stored body %q should name the extension by its code", body)
	}
	back, err := decodeStored(body)
	if err != nil || !reflect.DeepEqual(back, doc) {
		t.Errorf("decodeStored(%q) = %v, %v; want %v", body, back, err, doc)
	}
	var keys []string
	for it := (storedFields{b: body}); ; {
		key, _, more, valid := it.next()
		if !valid {
			t.Fatalf("storedFields refused %q", body)
		}
		if !more {
			break
		}
		keys = append(keys, key)
	}
	if want := []string{"active", "title", urn}; !reflect.DeepEqual(keys, want) {
		t.Errorf("storedFields keys = %q, want %q (URN order)", keys, want)
	}
}
