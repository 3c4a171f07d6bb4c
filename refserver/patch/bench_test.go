package patch

import (
	"encoding/json"
	"fmt"
	"slices"
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

// BenchmarkAddMembersLargeGroup adds ten members, one already present, to a
// group of 100 000: the duplicate check must stay linear in the group size.
func BenchmarkAddMembersLargeGroup(b *testing.B) {
	const size = 100_000
	members := make([]any, size)
	for i := range members {
		members[i] = map[string]any{"value": fmt.Sprintf("user-%06d", i)}
	}
	add := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"value":"user-000042"}`
	for i := range 9 {
		add += fmt.Sprintf(`,{"$ref":null,"value":"new-%d"}`, i)
	}
	ops, err := ParseRequest([]byte(add + `]}]}`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		doc := map[string]any{"schemas": []any{schema.GroupURN}, "displayName": "big", "members": slices.Clone(members)}
		if err := Apply(schema.GroupType, doc, ops); err != nil {
			b.Fatal(err)
		}
		if n := len(doc["members"].([]any)); n != size+9 {
			b.Fatalf("%d members after adding 9 new ones to %d", n, size)
		}
	}
}
