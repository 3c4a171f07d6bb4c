package refserver

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// Header.Set allocates a one-element []string on every call. The values
// every response repeats (media types, the first versions' entity tags,
// the usual body lengths) are built once instead, each with cap == len so
// that an Add appends to a copy, never to the shared array. Keys are
// given in canonical form.

// presetValue is v as a header value to assign to a header map directly.
func presetValue(v string) []string { return []string{v} }

var (
	contentTypeSCIM = presetValue(ContentType)
	contentTypeJSON = presetValue("application/json")
)

// etagValues holds presetValue(smallETags[v]) per version v.
var etagValues = func() (vals [len(smallETags)][]string) {
	for v, tag := range smallETags {
		vals[v] = presetValue(tag)
	}
	return vals
}()

// etagValue is etag as a header value: a preset one for the first
// versions.
func etagValue(etag string) []string {
	if v, ok := strings.CutPrefix(etag, `W/"`); ok && len(v) >= 2 && len(v) <= 3 && v[len(v)-1] == '"' {
		if n, err := strconv.Atoi(v[:len(v)-1]); err == nil && n >= 0 && n < len(etagValues) && smallETags[n] == etag {
			return etagValues[n]
		}
	}
	return presetValue(etag)
}

// contentLengths caches the Content-Length values of bodies shorter than
// its size, which nearly every response is; filled as lengths occur.
var contentLengths [8192]atomic.Pointer[[]string]

// contentLengthValue is n as a Content-Length header value.
func contentLengthValue(n int) []string {
	if n < 0 || n >= len(contentLengths) {
		return presetValue(strconv.Itoa(n))
	}
	if v := contentLengths[n].Load(); v != nil {
		return *v
	}
	v := presetValue(strconv.Itoa(n))
	contentLengths[n].Store(&v)
	return v
}

// setHeader sets the header key (in canonical form) to the values vals.
func setHeader(w http.ResponseWriter, key string, vals []string) {
	w.Header()[key] = vals
}
