package entra

import (
	"fmt"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/sequence"
)

// Group requests in Entra's shapes (entra-protocol §3). Groups are not
// part of an app's attribute mapping, but their PATCH bodies differ by
// dialect like the users'.

func groupKey(persona, attr string) string { return "group." + persona + "." + attr }

func (r req) groupName(g string) string {
	return r.Stable(groupKey(g, "displayName"), func() string {
		return r.Prefix() + g + "-" + r.Hex(4)
	})
}

// groupExternalID stands for Entra's objectId -> externalId: a GUID, run
// prefixed like every identifier the run creates.
func (r req) groupExternalID(g string) string {
	return r.Stable(groupKey(g, "externalId"), func() string { return r.Prefix() + mapping.GUIDFromHex(r.Hex(32)) })
}

// createGroup is Entra's POST /Groups (G2), with the non-SCIM schema
// URI Entra still sends and no members: they arrive by PATCH.
func (r req) createGroup(args []string) (any, error) {
	g := args[0]
	return obj("schemas", []any{urnGroup, urnADGroup}, "externalId", r.groupExternalID(g), "displayName", r.groupName(g), "meta", obj("resourceType", "Group")), nil
}

// group is the group's current state, for a subset match.
func (r req) group(args []string) (any, error) {
	g := args[0]
	return obj("displayName", r.groupName(g), "externalId", r.groupExternalID(g)), nil
}

// plainGroup is a plain RFC 7643 create body for the group: the core
// Group schema only, its displayName and externalId. Sequences use it to
// create a group directly when Entra's create did not.
func (r req) plainGroup(args []string) (any, error) {
	g := args[0]
	return obj("schemas", []any{urnGroup}, "externalId", r.groupExternalID(g), "displayName", r.groupName(g)), nil
}

func (r req) groupFilter(args []string) (any, error) {
	return filterExpr(mapping.TargetPath{Attr: "displayName"}, r.groupName(args[0])), nil
}

// renameGroup changes displayName (G4): a Replace with a path by
// default, a path-less replace with aadOptscim062020.
func (r req) renameGroup(args []string) (any, error) {
	g := args[0]
	prev := r.groupName(g)
	name := fmt.Sprintf("%s%s-renamed-%s", r.Prefix(), g, r.Hex(4))
	if name == prev {
		name += "x"
	}
	r.Set(groupKey(g, "displayName"), name)
	if r.Dialect() == sequence.DialectSCIM062020 {
		return patchOp(obj("op", "replace", "value", obj("displayName", name))), nil
	}
	return patchOp(obj("op", "Replace", "path", "displayName", "value", name)), nil
}

// members adds or removes members (G5, G6). Add: one op with every id,
// "$ref": null by default. Remove: by default "Remove" on path members with
// the ids as value (only those go); with aadOptscim062020 one "remove" per
// id on members[value eq "<id>"] with no value.
func (r req) members(idVars []string, add bool) (any, error) {
	ids := make([]string, len(idVars))
	for i, v := range idVars {
		id, err := r.idVar(v)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	flag := r.Dialect() == sequence.DialectSCIM062020
	if !add && flag {
		ops := make([]any, len(ids))
		for i, id := range ids {
			ops[i] = obj("op", "remove", "path", "members[value eq "+quoteFilter(id)+"]")
		}
		return patchOp(ops...), nil
	}
	values := make([]any, len(ids))
	for i, id := range ids {
		if flag {
			values[i] = obj("value", id)
		} else {
			values[i] = obj("$ref", nil, "value", id)
		}
	}
	op := "remove"
	if add {
		op = "add"
	}
	return patchOp(obj("op", r.op(op), "path", "members", "value", values)), nil
}
