package refservertest

import (
	"net/http"
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
