// Package yamlfile decodes the runner's YAML files strictly, with errors as "file:line: message".
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	nameRE         = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	unknownFieldRE = regexp.MustCompile(`line (\d+): field (\S+) not found in type`)
	lineRE         = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// ValidName reports whether name is lowercase letters, digits and dashes,
// as the names of sequences and profiles are.
func ValidName(name string) bool { return nameRE.MatchString(name) }

// IsYAML reports whether a file name ends in .yaml or .yml.
func IsYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// Decode decodes data into v, refusing unknown keys; an empty input is
// io.EOF.
func Decode(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// Error rewrites a YAML decoder's error as "file:line: message".
func Error(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, 0, len(te.Errors))
		for _, e := range te.Errors {
			if m := unknownFieldRE.FindStringSubmatch(e); m != nil {
				msgs = append(msgs, fmt.Sprintf("%s:%s: unknown key %q", file, m[1], m[2]))
			} else if m := lineRE.FindStringSubmatch(e); m != nil {
				msgs = append(msgs, fmt.Sprintf("%s:%s: %s", file, m[1], m[2]))
			} else {
				msgs = append(msgs, fmt.Sprintf("%s: %s", file, e))
			}
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s:%s: %s", file, m[1], m[2])
	}
	return fmt.Errorf("%s: %s", file, msg)
}

// ItemLines returns the line of each element of the top-level list key.
func ItemLines(data []byte, key string) []int {
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

// LineAt is lines[i], 0 when there is no such line.
func LineAt(lines []int, i int) int {
	if i < len(lines) {
		return lines[i]
	}
	return 0
}
