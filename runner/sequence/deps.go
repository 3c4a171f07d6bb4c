package sequence

import (
	"maps"
	"slices"
	"sort"
	"strings"
)

// Dependency is what a step of a sequence (as it runs in one dialect) needs
// from an earlier step: a value it captured, or the effect it had.
type Dependency struct {
	Step    int    // index of the earlier step
	Capture string // the variable the earlier step captures; "" for a need (Step.Needs)
}

// Dependencies lists, for every step of a resolved sequence (Sequence.For),
// the earlier steps it depends on: for each variable its templates use, the
// latest earlier step capturing it; then the steps it names under needs.
// A variable no earlier step captures (a sequence variable, a value the
// caller seeds) is no dependency.
func (seq *Sequence) Dependencies() [][]Dependency {
	out := make([][]Dependency, len(seq.Steps))
	producer := map[string]int{}
	index := map[string]int{}
	for i, st := range seq.Steps {
		var deps []Dependency
		seen := map[string]bool{}
		for _, v := range seq.variables(st) {
			if j, ok := producer[v]; ok && !seen[v] {
				seen[v] = true
				deps = append(deps, Dependency{Step: j, Capture: v})
			}
		}
		for _, name := range st.Needs {
			if j, ok := index[name]; ok {
				deps = append(deps, Dependency{Step: j})
			}
		}
		out[i] = deps
		for v := range st.Expect.Capture {
			producer[v] = i
		}
		index[st.Name] = i
	}
	return out
}

// variables lists the variables a step's templates read, in the order they
// appear: plain ${var} placeholders and the id variables app functions take
// (${app.addMembers:aliceId,bobId}). The step's own captures, which only its
// creates path may use, are left out.
func (seq *Sequence) variables(st *Step) []string {
	var out []string
	add := func(s string) {
		if !hasPlaceholder(s) {
			return
		}
		t, err := seq.template(s)
		if err != nil {
			return // reported when the step is built or rendered
		}
		for _, ph := range t.placeholders() {
			out = append(out, seq.funcs.variables(ph)...)
		}
	}
	add(st.Path)
	add(st.Query)
	for _, k := range sortedKeys(st.Headers) {
		add(st.Headers[k])
	}
	walkStrings(st.Body, add)
	walkStrings(st.Expect.Body, add)
	for _, k := range sortedKeys(st.Expect.Excludes) {
		walkStrings(st.Expect.Excludes[k], add)
	}
	if st.Creates != "" {
		n := len(out)
		add(st.Creates)
		kept := out[:n]
		for _, v := range out[n:] {
			if _, own := st.Expect.Capture[v]; !own {
				kept = append(kept, v)
			}
		}
		out = kept
	}
	return out
}

// Personas lists the users and groups whose state a step's templates read
// or change, as "user:<persona>" or "group:<persona>", in the order they
// appear.
func (seq *Sequence) Personas(st *Step) []string {
	var out []string
	add := func(s string) {
		if !hasPlaceholder(s) {
			return
		}
		t, err := seq.template(s)
		if err != nil {
			return
		}
		for _, ph := range t.placeholders() {
			if p := seq.funcs.persona(ph); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	add(st.Path)
	add(st.Query)
	for _, k := range sortedKeys(st.Headers) {
		add(st.Headers[k])
	}
	walkStrings(st.Body, add)
	walkStrings(st.Expect.Body, add)
	for _, k := range sortedKeys(st.Expect.Excludes) {
		walkStrings(st.Expect.Excludes[k], add)
	}
	return out
}

// persona names the user or group an app function works on ("user:main"),
// or "" for a placeholder that names none.
func (fs Funcs) persona(ph *placeholder) string {
	f, ok := fs.appFunc(ph)
	if !ok || len(ph.args) == 0 || !f.Persona {
		return ""
	}
	if f.Group {
		return "group:" + ph.args[0]
	}
	return "user:" + ph.args[0]
}

// PersonaText spells a persona key for a message: "user 'main'".
func PersonaText(key string) string {
	kind, name, _ := strings.Cut(key, ":")
	return kind + " '" + name + "'"
}

// variables names the variables a placeholder reads.
func (fs Funcs) variables(ph *placeholder) []string {
	switch {
	case strings.HasPrefix(ph.name, appPrefix):
		f, ok := fs.appFunc(ph)
		switch {
		case !ok || len(ph.args) == 0:
			return nil
		case f.Persona:
			return ph.args[1:]
		}
		return ph.args
	case ph.name == genGUID, ph.name == genRun, ph.name == genRunID, ph.name == genName, ph.name == genEmail:
		return nil
	}
	return []string{ph.name}
}

// walkStrings calls fn with every string of a JSON value, object keys
// included, in document order.
func walkStrings(v any, fn func(string)) {
	switch t := v.(type) {
	case string:
		fn(t)
	case Object:
		for _, m := range t {
			fn(m.Key)
			walkStrings(m.Value, fn)
		}
	case []any:
		for _, e := range t {
			walkStrings(e, fn)
		}
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fn(k)
			walkStrings(t[k], fn)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
