package patch

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// emailsUser returns a user document with n emails e00000@x.io, ... of
// type work, the first one primary.
func emailsUser(n int) map[string]any {
	emails := make([]any, n)
	for i := range emails {
		emails[i] = map[string]any{"value": fmt.Sprintf("e%05d@x.io", i), "type": "work"}
	}
	emails[0].(map[string]any)["primary"] = true
	return map[string]any{"schemas": []any{schema.UserURN}, "userName": "big", "emails": emails}
}

// TestApplyManyValuePathOperationsOnALargeAttribute applies 14 000
// operations naming emails by value to a user with 20 000 of them. Each
// finds its email through the index of the request, within
// MaxElementVisits; scanning the list for each would need 280 million
// visits and be refused.
func TestApplyManyValuePathOperationsOnALargeAttribute(t *testing.T) {
	t.Parallel()
	const size, removed, retyped, readded = 20_000, 6_000, 6_000, 2_000
	doc := emailsUser(size)
	var ops []Operation
	for i := range removed { // e00000 .. e05999, the primary one included
		ops = append(ops, Operation{Op: opRemove, Path: fmt.Sprintf(`emails[value eq "E%05d@X.IO"]`, i)})
	}
	for i := removed; i < removed+retyped; i++ {
		ops = append(ops, Operation{Op: opReplace, Path: fmt.Sprintf(`emails[value eq "e%05d@x.io"].type`, i), Value: json.RawMessage(`"home"`)})
	}
	for i := range readded { // back at the end, e00000 primary again
		v := fmt.Sprintf(`[{"value":"e%05d@x.io","type":"other","primary":%t}]`, i, i == 0)
		ops = append(ops, Operation{Op: opAdd, Path: "emails", Value: json.RawMessage(v)})
	}
	if err := Apply(schema.UserType, doc, ops); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	emails := doc["emails"].([]any)
	if want := size - removed + readded; len(emails) != want {
		t.Fatalf("%d emails, want %d", len(emails), want)
	}
	for i, e := range emails {
		n := removed + i
		wantType := "work"
		switch {
		case i >= size-removed:
			n, wantType = i-(size-removed), "other"
		case n < removed+retyped:
			wantType = "home"
		}
		m := e.(map[string]any)
		if m["value"] != fmt.Sprintf("e%05d@x.io", n) || m["type"] != wantType || (m["primary"] == true) != (n == 0 && wantType == "other") {
			t.Fatalf("emails[%d] = %v, want e%05d@x.io of type %s", i, m, n, wantType)
		}
	}
}

// TestApplyKeepsIndexesCurrent covers what one request's open lists must
// get right from one operation to the next: elements re-filed under a new
// value, removed and added again, folded and caseExact keys.
func TestApplyKeepsIndexesCurrent(t *testing.T) {
	t.Parallel()
	const twoA = `{"schemas":["$U"],"userName":"u","emails":[{"value":"a@x","type":"work"},{"value":"b@x"},{"value":"A@X","type":"home"}]}`
	runCases(t, []applyCase{
		{
			name: "elements re-filed in another order are all set primary",
			doc:  `{"schemas":["$U"],"userName":"u","emails":[{"value":"a@x"},{"value":"b@x"},{"value":"A@x"},{"value":"a@X"}]}`,
			body: `[{"op":"replace","path":"emails[value eq \"a@x\"].display","value":"d"},` +
				`{"op":"replace","path":"emails[value eq \"a@x\"].primary","value":true}]`,
			want: `{"schemas":["$U"],"userName":"u","emails":[{"value":"a@x","display":"d","primary":true},{"value":"b@x"},` +
				`{"value":"A@x","display":"d","primary":true},{"value":"a@X","display":"d","primary":true}]}`,
		},
		{
			name: "elements sharing a value are found after the last filed is removed",
			doc:  `{"schemas":["$U"],"userName":"u","emails":[{"value":"a@x","type":"work"},{"value":"A@X","type":"home"},{"value":"b@x"}]}`,
			body: `[{"op":"replace","path":"emails[value eq \"b@x\"].display","value":"1"},` +
				`{"op":"replace","path":"emails[value eq \"a@x\" and type eq \"home\"].display","value":"2"},` +
				`{"op":"remove","path":"emails[value eq \"A@X\" and type eq \"home\"]"},` +
				`{"op":"replace","path":"emails[value eq \"a@x\"].display","value":"3"}]`,
			want: `{"schemas":["$U"],"userName":"u","emails":[{"value":"a@x","type":"work","display":"3"},{"value":"b@x","display":"1"}]}`,
		},
		{
			name: "a new primary demotes the primary an earlier operation set",
			doc:  twoA,
			body: `[{"op":"replace","path":"emails[type eq \"work\"].primary","value":true},` +
				`{"op":"replace","path":"emails[value eq \"b@x\"].primary","value":true}]`,
			want: `{"schemas":["$U"],"userName":"u","emails":[{"value":"a@x","type":"work","primary":false},{"value":"b@x","primary":true},{"value":"A@X","type":"home"}]}`,
		},
		{
			name: "a value replaced by a filter is found under its new value only",
			doc:  twoA,
			body: `[{"op":"replace","path":"emails[value eq \"b@x\"].value","value":"c@x"},` +
				`{"op":"replace","path":"emails[value eq \"C@X\"].type","value":"other"},` +
				`{"op":"remove","path":"emails[value eq \"b@x\"]"}]`,
			err:      scimerr.NoTarget,
			errMatch: `operation 3 (remove`,
		},
		{
			name: "a removed value can be added again and found",
			doc:  twoA,
			body: `[{"op":"remove","path":"emails[value eq \"a@x\"]"},` +
				`{"op":"add","path":"emails","value":[{"value":"a@X","type":"other"}]},` +
				`{"op":"add","path":"emails","value":[{"value":"A@x","type":"work"}]},` +
				`{"op":"replace","path":"emails[value eq \"a@x\"].display","value":"back"}]`,
			want: `{"schemas":["$U"],"userName":"u","emails":[{"value":"b@x"},{"value":"a@X","type":"other","display":"back"}]}`,
		},
		{
			name: "the Kelvin sign and the long s match K and s ignoring case",
			doc:  `{"schemas":["$U"],"userName":"u","emails":[{"value":"k@s"},{"value":"\u212a@\u017f"},{"value":"x@s"}]}`,
			body: `[{"op":"remove","path":"emails[value eq \"K@S\"]"},{"op":"add","path":"emails","value":[{"value":"X@\u017f"}]}]`,
			want: `{"schemas":["$U"],"userName":"u","emails":[{"value":"x@s"}]}`,
		},
		{
			name: "replacing the whole list in the middle of a request",
			doc:  twoA,
			body: `[{"op":"remove","path":"emails[value eq \"b@x\"]"},` +
				`{"op":"replace","path":"emails","value":[{"value":"n@x"},{"value":"b@x"}]},` +
				`{"op":"remove","path":"emails[value eq \"b@x\"]"}]`,
			want: `{"schemas":["$U"],"userName":"u","emails":[{"value":"n@x"}]}`,
		},
	})
}

// TestApplyRefusesRequestsBeyondTheElementBudget sends requests whose
// operations each must examine every element of a large attribute, in each
// of the ways that do: a value filter without an equality, a sub-attribute
// of every element, an added value without a value. One operation more
// than MaxElementVisits allows is refused with tooMany.
func TestApplyRefusesRequestsBeyondTheElementBudget(t *testing.T) {
	t.Parallel()
	const size = 10_000
	for _, c := range []struct{ name, op string }{
		{"value filter without an equality", `{"op":"replace","path":"emails[value co \"@\"].display","value":"d"}`},
		{"sub-attribute of every element", `{"op":"replace","path":"emails.display","value":"d"}`},
		{"added value without a value", `{"op":"add","path":"emails","value":[{"display":"d"}]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Opening the list examines every email once, and so does each
			// operation (one more once the add has added its value).
			repeat := (MaxElementVisits-size)/(size+1) + 1
			body := `{"schemas":["` + PatchOpURN + `"],"Operations":[` + strings.Repeat(c.op+",", repeat-1) + c.op + `]}`
			ops, err := ParseRequest([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			err = Apply(schema.UserType, emailsUser(size), ops)
			assertSCIMError(t, err, scimerr.TooMany, fmt.Sprintf("operation %d (", repeat))
			assertSCIMError(t, err, scimerr.TooMany, fmt.Sprintf("more than %d elements", MaxElementVisits))
		})
	}
}

// TestApplyAcceptsRequestsWithinTheElementBudget sends the largest request
// of scanning operations MaxElementVisits allows.
func TestApplyAcceptsRequestsWithinTheElementBudget(t *testing.T) {
	t.Parallel()
	const size = 10_000
	op := Operation{Op: opReplace, Path: "emails.display", Value: json.RawMessage(`"d"`)}
	ops := make([]Operation, (MaxElementVisits-size)/size)
	for i := range ops {
		ops[i] = op
	}
	doc := emailsUser(size)
	if err := Apply(schema.UserType, doc, ops); err != nil {
		t.Fatalf("%d operations: %v", len(ops), err)
	}
	if e := doc["emails"].([]any)[size-1].(map[string]any); e["display"] != "d" {
		t.Fatalf("last email %v has no display d", e)
	}
}

// TestApplyInOneRequestMatchesOperationByOperation applies random
// operations on value-filtered, sub-attribute and whole multi-valued
// attributes in one request, where the lists stay open with their indexes
// from one operation to the next, and one operation per request, with the
// value filters of removals and replacements of whole elements rewritten as
// not (not (filter)), which no index answers. Documents and errors must
// agree.
func TestApplyInOneRequestMatchesOperationByOperation(t *testing.T) {
	t.Parallel()
	for _, rt := range []*schema.ResourceType{schema.UserType, schema.GroupType} {
		rng := rand.New(rand.NewPCG(11, 12))
		g := opGen{rng: rng, attrs: []string{"emails", "phoneNumbers", "roles"}}
		if rt == schema.GroupType {
			g.attrs = []string{"members"}
		}
		for iter := range 1_500 {
			raw, _ := json.Marshal(g.doc(rt))
			var one, each map[string]any
			_ = json.Unmarshal(raw, &one)
			_ = json.Unmarshal(raw, &each)
			ops := make([]Operation, 1+rng.IntN(12))
			for i := range ops {
				ops[i] = g.op()
			}
			errOne := Apply(rt, one, ops)
			failed, errEach := applyEach(rt, each, ops)
			switch {
			case (errOne == nil) != (errEach == nil):
				t.Fatalf("%s %d: %s%s\none request: %v\nop by op: %v", rt.Name, iter, raw, opList(ops), errOne, errEach)
			case errOne != nil:
				want := fmt.Sprintf("operation %d (", failed+1)
				if se := scimerr.As(errOne); se.ScimType != scimerr.As(errEach).ScimType || !strings.HasPrefix(se.Detail, want) {
					t.Fatalf("%s %d: %s%s\none request: %v\nop by op: %v (operation %d)", rt.Name, iter, raw, opList(ops), errOne, errEach, failed+1)
				}
			case !reflect.DeepEqual(one, each):
				t.Fatalf("%s %d: %s%s\none request: %s\nop by op:    %s", rt.Name, iter, raw, opList(ops), encode(one), encode(each))
			}
		}
	}
}

// applyEach applies ops one request at a time and returns the first error
// and its operation. A value filter selecting whole elements is rewritten
// so that no index answers it; one followed by a sub-attribute is kept, as
// with no match an equality filter creates the element it describes.
func applyEach(rt *schema.ResourceType, doc map[string]any, ops []Operation) (int, error) {
	for i, op := range ops {
		if open := strings.Index(op.Path, "["); open >= 0 && strings.HasSuffix(op.Path, "]") {
			op.Path = op.Path[:open+1] + "not (not (" + op.Path[open+1:len(op.Path)-1] + "))]"
		}
		if err := Apply(rt, doc, []Operation{op}); err != nil {
			return i, err
		}
	}
	return -1, nil
}

func opList(ops []Operation) string {
	var b strings.Builder
	for _, o := range ops {
		fmt.Fprintf(&b, "\n  %s %s %s", o.Op, o.Path, o.Value)
	}
	return b.String()
}

// opGen makes random documents and operations over a few values that are
// equal ignoring case (K, k and the Kelvin sign among them), so value
// filters, duplicates and primaries meet often.
type opGen struct {
	rng   *rand.Rand
	attrs []string
}

var (
	genValues = []string{"a@x", "A@X", "b@x", "K@x", "k@X", "\u212a@x", "s@x", "\u017f@x", "d@x"}
	genTypes  = []string{"work", "home", "WORK", "other"}
	genSubs   = []string{"type", "display", "value", "primary"}
)

func (g opGen) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g opGen) doc(rt *schema.ResourceType) map[string]any {
	doc := map[string]any{"schemas": []any{rt.Schema.ID}}
	for _, a := range g.attrs {
		var l []any
		for range g.rng.IntN(9) {
			l = append(l, g.elem())
		}
		if len(l) > 0 {
			doc[a] = l
		}
	}
	return doc
}

func (g opGen) elem() map[string]any {
	e := map[string]any{"type": g.pick(genTypes)}
	if g.rng.IntN(6) > 0 {
		e["value"] = g.pick(genValues)
	}
	if g.rng.IntN(3) == 0 {
		e["display"] = g.pick(genValues)
	}
	if g.rng.IntN(8) == 0 {
		e["primary"] = true
	}
	return e
}

func (g opGen) filter() string {
	switch g.rng.IntN(8) {
	case 0, 1:
		return fmt.Sprintf(`value eq %q`, g.pick(genValues))
	case 2:
		return fmt.Sprintf(`type eq %q`, g.pick(genTypes))
	case 3:
		return fmt.Sprintf(`value eq %q and type eq %q`, g.pick(genValues), g.pick(genTypes))
	case 4:
		return fmt.Sprintf(`type eq %q and display eq %q`, g.pick(genTypes), g.pick(genValues))
	case 5:
		return fmt.Sprintf(`value co %q`, g.pick(genValues)[:1])
	case 6:
		return `primary eq true`
	}
	return fmt.Sprintf(`value eq %q or type eq %q`, g.pick(genValues), g.pick(genTypes))
}

func (g opGen) op() Operation {
	a := g.pick(g.attrs)
	value := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	values := func() any {
		l := []any{g.elem()}
		for range g.rng.IntN(3) {
			l = append(l, g.elem())
		}
		return l
	}
	switch g.rng.IntN(11) {
	case 0, 1:
		return Operation{Op: opRemove, Path: a + "[" + g.filter() + "]"}
	case 2:
		return Operation{Op: opRemove, Path: a + "[" + g.filter() + "]." + g.pick(genSubs)}
	case 3:
		return Operation{Op: g.pick([]string{opAdd, opReplace}), Path: a + "[" + g.filter() + "]", Value: value(g.elem())}
	case 4, 5:
		sub := g.pick(genSubs)
		v := value(g.pick(append(genValues, genTypes...)))
		if sub == "primary" {
			v = value(g.rng.IntN(2) == 0)
		}
		return Operation{Op: g.pick([]string{opAdd, opReplace}), Path: a + "[" + g.filter() + "]." + sub, Value: v}
	case 6:
		return Operation{Op: opAdd, Path: a, Value: value(values())}
	case 7:
		return Operation{Op: opRemove, Path: a, Value: value(values())}
	case 8:
		return Operation{Op: g.pick([]string{opAdd, opReplace}), Path: a + ".type", Value: value(g.pick(genTypes))}
	case 9:
		return Operation{Op: g.pick([]string{opAdd, opReplace}), Value: value(map[string]any{a: values()})}
	}
	return Operation{Op: opReplace, Path: a, Value: value(values())}
}

// TestIndexHashHonoursCaseExact: values hash alike ignoring case unless
// the sub-attribute is caseExact, as eq filters compare them.
func TestIndexHashHonoursCaseExact(t *testing.T) {
	t.Parallel()
	exact := newSubIndex(&schema.Attribute{Name: "value", Type: schema.String, CaseExact: true}, 0)
	folded := newSubIndex(&schema.Attribute{Name: "value", Type: schema.String}, 0)
	for _, c := range []struct {
		x    *subIndex
		a, b string
		same bool
	}{
		{exact, "QUJD", "QUJD", true},
		{exact, "QUJD", "qujd", false},
		{folded, "QUJD", "qujd", true},
		{folded, "Dr\xffK\u212a" + strings.Repeat("é", 40), "dR\ufffdkk" + strings.Repeat("É", 40), true},
		{folded, "QUJD", "QUJE", false},
	} {
		if got := c.x.hash(c.a) == c.x.hash(c.b); got != c.same {
			t.Errorf("caseExact %t: same hash for %q and %q = %t, want %t", c.x.sub.CaseExact, c.a, c.b, got, c.same)
		}
	}
}

// TestMinFoldMatchesEqualFold checks every rune that has a case: two runes have the same
// key exactly when strings.EqualFold finds them equal, so the index of a
// sub-attribute that is not caseExact finds everything an eq filter
// matches.
func TestMinFoldMatchesEqualFold(t *testing.T) {
	t.Parallel()
	for _, cr := range unicode.CaseRanges { // every rune with another case
		for r := rune(cr.Lo); r <= rune(cr.Hi); r++ {
			least := minFold(r)
			if !strings.EqualFold(string(least), string(r)) {
				t.Fatalf("minFold(%q) = %q, which EqualFold does not match", r, least)
			}
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				if minFold(f) != least {
					t.Fatalf("minFold(%q) = %q but minFold(%q) = %q", r, least, f, minFold(f))
				}
			}
		}
	}
}
