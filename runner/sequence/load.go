package sequence

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/scimconform/scimconform/fixtures"
	"github.com/scimconform/scimconform/runner/internal/yamlfile"
)

// The YAML shapes of a sequence file. Decoding is strict: an unknown key is
// an error naming the file and line.
type yamlSequence struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Labels      []string          `yaml:"labels"`
	Dialects    []string          `yaml:"dialects"`
	Matching    string            `yaml:"matching"`
	Variables   map[string]string `yaml:"variables"`
	Steps       []yamlStep        `yaml:"steps"`
}

type yamlStep struct {
	Name     string                 `yaml:"name"`
	Rule     string                 `yaml:"rule"`
	Dialects []string               `yaml:"dialects"`
	Requires []string               `yaml:"requires"`
	Method   string                 `yaml:"method"`
	Path     string                 `yaml:"path"`
	Query    string                 `yaml:"query"`
	Headers  map[string]string      `yaml:"headers"`
	Body     yaml.Node              `yaml:"body"`
	Expect   yamlExpect             `yaml:"expect"`
	Creates  string                 `yaml:"creates"`
	Needs    []string               `yaml:"needs"`
	Setup    *yamlSetup             `yaml:"setup"`
	Variants map[string]yamlVariant `yaml:"variants"`
}

type yamlSetup struct {
	Method  *string           `yaml:"method"`
	Path    *string           `yaml:"path"`
	Query   *string           `yaml:"query"`
	Headers map[string]string `yaml:"headers"`
	Body    yaml.Node         `yaml:"body"`
}

type yamlVariant struct {
	Method  *string           `yaml:"method"`
	Path    *string           `yaml:"path"`
	Query   *string           `yaml:"query"`
	Headers map[string]string `yaml:"headers"`
	Body    yaml.Node         `yaml:"body"`
	Expect  *yamlExpect       `yaml:"expect"`
}

type yamlExpect struct {
	Status    []int                `yaml:"status"`
	Schema    string               `yaml:"schema"`
	Resources string               `yaml:"resources"`
	Body      yaml.Node            `yaml:"body"`
	Absent    []string             `yaml:"absent"`
	Excludes  map[string]yaml.Node `yaml:"excludes"`
	Distinct  map[string]string    `yaml:"distinct"`
	Capture   map[string]string    `yaml:"capture"`
}

var varNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Load loads every shipped sequence of an identity provider ("entra"),
// sorted by name; funcs are its app functions.
func Load(idp string, funcs Funcs) ([]*Sequence, error) {
	dir := path.Clean(idp)
	if !yamlfile.ValidName(dir) {
		return nil, fmt.Errorf("identity provider %q: want a directory name such as \"entra\"", idp)
	}
	entries, err := fs.ReadDir(fixtures.Sequences(), dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no shipped sequences for identity provider %q", idp)
	}
	if err != nil {
		return nil, fmt.Errorf("list sequences of %q: %w", idp, err)
	}
	var out []*Sequence
	for _, e := range entries {
		if e.IsDir() || !yamlfile.IsYAML(e.Name()) {
			continue
		}
		file := dir + "/" + e.Name()
		data, err := fs.ReadFile(fixtures.Sequences(), file)
		if err != nil {
			return nil, fmt.Errorf("read sequence %s: %w", file, err)
		}
		s, err := Parse("fixtures/sequences/"+file, data, funcs)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	for i := 1; i < len(out); i++ {
		if out[i].Name == out[i-1].Name {
			return nil, fmt.Errorf("%s and %s: both are named %q", out[i-1].File, out[i].File, out[i].Name)
		}
	}
	return out, nil
}

// Find returns the shipped sequence of idp with the given name.
func Find(idp, name string, funcs Funcs) (*Sequence, error) {
	all, err := Load(idp, funcs)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range all {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return nil, fmt.Errorf("unknown %s sequence %q (shipped: %s)", idp, name, strings.Join(names, ", "))
}

// LoadFile loads a sequence from a file on disk.
func LoadFile(file string, funcs Funcs) (*Sequence, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("load sequence: %w", err)
	}
	return Parse(file, data, funcs)
}

// Parse parses and checks a sequence whose templates call funcs; file
// names the source in error messages ("file:line: ...").
func Parse(file string, data []byte, funcs Funcs) (*Sequence, error) {
	var y yamlSequence
	if err := yamlfile.Decode(data, &y); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty sequence file", file)
		}
		return nil, yamlfile.Error(file, err)
	}
	b := seqBuilder{file: file, stepLines: yamlfile.ItemLines(data, "steps"), funcs: funcs, templates: map[string]template{}}
	s, err := b.sequence(&y)
	if err != nil {
		return nil, err
	}
	return s, nil
}
