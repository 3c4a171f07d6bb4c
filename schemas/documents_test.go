package schemas

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

// Every $ref in every document must resolve inside the embedded set: an
// unresolved reference would otherwise make the validator reach for the
// network, and a dangling fragment would be a silently missing rule.
func TestReferencesResolveInsideEmbeddedDocuments(t *testing.T) {
	t.Parallel()
	docs := map[string]any{}
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		raw, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs[name] = doc
	}
	for name, doc := range docs {
		for _, ref := range collectRefs(doc) {
			file, fragment, _ := strings.Cut(ref, "#")
			if file == "" {
				file = name
			}
			target, ok := docs[file]
			if !ok {
				t.Errorf("%s: $ref %q names a document that is not embedded", name, ref)
				continue
			}
			if _, ok := lookup(target, fragment); !ok {
				t.Errorf("%s: $ref %q points at nothing in %s", name, ref, file)
			}
		}
	}
}

// Every shared definition is used somewhere; a dead one would suggest a rule
// that is not applied.
func TestEveryDefinitionIsReferenced(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	defined := map[string]bool{}
	for _, name := range names {
		raw, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Definitions map[string]any `json:"definitions"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for def := range doc.Definitions {
			defined[name+"#/definitions/"+def] = true
		}
		var all any
		if err := json.Unmarshal(raw, &all); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, ref := range collectRefs(all) {
			if strings.HasPrefix(ref, "#") {
				ref = name + ref
			}
			refs[ref] = true
		}
	}
	for def := range defined {
		if !refs[def] {
			t.Errorf("%s is never referenced", def)
		}
	}
}

// Every document is either a kind's schema or the shared definitions.
func TestEveryDocumentIsUsed(t *testing.T) {
	t.Parallel()
	used := map[string]bool{"common.json": true}
	for _, k := range Kinds() {
		used[k.file()] = true
	}
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(used) {
		t.Errorf("embedded %v, want exactly the kinds' documents and common.json", names)
	}
	for _, n := range names {
		if !used[n] {
			t.Errorf("%s is embedded but belongs to no kind", n)
		}
	}
}

func TestDocumentsCompile(t *testing.T) {
	t.Parallel()
	all, err := compiledSchemas()
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	if len(all) != len(Kinds()) {
		t.Errorf("compiled %d schemas, want %d", len(all), len(Kinds()))
	}
}

func TestCheckIDRejectsAMisnamedDocument(t *testing.T) {
	t.Parallel()
	err := checkID("user.json", []byte(`{"$id":"https://example.com/user.json"}`))
	if err == nil || !strings.Contains(err.Error(), "want \""+baseURI+"user.json\"") {
		t.Errorf("checkID error = %v", err)
	}
}

func TestEmbeddedLoaderRefusesUnknownReferences(t *testing.T) {
	t.Parallel()
	l := embeddedLoaderFactory{}.New("https://example.com/elsewhere.json")
	if _, err := l.LoadJSON(); err == nil || !strings.Contains(err.Error(), "not one of the embedded documents") {
		t.Errorf("LoadJSON error = %v", err)
	}
}

// collectRefs returns every "$ref" string value in a document. A property
// named "$ref" inside "properties" is an attribute, not a reference.
func collectRefs(v any) []string {
	var out []string
	switch n := v.(type) {
	case map[string]any:
		for k, c := range n {
			if s, ok := c.(string); ok && k == "$ref" {
				out = append(out, s)
				continue
			}
			out = append(out, collectRefs(c)...)
		}
	case []any:
		for _, c := range n {
			out = append(out, collectRefs(c)...)
		}
	}
	return out
}

// lookup resolves a JSON Pointer fragment ("/definitions/meta") in doc.
func lookup(doc any, fragment string) (any, bool) {
	if fragment == "" {
		return doc, true
	}
	cur := doc
	for _, tok := range strings.Split(strings.TrimPrefix(fragment, "/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Every pattern a violation can report has a readable meaning, and every
// meaning belongs to a pattern still in use. Patterns inside "if" only
// select a rule and are never reported.
func TestPatternsHaveMeanings(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, name := range names {
		raw, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, p := range reportedPatterns(doc) {
			used[p] = true
			if _, ok := patternMeanings[p]; !ok {
				t.Errorf("%s: pattern %q has no entry in patternMeanings", name, p)
			}
		}
	}
	for p := range patternMeanings {
		if !used[p] {
			t.Errorf("patternMeanings has %q, which no document uses", p)
		}
	}
}

func reportedPatterns(v any) []string {
	var out []string
	switch n := v.(type) {
	case map[string]any:
		for k, c := range n {
			if s, ok := c.(string); ok && k == "pattern" {
				out = append(out, s)
				continue
			}
			if k == "if" {
				continue
			}
			out = append(out, reportedPatterns(c)...)
		}
	case []any:
		for _, c := range n {
			out = append(out, reportedPatterns(c)...)
		}
	}
	return out
}
