package sequence

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// appPrefix starts the name of an app function: ${app.createUser:main}.
const appPrefix = "app."

// Funcs are the app functions the templates of a sequence may call as
// ${app.<name>:<args>}, by name: the requests of one identity provider,
// derived from the run's app profile (see idp/entra).
type Funcs map[string]Func

// Func is one app function.
type Func struct {
	MinArgs, MaxArgs int // MaxArgs < 0: any number
	// Persona: the first argument names the user (with Group, the group)
	// whose state the function reads or changes, such as "main"; every
	// other argument names a variable holding an id.
	Persona, Group bool
	// Structured: it yields a JSON value, which only a whole body value
	// may be, rather than text.
	Structured bool
	Call       func(st *State, args []string) (any, error)
}

var personaRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// check verifies a call's arguments.
func (fs Funcs) check(name string, args []string) error {
	f, ok := fs[name]
	if !ok {
		names := make([]string, 0, len(fs))
		for n := range fs {
			names = append(names, n)
		}
		slices.Sort(names)
		return fmt.Errorf("unknown app function %q (known: %s)", name, strings.Join(names, ", "))
	}
	if len(args) < f.MinArgs || (f.MaxArgs >= 0 && len(args) > f.MaxArgs) {
		return fmt.Errorf("app.%s takes %s", name, f.argCount())
	}
	for i, a := range args {
		switch {
		case f.Persona && i == 0:
			if !personaRE.MatchString(a) {
				return fmt.Errorf("persona %q: want a name such as main or manager", a)
			}
		case !varNameRE.MatchString(a):
			return fmt.Errorf("argument %q must name a variable holding an id", a)
		}
	}
	return nil
}

func (f Func) argCount() string {
	switch {
	case f.MaxArgs < 0:
		return fmt.Sprintf("at least %d argument(s)", f.MinArgs)
	case f.MinArgs == f.MaxArgs:
		return fmt.Sprintf("%d argument(s)", f.MinArgs)
	}
	return fmt.Sprintf("%d to %d arguments", f.MinArgs, f.MaxArgs)
}

// appFunc returns the app function a placeholder calls, if it calls one
// of fs.
func (fs Funcs) appFunc(ph *placeholder) (Func, bool) {
	name, ok := strings.CutPrefix(ph.name, appPrefix)
	if !ok {
		return Func{}, false
	}
	f, ok := fs[name]
	return f, ok
}

// notApplicable marks a step the app profile gives nothing to do (a
// manager update for an app that does not map manager): it is skipped.
type notApplicable struct{ reason string }

func (e *notApplicable) Error() string { return e.reason }

// NotApplicable is the error of an app function the app profile gives
// nothing to do: the step is skipped with the reason, not failed.
func NotApplicable(format string, args ...any) error {
	return &notApplicable{fmt.Sprintf(format, args...)}
}

// IsNotApplicable returns the reason of a NotApplicable error.
func IsNotApplicable(err error) (string, bool) {
	if err == nil {
		return "", false // without the heap target errors.As would need
	}
	var na *notApplicable
	if errors.As(err, &na) {
		return na.reason, true
	}
	return "", false
}
