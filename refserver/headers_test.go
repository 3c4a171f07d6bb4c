package refserver

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestPresetHeaderValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		got  []string
		want string
	}{
		{"etag of version 0", etagValue(etagOf(0)), `W/"0"`},
		{"etag of version 1", etagValue(etagOf(1)), `W/"1"`},
		{"etag of the last preset version", etagValue(etagOf(63)), `W/"63"`},
		{"etag past the presets", etagValue(etagOf(64)), `W/"64"`},
		{"etag of a big version", etagValue(etagOf(123456)), `W/"123456"`},
		{"etag with a leading zero", etagValue(`W/"01"`), `W/"01"`},
		{"etag of another form", etagValue(`"abc"`), `"abc"`},
		{"empty body length", contentLengthValue(0), "0"},
		{"body length", contentLengthValue(1234), "1234"},
		{"body length past the cache", contentLengthValue(len(contentLengths)), strconv.Itoa(len(contentLengths))},
	} {
		if !slices.Equal(tc.got, []string{tc.want}) {
			t.Errorf("%s: got %q, want [%q]", tc.name, tc.got, tc.want)
		}
		if cap(tc.got) != len(tc.got) {
			t.Errorf("%s: cap %d != len %d: an Add would write into the shared array", tc.name, cap(tc.got), len(tc.got))
		}
	}
	if a, b := contentLengthValue(77), contentLengthValue(77); &a[0] != &b[0] {
		t.Error("a cached body length is built again")
	}
	h := http.Header{}
	h["Content-Type"] = contentTypeSCIM
	h.Add("Content-Type", "text/plain")
	if !slices.Equal(contentTypeSCIM, []string{ContentType}) {
		t.Fatalf("Add changed the shared value to %q", contentTypeSCIM)
	}
}

// TestBodyLimitWhateverTheDeclaredLength checks the body limit against
// bodies that declare no length or a wrong one, which a handler called
// in process (not through net/http's server) may see.
func TestBodyLimitWhateverTheDeclaredLength(t *testing.T) {
	t.Parallel()
	srv, err := New(Options{Token: testToken, MaxBodyBytes: 512})
	if err != nil {
		t.Fatal(err)
	}
	small := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"limit-%s"}`
	big := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"limit-%s","title":"` + strings.Repeat("x", 600) + `"}`
	for _, tc := range []struct {
		name     string
		body     string
		declared int64
		want     int
	}{
		{"unknown length, small", small, -1, http.StatusCreated},
		{"unknown length, too large", big, -1, http.StatusRequestEntityTooLarge},
		{"declared length within the limit, body too large", big, 100, http.StatusRequestEntityTooLarge},
		{"declared length too large", big, 700, http.StatusRequestEntityTooLarge},
		{"declared length exact", small, -2, http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := strings.ReplaceAll(tc.body, "%s", strings.ReplaceAll(tc.name, " ", "-"))
			r := httptest.NewRequest("POST", "/Users", strings.NewReader(body))
			r.Header.Set("Authorization", "Bearer "+testToken)
			r.Header.Set("Content-Type", ContentType)
			r.ContentLength = tc.declared
			if tc.declared == -2 {
				r.ContentLength = int64(len(body))
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
		})
	}
}
