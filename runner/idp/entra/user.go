package entra

import (
	"net/url"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/sequence"
)

// User requests derived from the app profile, in Entra's shapes.

func userKey(persona string, a *mapping.Attribute) string {
	return "user." + persona + "." + a.Key()
}

func managerKey(persona string) string { return "user." + persona + ".manager" }

// userValue returns the persona's current value of a mapped attribute,
// generating it on first use.
func (r req) userValue(persona string, a *mapping.Attribute) (string, error) {
	key := userKey(persona, a)
	if v, ok := r.Get(key); ok {
		return v, nil
	}
	v := mapping.Generate(a.Generate, source{r, persona}, persona, "")
	r.Set(key, v)
	return v, nil
}

// generate makes a new value for a, different from prev, and stores it.
func (r req) generate(persona string, a *mapping.Attribute, prev string) string {
	v := mapping.Generate(a.Generate, source{r, persona}, persona, prev)
	r.Set(userKey(persona, a), v)
	return v
}

// source is what the generators of persona's values draw on.
type source struct {
	r       req
	persona string
}

func (s source) Prefix() string   { return s.r.Prefix() }
func (s source) Hex(n int) string { return s.r.Hex(n) }
func (s source) Index(n int) int  { return s.r.Index(n) }

func (s source) Current(t mapping.TargetPath) string {
	m := s.r.App().Attribute(t)
	if m == nil {
		return ""
	}
	v, _ := s.r.Get(userKey(s.persona, m))
	return v
}

// valueAttributes lists the attributes that carry generated values, in
// the order they are generated.
func (r req) valueAttributes() []*mapping.Attribute { return r.App().Values() }

// typed turns a stored value into its JSON type.
func typed(a *mapping.Attribute, v string) any {
	if mapping.Boolean(a.Generate) {
		return v == "true"
	}
	return v
}

// userDoc collects attribute values into the nested SCIM shape.
type userDoc struct {
	top   map[string]any                       // simple core attributes
	cplx  map[string]map[string]any            // name -> sub -> value
	multi map[string]map[string]map[string]any // emails -> type -> sub -> value
	ext   map[string]map[string]any            // URN -> attr -> value
}

func newUserDoc() *userDoc {
	return &userDoc{top: map[string]any{}, cplx: map[string]map[string]any{},
		multi: map[string]map[string]map[string]any{}, ext: map[string]map[string]any{}}
}

func (d *userDoc) put(t mapping.TargetPath, v any) {
	switch {
	case t.URN != "":
		if d.ext[t.URN] == nil {
			d.ext[t.URN] = map[string]any{}
		}
		d.ext[t.URN][t.Attr] = v
	case t.TypeValue != "":
		if d.multi[t.Attr] == nil {
			d.multi[t.Attr] = map[string]map[string]any{}
		}
		if d.multi[t.Attr][t.TypeValue] == nil {
			d.multi[t.Attr][t.TypeValue] = map[string]any{}
		}
		d.multi[t.Attr][t.TypeValue][t.Sub] = v
	case t.Sub != "":
		if d.cplx[t.Attr] == nil {
			d.cplx[t.Attr] = map[string]any{}
		}
		d.cplx[t.Attr][t.Sub] = v
	default:
		d.top[t.Attr] = v
	}
}

// object lays the document out as Entra does: externalId, userName and
// active first, then every other attribute in alphabetical order (the
// order of Entra's published create bodies). primaryWork marks the work
// email primary, as Entra's create does.
func (d *userDoc) object(lead sequence.Object, primaryWork bool) sequence.Object {
	out := lead
	for _, k := range []string{"externalId", "userName", "active"} {
		if v, ok := d.top[k]; ok {
			out = append(out, sequence.Member{Key: k, Value: v})
			delete(d.top, k)
		}
	}
	rest := sequence.Object{}
	for k, v := range d.top {
		rest = append(rest, sequence.Member{Key: k, Value: v})
	}
	for k, subs := range d.cplx {
		rest = append(rest, sequence.Member{Key: k, Value: sortedObject(subs)})
	}
	for k, byType := range d.multi {
		var elems []any
		for _, typ := range sortedKeys(byType) {
			el := byType[typ]
			el["type"] = typ
			if primaryWork && strings.EqualFold(k, "emails") && typ == "work" {
				el["primary"] = true
			}
			elems = append(elems, sortedObject(el))
		}
		rest = append(rest, sequence.Member{Key: k, Value: elems})
	}
	for urn, attrs := range d.ext {
		rest = append(rest, sequence.Member{Key: urn, Value: sortedObject(attrs)})
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Key < rest[j].Key })
	return append(out, rest...)
}

func sortedObject(m map[string]any) sequence.Object {
	o := make(sequence.Object, 0, len(m))
	for _, k := range sortedKeys(m) {
		o = append(o, sequence.Member{Key: k, Value: m[k]})
	}
	return o
}

// createUser is Entra's POST /Users body (entra-protocol U2): both
// schema URNs, every mapped attribute with a value, client-side meta and an
// empty roles array; never the manager, which follows by PATCH.
func (r req) createUser(shapes *shapes, args []string) (any, error) {
	p := args[0]
	sh := shapes.of(r.App())
	vals := make([]any, len(sh.values))
	for i, a := range sh.values {
		v, err := r.userValue(p, a)
		if err != nil {
			return nil, err
		}
		vals[i] = typed(a, v)
	}
	return sh.fill(vals), nil
}

// user is the persona's current state as a target must return it: every
// mapped value and the manager, for a subset match.
func (r req) user(args []string) (any, error) {
	p := args[0]
	d := newUserDoc()
	for _, a := range r.valueAttributes() {
		v, err := r.userValue(p, a)
		if err != nil {
			return nil, err
		}
		d.put(a.Target, typed(a, v))
	}
	if id, ok := r.Get(managerKey(p)); ok {
		d.put(mapping.TargetPath{URN: mapping.URNEnterprise, Attr: "manager"}, obj("value", id))
	}
	return d.object(sequence.Object{}, false), nil
}

// plainUser is a plain RFC 7643 create body with the persona's current
// values: the schemas its attributes use, then every mapped value (and the
// manager once set), without what Entra adds (client-side meta, an empty
// roles array). Sequences use it to create a user directly when Entra's
// create did not.
func (r req) plainUser(args []string) (any, error) {
	v, err := r.user(args)
	if err != nil {
		return nil, err
	}
	doc := v.(sequence.Object)
	urns := []any{mapping.URNUser}
	for _, m := range doc {
		if strings.HasPrefix(m.Key, "urn:") {
			urns = append(urns, m.Key)
		}
	}
	return append(obj("schemas", urns), doc...), nil
}

// updateMulti changes every mapped element of a multi-valued attribute
// (emails[type eq "work"].value, ...): one op per attribute, with its
// value path, in both dialects (entra-protocol U6, U7b).
func (r req) updateMulti(args []string) (any, error) {
	p := args[0]
	var ops []any
	for _, a := range r.valueAttributes() {
		if !a.Target.MultiValued() {
			continue
		}
		prev, err := r.userValue(p, a)
		if err != nil {
			return nil, err
		}
		v := r.generate(p, a, prev)
		ops = append(ops, obj("op", r.op("replace"), "path", a.Target.String(), "value", typed(a, v)))
	}
	if len(ops) == 0 {
		return nil, sequence.NotApplicable("app profile %s maps no multi-valued attribute", r.App().Name)
	}
	return patchOp(ops...), nil
}

// updateSingle changes every mapped single-valued attribute except
// active and manager: one Replace per attribute by default (U7); with
// aadOptscim062020 one path-less replace whose value uses dotted and URN
// keys (U7b).
func (r req) updateSingle(args []string) (any, error) {
	p := args[0]
	changed := sequence.Object{}
	for _, a := range r.valueAttributes() {
		if a.Target.MultiValued() || a.Target.IsActive() {
			continue
		}
		prev, err := r.userValue(p, a)
		if err != nil {
			return nil, err
		}
		changed = append(changed, sequence.Member{Key: a.Target.String(), Value: typed(a, r.generate(p, a, prev))})
	}
	if len(changed) == 0 {
		return nil, sequence.NotApplicable("app profile %s maps no single-valued attribute besides active", r.App().Name)
	}
	if r.Dialect() == sequence.DialectSCIM062020 {
		return patchOp(obj("op", "replace", "value", changed)), nil
	}
	ops := make([]any, len(changed))
	for i, m := range changed {
		ops[i] = obj("op", "Replace", "path", m.Key, "value", m.Value)
	}
	return patchOp(ops...), nil
}

// active disables or re-enables a user (U9): the string "False"/"True"
// by default, a boolean with aadOptscim062020.
func (r req) active(args []string, active bool) (any, error) {
	a := r.App().Attribute(mapping.TargetPath{Attr: "active"})
	if a == nil {
		return nil, sequence.NotApplicable("app profile %s does not map active", r.App().Name)
	}
	state := "false"
	if active {
		state = "true"
	}
	r.Set(userKey(args[0], a), state)
	var value any = active
	if r.Dialect() == sequence.DialectDefault {
		value = strings.ToUpper(state[:1]) + state[1:]
	}
	return patchOp(obj("op", r.op("replace"), "path", "active", "value", value)), nil
}

// setManager links the persona's manager (U8): "Add" the first time,
// "Replace" after. Default: path manager with an array of {$ref, value};
// aadOptscim062020: the URN path with the bare id.
func (r req) setManager(args []string) (any, error) {
	p := args[0]
	if r.App().Attribute(mapping.TargetPath{URN: mapping.URNEnterprise, Attr: "manager"}) == nil {
		return nil, sequence.NotApplicable("app profile %s does not map the enterprise manager", r.App().Name)
	}
	id, err := r.idVar(args[1])
	if err != nil {
		return nil, err
	}
	op := "add"
	if _, had := r.Get(managerKey(p)); had {
		op = "replace"
	}
	r.Set(managerKey(p), id)
	if r.Dialect() == sequence.DialectSCIM062020 {
		return patchOp(obj("op", op, "path", mapping.URNEnterprise+":manager", "value", id)), nil
	}
	ref := obj("$ref", r.userRef(id), "value", id)
	return patchOp(obj("op", r.op(op), "path", "manager", "value", []any{ref})), nil
}

// userRef is the manager's $ref: its URL under the Tenant URL, as Entra writes it.
func (r req) userRef(id string) string {
	if r.Target() == "" {
		return "../Users/" + url.PathEscape(id)
	}
	return strings.TrimRight(r.Target(), "/") + "/Users/" + url.PathEscape(id)
}
