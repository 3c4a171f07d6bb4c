package runner

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/scimconform/scimconform/fixtures"
)

// AppProfile is an app's attribute mapping as configured in the identity
// provider: which SCIM attributes it provisions, which one matches existing
// accounts, and which are required. The runner derives from it the bodies
// Entra would send for that app (see app_derive.go).
type AppProfile struct {
	Name        string
	Description string
	// Matching is the matching attribute: users are looked up with
	// filter=<Matching> eq "<value>".
	Matching   TargetPath
	Attributes []*MappedAttribute
	File       string
	shapes     *shapeCache // what the mapping table implies, built once
}

// MappedAttribute is one row of the mapping table.
type MappedAttribute struct {
	Target TargetPath
	// Source is the identity-provider attribute or expression, for readers.
	Source string
	// Generate names the generator of test values (see app_generate.go).
	Generate   string
	Required   bool
	Filterable bool
	// stateKey is Target written and lower-cased once, for the per-step
	// state lookups (see userKey); empty in hand-built values.
	stateKey string
}

// key is the attribute's name in a persona's state: the target as Entra
// writes it, lower-cased (SCIM attribute names are case-insensitive).
func (m *MappedAttribute) key() string {
	if m.stateKey != "" {
		return m.stateKey
	}
	return strings.ToLower(m.Target.String())
}

// newMappedAttribute fills the derived fields of a mapping row.
func newMappedAttribute(m MappedAttribute) *MappedAttribute {
	m.stateKey = strings.ToLower(m.Target.String())
	return &m
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

// LoadApp loads a shipped profile by name, or a profile file when name
// ends in .yaml or .yml.
func LoadApp(name string) (*AppProfile, error) {
	if isYAMLFile(name) {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("load app profile: %w", err)
		}
		return ParseApp(name, data)
	}
	file := name + ".yaml"
	data, err := fs.ReadFile(fixtures.Apps(), file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("unknown app profile %q (shipped: %s)", name, strings.Join(AppNames(), ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("load app profile %q: %w", name, err)
	}
	return ParseApp("fixtures/apps/"+file, data)
}

// AppNames lists the shipped profiles.
func AppNames() []string {
	entries, err := fs.ReadDir(fixtures.Apps(), ".")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if isYAMLFile(e.Name()) {
			names = append(names, strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
		}
	}
	sort.Strings(names)
	return names
}

// ParseApp parses a profile; file names the source in error messages.
func ParseApp(file string, data []byte) (*AppProfile, error) {
	var y yamlApp
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&y); err != nil {
		return nil, yamlError(file, err)
	}
	lines := itemLines(data, "attributes")
	app := &AppProfile{Name: y.Name, Description: y.Description, File: file, shapes: &shapeCache{}}
	if !sequenceNameRE.MatchString(y.Name) {
		return nil, fmt.Errorf("%s: name %q: want lowercase letters, digits and dashes", file, y.Name)
	}
	if len(y.Attributes) == 0 {
		return nil, fmt.Errorf("%s: no attributes", file)
	}
	for i, ya := range y.Attributes {
		a, err := ya.build()
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, lineAt(lines, i), err)
		}
		if app.Attribute(a.Target) != nil {
			return nil, fmt.Errorf("%s:%d: target %s is mapped twice", file, lineAt(lines, i), a.Target)
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

func (ya yamlAttribute) build() (*MappedAttribute, error) {
	t, err := ParseTargetPath(ya.Target)
	if err != nil {
		return nil, err
	}
	if _, ok := generators[ya.Generate]; !ok {
		return nil, fmt.Errorf("target %s: unknown generator %q (known: %s)", t, ya.Generate, strings.Join(generatorNames(), ", "))
	}
	if t.isManager() != (ya.Generate == genReference) {
		return nil, fmt.Errorf("target %s: the manager reference, and only it, uses generator %q", t, genReference)
	}
	return newMappedAttribute(MappedAttribute{Target: t, Source: ya.Source, Generate: ya.Generate,
		Required: ya.Required, Filterable: ya.Filterable}), nil
}

// Attribute returns the mapping of target, or nil.
func (a *AppProfile) Attribute(target TargetPath) *MappedAttribute {
	for _, m := range a.Attributes {
		if m.Target.Equal(target) {
			return m
		}
	}
	return nil
}

// Maps reports whether the profile maps the target path written as text.
func (a *AppProfile) Maps(target string) bool {
	t, err := ParseTargetPath(target)
	return err == nil && a.Attribute(t) != nil
}

// Required lists the required targets.
func (a *AppProfile) Required() []TargetPath {
	var out []TargetPath
	for _, m := range a.Attributes {
		if m.Required {
			out = append(out, m.Target)
		}
	}
	return out
}

// withMatching returns the profile as a sequence matching on target sees
// it: target becomes the matching attribute and, when the app does not map
// it, is mapped with its usual generator, as an administrator does when
// choosing a new matching attribute.
func (a *AppProfile) withMatching(target string) (*AppProfile, error) {
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
	out.shapes = &shapeCache{} // another table: another shape
	out.Attributes = append(append([]*MappedAttribute(nil), a.Attributes...),
		newMappedAttribute(MappedAttribute{Target: t, Source: "(added as matching attribute)", Generate: gen, Filterable: true}))
	return &out, nil
}

func isYAMLFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}
