package scimclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Preflight sends GET /ServiceProviderConfig before a run and reads the
// whole answer (status, headers and body, within the per-request timeout),
// so that a target that cannot be reached, refuses the credential, stalls,
// drips, resets or fails is reported once, saying what to check, before the
// run sends anything else. A 404 and any other 4xx pass: Entra never asks
// for /ServiceProviderConfig, so a target may well lack it. The error names
// the flags that change the outcome.
func Preflight(ctx context.Context, c *Client) error {
	x := c.Do(ctx, Request{Method: http.MethodGet, Path: "/ServiceProviderConfig"})
	problem := preflightProblem(x, c.Target(), c.s.Timeout)
	if problem == "" {
		return nil
	}
	return errors.New(c.redactor.String(problem))
}

// preflightProblem says what is wrong with the answer to the preflight
// request, "" when nothing is.
func preflightProblem(x *Exchange, target string, timeout time.Duration) string {
	const what = "GET /ServiceProviderConfig"
	switch {
	case errors.Is(x.Err, ErrBodyTooLarge):
		return fmt.Sprintf("the target's answer to %s is too large: %v", what, x.Err)
	case x.Err != nil && x.Status == 0:
		return fmt.Sprintf("cannot reach the target %s: %v\n"+
			"check -target (SCIM_TARGET) and that the endpoint is up; for a certificate from a private CA give -ca-file, or -insecure to test without verification",
			target, x.Err)
	case x.Err != nil:
		return fmt.Sprintf("the target answered %s with %s but did not complete the response: %v\n"+
			"a SCIM endpoint sends its whole answer within -timeout (now %v); check that -target is the SCIM base URL and that no proxy in between holds the response back",
			what, statusLine(x.Status, nil), x.Err, timeout)
	case x.Status == http.StatusUnauthorized || x.Status == http.StatusForbidden:
		return fmt.Sprintf("the target refused the credential (%s answered HTTP %d)\n"+
			"check -token (SCIM_TOKEN) or -auth-header (SCIM_AUTH_HEADER)", what, x.Status)
	case x.Status == http.StatusTooManyRequests:
		return fmt.Sprintf("the target is refusing requests: %s answered %s after %d attempt(s)%s\n"+
			"it is rate-limiting this client; run again once it accepts requests",
			what, statusLine(x.Status, nil), x.Attempts, retryAfterNote(x))
	case refusal(x.Status):
		return fmt.Sprintf("the target failed: %s answered %s after %d attempt(s) (Content-Type %q, body starts %s)\n"+
			"check that the endpoint is up and that -target is the SCIM base URL",
			what, statusLine(x.Status, nil), x.Attempts, x.RespHeader.Get("Content-Type"), quoteStart(x.RespBody, 80))
	case x.Status/100 == 2 && len(bytes.TrimSpace(x.RespBody)) > 0 && !json.Valid(x.RespBody):
		return fmt.Sprintf("the target answered %s with %s and a body that is not JSON (Content-Type %q, body starts %s)\n"+
			"-target is likely not the SCIM base URL (a web page answered): give the Tenant URL, e.g. https://api.example.com/scim",
			what, statusLine(x.Status, nil), x.RespHeader.Get("Content-Type"), quoteStart(x.RespBody, 80))
	}
	return ""
}

// retryAfterNote quotes the last Retry-After the target sent, if any.
func retryAfterNote(x *Exchange) string {
	if v := x.RespHeader.Get("Retry-After"); v != "" {
		return fmt.Sprintf(" (last Retry-After: %s)", shorten(v, 40))
	}
	return ""
}
