package framework

import (
	"fmt"
	"testing"

	"github.com/onsi/gomega/types"
)

func TestPartialMatchers(t *testing.T) {
	t.Parallel()
	const list = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"itemsPerPage":1,"startIndex":1,"Resources":[%s]}`
	wrap := func(resource string) string { return fmt.Sprintf(list, resource) }
	tests := []struct {
		name    string
		matcher types.GomegaMatcher
		body    string
		match   bool
	}{
		{"projected user without meta and userName", BeSCIMPartial("User"),
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"42","nickName":"n"}`, true},
		{"projected user without id", BeSCIMPartial("User"),
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"nickName":"n"}`, false},
		{"projected user without schemas", BeSCIMPartial("User"), `{"id":"42"}`, false},
		{"projected user with a wrong type", BeSCIMPartial("User"),
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"42","active":"maybe"}`, false},
		{"full user", BeSCIMPartial("User"), validUser, true},
		{"list of projected users", BeSCIMPartialList("User"),
			wrap(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"42"}`), true},
		{"list missing totalResults", BeSCIMPartialList("User"),
			`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[]}`, false},
		{"list of projected users without id", BeSCIMPartialList("User"),
			wrap(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u"}`), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ok, err := tc.matcher.Match(exchange(200, SCIMMediaType, tc.body))
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if ok != tc.match {
				t.Errorf("Match = %v, want %v; message:\n%s", ok, tc.match, tc.matcher.FailureMessage(exchange(200, SCIMMediaType, tc.body)))
			}
		})
	}
}

func TestPartialMatcherChecksContentType(t *testing.T) {
	t.Parallel()
	m := BeSCIMPartial("User")
	ok, err := m.Match(exchange(200, "text/html", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"42"}`))
	if err != nil || ok {
		t.Fatalf("Match = %v, %v; want a mismatch for text/html", ok, err)
	}
}
