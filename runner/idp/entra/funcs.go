// Package entra derives the requests Microsoft Entra ID sends from an app mapping profile: the app functions of its sequences.
package entra

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/sequence"
)

// The app functions a sequence calls as ${app.<func>:<args>}. They build
// what Entra sends for the run's app profile in the run's dialect
// (entra-protocol §2 and §3), and what a target must then return. Users
// and groups are named by a persona ("main", "manager"); their generated
// values and current state live in the Vars under "user.<persona>.<target>"
// and "group.<persona>.<attr>".

// SCIM URNs the derived requests use besides the mapped attributes'.
const (
	urnGroup   = "urn:ietf:params:scim:schemas:core:2.0:Group"
	urnPatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	// urnADGroup is the non-SCIM schema URI Entra still puts in group creates.
	urnADGroup = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
)

// Funcs returns Entra's app functions, for sequence.Parse and the other
// loaders of sequence.
func Funcs() sequence.Funcs {
	shapes := &shapes{}
	user := func(call func(req, []string) (any, error)) sequence.Func {
		return sequence.Func{MinArgs: 1, MaxArgs: 1, Persona: true, Structured: true, Call: bind(call)}
	}
	group := func(call func(req, []string) (any, error)) sequence.Func {
		return sequence.Func{MinArgs: 1, MaxArgs: 1, Persona: true, Group: true, Structured: true, Call: bind(call)}
	}
	return sequence.Funcs{
		"filter":        {MinArgs: 1, MaxArgs: 1, Persona: true, Call: bind(req.filter)},
		"filterValue":   {MinArgs: 1, MaxArgs: 1, Call: bind(req.filterValue)},
		"match":         {MinArgs: 1, MaxArgs: 1, Persona: true, Call: bind(req.match)},
		"createUser":    user(func(r req, a []string) (any, error) { return r.createUser(shapes, a) }),
		"user":          user(req.user),
		"plainUser":     user(req.plainUser),
		"updateMulti":   user(req.updateMulti),
		"updateSingle":  user(req.updateSingle),
		"disable":       user(func(r req, a []string) (any, error) { return r.active(a, false) }),
		"enable":        user(func(r req, a []string) (any, error) { return r.active(a, true) }),
		"setManager":    {MinArgs: 2, MaxArgs: 2, Persona: true, Structured: true, Call: bind(req.setManager)},
		"createGroup":   group(req.createGroup),
		"group":         group(req.group),
		"plainGroup":    group(req.plainGroup),
		"groupFilter":   {MinArgs: 1, MaxArgs: 1, Persona: true, Group: true, Call: bind(req.groupFilter)},
		"renameGroup":   group(req.renameGroup),
		"addMembers":    {MinArgs: 1, MaxArgs: -1, Structured: true, Call: bind(func(r req, a []string) (any, error) { return r.members(a, true) })},
		"removeMembers": {MinArgs: 1, MaxArgs: -1, Structured: true, Call: bind(func(r req, a []string) (any, error) { return r.members(a, false) })},
	}
}

// obj builds an Object from keys and values in turn.
func obj(kv ...any) sequence.Object {
	o := make(sequence.Object, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		o = append(o, sequence.Member{Key: kv[i].(string), Value: kv[i+1]})
	}
	return o
}

// req is one step's state as Entra's functions use it.
type req struct{ *sequence.State }

func bind(call func(req, []string) (any, error)) func(*sequence.State, []string) (any, error) {
	return func(st *sequence.State, args []string) (any, error) { return call(req{st}, args) }
}

// op spells a PATCH op the way the dialect does: "Replace" or "replace".
func (r req) op(name string) string {
	if r.Dialect() == sequence.DialectSCIM062020 {
		return name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func patchOp(ops ...any) sequence.Object {
	return obj("schemas", []any{urnPatchOp}, "Operations", ops)
}

// filterExpr is `<target> eq "<value>"` with the value as a JSON string.
func filterExpr(target mapping.TargetPath, value string) string {
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

func (r req) filter(args []string) (any, error) {
	v, err := r.userValue(args[0], r.App().Attribute(r.App().Matching))
	if err != nil {
		return nil, err
	}
	return filterExpr(r.App().Matching, v), nil
}

func (r req) filterValue(args []string) (any, error) {
	v, err := r.Variable(args[0])
	if err != nil {
		return nil, err
	}
	return filterExpr(r.App().Matching, v), nil
}

func (r req) match(args []string) (any, error) {
	return r.userValue(args[0], r.App().Attribute(r.App().Matching))
}

func (r req) idVar(name string) (string, error) {
	v, err := r.Variable(name)
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
	slices.Sort(keys)
	return keys
}
