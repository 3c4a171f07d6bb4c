package runner

import (
	"bytes"
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

var (
	sequenceNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	varNameRE      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	unknownFieldRE = regexp.MustCompile(`line (\d+): field (\S+) not found in type`)
	yamlLineRE     = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// LoadSequences loads every shipped sequence of an identity provider
// ("entra"), sorted by name.
func LoadSequences(idp string) ([]*Sequence, error) {
	dir := path.Clean(idp)
	if !sequenceNameRE.MatchString(dir) {
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
		if e.IsDir() || !isYAMLFile(e.Name()) {
			continue
		}
		file := dir + "/" + e.Name()
		data, err := fs.ReadFile(fixtures.Sequences(), file)
		if err != nil {
			return nil, fmt.Errorf("read sequence %s: %w", file, err)
		}
		s, err := ParseSequence("fixtures/sequences/"+file, data)
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

// FindSequence returns the shipped sequence of idp with the given name.
func FindSequence(idp, name string) (*Sequence, error) {
	all, err := LoadSequences(idp)
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

// LoadSequenceFile loads a sequence from a file on disk.
func LoadSequenceFile(file string) (*Sequence, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("load sequence: %w", err)
	}
	return ParseSequence(file, data)
}

// ParseSequence parses and checks a sequence; file names the source in
// error messages ("file:line: ...").
func ParseSequence(file string, data []byte) (*Sequence, error) {
	var y yamlSequence
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&y); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty sequence file", file)
		}
		return nil, yamlError(file, err)
	}
	b := seqBuilder{file: file, stepLines: itemLines(data, "steps")}
	s, err := b.sequence(&y)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// yamlError rewrites the YAML decoder's errors as "file:line: message".
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, 0, len(te.Errors))
		for _, e := range te.Errors {
			if m := unknownFieldRE.FindStringSubmatch(e); m != nil {
				msgs = append(msgs, fmt.Sprintf("%s:%s: unknown key %q", file, m[1], m[2]))
			} else if m := yamlLineRE.FindStringSubmatch(e); m != nil {
				msgs = append(msgs, fmt.Sprintf("%s:%s: %s", file, m[1], m[2]))
			} else {
				msgs = append(msgs, fmt.Sprintf("%s: %s", file, e))
			}
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s:%s: %s", file, m[1], m[2])
	}
	return fmt.Errorf("%s: %s", file, msg)
}

// itemLines returns the line of each element of the top-level list key.
func itemLines(data []byte, key string) []int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i+1].Kind == yaml.SequenceNode {
			var lines []int
			for _, item := range m.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
			return lines
		}
	}
	return nil
}

func lineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}
