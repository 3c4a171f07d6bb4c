package scimclient

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The retry loop is the client's own (Client.Do, Client.pause), not
// resty's. resty v2's hooks (SetRetryCount, SetRetryWaitTime,
// SetRetryMaxWaitTime, AddRetryCondition, SetRetryAfter) were checked
// against these rules and cannot express all of them:
//
//   - Retry-After: 0, or an HTTP-date already past, means "now"; resty
//     reads a zero from its RetryAfter callback as "no opinion" and falls
//     back to its own exponential backoff.
//   - The wait between attempts ends early when the breaker opens because
//     of other requests (sleepUnlessGivenUp). resty waits on a timer and
//     the request's context only; cancelling that context instead would
//     make the caller's cancellation and the breaker's indistinguishable.
//   - A wait that would pass the caller's deadline is not started; the
//     error says so at once. resty sleeps until the context ends.
//   - The probe of an open breaker gets one attempt while other requests
//     keep theirs. resty's retry count is per client, so this would need
//     a second client or shared state changed under concurrent requests.
//   - Each attempt gets its own Config.Timeout and sends a fresh copy of
//     its headers (net/http may still hold the previous one); resty
//     retries under one request context.
//
// The conditions themselves (429 and 503; transport errors only when the
// request cannot have been processed twice) would fit AddRetryCondition,
// but only with the loop above around them.

// retryable reports whether an attempt that ended in x may be sent again.
// 429 and 503 are explicit refusals, so even a POST is safe to resend.
// Transport failures are resent only when the request cannot have been
// processed twice: a failed connect for any method, a broken connection
// for idempotent methods. Timeouts, cancellations and oversized bodies are
// final: they are findings, not noise.
func retryable(x *Exchange, sendErr error) bool {
	if sendErr == nil {
		return x.Status == http.StatusTooManyRequests || x.Status == http.StatusServiceUnavailable
	}
	if errors.Is(sendErr, context.Canceled) || errors.Is(sendErr, context.DeadlineExceeded) || isTimeout(sendErr) {
		return false
	}
	if isDialError(sendErr) {
		return true
	}
	return idempotent(x.Method) && (errors.Is(sendErr, syscall.ECONNRESET) || errors.Is(sendErr, syscall.EPIPE) ||
		errors.Is(sendErr, io.EOF) || errors.Is(sendErr, io.ErrUnexpectedEOF))
}

func idempotent(method string) bool {
	switch strings.ToUpper(method) {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// retryDelay is how long to wait before attempt+1: the response's
// Retry-After when it has one, else exponential backoff; plus jitter, and
// never more than policy.MaxWait.
func retryDelay(p RetryPolicy, attempt int, h http.Header, now time.Time) time.Duration {
	if after, ok := parseRetryAfter(h.Get("Retry-After"), now); ok {
		// Honour the server's wait; jitter only lengthens it, by up to 10%.
		return min(after+jitter(after/10), p.MaxWait)
	}
	step := p.BaseDelay << min(attempt-1, 20)
	if step <= 0 || step > p.MaxWait {
		step = p.MaxWait
	}
	// Equal jitter: half fixed, half random, so waits still grow.
	return min(step/2+jitter(step/2), p.MaxWait)
}

// jitter returns a random duration in [0, d].
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// parseRetryAfter reads a Retry-After value: delta-seconds or an HTTP-date
// (RFC 9110 §10.2.3). A date in the past means "now".
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), maxRetryAfter), true
}

// maxRetryAfter bounds a parsed Retry-After so arithmetic on it cannot
// overflow; MaxWait caps the actual wait far below it.
const maxRetryAfter = 24 * time.Hour

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
