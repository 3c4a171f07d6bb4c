package refservertest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
)

func TestStartServesTheReferenceServerBehindWrap(t *testing.T) {
	t.Parallel()
	var wrapped atomic.Int32
	ts := Start(t, refserver.Options{Token: "tok"}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			wrapped.Add(1)
			h.ServeHTTP(w, r)
		})
	})
	client := &http.Client{Timeout: 5 * time.Second}
	for _, tc := range []struct {
		token string
		want  int
	}{{"tok", http.StatusOK}, {"wrong", http.StatusUnauthorized}} {
		req, err := http.NewRequest(http.MethodGet, ts.URL+"/Users", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tc.token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("token %q: status %d, want %d", tc.token, resp.StatusCode, tc.want)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/scim+json" {
			t.Errorf("token %q: Content-Type %q", tc.token, ct)
		}
	}
	if n := wrapped.Load(); n != 2 {
		t.Errorf("wrap saw %d requests, want 2", n)
	}
}

func TestIgnoreFilterDropsQueryAndSearchFilters(t *testing.T) {
	t.Parallel()
	ts := Start(t, refserver.Options{Token: "tok"}, IgnoreFilter)
	client := &http.Client{Timeout: 5 * time.Second}
	send := func(method, path, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer tok")
		req.Header.Set("Content-Type", "application/scim+json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, u := range []string{"a@example.com", "b@example.com"} {
		if status, body := send(http.MethodPost, "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"`+u+`"}`); status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", u, status, body)
		}
	}
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodGet, "/Users?filter=" + url.QueryEscape(`userName eq "a@example.com"`) + "&count=10", ""},
		{http.MethodPost, "/Users/.search", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName eq \"a@example.com\""}`},
	} {
		status, body := send(tc.method, tc.path, tc.body)
		if status != http.StatusOK || !strings.Contains(body, `"totalResults":2`) {
			t.Errorf("%s %s: %d %s; want both users, the filter ignored", tc.method, tc.path, status, body)
		}
	}
}
