package runner

import (
	"sort"
	"strings"
)

// User requests derived from the app profile, in Entra's shapes.

func userKey(persona string, a *MappedAttribute) string {
	return "user." + persona + "." + a.key()
}

func managerKey(persona string) string { return "user." + persona + ".manager" }

// userValue returns the persona's current value of a mapped attribute,
// generating it on first use.
func (r *renderer) userValue(persona string, a *MappedAttribute) (string, error) {
	return r.userValueAt(userKey(persona, a), persona, a), nil
}

// userValueAt is userValue with the state key already known.
func (r *renderer) userValueAt(key, persona string, a *MappedAttribute) string {
	if v, ok := r.get(key); ok {
		return v
	}
	return r.generateAt(key, persona, a, "")
}

// generate makes a new value for a, different from prev, and stores it.
func (r *renderer) generate(persona string, a *MappedAttribute, prev string) string {
	return r.generateAt(userKey(persona, a), persona, a, prev)
}

// generateAt is generate with the state key already known.
func (r *renderer) generateAt(key, persona string, a *MappedAttribute, prev string) string {
	v := generators[a.Generate].gen(genInput{r: r, persona: persona, prev: prev})
	r.set(key, v)
	return v
}

// valueAttributes lists the attributes that carry generated values
// (not the manager reference), the "formatted" ones last because they are
// built from the others.
func (r *renderer) valueAttributes() []*MappedAttribute { return r.app.shape().values }

// typed turns a stored value into its JSON type.
func typed(a *MappedAttribute, v string) any {
	if generators[a.Generate].boolean {
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

func (d *userDoc) put(t TargetPath, v any) {
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
func (d *userDoc) object(lead Object, primaryWork bool) Object {
	out := lead
	for _, k := range []string{"externalId", "userName", "active"} {
		if v, ok := d.top[k]; ok {
			out = append(out, Member{k, v})
			delete(d.top, k)
		}
	}
	rest := Object{}
	for k, v := range d.top {
		rest = append(rest, Member{k, v})
	}
	for k, subs := range d.cplx {
		rest = append(rest, Member{k, sortedObject(subs)})
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
		rest = append(rest, Member{k, elems})
	}
	for urn, attrs := range d.ext {
		rest = append(rest, Member{urn, sortedObject(attrs)})
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].Key < rest[j].Key })
	return append(out, rest...)
}

func sortedObject(m map[string]any) Object {
	o := make(Object, 0, len(m))
	for _, k := range sortedKeys(m) {
		o = append(o, Member{k, m[k]})
	}
	return o
}

// appCreateUser is Entra's POST /Users body (entra-protocol U2): both
// schema URNs, every mapped attribute with a value, client-side meta and an
// empty roles array; never the manager, which follows by PATCH. Its layout
// depends on the profile alone and is built once (userShape); each user
// only fills in its values.
func (r *renderer) appCreateUser(args []string) (any, error) {
	sh, strs := r.createValues(args[0])
	vals := make([]any, len(strs))
	for i, v := range strs {
		vals[i] = typed(sh.values[i], v)
	}
	return sh.create.fill(vals), nil
}

// createValues returns the shape of persona p's create body and its value
// for each slot, generated on first use. The values live in the
// renderer's scratch until the next call.
func (r *renderer) createValues(p string) (*userShape, []string) {
	sh := r.app.shape()
	keys := sh.stateKeys(p)
	r.vals = r.vals[:0]
	for i, a := range sh.values {
		r.vals = append(r.vals, r.userValueAt(keys[i], p, a))
	}
	return sh, r.vals
}

// appUser is the persona's current state as a target must return it: every
// mapped value and the manager, for a subset match.
func (r *renderer) appUser(args []string) (any, error) {
	p := args[0]
	d := newUserDoc()
	for _, a := range r.valueAttributes() {
		v, err := r.userValue(p, a)
		if err != nil {
			return nil, err
		}
		d.put(a.Target, typed(a, v))
	}
	if id, ok := r.get(managerKey(p)); ok {
		d.put(TargetPath{URN: urnEnterprise, Attr: "manager"}, Object{{"value", id}})
	}
	return d.object(Object{}, false), nil
}

// appPlainUser is a plain RFC 7643 create body with the persona's current
// values: the schemas its attributes use, then every mapped value (and the
// manager once set), without what Entra adds (client-side meta, an empty
// roles array). Sequences use it to create a user directly when Entra's
// create did not.
func (r *renderer) appPlainUser(args []string) (any, error) {
	v, err := r.appUser(args)
	if err != nil {
		return nil, err
	}
	doc := v.(Object)
	urns := []any{urnUser}
	for _, m := range doc {
		if strings.HasPrefix(m.Key, "urn:") {
			urns = append(urns, m.Key)
		}
	}
	return append(Object{{"schemas", urns}}, doc...), nil
}

// appUpdateMulti changes every mapped element of a multi-valued attribute
// (emails[type eq "work"].value, ...): one op per attribute, with its
// value path, in both dialects (entra-protocol U6, U7b).
func (r *renderer) appUpdateMulti(args []string) (any, error) {
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
		ops = append(ops, Object{{"op", r.op("replace")}, {"path", a.Target.String()}, {"value", typed(a, v)}})
	}
	if len(ops) == 0 {
		return nil, notApplicable("app profile %s maps no multi-valued attribute", r.app.Name)
	}
	return patchOp(ops...), nil
}

// appUpdateSingle changes every mapped single-valued attribute except
// active and manager: one Replace per attribute by default (U7); with
// aadOptscim062020 one path-less replace whose value uses dotted and URN
// keys (U7b).
func (r *renderer) appUpdateSingle(args []string) (any, error) {
	p := args[0]
	changed := Object{}
	for _, a := range r.valueAttributes() {
		if a.Target.MultiValued() || a.Target.isActive() {
			continue
		}
		prev, err := r.userValue(p, a)
		if err != nil {
			return nil, err
		}
		changed = append(changed, Member{a.Target.String(), typed(a, r.generate(p, a, prev))})
	}
	if len(changed) == 0 {
		return nil, notApplicable("app profile %s maps no single-valued attribute besides active", r.app.Name)
	}
	if r.dialect == DialectSCIM062020 {
		return patchOp(Object{{"op", "replace"}, {"value", changed}}), nil
	}
	ops := make([]any, len(changed))
	for i, m := range changed {
		ops[i] = Object{{"op", "Replace"}, {"path", m.Key}, {"value", m.Value}}
	}
	return patchOp(ops...), nil
}

// appActive disables or re-enables a user (U9): the string "False"/"True"
// by default, a boolean with aadOptscim062020.
func (r *renderer) appActive(args []string, active bool) (any, error) {
	a := r.app.Attribute(TargetPath{Attr: "active"})
	if a == nil {
		return nil, notApplicable("app profile %s does not map active", r.app.Name)
	}
	state := "false"
	if active {
		state = "true"
	}
	r.set(userKey(args[0], a), state)
	var value any = active
	if r.dialect == DialectDefault {
		value = strings.ToUpper(state[:1]) + state[1:]
	}
	return patchOp(Object{{"op", r.op("replace")}, {"path", "active"}, {"value", value}}), nil
}

// appSetManager links the persona's manager (U8): "Add" the first time,
// "Replace" after. Default: path manager with an array of {$ref, value};
// aadOptscim062020: the URN path with the bare id.
func (r *renderer) appSetManager(args []string) (any, error) {
	p := args[0]
	if r.app.Attribute(TargetPath{URN: urnEnterprise, Attr: "manager"}) == nil {
		return nil, notApplicable("app profile %s does not map the enterprise manager", r.app.Name)
	}
	id, err := r.idVar(args[1])
	if err != nil {
		return nil, err
	}
	op := "add"
	if _, had := r.get(managerKey(p)); had {
		op = "replace"
	}
	r.set(managerKey(p), id)
	if r.dialect == DialectSCIM062020 {
		return patchOp(Object{{"op", op}, {"path", urnEnterprise + ":manager"}, {"value", id}}), nil
	}
	ref := Object{{"$ref", r.userRef(id)}, {"value", id}}
	return patchOp(Object{{"op", r.op(op)}, {"path", "manager"}, {"value", []any{ref}}}), nil
}

// userRef is the manager's $ref: its URL under the Tenant URL, as Entra writes it.
func (r *renderer) userRef(id string) string {
	if r.target == "" {
		return "../Users/" + pathEscape(id)
	}
	return strings.TrimRight(r.target, "/") + "/Users/" + pathEscape(id)
}
