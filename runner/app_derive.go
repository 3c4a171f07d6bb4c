package runner

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// The app functions a sequence calls as ${app.<func>:<args>}. They build
// what Entra sends for the run's app profile in the run's dialect
// (entra-protocol §2 and §3), and what a target must then return. Users
// and groups are named by a persona ("main", "manager"); their generated
// values and current state live in the Vars under "user.<persona>.<target>"
// and "group.<persona>.<attr>".

const appPrefix = "app."

type appFunc struct {
	minArgs, maxArgs int  // maxArgs < 0: any number
	structured       bool // yields a JSON value rather than text
	idArgs           bool // arguments are variable names holding ids, not personas
	call             func(r *renderer, args []string) (any, error)
}

var appFuncs map[string]appFunc

func init() {
	appFuncs = map[string]appFunc{
		"filter":        {1, 1, false, false, (*renderer).appFilter},
		"filterValue":   {1, 1, false, true, (*renderer).appFilterValue},
		"match":         {1, 1, false, false, (*renderer).appMatch},
		"createUser":    {1, 1, true, false, (*renderer).appCreateUser},
		"user":          {1, 1, true, false, (*renderer).appUser},
		"plainUser":     {1, 1, true, false, (*renderer).appPlainUser},
		"updateMulti":   {1, 1, true, false, (*renderer).appUpdateMulti},
		"updateSingle":  {1, 1, true, false, (*renderer).appUpdateSingle},
		"disable":       {1, 1, true, false, func(r *renderer, a []string) (any, error) { return r.appActive(a, false) }},
		"enable":        {1, 1, true, false, func(r *renderer, a []string) (any, error) { return r.appActive(a, true) }},
		"setManager":    {2, 2, true, false, (*renderer).appSetManager},
		"createGroup":   {1, 1, true, false, (*renderer).appCreateGroup},
		"group":         {1, 1, true, false, (*renderer).appGroup},
		"plainGroup":    {1, 1, true, false, (*renderer).appPlainGroup},
		"groupFilter":   {1, 1, false, false, (*renderer).appGroupFilter},
		"renameGroup":   {1, 1, true, false, (*renderer).appRenameGroup},
		"addMembers":    {1, -1, true, true, func(r *renderer, a []string) (any, error) { return r.appMembers(a, true) }},
		"removeMembers": {1, -1, true, true, func(r *renderer, a []string) (any, error) { return r.appMembers(a, false) }},
	}
}

var personaRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

func checkAppFunc(name string, args []string) error {
	f, ok := appFuncs[name]
	if !ok {
		return fmt.Errorf("unknown app function %q (known: %s)", name, strings.Join(sortedKeys(appFuncs), ", "))
	}
	if len(args) < f.minArgs || (f.maxArgs >= 0 && len(args) > f.maxArgs) {
		return fmt.Errorf("app.%s takes %s", name, argCount(f))
	}
	for i, a := range args {
		switch {
		case (f.idArgs || (name == "setManager" && i == 1)) && !varNameRE.MatchString(a):
			return fmt.Errorf("argument %q must name a variable holding an id", a)
		case !f.idArgs && !(name == "setManager" && i == 1) && !personaRE.MatchString(a):
			return fmt.Errorf("persona %q: want a name such as main or manager", a)
		}
	}
	return nil
}

func argCount(f appFunc) string {
	switch {
	case f.maxArgs < 0:
		return fmt.Sprintf("at least %d argument(s)", f.minArgs)
	case f.minArgs == f.maxArgs:
		return fmt.Sprintf("%d argument(s)", f.minArgs)
	}
	return fmt.Sprintf("%d to %d arguments", f.minArgs, f.maxArgs)
}

func structuredAppFunc(ph *placeholder) bool {
	name, ok := strings.CutPrefix(ph.name, appPrefix)
	return ok && appFuncs[name].structured
}

// errNotApplicable marks a step the app profile gives nothing to do (a
// manager update for an app that does not map manager): it is skipped.
type errNotApplicable struct{ reason string }

func (e *errNotApplicable) Error() string { return e.reason }

func notApplicable(format string, args ...any) error {
	return &errNotApplicable{fmt.Sprintf(format, args...)}
}

func isNotApplicable(err error) (string, bool) {
	if err == nil {
		return "", false // without the heap target errors.As would need
	}
	var na *errNotApplicable
	if errors.As(err, &na) {
		return na.reason, true
	}
	return "", false
}

func (r *renderer) appCall(name string, args []string) (any, error) {
	if r.app == nil {
		return nil, fmt.Errorf("${app.%s} needs an app profile and the run has none", name)
	}
	f, ok := appFuncs[name]
	if !ok {
		return nil, checkAppFunc(name, args)
	}
	return f.call(r, args)
}

// op spells a PATCH op the way the dialect does: "Replace" or "replace".
func (r *renderer) op(name string) string {
	if r.dialect == DialectSCIM062020 {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func patchOp(ops ...any) Object {
	return Object{{"schemas", []any{urnPatchOp}}, {"Operations", ops}}
}

// filterExpr is `<target> eq "<value>"` with the value as a JSON string.
func filterExpr(target TargetPath, value string) string {
	return target.String() + " eq " + quoteFilter(value)
}

func quoteFilter(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(c rune) bool { return c == '"' || c == '\\' || c < 0x20 }) {
		return `"` + s + `"` // nothing to escape or replace: one allocation
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func (r *renderer) appFilter(args []string) (any, error) {
	v, err := r.userValue(args[0], r.app.Attribute(r.app.Matching))
	if err != nil {
		return nil, err
	}
	return filterExpr(r.app.Matching, v), nil
}

func (r *renderer) appFilterValue(args []string) (any, error) {
	v, err := r.variable(args[0])
	if err != nil {
		return nil, err
	}
	return filterExpr(r.app.Matching, v), nil
}

func (r *renderer) appMatch(args []string) (any, error) {
	return r.userValue(args[0], r.app.Attribute(r.app.Matching))
}

func (r *renderer) idVar(name string) (string, error) {
	v, err := r.variable(name)
	if err != nil {
		return "", err
	}
	if v == "" {
		return "", fmt.Errorf("variable ${%s} is empty; it should hold an id", name)
	}
	return v, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
