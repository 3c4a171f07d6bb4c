package refserver

import (
	"strings"

	"github.com/scimconform/scimconform/refserver/schema"
)

// A stored body names each extension object by a two-byte code instead of
// its URN ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" is
// 59 bytes, held once per user), in the URN's place in key order. The
// code starts with a control byte, which no attribute name has and which
// appendJSON always escapes, so it cannot clash with a real key. Readers of
// stored bodies (decodeStored, storedFields) give the URN back.

// storedKeyCode maps an extension URN to its code; storedKeyURN back.
var storedKeyCode, storedKeyURN = func() (map[string]string, map[string]string) {
	codes, urns := map[string]string{}, map[string]string{}
	for _, rt := range []*schema.ResourceType{schema.UserType, schema.GroupType} {
		for _, e := range rt.Extensions {
			if _, done := codes[e.Schema.ID]; done {
				continue
			}
			code := string([]byte{0x01, byte('A' + len(codes))})
			codes[e.Schema.ID], urns[code] = code, e.Schema.ID
		}
	}
	return codes, urns
}()

// appendStoredKey appends a top-level key of a stored body: its code, or
// the key as a JSON string.
func appendStoredKey(b []byte, key string) []byte {
	if !strings.HasPrefix(key, "urn:") { // attribute names: no lookup
		return appendString(b, key)
	}
	if code, ok := storedKeyCode[key]; ok {
		b = append(b, '"')
		b = append(b, code...)
		return append(b, '"')
	}
	return appendString(b, key)
}

func init() {
	// decodeStored interns keys through attributeNames; let it expand codes.
	for code, urn := range storedKeyURN {
		attributeNames[code] = urn
	}
}
