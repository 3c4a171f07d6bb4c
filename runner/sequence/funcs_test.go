package sequence

// testFuncs have the signatures of Entra's app functions (see idp/entra),
// with stand-in results: what parsing and filling templates needs.
func testFuncs() Funcs {
	text := func(st *State, args []string) (any, error) { return st.Prefix() + args[0], nil }
	obj := func(st *State, args []string) (any, error) {
		return Object{{"userName", st.Prefix() + args[0]}, {"active", true}}, nil
	}
	user := Func{MinArgs: 1, MaxArgs: 1, Persona: true, Structured: true, Call: obj}
	group := Func{MinArgs: 1, MaxArgs: 1, Persona: true, Group: true, Structured: true, Call: obj}
	return Funcs{
		"filter":        {MinArgs: 1, MaxArgs: 1, Persona: true, Call: text},
		"filterValue":   {MinArgs: 1, MaxArgs: 1, Call: text},
		"match":         {MinArgs: 1, MaxArgs: 1, Persona: true, Call: text},
		"createUser":    user,
		"user":          user,
		"plainUser":     user,
		"updateMulti":   user,
		"updateSingle":  user,
		"disable":       user,
		"enable":        user,
		"setManager":    {MinArgs: 2, MaxArgs: 2, Persona: true, Structured: true, Call: obj},
		"createGroup":   group,
		"group":         group,
		"plainGroup":    group,
		"groupFilter":   {MinArgs: 1, MaxArgs: 1, Persona: true, Group: true, Call: text},
		"renameGroup":   group,
		"addMembers":    {MinArgs: 1, MaxArgs: -1, Structured: true, Call: obj},
		"removeMembers": {MinArgs: 1, MaxArgs: -1, Structured: true, Call: obj},
	}
}
