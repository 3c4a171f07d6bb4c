package load

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver"
	"github.com/scimconform/scimconform/refserver/refservertest"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/scimclient"
)

const testToken = "load-test-token"

// refTarget starts the reference server on loopback, behind wrap when not
// nil, and returns its URL.
func refTarget(t testing.TB, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	return refservertest.Start(t, refserver.Options{Token: testToken}, wrap).URL
}

func testClient(t testing.TB, target string) *scimclient.Client {
	t.Helper()
	c, err := scimclient.New(scimclient.Config{Target: target, Token: testToken, Timeout: 20 * time.Second,
		Retry: scimclient.RetryPolicy{MaxWait: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testApp(t testing.TB) *mapping.Profile {
	t.Helper()
	app, err := mapping.Load("entra-default")
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// countPrefix returns how many users and groups on the target carry prefix.
func countPrefix(t testing.TB, target, prefix string) (users, groups int) {
	t.Helper()
	count := func(collection, attr string) int {
		q := url.Values{"filter": {attr + ` sw "` + prefix + `"`}, "count": {"0"}}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, target+collection+"?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var lr struct{ TotalResults int }
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: HTTP %d", collection, resp.StatusCode)
		}
		if err := json.NewDecoder(resp.Body).Decode(&lr); err != nil {
			t.Fatal(err)
		}
		return lr.TotalResults
	}
	return count("/Users", "userName"), count("/Groups", "displayName")
}

// fixedTarget serves fixedJSON on loopback.
func fixedTarget(t testing.TB) string {
	t.Helper()
	ts := httptest.NewServer(fixedJSON())
	t.Cleanup(ts.Close)
	return ts.URL
}
