package refserver

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scimconform/scimconform/refserver/patch"
)

// TestMemberFastPathMatchesEngine sends the same random member PATCHes to a
// server using the member fast path and to one using only the general PATCH
// engine, and requires identical statuses, errors, members and versions.
func TestMemberFastPathMatchesEngine(t *testing.T) {
	t.Parallel()
	fastSrv, fast := newServer(t, Options{})
	slowSrv, slow := newServer(t, Options{})
	slowSrv.slowMemberPatch = true
	if fastSrv.slowMemberPatch {
		t.Fatal("fast path disabled by default")
	}
	type world struct {
		c      *client
		users  []string
		groups []string
	}
	setup := func(c *client) *world {
		w := &world{c: c}
		for i := range 6 {
			w.users = append(w.users, c.createUser(fmt.Sprintf("fp%d@example.com", i)))
		}
		w.groups = append(w.groups, c.createGroup("Target", w.users[0], w.users[1]), c.createGroup("Other", w.users[2]))
		return w
	}
	worlds := []*world{setup(fast), setup(slow)}
	rng := rand.New(rand.NewPCG(7, 8))
	// ref names a member candidate by index so both worlds translate it.
	type ref struct{ kind, i int } // kind 0 user, 1 group, 2 unknown, 3 lower-cased user id
	pick := func() ref {
		switch n := rng.IntN(20); {
		case n < 14:
			return ref{0, rng.IntN(6)}
		case n < 17:
			return ref{1, rng.IntN(2)}
		case n < 19:
			return ref{2, 0}
		default:
			return ref{3, rng.IntN(6)}
		}
	}
	resolve := func(w *world, r ref) string {
		switch r.kind {
		case 0:
			return w.users[r.i]
		case 1:
			return w.groups[r.i]
		case 3:
			return strings.ToLower(w.users[r.i])
		}
		return "no-such-member"
	}
	for step := range 150 {
		type opSpec struct {
			op    string
			form  int // 0 value array, 1 filter path, 2 value array with $ref null
			items []ref
		}
		var specs []opSpec
		for range 1 + rng.IntN(3) {
			s := opSpec{op: []string{"add", "remove", "Add", "Remove"}[rng.IntN(4)], form: rng.IntN(3)}
			for range 1 + rng.IntN(3) {
				s.items = append(s.items, pick())
			}
			if s.form == 1 {
				s.op = "remove"
				s.items = s.items[:1]
			}
			specs = append(specs, s)
		}
		var results []string
		for _, w := range worlds {
			var ops []map[string]any
			for _, s := range specs {
				if s.form == 1 {
					ops = append(ops, map[string]any{"op": s.op, "path": `members[value eq "` + resolve(w, s.items[0]) + `"]`})
					continue
				}
				var vals []any
				for _, it := range s.items {
					v := map[string]any{"value": resolve(w, it)}
					if s.form == 2 {
						v["$ref"] = nil
					}
					vals = append(vals, v)
				}
				ops = append(ops, map[string]any{"op": s.op, "path": "members", "value": vals})
			}
			r := w.c.do(req{method: "PATCH", path: "/Groups/" + w.groups[0], body: patchBody(ops...)})
			scimType := ""
			if r.status >= 400 {
				scimType, _ = r.obj(t)["scimType"].(string)
			}
			doc := w.c.get("/Groups/" + w.groups[0]).obj(t)
			var members []string
			for _, m := range memberIDs(doc) {
				members = append(members, fmt.Sprint(slices.Index(w.users, m), slices.Index(w.groups, m)))
			}
			slices.Sort(members)
			results = append(results, fmt.Sprintf("status %d %s members %v version %v", r.status, scimType, members, at(doc, "meta", "version")))
		}
		if results[0] != results[1] {
			t.Fatalf("step %d %+v:\nfast: %s\nslow: %s", step, specs, results[0], results[1])
		}
	}
}

func TestMemberOpsRecognisesEntraShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		body string
		want []memberOp // nil: not a fast-path request
	}{
		{"add value array", `[{"op":"Add","path":"members","value":[{"value":"a"},{"value":"b"}]}]`, []memberOp{{add: true, ids: []string{"a", "b"}}}},
		{"remove with $ref null", `[{"op":"Remove","path":"Members","value":[{"$ref":null,"value":"a"}]}]`, []memberOp{{ids: []string{"a"}}}},
		{"remove by filter", `[{"op":"remove","path":"members[value eq \"a\"]"}]`, []memberOp{{ids: []string{"a"}, filtered: true}}},
		{"add then remove", `[{"op":"add","path":"members","value":[{"value":"a"}]},{"op":"remove","path":"members[Value EQ \"b\"]"}]`,
			[]memberOp{{add: true, ids: []string{"a"}}, {ids: []string{"b"}, filtered: true}}},
		{"replace members", `[{"op":"replace","path":"members","value":[{"value":"a"}]}]`, nil},
		{"remove all members", `[{"op":"remove","path":"members"}]`, nil},
		{"value with display", `[{"op":"add","path":"members","value":[{"value":"a","display":"x"}]}]`, nil},
		{"value not a string", `[{"op":"add","path":"members","value":[{"value":1}]}]`, nil},
		{"single object value", `[{"op":"add","path":"members","value":{"value":"a"}}]`, nil},
		{"filter on display", `[{"op":"remove","path":"members[display eq \"a\"]"}]`, nil},
		{"filter with sub-attribute", `[{"op":"remove","path":"members[value eq \"a\"].display"}]`, nil},
		{"displayName", `[{"op":"replace","path":"displayName","value":"x"}]`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ops, err := patch.ParseRequest([]byte(`{"schemas":["` + patchURN + `"],"Operations":` + tc.body + `}`))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := memberOps(ops)
			if ok != (tc.want != nil) || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("memberOps = %+v, %v; want %+v", got, ok, tc.want)
			}
		})
	}
}
