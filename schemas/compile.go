package schemas

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/xeipuuv/gojsonreference"
	"github.com/xeipuuv/gojsonschema"
)

//go:embed *.json
var files embed.FS

// baseURI is the $id prefix of every document; references between documents
// are relative to it and always resolve inside the embedded set.
const baseURI = "https://scimconform.dev/schemas/"

var (
	compileOnce sync.Once
	compiled    map[Kind]*gojsonschema.Schema
	compileErr  error
)

// compiledSchemas compiles every document once; the result is read-only and
// safe for concurrent use.
func compiledSchemas() (map[Kind]*gojsonschema.Schema, error) {
	compileOnce.Do(func() { compiled, compileErr = compileAll() })
	return compiled, compileErr
}

func compileAll() (map[Kind]*gojsonschema.Schema, error) {
	loader := gojsonschema.NewSchemaLoader()
	loader.Draft = gojsonschema.Draft7
	loader.Validate = true // each document is checked against the draft-07 meta-schema
	entries, err := files.ReadDir(".")
	if err != nil {
		return nil, fmt.Errorf("schemas: list embedded documents: %w", err)
	}
	for _, e := range entries {
		raw, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, fmt.Errorf("schemas: read %s: %w", e.Name(), err)
		}
		if err := checkID(e.Name(), raw); err != nil {
			return nil, err
		}
		if err := loader.AddSchemas(gojsonschema.NewBytesLoader(raw)); err != nil {
			return nil, fmt.Errorf("schemas: load %s: %w", e.Name(), err)
		}
	}
	out := make(map[Kind]*gojsonschema.Schema, len(documents))
	for _, d := range documents {
		s, err := loader.Compile(embeddedLoader{source: baseURI + d.file})
		if err != nil {
			return nil, fmt.Errorf("schemas: compile %s (%s): %w", d.kind, d.file, err)
		}
		out[d.kind] = s
	}
	return out, nil
}

// checkID makes sure a document's $id is baseURI + its file name, so that
// relative references resolve to the embedded files.
func checkID(name string, raw []byte) error {
	var head struct {
		ID string `json:"$id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return fmt.Errorf("schemas: parse %s: %w", name, err)
	}
	if head.ID != baseURI+name {
		return fmt.Errorf("schemas: %s has $id %q, want %q", name, head.ID, baseURI+name)
	}
	return nil
}

// embeddedLoader resolves schema references only from the documents already
// added to the loader's pool. Any other reference is an error instead of a
// network fetch, which gojsonschema's default loader would attempt.
type embeddedLoader struct{ source string }

func (l embeddedLoader) JsonSource() any { return l.source }

func (l embeddedLoader) LoadJSON() (any, error) {
	return nil, fmt.Errorf("schema reference %q is not one of the embedded documents", l.source)
}

func (l embeddedLoader) JsonReference() (gojsonreference.JsonReference, error) {
	return gojsonreference.NewJsonReference(l.source)
}

func (l embeddedLoader) LoaderFactory() gojsonschema.JSONLoaderFactory {
	return embeddedLoaderFactory{}
}

type embeddedLoaderFactory struct{}

func (embeddedLoaderFactory) New(source string) gojsonschema.JSONLoader {
	return embeddedLoader{source: source}
}
