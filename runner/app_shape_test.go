package runner

import (
	"slices"
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

// The create body written from its values (appendCreateUser) is, byte for
// byte, the tree appCreateUser builds from the same values, encoded: for
// every bundled profile, persona and a profile with an added matching
// attribute.
func TestCreateUserEncodedAsTheTree(t *testing.T) {
	t.Parallel()
	for _, name := range AppNames() {
		for _, matching := range []string{"", "externalId"} {
			t.Run(name+"/"+matching, func(t *testing.T) {
				t.Parallel()
				tree := testRenderer(t, name, DialectDefault, nil, nil)
				text := testRenderer(t, name, DialectDefault, nil, nil)
				app, err := tree.app.withMatching(matching)
				if err != nil {
					t.Fatal(err)
				}
				tree.app, text.app = app, app
				if app.shape().encoded.text == nil {
					t.Fatal("the create layout was not encoded")
				}
				for _, persona := range []string{"main", "other", "main"} {
					for range 3 {
						v, err := tree.appCreateUser([]string{persona})
						if err != nil {
							t.Fatal(err)
						}
						want, err := appendJSON(nil, v)
						if err != nil {
							t.Fatal(err)
						}
						got, err := text.appendCreateUser([]byte("prefix"), []string{persona})
						if err != nil {
							t.Fatal(err)
						}
						if string(got) != "prefix"+string(want) {
							t.Fatalf("persona %s:\n got %s\nwant prefix%s", persona, got, want)
						}
						// A new user next time.
						clear(tree.pending)
						clear(text.pending)
					}
				}
			})
		}
	}
}

func TestEncodeLayoutCutsAtEverySlot(t *testing.T) {
	t.Parallel()
	l := newLayout(Object{{"a", slot(1)}, {"b", []any{slot(0), "x<y"}}, {"c", Object{{"d", slot(1)}}}, {"e", true}})
	e, ok := encodeLayout(l, 2)
	if !ok {
		t.Fatal("not encoded")
	}
	want := encodedLayout{text: []string{`{"a":`, `,"b":[`, `,"x\u003cy"],"c":{"d":`, `},"e":true}`}, slots: []int{1, 0, 1}}
	if !slices.Equal(e.text, want.text) || !slices.Equal(e.slots, want.slots) {
		t.Fatalf("got %q %v, want %q %v", e.text, e.slots, want.text, want.slots)
	}
	// A stand-in naming no slot of the layout is refused, not trusted.
	if _, ok := encodeLayout(newLayout(Object{{"a", slotMark + "7"}}), 2); ok {
		t.Error("a stand-in for slot 7 of 2 was accepted")
	}
}
