package sequence

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/scimconform/scimconform/runner/mapping"
)

// Env is what a run gives the templates of its steps.
type Env struct {
	App     *mapping.Profile // with the sequence's matching attribute applied; nil without an app
	Dialect Dialect
	RunID   string    // "scimc-1a2b3c"
	Target  string    // Tenant URL without its query, for absolute $ref values
	Random  io.Reader // nil: crypto/rand
}

// State fills one step's templates: the generators, the variables and the
// app functions, which read and change it. What the step generates or
// changes goes to pending and reaches the run's Vars only on Commit, so a
// failed step leaves the state the next attempt starts from untouched.
type State struct {
	env     Env
	prefix  string // RunID + "-"
	seq     *Sequence
	vars    Vars
	pending Vars
	busy    []string // variables being evaluated, to stop cycles
	scratch [16]byte // random bytes, read here so they need no allocation
}

// NewState starts filling the templates of a step of seq, reading vars.
func NewState(seq *Sequence, vars Vars, env Env) *State {
	return &State{env: env, prefix: env.RunID + "-", seq: seq, vars: vars, pending: Vars{}}
}

// App is the run's app profile, with the sequence's matching attribute
// applied; nil without one.
func (r *State) App() *mapping.Profile { return r.env.App }

// Dialect is the run's dialect.
func (r *State) Dialect() Dialect { return r.env.Dialect }

// Prefix is the run prefix, "scimc-1a2b3c-".
func (r *State) Prefix() string { return r.prefix }

// Target is the Tenant URL without its query, "" without a client.
func (r *State) Target() string { return r.env.Target }

// Get returns a variable or state value, the step's own first.
func (r *State) Get(key string) (string, bool) {
	if v, ok := r.pending[key]; ok {
		return v, true
	}
	v, ok := r.vars[key]
	return v, ok
}

// Set sets a variable or state value for this step, and for the run once
// committed.
func (r *State) Set(key, value string) { r.pending[key] = value }

// Commit makes the step's generated values and state changes permanent.
func (r *State) Commit() {
	for k, v := range r.pending {
		r.vars[k] = v
	}
	clear(r.pending)
}

// Hex returns n random lowercase hex digits.
func (r *State) Hex(n int) string {
	var buf [64]byte // enough for every caller: the result is the one allocation
	out := buf[:0]
	for len(out) < n {
		m := min((n-len(out)+1)/2, len(r.scratch))
		r.read(r.scratch[:m])
		out = hex.AppendEncode(out, r.scratch[:m])
	}
	return string(out[:n])
}

// Index returns a random int in [0, n), 0 when n < 1.
func (r *State) Index(n int) int {
	if n < 1 {
		return 0
	}
	r.read(r.scratch[:8])
	return int(binary.BigEndian.Uint64(r.scratch[:8]) % uint64(n))
}

func (r *State) read(b []byte) {
	if r.env.Random != nil {
		if _, err := io.ReadFull(r.env.Random, b); err == nil {
			return
		}
	}
	// crypto/rand.Read never fails on supported platforms.
	_, _ = rand.Read(b)
}

// Text fills a text template; esc escapes each substituted value for where
// the text goes (url.PathEscape, url.QueryEscape); nil leaves values as
// they are.
func (r *State) Text(s string, esc func(string) string) (string, error) {
	if !hasPlaceholder(s) {
		return s, nil
	}
	t, err := r.seq.template(s)
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

// Value fills every string of a JSON value. A string that is exactly one
// placeholder becomes what the placeholder yields (text or JSON); others
// get text substituted, so JSON escaping happens once, when the value is
// encoded.
func (r *State) Value(v any) (any, error) {
	switch t := v.(type) {
	case string:
		if !hasPlaceholder(t) {
			return t, nil
		}
		tpl, err := r.seq.template(t)
		if err != nil {
			return nil, err
		}
		if ph := tpl.whole(); ph != nil {
			return r.eval(ph)
		}
		return r.Text(t, nil)
	case Object:
		out := make(Object, 0, len(t))
		for _, m := range t {
			if m.Key == spreadKey {
				if err := r.spread(&out, m.Value); err != nil {
					return nil, err
				}
				continue
			}
			key, err := r.Text(m.Key, nil)
			if err != nil {
				return nil, fmt.Errorf("key %q: %w", m.Key, err)
			}
			val, err := r.Value(m.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.Key, err)
			}
			out.Set(key, val)
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			val, err := r.Value(e)
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

func (r *State) spread(out *Object, v any) error {
	val, err := r.Value(v)
	if err != nil {
		return fmt.Errorf("...: %w", err)
	}
	obj, ok := val.(Object)
	if !ok {
		return fmt.Errorf(`"...": want a value that yields a JSON object, got %s`, JSONText(val))
	}
	for _, m := range obj {
		out.Set(m.Key, m.Value)
	}
	return nil
}

// eval yields a placeholder's value: a string, or a JSON value for the app
// functions that build bodies.
func (r *State) eval(ph *placeholder) (any, error) {
	switch {
	case ph.name == genGUID && len(ph.args) == 0:
		return mapping.GUIDFromHex(r.Hex(32)), nil
	case ph.name == genGUID:
		return r.Stable("guid:"+ph.args[0], func() string { return mapping.GUIDFromHex(r.Hex(32)) }), nil
	case ph.name == genRun:
		return r.prefix, nil
	case ph.name == genRunID:
		return r.env.RunID, nil
	case ph.name == genName:
		return r.Stable("name:"+ph.args[0], func() string {
			return r.prefix + ph.args[0] + "-" + r.Hex(4)
		}), nil
	case ph.name == genEmail:
		return r.Stable("email:"+ph.args[0], func() string {
			return r.prefix + ph.args[0] + "." + r.Hex(4) + "@example.com"
		}), nil
	case strings.HasPrefix(ph.name, appPrefix):
		return r.appCall(strings.TrimPrefix(ph.name, appPrefix), ph.args)
	}
	return r.Variable(ph.name)
}

// Stable returns the value stored under key, generating it on first use.
func (r *State) Stable(key string, gen func() string) string {
	if v, ok := r.Get(key); ok {
		return v
	}
	v := gen()
	r.Set(key, v)
	return v
}

// Variable looks a name up in the Vars, then evaluates the sequence's
// variable of that name (once per run).
func (r *State) Variable(name string) (string, error) {
	if v, ok := r.Get(name); ok {
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
	v, err := r.Text(tpl, nil)
	if err != nil {
		return "", fmt.Errorf("variable %s: %w", name, err)
	}
	r.Set(name, v)
	return v, nil
}

// HeaderValue refuses values that would split a header.
func HeaderValue(s string) (string, error) {
	if strings.ContainsAny(s, "\r\n\x00") {
		return "", fmt.Errorf("header value %q contains a line break or NUL", s)
	}
	return s, nil
}

// appCall calls an app function of the sequence.
func (r *State) appCall(name string, args []string) (any, error) {
	if r.env.App == nil {
		return nil, fmt.Errorf("${app.%s} needs an app profile and the run has none", name)
	}
	f, ok := r.seq.funcs[name]
	if !ok {
		return nil, r.seq.funcs.check(name, args)
	}
	return f.Call(r, args)
}
