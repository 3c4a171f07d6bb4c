package patch

import "github.com/scimconform/scimconform/refserver/schema"

// syncSchemas keeps a patched document canonical: an extension object left
// empty is removed, and `schemas` lists the core URN plus the URN of every
// extension object present.
func syncSchemas(rt *schema.ResourceType, doc map[string]any) {
	want := make([]any, 1, 1+len(rt.Extensions))
	want[0] = rt.Schema.ID
	for _, e := range rt.Extensions {
		switch m := doc[e.Schema.ID].(type) {
		case map[string]any:
			if len(m) > 0 {
				want = append(want, e.Schema.ID)
				continue
			}
			delete(doc, e.Schema.ID)
		case nil:
			delete(doc, e.Schema.ID)
		}
	}
	if have, ok := doc["schemas"].([]any); ok && equalStrings(have, want) {
		return
	}
	doc["schemas"] = want
}

func equalStrings(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}
