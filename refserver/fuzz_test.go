package refserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// fuzzServer returns a server holding a user, a group with that user, and a
// nested group, plus their ids.
func fuzzServer(f *testing.F) (*Server, []string) {
	srv, err := New(Options{Token: testToken, MaxBodyBytes: 64 << 10})
	if err != nil {
		f.Fatal(err)
	}
	var ids []string
	for _, body := range []string{
		`{"schemas":["` + userURN + `"],"userName":"fuzz@example.com","externalId":"fx","active":true,"emails":[{"value":"f@x.com","type":"work"}]}`,
		`{"schemas":["` + groupURN + `"],"displayName":"FuzzGroup","members":[{"value":"$0"}]}`,
		`{"schemas":["` + groupURN + `"],"displayName":"Outer","members":[{"value":"$1"}]}`,
	} {
		for i, id := range ids {
			body = strings.ReplaceAll(body, "$"+string(rune('0'+i)), id)
		}
		path := "/Users"
		if strings.Contains(body, groupURN) {
			path = "/Groups"
		}
		w := serve(srv, http.MethodPost, path, "", []byte(body))
		var doc map[string]any
		if w.Code != http.StatusCreated || json.Unmarshal(w.Body.Bytes(), &doc) != nil {
			f.Fatalf("seed %s: %d %s", path, w.Code, w.Body)
		}
		ids = append(ids, doc["id"].(string))
	}
	return srv, ids
}

// serve sends one request straight to the handler.
func serve(srv *Server, method, path, query string, body []byte) *httptest.ResponseRecorder {
	r := &http.Request{
		Method:     method,
		URL:        &url.URL{Path: path, RawQuery: query},
		Proto:      "HTTP/1.1",
		ProtoMajor: 1, ProtoMinor: 1,
		Header:     http.Header{"Authorization": {"Bearer " + testToken}},
		Host:       "scim.test",
		Body:       http.NoBody,
		RequestURI: path,
	}
	if len(body) > 0 {
		r.Body = httptestBody(body)
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Type", "application/scim+json")
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	return w
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func httptestBody(b []byte) readCloser { return readCloser{bytes.NewReader(b)} }

// FuzzHandler sends arbitrary requests (method, path, query, body) and
// requires a well-formed SCIM answer every time: no panic, no 500, the SCIM
// media type, a UTF-8 JSON object with schemas (an RFC 7644 §3.12 error for
// 4xx/5xx, its detail within scimerr.MaxDetail), or no body for 204/304.
func FuzzHandler(f *testing.F) {
	srv, ids := fuzzServer(f)
	user, group := ids[0], ids[1]
	seeds := []struct{ method, path, query, body string }{
		{"GET", "/Users", "filter=" + url.QueryEscape(`userName eq "fuzz@example.com"`), ""},
		{"GET", "/Users", `filter=userName+eq+"x"&startIndex=-1&count=99999&sortBy=userName&sortOrder=descending`, ""},
		{"GET", "/Groups", "excludedAttributes=members&filter=" + url.QueryEscape(`displayName eq "FuzzGroup"`), ""},
		{"GET", "/Users/" + user, "attributes=userName,emails.value", ""},
		{"POST", "/Users", "", `{"schemas":["` + userURN + `"],"userName":"new","active":"True","name":{"givenName":"N"}}`},
		{"POST", "/Groups", "", `{"schemas":["` + groupURN + `"],"displayName":"G2","members":[{"value":"` + user + `"}]}`},
		{"PUT", "/Users/" + user, "", `{"schemas":["` + userURN + `"],"userName":"fuzz@example.com","title":"t"}`},
		{"PATCH", "/Users/" + user, "", `{"schemas":["` + patchURN + `"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}`},
		{"PATCH", "/Users/" + user, "", `{"schemas":["` + patchURN + `"],"Operations":[{"op":"replace","value":{"name.givenName":"A","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"D"}}]}`},
		{"PATCH", "/Groups/" + group, "", `{"schemas":["` + patchURN + `"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"` + user + `"}]}]}`},
		{"PATCH", "/Groups/" + group, "attributes=members", `{"schemas":["` + patchURN + `"],"Operations":[{"op":"add","path":"members[value eq \"x\"].display","value":"y"}]}`},
		{"POST", "/.search", "", `{"schemas":["` + SearchRequestSchema + `"],"filter":"meta.created gt \"2000-01-01T00:00:00Z\"","count":1}`},
		{"POST", "/Users/.search", "", `{"filter":"emails[type eq \"work\" and not (value co \"@\")]"}`},
		{"DELETE", "/Groups/" + ids[2], "", ""},
		{"GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "", ""},
		{"POST", "/ResourceTypes", "", "{}"},
		{"BREW", "/../Users//", "", "[1,2"},
		{"GET", "/Me", "", ""},
		// Control characters: refused in identifiers, kept and escaped elsewhere.
		{"POST", "/Users", "", `{"schemas":["` + userURN + `"],"userName":"nul\u0000","displayName":"\u001b[0m"}`},
		{"POST", "/Users", "", `{"schemas":["` + userURN + `"],"userName":"ctl@example.com","title":"\u0000\u0085\u2028\t` + "\xff\xfe" + `","name":{"formatted":"a\nb"}}`},
		{"PATCH", "/Users/" + user, "", `{"schemas":["` + patchURN + `"],"Operations":[{"op":"replace","path":"externalId","value":"\u007f"},{"op":"replace","path":"nickName","value":"\u0000"}]}`},
		{"GET", "/Users", "filter=" + url.QueryEscape(`title eq "\u0000" or userName eq "\u0001"`), ""},
		// Long input that error details quote.
		{"GET", "/Users/" + strings.Repeat("A", 5000), "", ""},
		{"GET", "/Users", "sortBy=" + strings.Repeat("s", 3000) + "&startIndex=" + strings.Repeat("9", 400), ""},
		{"PATCH", "/Users/" + user, "", `{"schemas":["` + patchURN + `"],"Operations":[{"op":"remove","path":"` + strings.Repeat("p", 5000) + `"}]}`},
		// Value-path operations answered from a request's indexes.
		{"PATCH", "/Users/" + user, "", `{"schemas":["` + patchURN + `"],"Operations":[{"op":"replace","path":"emails[value eq \"F@X.COM\"].value","value":"g@x.com"},` +
			`{"op":"add","path":"emails","value":[{"value":"f@x.com","primary":true}]},{"op":"remove","path":"emails[value eq \"G@x.com\" and type eq \"work\"]"},` +
			`{"op":"remove","path":"emails","value":[{"value":"nobody@x.com"}]}]}`},
		{"PATCH", "/Groups/" + group, "", `{"schemas":["` + patchURN + `"],"Operations":[{"op":"replace","path":"displayName","value":"FuzzGroup"},` +
			`{"op":"remove","path":"members[value eq \"` + strings.ToLower(user) + `\"]"},{"op":"add","path":"members","value":[{"value":"` + user + `"}]}]}`},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, method, path, query string, body []byte) {
		if !validMethod(method) || !utf8.ValidString(path) {
			return // net/http rejects these before any handler runs
		}
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		w := serve(srv, method, path, query, body)
		resp := response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
		if w.Code >= 500 && w.Code != http.StatusNotImplemented {
			t.Fatalf("%s %s?%s %q: status %d %s", method, path, query, body, w.Code, w.Body)
		}
		if msg := checkResponse(method, resp); msg != "" {
			t.Fatalf("%s %s?%s %q: %s", method, path, query, body, msg)
		}
		if !utf8.Valid(resp.body) {
			t.Fatalf("%s %s?%s %q: body is not UTF-8: %q", method, path, query, body, resp.body)
		}
		var e struct{ Detail string }
		_ = json.Unmarshal(resp.body, &e)
		if len(e.Detail) > scimerr.MaxDetail+64 {
			t.Fatalf("%s %s?%s %q: a detail of %d bytes", method, path, query, body, len(e.Detail))
		}
	})
}

// validMethod mirrors net/http's token rule for request methods.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c > 0x7e || c <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c) {
			return false
		}
	}
	return true
}
