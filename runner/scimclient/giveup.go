package scimclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Unusable returns the error saying why the client has given up on the
// target (see Config.GiveUpAfter), nil while it has not. A run checks it to
// stop with that one message instead of failing every remaining request.
func (c *Client) Unusable() error {
	if c.breaker == nil {
		return nil
	}
	return c.breaker.Err()
}

// AwaitUsable returns nil at once while the client has not given up on the
// target. Once it has, it waits for the cool-down and sends one probe (GET
// /ServiceProviderConfig, where 404 is a usable answer too): nil when the
// target answered it, else the error saying what the target did. Cleanup
// calls it first, so that a target that recovered is still cleaned up and
// one that did not costs one request, not one per resource. ctx bounds the
// wait and the probe.
func (c *Client) AwaitUsable(ctx context.Context) error {
	if c.breaker == nil {
		return nil
	}
	for {
		open, probeAt, changed := c.breaker.state()
		if !open {
			return nil
		}
		if probeAt.IsZero() || time.Until(probeAt) > 0 {
			if err := waitChange(ctx, probeAt, changed); err != nil {
				if gaveUp := c.breaker.Err(); gaveUp != nil {
					return fmt.Errorf("%w (stopped waiting to probe it again: %v)", gaveUp, err)
				}
				return nil
			}
			continue
		}
		x := c.Do(ctx, Request{Method: http.MethodGet, Path: "/ServiceProviderConfig"})
		if x.Attempts == 0 {
			continue // another request became the probe: wait for its outcome
		}
		return c.Unusable()
	}
}

// waitChange waits until at (never, if at is zero), a change of the
// breaker, or the end of ctx.
func waitChange(ctx context.Context, at time.Time, changed <-chan struct{}) error {
	var timeout <-chan time.Time
	if !at.IsZero() {
		t := time.NewTimer(time.Until(at))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-changed:
	case <-timeout:
	}
	return nil
}

// admit asks the breaker whether a request may be sent.
func (c *Client) admit() (probe bool, err error) {
	if c.breaker == nil {
		return false, nil
	}
	return c.breaker.admit()
}

// sleepUnlessGivenUp waits d, or until ctx ends, or until the client gives
// up on the target (then the error matches ErrTargetUnusable): a retry of a
// target that no longer answers anything is not worth its wait.
func (c *Client) sleepUnlessGivenUp(ctx context.Context, d time.Duration) error {
	if c.breaker == nil {
		return sleep(ctx, d)
	}
	end := time.Now().Add(d)
	for {
		open, _, changed := c.breaker.state()
		if open {
			return c.breaker.Err()
		}
		left := time.Until(end)
		if left <= 0 {
			return ctx.Err()
		}
		// A change that is not the breaker opening leaves the wait as it was.
		if err := waitChange(ctx, end, changed); err != nil {
			return err
		}
	}
}

// recordAnswer tells the breaker whether x is a usable answer. A request
// the caller cancelled, or the breaker itself stopped, says nothing about
// the target.
func (c *Client) recordAnswer(ctx context.Context, x *Exchange, probe bool) {
	switch {
	case c.breaker == nil:
	case errors.Is(x.Err, ErrTargetUnusable) || ctx.Err() != nil:
		c.breaker.neutral(probe)
	case usableAnswer(x):
		c.breaker.usable(probe)
	default:
		c.breaker.unusable(c.unusableReason(ctx, x), c.redactor.String(x.Method+" "+shorten(x.URL, 200)), probe)
	}
}

// usableAnswer: a complete response other than 429 and 5xx. 501 Not
// Implemented is a usable answer: the target says what it does not do. A
// body over MaxResponse came complete as far as the client cares.
func usableAnswer(x *Exchange) bool {
	if x.Err != nil && !errors.Is(x.Err, ErrBodyTooLarge) {
		return false
	}
	return x.Status != 0 && !refusal(x.Status)
}

func refusal(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500 && status != http.StatusNotImplemented
}

// unusableReason names what came back in a few words, the same words for
// the same behaviour, so that a streak adds up: "HTTP 429 Too Many Requests
// after 4 attempts", "connection reset by the server", "HTTP 200 OK, then
// timed out: no complete response within 30s".
func (c *Client) unusableReason(ctx context.Context, x *Exchange) string {
	var reason string
	switch {
	case refusal(x.Status):
		reason = statusLine(x.Status, nil)
	case x.Status != 0:
		reason = statusLine(x.Status, nil) + ", then " + c.failure(ctx, x.Err)
	default:
		reason = c.failure(ctx, x.Err)
	}
	if x.Attempts > 1 {
		reason += " after " + strconv.Itoa(x.Attempts) + " attempts"
	}
	return reason
}

// failure names a transport failure in plain words, or by its innermost
// error when there are none.
func (c *Client) failure(ctx context.Context, err error) string {
	if err == nil {
		return "no response"
	}
	if what := c.explain(ctx, err); what != "" {
		return what
	}
	return shorten(c.redactor.String(rootCause(err).Error()), 100)
}

// rootCause is the innermost error err wraps.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// shorten cuts s to at most n bytes, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
