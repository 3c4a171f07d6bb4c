package framework

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Baseline is a file of accepted deviations (-accept, SCIM_ACCEPT): the
// failures a vendor knows about and accepts for now, each with the reason
// and optionally an expiry date, so that a CI gate fails on new failures
// only. The format:
//
//	accept:
//	  - spec: "Users POST /Users with a valid user returns 201 with the user, its id and meta"
//	    reason: "we answer 200; fix tracked in APP-123"
//	    expires: 2026-09-30      # optional; from the next day on the entry accepts nothing
//	  - label: etag              # every failed spec carrying the label
//	    reason: "ETag support is planned for Q4"
//
// An entry names one spec by its full name (as the console lists failed
// specs) or a label, never both, and always gives a reason.
type Baseline struct {
	File    string
	Entries []AcceptEntry
}

// AcceptEntry is one accepted deviation.
type AcceptEntry struct {
	Spec   string // full spec name, or ""
	Label  string // a label, or ""
	Reason string
	// Expires is the last day the entry accepts a failure (UTC); zero
	// when the entry does not expire.
	Expires time.Time
	Line    int // line of the entry in the file
}

// Matches reports whether the entry names the spec (by its full name) or
// one of its labels.
func (e AcceptEntry) Matches(name string, labels []string) bool {
	if e.Spec != "" {
		return e.Spec == name
	}
	return slices.Contains(labels, e.Label)
}

// ExpiredAt reports whether the entry no longer accepts anything at now:
// it accepts through its expiry day, in UTC.
func (e AcceptEntry) ExpiredAt(now time.Time) bool {
	return !e.Expires.IsZero() && !now.UTC().Before(e.Expires.AddDate(0, 0, 1))
}

// What names the entry for messages: `spec "..."` or `label "..."`.
func (e AcceptEntry) What() string {
	if e.Spec != "" {
		return fmt.Sprintf("spec %q", e.Spec)
	}
	return fmt.Sprintf("label %q", e.Label)
}

// ExpiryText is "expires 2026-09-30", "expired 2026-09-30" or "".
func (e AcceptEntry) ExpiryText(now time.Time) string {
	switch {
	case e.Expires.IsZero():
		return ""
	case e.ExpiredAt(now):
		return "expired " + e.Expires.Format(time.DateOnly)
	}
	return "expires " + e.Expires.Format(time.DateOnly)
}

// LoadBaseline reads and checks a baseline file. Every problem is
// reported, with its line, in one error.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-accept %q cannot be read: %v", path, err)
	}
	b, err := ParseBaseline(data)
	if err != nil {
		return nil, fmt.Errorf("-accept %q is not a valid file of accepted deviations (format in README.md):\n    - %w", path, err)
	}
	b.File = path
	return b, nil
}

// acceptKeys are the keys an entry may have.
var acceptKeys = []string{"spec", "label", "reason", "expires"}

// ParseBaseline parses the YAML of a baseline file; the error lists every
// problem, one a line.
func ParseBaseline(data []byte) (*Baseline, error) {
	b := &Baseline{}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New(`the file is empty: write "accept:" followed by a list of entries (see README.md)`)
		}
		return nil, fmt.Errorf("not valid YAML: %v", err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf(`line %d: the file must be a mapping with the key "accept" (a list of entries)`, root.Line)
	}
	var problems []string
	add := func(line int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		if key.Value != "accept" {
			add(key.Line, "unknown key %q: the file has one key, \"accept\"", key.Value)
			continue
		}
		list = value
	}
	switch {
	case list == nil && len(problems) == 0:
		add(root.Line, `no "accept" key: write "accept:" followed by a list of entries`)
	case list != nil && list.Kind == yaml.ScalarNode && list.Tag == "!!null":
		// "accept:" with nothing under it: an empty baseline.
	case list != nil && list.Kind != yaml.SequenceNode:
		add(list.Line, `"accept" must be a list of entries, each starting with "- "`)
	case list != nil:
		for _, item := range list.Content {
			e, itemProblems := parseEntry(item)
			problems = append(problems, itemProblems...)
			if len(itemProblems) == 0 {
				b.Entries = append(b.Entries, e)
			}
		}
	}
	seen := map[string]int{}
	for _, e := range b.Entries {
		if first, ok := seen[e.What()]; ok {
			add(e.Line, "%s is already accepted at line %d", e.What(), first)
			continue
		}
		seen[e.What()] = e.Line
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n    - "))
	}
	return b, nil
}

func parseEntry(item *yaml.Node) (AcceptEntry, []string) {
	e := AcceptEntry{Line: item.Line}
	var problems []string
	add := func(line int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("line %d: ", line)+fmt.Sprintf(format, args...))
	}
	if item.Kind != yaml.MappingNode {
		add(item.Line, "an entry must be a mapping with spec or label, reason and optionally expires")
		return e, problems
	}
	expires := ""
	for i := 0; i+1 < len(item.Content); i += 2 {
		key, value := item.Content[i], item.Content[i+1]
		if !slices.Contains(acceptKeys, key.Value) {
			add(key.Line, "unknown key %q in an entry: use %s", key.Value, strings.Join(acceptKeys, ", "))
			continue
		}
		if value.Kind != yaml.ScalarNode {
			add(value.Line, "%s must be a single value", key.Value)
			continue
		}
		v := strings.TrimSpace(value.Value)
		switch key.Value {
		case "spec":
			e.Spec = v
		case "label":
			e.Label = v
		case "reason":
			e.Reason = v
		case "expires":
			expires = v
		}
	}
	switch {
	case e.Spec == "" && e.Label == "":
		add(item.Line, "the entry names no spec and no label: give spec (the full spec name) or label")
	case e.Spec != "" && e.Label != "":
		add(item.Line, "the entry names both a spec and a label: give one per entry")
	case e.Label != "" && strings.ContainsAny(e.Label, "&|!,()/{}[]"):
		add(item.Line, "label %q is not a label (one word such as etag or patch)", e.Label)
	}
	if e.Reason == "" {
		add(item.Line, "the entry has no reason: say why the deviation is accepted")
	}
	if expires != "" {
		t, err := time.Parse(time.DateOnly, expires)
		if err != nil {
			add(item.Line, "expires %q is not a date: write it as YYYY-MM-DD", expires)
		}
		e.Expires = t
	}
	return e, problems
}
