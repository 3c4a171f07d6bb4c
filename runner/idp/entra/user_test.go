package entra

import (
	"strings"
	"testing"

	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/runner/sequence"
)

func TestCreateUserShapeFollowsTheMappingTable(t *testing.T) {
	t.Parallel()
	create := func(app *mapping.Profile) string { // a new user each time
		t.Helper()
		v, err := stateFor(t, app, sequence.DialectDefault, nil).Value("${app.createUser:main}")
		if err != nil {
			t.Fatal(err)
		}
		return sequence.JSONText(v)
	}
	app, err := mapping.Load("insite-lms")
	if err != nil {
		t.Fatal(err)
	}
	if got := create(app); strings.Contains(got, `"title"`) {
		t.Fatalf("insite-lms maps no title, yet the create body has one: %s", got)
	}
	// A table changed after the profile was loaded gets a new shape.
	app.Attributes = append(app.Attributes, &mapping.Attribute{Target: mapping.TargetPath{Attr: "title"}, Generate: "title"})
	if got := create(app); !strings.Contains(got, `"title":"`) {
		t.Errorf("after mapping title, the create body has none: %s", got)
	}
	// A profile derived with another matching attribute has its own shape,
	// and the original keeps its own.
	withExt, err := app.WithMatching("externalId")
	if err != nil {
		t.Fatal(err)
	}
	if got := create(withExt); !strings.Contains(got, `"externalId":"scimc-000000-main-`) {
		t.Errorf("with externalId as matching attribute, the create body has none: %s", got)
	}
	if got := create(app); strings.Contains(got, `"externalId"`) {
		t.Errorf("the original profile took the derived one's shape: %s", got)
	}
}

func TestCreateUserBodiesShareNothing(t *testing.T) {
	t.Parallel()
	r := testState(t, "insite-lms", sequence.DialectDefault, nil)
	first, err := r.Value("${app.createUser:main}")
	if err != nil {
		t.Fatal(err)
	}
	before := sequence.JSONText(first)
	// Changing every nested value of one body must not reach the next.
	var scribble func(v any)
	scribble = func(v any) {
		switch t := v.(type) {
		case sequence.Object:
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
	second, err := r.Value("${app.createUser:main}")
	if err != nil {
		t.Fatal(err)
	}
	if got := sequence.JSONText(second); got != before {
		t.Errorf("the second body (same user, same values) differs from the first as built:\n got %s\nwant %s", got, before)
	}
}
