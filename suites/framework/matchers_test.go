package framework

import (
	"net/http"
	"strings"
	"testing"

	"github.com/onsi/gomega"
	"github.com/onsi/gomega/types"

	"github.com/scimconform/scimconform/runner/scimclient"
	"github.com/scimconform/scimconform/schemas"
)

func exchange(status int, contentType, body string) *scimclient.Exchange {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &scimclient.Exchange{
		Method: "POST", URL: "http://127.0.0.1:1/scim/Users",
		ReqHeader: http.Header{"Authorization": {"Bearer sekrit-token"}, "Content-Type": {SCIMMediaType}},
		ReqBody:   []byte(`{"userName":"u","password":"pa55word-secret"}`),
		Status:    status, RespHeader: h, RespBody: []byte(body), Attempts: 1,
	}
}

const validUser = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"42","userName":"u",
	"emails":[{"value":"u@example.com","primary":true}],"active":true,
	"meta":{"resourceType":"User","created":"2026-01-01T00:00:00.000Z","lastModified":"2026-01-01T00:00:00.000Z","location":"http://127.0.0.1/Users/42","version":"W/\"1\""}}`

func TestMatchers(t *testing.T) {
	t.Parallel()
	scimErr := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"taken"}`
	tests := []struct {
		name    string
		matcher types.GomegaMatcher
		x       *scimclient.Exchange
		match   bool
		message []string // substrings of the failure message
	}{
		{"status ok", HaveStatus(201), exchange(201, SCIMMediaType, validUser), true, nil},
		{"status one of", HaveStatus(200, 204), exchange(204, "", ""), true, nil},
		{"status wrong", HaveStatus(201), exchange(400, SCIMMediaType, `{"detail":"bad"}`), false,
			[]string{"Expected the response to have status 201 Created", "the status is 400 Bad Request, expected 201 Created", "POST http://127.0.0.1:1/scim/Users", `Content-Type: "application/scim+json"`, `{"detail":"bad"}`, "request body:"}},
		{"no response", HaveStatus(200), &scimclient.Exchange{Method: "GET", URL: "http://127.0.0.1:1/x", Err: errString("dial tcp: refused")}, false,
			[]string{"no response arrived: dial tcp: refused"}},
		{"scim user valid", BeSCIM(schemas.User), exchange(201, "application/scim+json; charset=utf-8", validUser), true, nil},
		{"scim wrong media type", BeSCIM(schemas.User), exchange(201, "application/json", validUser), false,
			[]string{`Content-Type is "application/json", expected application/scim+json`}},
		{"scim violations all listed", BeSCIM(schemas.User), exchange(201, SCIMMediaType, `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":7,"userName":3,"active":"yes"}`), false,
			[]string{"schema: ", "/id", "/userName", "/active"}},
		{"scim list", BeSCIMList(schemas.User), exchange(200, SCIMMediaType, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":1,"itemsPerPage":1,"startIndex":1,"Resources":[`+validUser+`]}`), true, nil},
		{"json equal", HaveJSON("/userName", "u"), exchange(200, SCIMMediaType, validUser), true, nil},
		{"json number", HaveJSON("/n", 3), exchange(200, SCIMMediaType, `{"n":3.0}`), true, nil},
		{"json matcher", HaveJSON("/emails/0/value", gomega.HaveSuffix("@example.com")), exchange(200, SCIMMediaType, validUser), true, nil},
		{"json matcher fails", HaveJSON("/scimType", gomega.Not(gomega.BeEmpty())), exchange(400, SCIMMediaType, `{"scimType":""}`), false,
			[]string{`Expected the response to have "/scimType" (expected it not to be empty)`, `"/scimType" is "", expected it not to be empty`}},
		{"json matcher with a set", HaveJSON("/scimType", gomega.BeElementOf("invalidSyntax", "invalidValue")), exchange(400, SCIMMediaType, `{"scimType":"uniqueness"}`), false,
			[]string{`"/scimType" is "uniqueness", expected it to be an element of ["invalidSyntax", "invalidValue"]`}},
		{"json differs", HaveJSON("/active", false), exchange(200, SCIMMediaType, validUser), false, []string{`"/active" is true, expected false`}},
		{"json absent", HaveJSON("/nickName", "x"), exchange(200, SCIMMediaType, validUser), false, []string{`"/nickName" is absent`}},
		{"json not json", HaveJSON("/a", 1), exchange(200, SCIMMediaType, `<html>`), false, []string{"not JSON"}},
		{"not have json", NotHaveJSON("/password"), exchange(200, SCIMMediaType, validUser), true, nil},
		{"not have json present", NotHaveJSON("/userName"), exchange(200, SCIMMediaType, validUser), false, []string{`"/userName" is present: "u"`}},
		{"subset", HaveJSONSubset(map[string]any{"userName": "u", "emails": []any{map[string]any{"primary": true}}, "meta": map[string]any{"resourceType": "User"}}),
			exchange(200, SCIMMediaType, validUser), true, nil},
		{"subset misses", HaveJSONSubset(map[string]any{"userName": "v", "emails": []any{map[string]any{"type": "home"}}, "title": "x"}),
			exchange(200, SCIMMediaType, validUser), false, []string{`"/userName" is "u", expected "v"`, `"/emails" has no element matching {"type":"home"}`, `"/title" is absent`}},
		{"scim error", HaveSCIMError(409, "uniqueness"), exchange(409, SCIMMediaType, scimErr), true, nil},
		{"scim error every problem", HaveSCIMError(409, "uniqueness"),
			exchange(400, "application/json", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":400,"scimType":"invalidValue"}`), false,
			[]string{"status is 400, expected 409", "Content-Type is", `body "status" is 400, expected the string "409"`, `body "scimType" is "invalidValue", expected "uniqueness"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ok, err := tc.matcher.Match(tc.x)
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if ok != tc.match {
				t.Fatalf("Match = %v, want %v; message:\n%s", ok, tc.match, tc.matcher.FailureMessage(tc.x))
			}
			if ok {
				return
			}
			msg := tc.matcher.FailureMessage(tc.x)
			for _, want := range tc.message {
				if !strings.Contains(msg, want) {
					t.Errorf("failure message lacks %q:\n%s", want, msg)
				}
			}
			if gomegaDump.MatchString(msg) || strings.Contains(msg, "*matchers.") {
				t.Errorf("failure message holds a Gomega dump:\n%s", msg)
			}
			for _, secret := range []string{"sekrit-token", "pa55word-secret"} {
				if strings.Contains(msg, secret) {
					t.Errorf("failure message leaks %q:\n%s", secret, msg)
				}
			}
		})
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestMatcherRejectsNonExchange(t *testing.T) {
	t.Parallel()
	if _, err := HaveStatus(200).Match("not an exchange"); err == nil {
		t.Error("HaveStatus matched a string")
	}
	var nilX *scimclient.Exchange
	if _, err := BeSCIM(schemas.User).Match(nilX); err == nil {
		t.Error("BeSCIM matched a nil exchange")
	}
}

func TestMatcherTruncatesLongBodies(t *testing.T) {
	t.Parallel()
	long := `{"detail":"` + strings.Repeat("é", 5000) + `"}`
	m := HaveStatus(200)
	x := exchange(500, SCIMMediaType, long)
	if ok, _ := m.Match(x); ok {
		t.Fatal("HaveStatus(200) matched 500")
	}
	msg := m.FailureMessage(x)
	for _, want := range []string{`{"detail":"éé`, " elided of 9.8 KiB …", `éé"}`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q", want)
		}
	}
	if len(msg) > 3*maxBodyInMessage+1000 {
		t.Errorf("long body not cut (message %d bytes)", len(msg))
	}
	if !strings.Contains(m.NegatedFailureMessage(x), "NOT to have status 200") {
		t.Error("negated message does not say NOT")
	}
}

// A huge ListResponse of broken resources fails with a bounded message:
// the first problems, their number, and the body's head and tail with its
// full size.
func TestMatcherBoundsHugeResponses(t *testing.T) {
	t.Parallel()
	var body strings.Builder
	body.WriteString(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":5000,"Resources":[`)
	for i := range 5000 {
		if i > 0 {
			body.WriteByte(',')
		}
		body.WriteString(`{"id":1,"userName":2}`)
	}
	body.WriteString(`],"last":"tail-mark"}`)
	x := exchange(200, SCIMMediaType, body.String())
	rec := scimclient.NewRedactor(64<<10, nil).Exchange(x)
	m := BeSCIMList(schemas.User)
	if ok, _ := m.Match(x); ok {
		t.Fatal("a list of broken users matched")
	}
	msg := m.FailureMessage(x)
	if got := strings.Count(msg, "\n  - schema"); got != scimclient.MaxListed {
		t.Errorf("%d problems listed, want %d", got, scimclient.MaxListed)
	}
	for _, want := range []string{"  … and ", " more problems\n", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"]`,
		`"last":"tail-mark"}`, " elided of 107.5 KiB …"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q", want)
		}
	}
	if len(msg) > 8<<10 {
		t.Errorf("the message is %d bytes", len(msg))
	}
	if described := DescribeRecord(rec); !rec.Truncated || !strings.Contains(described, " elided of 107.5 KiB …") {
		t.Errorf("a record cut by the redactor is not described with the body's size:\n%s", described)
	}
}
