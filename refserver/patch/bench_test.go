package patch

import (
	"encoding/json"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
)

// disableBody is Entra's default-dialect disable PATCH (entra-protocol U9).
var disableBody = []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`)

// BenchmarkApplyActive measures Entra's disable PATCH on a typical user:
// parsing the body and applying it.
func BenchmarkApplyActive(b *testing.B) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(fuzzUser), &doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ops, err := ParseRequest(disableBody)
		if err != nil {
			b.Fatal(err)
		}
		if err := Apply(schema.UserType, doc, ops); err != nil {
			b.Fatal(err)
		}
	}
	if doc["active"] != false {
		b.Fatalf("active = %v after the disable PATCH", doc["active"])
	}
}
