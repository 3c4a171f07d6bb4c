package schema

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestCompareValues(t *testing.T) {
	t.Parallel()
	userName := User.Attr("userName")         // caseExact false
	externalID := ExternalIDAttr              // caseExact true
	created := MetaAttr.Sub("created")        // dateTime
	active := User.Attr("active")             // boolean
	emails := User.Attr("emails")             // multi-valued complex
	manager := EnterpriseUser.Attr("manager") // complex
	ports := attr("ports", Integer)
	readings := attr("readings", Decimal, multi)
	cases := []struct {
		name string
		a    *Attribute
		x, y any
		want int
	}{
		{"caseExact=false equal ignoring case", userName, "BJensen", "bjensen", 0},
		{"caseExact=false orders ignoring case", userName, "alice", "Bob", -1},
		{"caseExact=false orders ignoring case, reversed", userName, "Bob", "alice", 1},
		{"caseExact=false non-ASCII", userName, "ÉLAN", "élan", 0},
		{"caseExact=false prefix first", userName, "Ann", "anna", -1},
		{"caseExact=true upper before lower", externalID, "B", "a", -1},
		{"caseExact=true equal", externalID, "abc", "abc", 0},
		{"caseExact=true differs by case", externalID, "abc", "ABC", 1},
		{"empty string first", userName, "", "a", -1},
		{"dateTime as instants across zones", created, "2020-01-01T10:00:00+02:00", "2020-01-01T09:00:00Z", -1},
		{"dateTime same instant, different text", created, "2020-01-01T10:00:00+02:00", "2020-01-01T08:00:00.000Z", 0},
		{"dateTime fractional seconds", created, "2020-01-01T08:00:00.001Z", "2020-01-01T08:00:00Z", 1},
		{"dateTime unparsable after parsable", created, "yesterday", "2020-01-01T08:00:00Z", 1},
		{"dateTime parsable before unparsable", created, "2999-01-01T08:00:00Z", "a", -1},
		{"dateTime both unparsable as strings", created, "b", "a", 1},
		{"integers numerically, not as text", ports, 10.0, 9.0, 1},
		{"negative numbers", ports, -10.0, -9.0, -1},
		{"equal numbers", ports, 3.0, 3.0, 0},
		{"json.Number", ports, json.Number("10"), 9.0, 1},
		{"false before true", active, false, true, -1},
		{"true after false", active, true, false, 1},
		{"equal booleans", active, true, true, 0},
		{"absent after a value", userName, nil, "a", 1},
		{"a value before absent", userName, "zzz", nil, -1},
		{"absent boolean after false", active, nil, false, 1},
		{"both absent", userName, nil, nil, 0},
		{"multi-valued by primary value", emails,
			[]any{map[string]any{"value": "z@x"}, map[string]any{"value": "a@x", "primary": true}},
			[]any{map[string]any{"value": "m@x"}}, -1},
		{"multi-valued by first value without primary", emails,
			[]any{map[string]any{"value": "Z@x"}, map[string]any{"value": "a@x"}},
			[]any{map[string]any{"value": "m@x"}}, 1},
		{"multi-valued value compared per the value sub-attribute (caseExact=false)", emails,
			[]any{map[string]any{"value": "A@x"}}, []any{map[string]any{"value": "a@x"}}, 0},
		{"empty multi-valued is absent", emails, []any{}, []any{map[string]any{"value": "a"}}, 1},
		{"multi-valued simple values", readings, []any{2.0, 1.0}, []any{10.0}, -1},
		{"complex by its value", manager, map[string]any{"value": "b"}, map[string]any{"value": "a"}, 1},
		{"complex without value is absent", manager, map[string]any{"displayName": "x"}, map[string]any{"value": "a"}, 1},
		{"mixed types: boolean before number", nil, true, 1.0, -1},
		{"mixed types: number before string", ports, 1.0, "1", -1},
		{"mixed types: string before object", nil, "x", map[string]any{}, -1},
		{"no attribute: strings case-sensitive", nil, "B", "a", -1},
		{"no attribute: numbers", nil, 2.0, 10.0, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := CompareValues(tc.a, tc.x, tc.y); got != tc.want {
				t.Errorf("CompareValues(%v, %v) = %d, want %d", tc.x, tc.y, got, tc.want)
			}
			if got := CompareValues(tc.a, tc.y, tc.x); got != -tc.want {
				t.Errorf("reversed: CompareValues(%v, %v) = %d, want %d", tc.y, tc.x, got, -tc.want)
			}
		})
	}
}

// TestCompareValuesIsTotalOrder checks antisymmetry and transitivity over
// mixed values, which sort.SliceStable relies on.
func TestCompareValuesIsTotalOrder(t *testing.T) {
	t.Parallel()
	values := []any{nil, "", "a", "A", "b", "2020-01-01T00:00:00Z", "2020-01-01T01:00:00+02:00", "x", "ä", "Ä",
		true, false, 0.0, -1.5, 7.0, map[string]any{"value": "a"}, []any{"B"}, map[string]any{}}
	for _, a := range []*Attribute{nil, User.Attr("userName"), ExternalIDAttr, MetaAttr.Sub("created"), User.Attr("emails")} {
		for _, x := range values {
			for _, y := range values {
				xy, yx := CompareValues(a, x, y), CompareValues(a, y, x)
				if xy != -yx {
					t.Errorf("attr %v: compare(%v,%v)=%d but compare(%v,%v)=%d", a, x, y, xy, y, x, yx)
				}
				for _, z := range values {
					if xy <= 0 && CompareValues(a, y, z) <= 0 && CompareValues(a, x, z) > 0 {
						t.Errorf("attr %v: %v <= %v <= %v but %v > %v", a, x, y, z, x, z)
					}
				}
			}
		}
	}
}

// TestCompareValuesSortsUsers sorts documents by userName the way a list
// request with sortBy=userName does, absent values last.
func TestCompareValuesSortsUsers(t *testing.T) {
	t.Parallel()
	docs := []map[string]any{
		{"id": "1", "userName": "carol"}, {"id": "2"}, {"id": "3", "userName": "Alice"},
		{"id": "4", "userName": "bob"}, {"id": "5", "userName": "ALICE"},
	}
	a := User.Attr("userName")
	slices.SortStableFunc(docs, func(x, y map[string]any) int { return CompareValues(a, x["userName"], y["userName"]) })
	var ids []string
	for _, d := range docs {
		ids = append(ids, d["id"].(string))
	}
	if want := []string{"3", "5", "4", "1", "2"}; !slices.Equal(ids, want) {
		t.Errorf("order = %v, want %v", ids, want)
	}
}

func BenchmarkCompareFold(b *testing.B) {
	a := User.Attr("userName")
	for b.Loop() {
		CompareValues(a, "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee", "test_user_00aa00aa-bb11-cc22-dd33-44ee44ee44ef")
	}
}
