package refserver

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// etagOf is the entity tag of a resource version; it is also meta.version.
func etagOf(version uint64) string { return `W/"` + strconv.FormatUint(version, 10) + `"` }

// etagMatches reports whether an If-Match / If-None-Match header value (a
// comma-separated list of tags, or "*") names etag, comparing weakly (RFC
// 9110 §8.8.3.2).
func etagMatches(header, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}

// checkIfMatch fails with 412 when an If-Match header is present and does
// not name r's current version.
func checkIfMatch(ifMatch string, r *record) error {
	if ifMatch == "" || etagMatches(ifMatch, etagOf(r.version)) {
		return nil
	}
	if ifMatch == noETag {
		return scimerr.New(http.StatusPreconditionFailed, "",
			"If-Match names an entity tag, and this service provider has none (ServiceProviderConfig etag.supported is false)")
	}
	return scimerr.New(http.StatusPreconditionFailed, "",
		"If-Match %s does not match the current version %s", scimerr.Clip(ifMatch), etagOf(r.version))
}
