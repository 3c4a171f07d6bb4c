package refservertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// maxSearchBody bounds the SearchRequest IgnoreFilter rewrites.
const maxSearchBody = 1 << 20

// IgnoreFilter wraps a SCIM handler as a target that ignores filters, a
// real class of server: the filter query parameter is dropped, and so is
// the filter of a SearchRequest (POST .search). Every other parameter
// reaches next unchanged.
func IgnoreFilter(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query(); q.Has("filter") {
			q.Del("filter")
			r = r.Clone(r.Context())
			r.URL.RawQuery = q.Encode()
		}
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/.search") {
			body, err := io.ReadAll(io.LimitReader(r.Body, maxSearchBody))
			if err != nil {
				http.Error(w, "read the SearchRequest: "+err.Error(), http.StatusBadRequest)
				return
			}
			var search map[string]any
			if json.Unmarshal(body, &search) == nil {
				delete(search, "filter")
				if b, err := json.Marshal(search); err == nil {
					body = b
				}
			}
			r = r.Clone(r.Context())
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		}
		next.ServeHTTP(w, r)
	})
}
