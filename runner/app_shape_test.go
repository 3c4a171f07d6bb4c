package runner

import (
	"strings"
	"testing"
)

func TestCreateUserShapeFollowsTheMappingTable(t *testing.T) {
	t.Parallel()
	create := func(r *renderer) string {
		t.Helper()
		v, err := r.value("${app.createUser:main}")
		if err != nil {
			t.Fatal(err)
		}
		clear(r.pending) // a new user each time
		return jsonText(v)
	}
	r := testRenderer(t, "insite-lms", DialectDefault, nil, nil)
	if got := create(r); strings.Contains(got, `"title"`) {
		t.Fatalf("insite-lms maps no title, yet the create body has one: %s", got)
	}
	// A table changed after the profile was loaded gets a new shape.
	title := newMappedAttribute(MappedAttribute{Target: TargetPath{Attr: "title"}, Generate: "title"})
	r.app.Attributes = append(r.app.Attributes, title)
	if got := create(r); !strings.Contains(got, `"title":"`) {
		t.Errorf("after mapping title, the create body has none: %s", got)
	}
	// A profile derived with another matching attribute has its own shape,
	// and the original keeps its own.
	withExt, err := r.app.withMatching("externalId")
	if err != nil {
		t.Fatal(err)
	}
	orig := r.app
	r.app = withExt
	if got := create(r); !strings.Contains(got, `"externalId":"scimc-000000-main-`) {
		t.Errorf("with externalId as matching attribute, the create body has none: %s", got)
	}
	r.app = orig
	if got := create(r); strings.Contains(got, `"externalId"`) {
		t.Errorf("the original profile took the derived one's shape: %s", got)
	}
}

func TestCreateUserBodiesShareNothing(t *testing.T) {
	t.Parallel()
	r := testRenderer(t, "insite-lms", DialectDefault, nil, nil)
	first, err := r.value("${app.createUser:main}")
	if err != nil {
		t.Fatal(err)
	}
	before := jsonText(first)
	// Changing every nested value of one body must not reach the next.
	var scribble func(v any)
	scribble = func(v any) {
		switch t := v.(type) {
		case Object:
			for i := range t {
				scribble(t[i].Value)
				t[i].Value = "changed"
			}
		case []any:
			for i := range t {
				scribble(t[i])
				t[i] = "changed"
			}
		}
	}
	scribble(first)
	second, err := r.value("${app.createUser:main}")
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonText(second); got != before {
		t.Errorf("the second body (same user, same values) differs from the first as built:\n got %s\nwant %s", got, before)
	}
}
