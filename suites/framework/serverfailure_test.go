package framework

import (
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/scimclient"
)

func TestServerFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rec  scimclient.Record
		want string // "" when the server answered
	}{
		{"connection closed", scimclient.Record{Method: "GET", URL: "http://x/Users", Attempts: 1, Error: "GET http://x/Users: the server closed the connection without a complete response: EOF"},
			"the server returned no response (GET http://x/Users: the server closed the connection without a complete response: EOF)"},
		{"reset", scimclient.Record{Attempts: 1, Error: "connection reset by the server"}, "the server returned no response (connection reset by the server)"},
		{"timeout without detail", scimclient.Record{Attempts: 2}, "the server returned no response"},
		{"500", scimclient.Record{Status: 500, Attempts: 1}, "the server returned an internal error (HTTP 500 Internal Server Error)"},
		{"503 after retries", scimclient.Record{Status: 503, Attempts: 3}, "the server returned an internal error (HTTP 503 Service Unavailable)"},
		{"502 from a gateway", scimclient.Record{Status: 502, Attempts: 1}, "the server returned an internal error (HTTP 502 Bad Gateway)"},
		{"501 is a refusal", scimclient.Record{Status: 501, Attempts: 1}, ""},
		{"404", scimclient.Record{Status: 404, Attempts: 1}, ""},
		{"never sent", scimclient.Record{Error: "build request: bad path"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ServerFailure(tc.rec); got != tc.want {
				t.Errorf("ServerFailure = %q, want %q", got, tc.want)
			}
		})
	}
	msg := serverFailureMessage(ServerFailure(tests[0].rec), tests[0].rec)
	for _, want := range []string{"the server returned no response", "to GET http://x/Users", "whatever its level", "status: no response"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the failure message lacks %q:\n%s", want, msg)
		}
	}
}
