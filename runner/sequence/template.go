package sequence

import (
	"fmt"
	"regexp"
	"strings"
)

// Vars are a sequence's variables: captured values, sequence variables,
// generated values and the state of the users and groups a sequence made.
// A run's steps read and extend the same Vars from one step to the next.
type Vars map[string]string

// A template is text with ${...} placeholders. "$${" writes a literal "${".
type template []segment

type segment struct {
	lit string
	ph  *placeholder // nil for a literal
}

// placeholder is one ${name} or ${name:arg,arg}.
type placeholder struct {
	raw  string // as written, e.g. "${app.createUser:main}"
	name string
	args []string
}

var placeholderName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// Generators every template can use besides variables and app functions.
const (
	genGUID  = "guid"  // ${guid} fresh per use; ${guid:label} stable per run
	genRun   = "run"   // the run prefix, "scimc-1a2b3c-"
	genRunID = "runId" // the run id, "scimc-1a2b3c"
	genName  = "name"  // ${name:label} a stable run-prefixed unique name
	genEmail = "email" // ${email:label} a stable unique address under example.com
)

// parseTemplate splits s into literals and placeholders and checks that
// every placeholder is well formed; the app functions a sequence's
// templates call are checked against its Funcs when it is built.
func parseTemplate(s string) (template, error) {
	var t template
	var lit strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			lit.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("unclosed placeholder %q", s[i:])
			}
			ph, err := parsePlaceholder(s[i : i+end+1])
			if err != nil {
				return nil, err
			}
			if lit.Len() > 0 {
				t = append(t, segment{lit: lit.String()})
				lit.Reset()
			}
			t = append(t, segment{ph: ph})
			i += end + 1
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	if lit.Len() > 0 {
		t = append(t, segment{lit: lit.String()})
	}
	return t, nil
}

func parsePlaceholder(raw string) (*placeholder, error) {
	inner := raw[2 : len(raw)-1]
	name, argText, hasArgs := strings.Cut(inner, ":")
	ph := &placeholder{raw: raw, name: strings.TrimSpace(name)}
	if !placeholderName.MatchString(ph.name) {
		return nil, fmt.Errorf("placeholder %s: %q is not a name (letters, digits, _ . -)", raw, ph.name)
	}
	if hasArgs {
		for _, a := range strings.Split(argText, ",") {
			a = strings.TrimSpace(a)
			if a == "" {
				return nil, fmt.Errorf("placeholder %s: empty argument", raw)
			}
			ph.args = append(ph.args, a)
		}
	}
	if err := ph.check(); err != nil {
		return nil, fmt.Errorf("placeholder %s: %w", raw, err)
	}
	return ph, nil
}

// check verifies the arguments of generators; app functions are checked
// by the builder, any other name is a variable and takes none.
func (ph *placeholder) check() error {
	switch {
	case ph.name == genGUID:
		if len(ph.args) > 1 {
			return fmt.Errorf("takes at most one label")
		}
	case ph.name == genRun || ph.name == genRunID:
		if len(ph.args) > 0 {
			return fmt.Errorf("takes no arguments")
		}
	case ph.name == genName || ph.name == genEmail:
		if len(ph.args) != 1 {
			return fmt.Errorf("takes exactly one label, e.g. ${%s:owner}", ph.name)
		}
	case strings.HasPrefix(ph.name, appPrefix):
	default:
		if len(ph.args) > 0 {
			return fmt.Errorf("variables take no arguments")
		}
	}
	return nil
}

// whole returns the placeholder when the template is exactly one, which is
// the only place a placeholder may stand for a JSON object or array.
func (t template) whole() *placeholder {
	if len(t) == 1 && t[0].ph != nil {
		return t[0].ph
	}
	return nil
}

// placeholders lists the template's placeholders in order.
func (t template) placeholders() []*placeholder {
	var out []*placeholder
	for _, s := range t {
		if s.ph != nil {
			out = append(out, s.ph)
		}
	}
	return out
}

// literal returns the template's literal text, placeholders left out.
func (t template) literal() string {
	var b strings.Builder
	for _, s := range t {
		b.WriteString(s.lit)
	}
	return b.String()
}

// hasPlaceholder reports whether s may hold a placeholder or an escaped
// "$${": without a '$' a template is its own literal text.
func hasPlaceholder(s string) bool { return strings.IndexByte(s, '$') >= 0 }

// template returns the parsed template s, parsed at load for the
// templates of a loaded sequence.
func (seq *Sequence) template(s string) (template, error) {
	if t, ok := seq.templates[s]; ok {
		return t, nil
	}
	return parseTemplate(s)
}
