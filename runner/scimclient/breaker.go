package scimclient

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrTargetUnusable matches, with errors.Is, the Exchange.Err of a request
// the client did not send, or stopped retrying, because the target gave no
// usable answer to Config.GiveUpAfter requests in a row.
var ErrTargetUnusable = errors.New("the target gave no usable answer")

// UnusableError says what the target did to the requests that made the
// client give up on it. It matches ErrTargetUnusable.
type UnusableError struct {
	// Requests is how many requests in a row got no usable answer.
	Requests int
	// Answers sums them up by what came back, e.g. "7× HTTP 429 Too Many
	// Requests after 4 attempts each, 3× connection reset by the server".
	Answers string
	// Last is the last of them, method and redacted URL.
	Last string
}

func (e *UnusableError) Error() string {
	return fmt.Sprintf("the target gave no usable answer to %d requests in a row: %s; last: %s (-give-up-after sets how many)",
		e.Requests, e.Answers, e.Last)
}

// Is makes errors.Is(err, ErrTargetUnusable) true.
func (e *UnusableError) Is(target error) bool { return target == ErrTargetUnusable }

// maxReasons bounds the distinct answers a streak keeps apart; later kinds
// are counted together as "other".
const maxReasons = 6

type reasonCount struct {
	reason string
	n      int
}

// breaker stops a client from sending to a target that has given no usable
// answer to threshold requests in a row (see Config.GiveUpAfter). While open
// it rejects every request; once coolDown has passed since it opened it
// lets one probe through, which closes it on a usable answer and reopens it
// otherwise.
//
// It is written out rather than built on a circuit-breaker library: the
// error has to say what the target answered to each request of the streak,
// which a library's counters do not keep, and an open breaker has to cut
// short the retries of requests already in flight, which acts between the
// attempts of one request rather than around it.
type breaker struct {
	threshold int
	coolDown  time.Duration

	// Fast path: a closed breaker with no failure pending takes no lock.
	open    atomic.Bool
	failing atomic.Bool

	mu       sync.Mutex
	streak   int
	reasons  []reasonCount
	last     string
	probing  bool
	openedAt time.Time
	// changed is closed, and replaced, whenever the breaker opens, closes,
	// or a probe ends.
	changed chan struct{}
}

func newBreaker(threshold int, coolDown time.Duration) *breaker {
	return &breaker{threshold: threshold, coolDown: coolDown, changed: make(chan struct{})}
}

// admit says whether a request may be sent, and whether it is the probe of
// an open breaker (then it gets one attempt).
func (b *breaker) admit() (probe bool, err error) {
	if !b.open.Load() {
		return false, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case !b.open.Load():
		return false, nil
	case b.probing || time.Since(b.openedAt) < b.coolDown:
		return false, b.errLocked()
	}
	b.probing = true
	return true, nil
}

// Err returns the breaker's error while it is open, nil while it is closed.
func (b *breaker) Err() error {
	if !b.open.Load() {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open.Load() {
		return nil
	}
	return b.errLocked()
}

func (b *breaker) errLocked() *UnusableError {
	parts := make([]string, len(b.reasons))
	for i, r := range b.reasons {
		parts[i] = strconv.Itoa(r.n) + "× " + r.reason
		if r.n > 1 && strings.Contains(r.reason, " attempts") {
			parts[i] += " each"
		}
	}
	return &UnusableError{Requests: b.streak, Answers: strings.Join(parts, ", "), Last: b.last}
}

// state returns whether the breaker is open, when a probe may go (zero
// while one is in flight), and a channel closed at its next change.
func (b *breaker) state() (open bool, probeAt time.Time, changed <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open.Load() && !b.probing {
		probeAt = b.openedAt.Add(b.coolDown)
	}
	return b.open.Load(), probeAt, b.changed
}

// usable records a usable answer: the streak ends and an open breaker
// closes.
func (b *breaker) usable(probe bool) {
	if !probe && !b.failing.Load() && !b.open.Load() {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.streak, b.reasons, b.last = 0, nil, ""
	b.failing.Store(false)
	if b.open.Load() {
		b.open.Store(false)
		b.probing = false
		b.notifyLocked()
	}
}

// unusable records a request that got no usable answer (reason says what
// came back) and opens the breaker at the threshold; a failed probe
// reopens it for another cool-down.
func (b *breaker) unusable(reason, request string, probe bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failing.Store(true)
	b.streak++
	b.last = request
	b.countLocked(reason)
	switch {
	case probe:
		b.probing = false
		b.openedAt = time.Now()
		b.notifyLocked()
	case !b.open.Load() && b.streak >= b.threshold:
		b.open.Store(true)
		b.openedAt = time.Now()
		b.notifyLocked()
	}
}

// neutral records a request whose outcome says nothing about the target
// (cancelled by the caller, or stopped by the breaker itself).
func (b *breaker) neutral(probe bool) {
	if !probe {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
	b.notifyLocked()
}

func (b *breaker) countLocked(reason string) {
	if b.indexLocked(reason) < 0 && len(b.reasons) >= maxReasons-1 {
		reason = "other answers"
	}
	if i := b.indexLocked(reason); i >= 0 {
		b.reasons[i].n++
		return
	}
	b.reasons = append(b.reasons, reasonCount{reason: reason, n: 1})
}

func (b *breaker) indexLocked(reason string) int {
	for i := range b.reasons {
		if b.reasons[i].reason == reason {
			return i
		}
	}
	return -1
}

func (b *breaker) notifyLocked() {
	close(b.changed)
	b.changed = make(chan struct{})
}
