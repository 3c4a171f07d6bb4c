package selftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestAllowedBehaviourPasses runs the suites against the reference server
// behind a wrapper that changes one behaviour the RFCs allow, and checks
// that no spec fails and that exactly the declared specs warn (a status
// that is only a SHOULD) or skip (an optional feature the target says it
// does not offer). A spec that fails here is falsely red.
func TestAllowedBehaviourPasses(t *testing.T) {
	searchSpecs := []string{
		"Attribute projection POST /Users/.search with a filter returns the matching users as a ListResponse",
		"Attribute projection POST /Users/.search with attributes projects every listed resource",
		"Attribute projection POST /Users/.search with excludedAttributes leaves the excluded attributes out of every listed resource",
		"Paging and sorting /Users POST /Users/.search with startIndex and count pages like the query parameters",
		"User password (returned never) POST /Users/.search for a user with a password does not return the password",
	}
	discoveryStatusSpecs := []string{
		"ResourceTypes a write to /ResourceTypes is refused with 405 or 501",
		"Schemas a write to /Schemas is refused with 405 or 501",
		"ServiceProviderConfig a write to /ServiceProviderConfig of the values it serves is refused with 405 or 501",
	}
	tests := []struct {
		name         string
		wrap         func(http.Handler) http.Handler
		warns, skips []string
	}{
		// RFC 7644 §3.4.3: search by POST is a client option with no capability
		// to advertise; 501 (§3.12) or a SCIM 404/405 says it is not offered.
		{"search by POST answered 501", answerSearch(http.StatusNotImplemented, false), nil, searchSpecs},
		{"search by POST answered 404 with a SCIM Error", answerSearch(http.StatusNotFound, true), nil, searchSpecs},
		{"search by POST answered 405 with a SCIM Error", answerSearch(http.StatusMethodNotAllowed, true), nil, searchSpecs},
		// RFC 7644 §4 defines no status for writes to the discovery endpoints;
		// RFC 9110 §9.1 asks 405 or 501 with a SHOULD.
		{"discovery writes answered 501", answerDiscoveryWrites(http.StatusNotImplemented), nil, nil},
		{"discovery writes answered 404", answerDiscoveryWrites(http.StatusNotFound), discoveryStatusSpecs, nil},
		// RFC 7644 §3.5.2.2 asks noTarget of no remove; Entra expects success.
		{"a remove whose filter matches nothing answered 204", removeMatchingNothingSucceeds, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runBehind(t, tc.wrap) // runs take a slot of runSlots
			for _, o := range []struct {
				outcome outcome
				what    string
				want    []string
			}{{failed, "failed", nil}, {warned, "warned", tc.warns}, {skipped, "skipped", tc.skips}} {
				want := slices.Sorted(slices.Values(o.want))
				if got := res.names(o.outcome); !slices.Equal(got, want) {
					t.Errorf("specs that %s:\n  got  %q\n  want %q", o.what, got, want)
				}
			}
			for _, name := range res.names(failed) {
				t.Logf("%s failed:\n%s", name, res.message(name))
			}
		})
	}
}

// scimError writes a SCIM Error with the status.
func scimError(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		"status":  fmt.Sprint(status), "detail": detail,
	})
}

// answerSearch answers every POST to a /.search endpoint with status: a
// SCIM Error, or when asSCIM is false a plain-text body.
func answerSearch(status int, asSCIM bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || !strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/.search") {
				next.ServeHTTP(w, r)
				return
			}
			if asSCIM {
				scimError(w, status, "search by POST is not offered")
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, http.StatusText(status)+"\n")
		})
	}
}

// answerDiscoveryWrites answers every request but GET and HEAD to a
// discovery endpoint with a SCIM Error of the status.
func answerDiscoveryWrites(status int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			discovery := false
			for _, p := range []string{"/ServiceProviderConfig", "/ResourceTypes", "/Schemas"} {
				discovery = discovery || r.URL.Path == p || strings.HasPrefix(r.URL.Path, p+"/")
			}
			if !discovery || r.Method == http.MethodGet || r.Method == http.MethodHead {
				next.ServeHTTP(w, r)
				return
			}
			scimError(w, status, "the discovery endpoints are read-only")
		})
	}
}

// removeMatchingNothingSucceeds answers 204 No Content where the server
// refused a PATCH of nothing but removes with value-filter paths with 400
// noTarget: the filters matched nothing, so nothing was to be removed, and
// the refused PATCH changed nothing (PATCH is atomic).
func removeMatchingNothingSucceeds(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPatch {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			scimError(w, http.StatusBadRequest, "unreadable body")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var answer struct {
			ScimType string `json:"scimType"`
		}
		if rec.Code == http.StatusBadRequest && json.Unmarshal(rec.Body.Bytes(), &answer) == nil &&
			answer.ScimType == "noTarget" && onlyFilteredRemoves(body) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

// onlyFilteredRemoves reports whether a PatchOp body holds remove
// operations only, each with a value-filter path.
func onlyFilteredRemoves(body []byte) bool {
	var req struct {
		Operations []struct {
			Op   string `json:"op"`
			Path string `json:"path"`
		} `json:"Operations"`
	}
	if json.Unmarshal(body, &req) != nil || len(req.Operations) == 0 {
		return false
	}
	for _, op := range req.Operations {
		if !strings.EqualFold(op.Op, "remove") || !strings.Contains(op.Path, "[") {
			return false
		}
	}
	return true
}
