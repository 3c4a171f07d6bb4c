package runner

import "fmt"

// Group requests in Entra's shapes (entra-protocol §3). Groups are not
// part of an app's attribute mapping, but their PATCH bodies differ by
// dialect like the users'.

func groupKey(persona, attr string) string { return "group." + persona + "." + attr }

func (r *renderer) groupName(g string) string {
	return r.stable(groupKey(g, "displayName"), func() string {
		return r.prefix + g + "-" + r.hex(4)
	})
}

// groupExternalID stands for Entra's objectId -> externalId: a GUID, run
// prefixed like every identifier the run creates.
func (r *renderer) groupExternalID(g string) string {
	return r.stable(groupKey(g, "externalId"), func() string { return r.prefix + guidFromHex(r.hex(32)) })
}

// appCreateGroup is Entra's POST /Groups (G2), with the non-SCIM schema
// URI Entra still sends and no members: they arrive by PATCH.
func (r *renderer) appCreateGroup(args []string) (any, error) {
	g := args[0]
	return Object{
		{"schemas", []any{urnGroup, urnADGroup}},
		{"externalId", r.groupExternalID(g)},
		{"displayName", r.groupName(g)},
		{"meta", Object{{"resourceType", "Group"}}},
	}, nil
}

// appGroup is the group's current state, for a subset match.
func (r *renderer) appGroup(args []string) (any, error) {
	g := args[0]
	return Object{{"displayName", r.groupName(g)}, {"externalId", r.groupExternalID(g)}}, nil
}

// appPlainGroup is a plain RFC 7643 create body for the group: the core
// Group schema only, its displayName and externalId. Sequences use it to
// create a group directly when Entra's create did not.
func (r *renderer) appPlainGroup(args []string) (any, error) {
	g := args[0]
	return Object{
		{"schemas", []any{urnGroup}},
		{"externalId", r.groupExternalID(g)},
		{"displayName", r.groupName(g)},
	}, nil
}

func (r *renderer) appGroupFilter(args []string) (any, error) {
	return filterExpr(TargetPath{Attr: "displayName"}, r.groupName(args[0])), nil
}

// appRenameGroup changes displayName (G4): a Replace with a path by
// default, a path-less replace with aadOptscim062020.
func (r *renderer) appRenameGroup(args []string) (any, error) {
	g := args[0]
	prev := r.groupName(g)
	name := fmt.Sprintf("%s%s-renamed-%s", r.prefix, g, r.hex(4))
	if name == prev {
		name += "x"
	}
	r.set(groupKey(g, "displayName"), name)
	if r.dialect == DialectSCIM062020 {
		return patchOp(Object{{"op", "replace"}, {"value", Object{{"displayName", name}}}}), nil
	}
	return patchOp(Object{{"op", "Replace"}, {"path", "displayName"}, {"value", name}}), nil
}

// appMembers adds or removes members (G5, G6). Add: one op with every id,
// "$ref": null by default. Remove: by default "Remove" on path members with
// the ids as value (only those go); with aadOptscim062020 one "remove" per
// id on members[value eq "<id>"] with no value.
func (r *renderer) appMembers(idVars []string, add bool) (any, error) {
	ids := make([]string, len(idVars))
	for i, v := range idVars {
		id, err := r.idVar(v)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	flag := r.dialect == DialectSCIM062020
	if !add && flag {
		ops := make([]any, len(ids))
		for i, id := range ids {
			ops[i] = Object{{"op", "remove"}, {"path", "members[value eq " + quoteFilter(id) + "]"}}
		}
		return patchOp(ops...), nil
	}
	values := make([]any, len(ids))
	for i, id := range ids {
		if flag {
			values[i] = Object{{"value", id}}
		} else {
			values[i] = Object{{"$ref", nil}, {"value", id}}
		}
	}
	op := "remove"
	if add {
		op = "add"
	}
	return patchOp(Object{{"op", r.op(op)}, {"path", "members"}, {"value", values}}), nil
}
