// Package mapping reads app mapping profiles: which SCIM attributes an app provisions, how they are matched, and the test values they get.
package mapping

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/runner/internal/yamlfile"
)

// Profile is an app's attribute mapping as configured in the identity
// provider: which SCIM attributes it provisions, which one matches existing
// accounts, and which are required. An identity provider's package derives
// from it the bodies it would send for that app (see idp/entra).
type Profile struct {
	Name        string
	Description string
	// Matching is the matching attribute: users are looked up with
	// filter=<Matching> eq "<value>".
	Matching   TargetPath
	Attributes []*Attribute
	File       string
}

// Attribute is one row of the mapping table.
type Attribute struct {
	Target TargetPath
	// Source is the identity-provider attribute or expression, for readers.
	Source string
	// Generate names the generator of test values (see generate.go).
	Generate   string
	Required   bool
	Filterable bool
	// key is Key, computed once by Parse and WithMatching; empty in
	// hand-built values.
	key string
}

// Key is the attribute's name in a persona's state: the target as Entra
// writes it, lower-cased (SCIM attribute names are case-insensitive).
func (m *Attribute) Key() string {
	if m.key != "" {
		return m.key
	}
	return strings.ToLower(m.Target.String())
}

type yamlApp struct {
	Name        string          `yaml:"name"`
	Description string          `yaml:"description"`
	Matching    string          `yaml:"matching"`
	Attributes  []yamlAttribute `yaml:"attributes"`
}

type yamlAttribute struct {
	Target     string `yaml:"target"`
	Source     string `yaml:"source"`
	Generate   string `yaml:"generate"`
	Required   bool   `yaml:"required"`
	Filterable bool   `yaml:"filterable"`
}

// Load loads a shipped profile by name, or a profile file when name
// ends in .yaml or .yml.
func Load(name string) (*Profile, error) {
	if yamlfile.IsYAML(name) {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("load app profile: %w", err)
		}
		return Parse(name, data)
	}
	file := name + ".yaml"
	data, err := fs.ReadFile(fixtures.Apps(), file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("unknown app profile %q (shipped: %s)", name, strings.Join(Names(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("load app profile %q: %w", name, err)
	}
	return Parse("fixtures/apps/"+file, data)
}

// Names lists the shipped profiles.
func Names() []string {
	entries, err := fs.ReadDir(fixtures.Apps(), ".")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if yamlfile.IsYAML(e.Name()) {
			names = append(names, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
		}
	}
	sort.Strings(names)
	return names
}

// Parse parses a profile; file names the source in error messages.
func Parse(file string, data []byte) (*Profile, error) {
	var y yamlApp
	if err := yamlfile.Decode(data, &y); err != nil {
		return nil, yamlfile.Error(file, err)
	}
	lines := yamlfile.ItemLines(data, "attributes")
	app := &Profile{Name: y.Name, Description: y.Description, File: file}
	if !yamlfile.ValidName(y.Name) {
		return nil, fmt.Errorf("%s: name %q: want lowercase letters, digits and dashes", file, y.Name)
	}
	if len(y.Attributes) == 0 {
		return nil, fmt.Errorf("%s: no attributes", file)
	}
	for i, ya := range y.Attributes {
		a, err := ya.build()
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, yamlfile.LineAt(lines, i), err)
		}
		if app.Attribute(a.Target) != nil {
			return nil, fmt.Errorf("%s:%d: target %s is mapped twice", file, yamlfile.LineAt(lines, i), a.Target)
		}
		app.Attributes = append(app.Attributes, a)
	}
	matching, err := ParseTargetPath(y.Matching)
	if err != nil {
		return nil, fmt.Errorf("%s: matching: %w", file, err)
	}
	m := app.Attribute(matching)
	switch {
	case m == nil:
		return nil, fmt.Errorf("%s: matching attribute %s is not mapped", file, matching)
	case !m.Filterable:
		return nil, fmt.Errorf("%s: matching attribute %s must be filterable", file, matching)
	}
	app.Matching = m.Target
	return app, nil
}

func (ya yamlAttribute) build() (*Attribute, error) {
	t, err := ParseTargetPath(ya.Target)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(GeneratorNames(), ya.Generate) {
		return nil, fmt.Errorf("target %s: unknown generator %q (known: %s)", t, ya.Generate, strings.Join(GeneratorNames(), ", "))
	}
	if t.IsManager() != (ya.Generate == Reference) {
		return nil, fmt.Errorf("target %s: the manager reference, and only it, uses generator %q", t, Reference)
	}
	return &Attribute{Target: t, Source: ya.Source, Generate: ya.Generate, Required: ya.Required, Filterable: ya.Filterable,
		key: strings.ToLower(t.String())}, nil
}

// Attribute returns the mapping of target, or nil.
func (a *Profile) Attribute(target TargetPath) *Attribute {
	for _, m := range a.Attributes {
		if m.Target.Equal(target) {
			return m
		}
	}
	return nil
}

// Maps reports whether the profile maps the target path written as text.
func (a *Profile) Maps(target string) bool {
	t, err := ParseTargetPath(target)
	return err == nil && a.Attribute(t) != nil
}

// Required lists the required targets.
func (a *Profile) Required() []TargetPath {
	var out []TargetPath
	for _, m := range a.Attributes {
		if m.Required {
			out = append(out, m.Target)
		}
	}
	return out
}

// WithMatching returns the profile as a sequence matching on target sees
// it: target becomes the matching attribute and, when the app does not map
// it, is mapped with its usual generator, as an administrator does when
// choosing a new matching attribute. An empty target leaves a as it is.
func (a *Profile) WithMatching(target string) (*Profile, error) {
	if target == "" {
		return a, nil
	}
	t, err := ParseTargetPath(target)
	if err != nil {
		return nil, fmt.Errorf("sequence matching: %w", err)
	}
	out := *a
	out.Matching = t
	if a.Attribute(t) != nil {
		return &out, nil
	}
	gen, ok := defaultGenerator(t)
	if !ok {
		return nil, fmt.Errorf("app %s does not map %s and it has no default generator", a.Name, t)
	}
	out.Attributes = append(append([]*Attribute(nil), a.Attributes...),
		&Attribute{Target: t, Source: "(added as matching attribute)", Generate: gen, Filterable: true, key: strings.ToLower(t.String())})
	return &out, nil
}

// Values lists the attributes that carry generated values (not the
// manager reference), the "formatted" ones last because they are built
// from the others.
func (a *Profile) Values() []*Attribute {
	var values, last []*Attribute
	for _, m := range a.Attributes {
		switch m.Generate {
		case Reference:
		case "formatted":
			last = append(last, m)
		default:
			values = append(values, m)
		}
	}
	return append(values, last...)
}
