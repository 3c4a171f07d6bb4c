package scimclient

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// cannedTransport answers every request at once with a fixed response,
// without a network: what is left is the client's own work per request.
type cannedTransport struct {
	status int
	body   []byte
}

func (t cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: t.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {ScimContentType}, "Content-Length": {strconv.Itoa(len(t.body))}},
		ContentLength: int64(len(t.body)), Body: io.NopCloser(bytes.NewReader(t.body)), Request: r}, nil
}

// BenchmarkDoOverhead measures Client.Do above the transport: the lookup
// and the create of load mode's cycle against a transport that answers at
// once. Unlike BenchmarkDo it runs on one goroutine without loopback I/O,
// so its time is steady enough to compare builds.
func BenchmarkDoOverhead(b *testing.B) {
	for _, tc := range []struct {
		name string
		req  Request
		resp cannedTransport
	}{
		{"lookup", Request{Path: "/Users", RawQuery: "filter=userName+eq+%22scimc-1a2b3c-u1%40example.com%22"},
			cannedTransport{200, []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)}},
		{"create", Request{Method: http.MethodPost, Path: "/Users", Header: http.Header{"Content-Type": {ScimContentType}},
			Body: []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"scimc-1a2b3c-u1@example.com","active":true}`)},
			cannedTransport{201, []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"8c601452cc934a9ebef9","userName":"scimc-1a2b3c-u1@example.com"}`)}},
		{"delete", Request{Method: http.MethodDelete, Path: "/Users/8c601452cc934a9ebef9"}, cannedTransport{204, nil}},
		// With a run id the client guards the run's resources: the
		// create is read for its id, and the delete looks that id up.
		{"create-guarded", Request{Method: http.MethodPost, Path: "/Users", Header: http.Header{"Content-Type": {ScimContentType}},
			Body: []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"scimc-1a2b3c-u1@example.com","active":true}`)},
			cannedTransport{201, []byte(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"8c601452cc934a9ebef9","userName":"scimc-1a2b3c-u1@example.com"}`)}},
		{"lookup-guarded", Request{Path: "/Users", RawQuery: "filter=userName+eq+%22scimc-1a2b3c-u1%40example.com%22"},
			cannedTransport{200, []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}`)}},
		{"delete-guarded", Request{Method: http.MethodDelete, Path: "/Users/8c601452cc934a9ebef9"}, cannedTransport{204, nil}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := Config{Target: "http://127.0.0.1:9/scim/?aadOptscim062020", Token: "tok", Warn: io.Discard}
			if strings.HasSuffix(tc.name, "-guarded") {
				cfg.RunID = "scimc-1a2b3c"
			}
			c, err := New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			if c.owned != nil {
				c.owned.add(usersCollection, "8c601452cc934a9ebef9") // as its create would have
			}
			c.rc.GetClient().Transport = tc.resp
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if x := c.Do(ctx, tc.req); x.Err != nil || x.Status != tc.resp.status {
					b.Fatalf("status %d err %v", x.Status, x.Err)
				}
			}
		})
	}
}
