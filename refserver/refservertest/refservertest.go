// Package refservertest starts the reference SCIM server on loopback for
// tests, the way net/http/httptest starts a handler: one call, closed when
// the test ends.
package refservertest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/scimconform/scimconform/refserver"
)

// Start serves a reference server built from opts on 127.0.0.1, behind wrap
// when wrap is not nil (to inject faults or observe traffic), and closes it
// when tb ends. It fails tb if opts are invalid.
func Start(tb testing.TB, opts refserver.Options, wrap func(http.Handler) http.Handler) *httptest.Server {
	tb.Helper()
	srv, err := refserver.New(opts)
	if err != nil {
		tb.Fatalf("start the reference server: %v", err)
	}
	var h http.Handler = srv
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts
}
