package schema

import "testing"

// TestBuilderHoldsWidestObject checks that an objectBuilder can record
// every attribute of the widest object any served schema defines, so
// duplicate keys are always detected.
func TestBuilderHoldsWidestObject(t *testing.T) {
	t.Parallel()
	var check func(where string, attrs []*Attribute, extra int)
	check = func(where string, attrs []*Attribute, extra int) {
		if n := len(attrs) + extra; n > maxObjectWidth {
			t.Errorf("%s has %d attributes, more than maxObjectWidth (%d)", where, n, maxObjectWidth)
		}
		for _, a := range attrs {
			if len(a.SubAttributes) > 0 {
				check(where+"."+a.Name, a.SubAttributes, 0)
			}
		}
	}
	for _, s := range Schemas {
		check(s.ID, s.Attributes, len(CommonAttributes))
	}
	if len(Schemas) == 0 {
		t.Fatal("no schemas to check")
	}
}
