package runner

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

// renderer fills one step's templates. What the step generates or changes
// goes to pending and reaches the run's Vars only when the step passes, so
// a failed step leaves the state the next attempt starts from untouched.
type renderer struct {
	app     *AppProfile // with the sequence's matching attribute applied; nil without an app
	dialect Dialect
	runID   string
	prefix  string // runID + "-"
	target  string // Tenant URL without its query, for absolute $ref values
	seq     *Sequence
	vars    Vars
	pending Vars
	random  io.Reader
	busy    []string // variables being evaluated, to stop cycles
	scratch [16]byte // random bytes, read here so they need no allocation
	vals    []string // createValues' result, reused
}

func (r *renderer) get(key string) (string, bool) {
	if v, ok := r.pending[key]; ok {
		return v, true
	}
	v, ok := r.vars[key]
	return v, ok
}

func (r *renderer) set(key, value string) { r.pending[key] = value }

// commit makes the step's generated values and state changes permanent.
func (r *renderer) commit() {
	for k, v := range r.pending {
		r.vars[k] = v
	}
	clear(r.pending)
}

// hex returns n random lowercase hex digits.
func (r *renderer) hex(n int) string {
	var buf [64]byte // enough for every caller: the result is the one allocation
	out := buf[:0]
	for len(out) < n {
		m := min((n-len(out)+1)/2, len(r.scratch))
		r.read(r.scratch[:m])
		out = hex.AppendEncode(out, r.scratch[:m])
	}
	return string(out[:n])
}

// index returns a random int in [0, n), 0 when n < 1.
func (r *renderer) index(n int) int {
	if n < 1 {
		return 0
	}
	r.read(r.scratch[:8])
	return int(binary.BigEndian.Uint64(r.scratch[:8]) % uint64(n))
}

func (r *renderer) read(b []byte) {
	if r.random != nil {
		if _, err := io.ReadFull(r.random, b); err == nil {
			return
		}
	}
	// crypto/rand.Read never fails on supported platforms.
	_, _ = rand.Read(b)
}

// text fills a text template; esc escapes each substituted value for where
// the text goes (path, query); nil leaves values as they are.
func (r *renderer) text(s string, esc func(string) string) (string, error) {
	if !hasPlaceholder(s) {
		return s, nil
	}
	t, err := cachedTemplate(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, seg := range t {
		if seg.ph == nil {
			b.WriteString(seg.lit)
			continue
		}
		v, err := r.eval(seg.ph)
		if err != nil {
			return "", err
		}
		str, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("%s yields a JSON value, not text", seg.ph.raw)
		}
		if esc != nil {
			str = esc(str)
		}
		b.WriteString(str)
	}
	return b.String(), nil
}

// value fills every string of a JSON value. A string that is exactly one
// placeholder becomes what the placeholder yields (text or JSON); others
// get text substituted, so JSON escaping happens once, when the value is
// encoded.
func (r *renderer) value(v any) (any, error) {
	switch t := v.(type) {
	case string:
		if !hasPlaceholder(t) {
			return t, nil
		}
		tpl, err := cachedTemplate(t)
		if err != nil {
			return nil, err
		}
		if ph := tpl.whole(); ph != nil {
			return r.eval(ph)
		}
		return r.text(t, nil)
	case Object:
		out := make(Object, 0, len(t))
		for _, m := range t {
			if m.Key == spreadKey {
				if err := r.spread(&out, m.Value); err != nil {
					return nil, err
				}
				continue
			}
			key, err := r.text(m.Key, nil)
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", m.Key, err)
			}
			val, err := r.value(m.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.Key, err)
			}
			out.Set(key, val)
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			val, err := r.value(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = val
		}
		return out, nil
	}
	return v, nil
}

// spreadKey, as an object key, merges the object its value yields into the
// surrounding object: {"...": "${app.user:main}", "id": "${userId}"}.
const spreadKey = "..."

func (r *renderer) spread(out *Object, v any) error {
	val, err := r.value(v)
	if err != nil {
		return fmt.Errorf("...: %w", err)
	}
	obj, ok := val.(Object)
	if !ok {
		return fmt.Errorf(`"...": want a value that yields a JSON object, got %s`, jsonText(val))
	}
	for _, m := range obj {
		out.Set(m.Key, m.Value)
	}
	return nil
}

// eval yields a placeholder's value: a string, or a JSON value for the app
// functions that build bodies.
func (r *renderer) eval(ph *placeholder) (any, error) {
	switch {
	case ph.name == genGUID && len(ph.args) == 0:
		return guidFromHex(r.hex(32)), nil
	case ph.name == genGUID:
		return r.stable("guid:"+ph.args[0], func() string { return guidFromHex(r.hex(32)) }), nil
	case ph.name == genRun:
		return r.prefix, nil
	case ph.name == genRunID:
		return r.runID, nil
	case ph.name == genName:
		return r.stable("name:"+ph.args[0], func() string {
			return r.prefix + ph.args[0] + "-" + r.hex(4)
		}), nil
	case ph.name == genEmail:
		return r.stable("email:"+ph.args[0], func() string {
			return r.prefix + ph.args[0] + "." + r.hex(4) + "@example.com"
		}), nil
	case strings.HasPrefix(ph.name, appPrefix):
		return r.appCall(strings.TrimPrefix(ph.name, appPrefix), ph.args)
	}
	return r.variable(ph.name)
}

// stable returns the value stored under key, generating it on first use.
func (r *renderer) stable(key string, gen func() string) string {
	if v, ok := r.get(key); ok {
		return v
	}
	v := gen()
	r.set(key, v)
	return v
}

// variable looks a name up in the Vars, then evaluates the sequence's
// variable of that name (once per run).
func (r *renderer) variable(name string) (string, error) {
	if v, ok := r.get(name); ok {
		return v, nil
	}
	tpl, ok := r.seq.Variables[name]
	if !ok {
		return "", fmt.Errorf("variable ${%s} is not set: no earlier step captured it and the sequence declares no such variable", name)
	}
	if slices.Contains(r.busy, name) {
		return "", fmt.Errorf("variable ${%s} refers to itself", name)
	}
	r.busy = append(r.busy, name)
	defer func() { r.busy = r.busy[:len(r.busy)-1] }()
	v, err := r.text(tpl, nil)
	if err != nil {
		return "", fmt.Errorf("variable %s: %w", name, err)
	}
	r.set(name, v)
	return v, nil
}

// Escapers for where substituted values go.
func pathEscape(s string) string  { return url.PathEscape(s) }
func queryEscape(s string) string { return url.QueryEscape(s) }

// headerValue refuses values that would split a header.
func headerValue(s string) (string, error) {
	if strings.ContainsAny(s, "\r\n\x00") {
		return "", fmt.Errorf("header value %q contains a line break or NUL", s)
	}
	return s, nil
}
