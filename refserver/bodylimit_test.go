package refserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

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
