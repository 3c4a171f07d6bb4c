package patch

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// Sample documents the fuzzer patches: a full Entra-shaped user and a group.
var (
	fuzzUser = expand(`{"schemas":["$U","$E"],"id":"u1","externalId":"e1","userName":"adele@contoso.com",` +
		`"name":{"givenName":"Adele","familyName":"Vance","formatted":"Adele Vance"},"displayName":"Adele Vance","active":true,` +
		`"emails":[{"value":"adele@contoso.com","type":"work","primary":true},{"value":"a@home.example","type":"home"}],` +
		`"phoneNumbers":[{"value":"+1 555 0100","type":"mobile"}],"addresses":[{"type":"work","formatted":"18/2111","country":"US"}],` +
		`"roles":[{"value":"User","type":"WindowsAzureActiveDirectoryRole","primary":false}],` +
		`"groups":[{"value":"g1","display":"Sales"}],` +
		`"$E":{"employeeNumber":"55555555555","department":"Retail","manager":{"value":"m1","$ref":"../Users/m1"}},` +
		`"meta":{"resourceType":"User","created":"2026-01-01T00:00:00.000Z","lastModified":"2026-01-01T00:00:00.000Z","location":"/Users/u1","version":"W/\"1\""}}`)
	fuzzGroup = expand(`{"schemas":["$G"],"id":"g1","externalId":"ge1","displayName":"Sales",` +
		`"members":[{"value":"u1","$ref":"../Users/u1","type":"User"},{"value":"u2"}],` +
		`"meta":{"resourceType":"Group","created":"2026-01-01T00:00:00.000Z","lastModified":"2026-01-01T00:00:00.000Z","location":"/Groups/g1","version":"W/\"1\""}}`)
)

// FuzzApply feeds arbitrary PatchOp bodies through ParseRequest and Apply on
// a user and a group: nothing panics, every refusal is a 400 *scimerr.Error,
// and a successful PATCH never touches readOnly attributes and leaves a
// document that encodes as JSON.
func FuzzApply(f *testing.F) {
	f.Add([]byte(expand(`{"schemas":["$P"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`)))
	f.Fuzz(func(t *testing.T, body []byte) {
		ops, err := ParseRequest(body)
		if err != nil {
			requireBadRequest(t, "ParseRequest", err)
			return
		}
		for _, c := range []struct {
			rt  *schema.ResourceType
			doc string
		}{{schema.UserType, fuzzUser}, {schema.GroupType, fuzzGroup}} {
			var doc, before map[string]any
			if err := json.Unmarshal([]byte(c.doc), &doc); err != nil {
				t.Fatal(err)
			}
			_ = json.Unmarshal([]byte(c.doc), &before)
			if err := Apply(c.rt, doc, ops); err != nil {
				requireBadRequest(t, "Apply "+c.rt.Name, err)
				continue
			}
			if _, err := json.Marshal(doc); err != nil {
				t.Fatalf("patched %s does not encode: %v", c.rt.Name, err)
			}
			for _, k := range []string{"id", "meta", "groups"} {
				if !reflect.DeepEqual(doc[k], before[k]) {
					t.Fatalf("readOnly %s changed on %s: %v -> %v", k, c.rt.Name, before[k], doc[k])
				}
			}
		}
	})
}

func requireBadRequest(t *testing.T, what string, err error) {
	t.Helper()
	var se *scimerr.Error
	if !errors.As(err, &se) || se != err {
		t.Fatalf("%s returned %T %v, want a *scimerr.Error", what, err, err)
	}
	if se.Status != http.StatusBadRequest || se.ScimType == "" {
		t.Fatalf("%s returned %d %q (%s), want 400 with a scimType", what, se.Status, se.ScimType, se.Detail)
	}
}
