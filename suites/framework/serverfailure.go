package framework

import (
	"fmt"
	"net/http"

	"github.com/scimconform/scimconform/runner/scimclient"
)

// ServerFailure says how an exchange shows the server failing on the
// request instead of answering it: no response at all (it crashed, reset
// or closed the connection, or did not answer in time) or a 5xx status
// other than 501 Not Implemented, which RFC 7644 §3.12 names as a
// legitimate refusal. It returns "" when the server answered, and when the
// request was never sent (it could not be built: the spec's own problem,
// which its assertions report).
func ServerFailure(rec scimclient.Record) string {
	switch {
	case rec.Status == 0 && rec.Attempts == 0:
		return ""
	case rec.Status == 0:
		if rec.Error != "" {
			return "the server returned no response (" + rec.Error + ")"
		}
		return "the server returned no response"
	case rec.Status >= 500 && rec.Status != http.StatusNotImplemented:
		return fmt.Sprintf("the server returned an internal error (HTTP %d %s)", rec.Status, http.StatusText(rec.Status))
	}
	return ""
}

// serverFailureMessage is the failure of a spec whose request the server
// failed on: the reason, the rule, then the redacted exchange.
func serverFailureMessage(reason string, rec scimclient.Record) string {
	return fmt.Sprintf("%s to %s %s\n"+
		"A request the server cannot answer fails the spec whatever its level (must or should): the requirement could not be checked, and a client such as Microsoft Entra ID treats the operation as failed.\n%s",
		reason, rec.Method, rec.URL, DescribeRecord(rec))
}
