package refserver

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

// TestBaseURL checks that the kept base URL never answers a request
// reaching the server under another host name or scheme.
func TestBaseURL(t *testing.T) {
	t.Parallel()
	srv, err := New(Options{Token: testToken, BasePath: "/scim/v2"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		host   string
		secure bool
		want   string
	}{
		{"a.example", false, "http://a.example/scim/v2"},
		{"a.example", false, "http://a.example/scim/v2"},
		{"a.example", true, "https://a.example/scim/v2"},
		{"b.example:8443", true, "https://b.example:8443/scim/v2"},
		{"a.example", false, "http://a.example/scim/v2"},
	} {
		r := httptest.NewRequest("GET", "/scim/v2/Users", nil)
		r.Host = tc.host
		if tc.secure {
			r.TLS = &tls.ConnectionState{}
		}
		if got := srv.baseURL(r); got != tc.want {
			t.Errorf("host %s, TLS %v: base %q, want %q", tc.host, tc.secure, got, tc.want)
		}
	}
}
