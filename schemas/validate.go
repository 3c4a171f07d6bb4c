package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/xeipuuv/gojsonschema"
)

// Validate checks body against the schema of kind and returns every
// violation, sorted by path, without duplicates; none means valid. The error
// is non-nil only for an unknown kind or a body that is not JSON.
func Validate(kind Kind, body []byte) ([]Violation, error) {
	s, err := schemaFor(kind)
	if err != nil {
		return nil, err
	}
	doc, err := decodeBody(body)
	if err != nil {
		return nil, err
	}
	return validateDoc(kind, s, doc), nil
}

// ValidateList checks body as a ListResponse and each of its Resources as
// kind; a resource's violations have paths under "/Resources/<i>".
func ValidateList(kind Kind, body []byte) ([]Violation, error) {
	s, err := schemaFor(kind)
	if err != nil {
		return nil, err
	}
	list, err := schemaFor(ListResponse)
	if err != nil {
		return nil, err
	}
	doc, err := decodeBody(body)
	if err != nil {
		return nil, err
	}
	out := validateDoc(ListResponse, list, doc)
	obj, _ := doc.(map[string]any)
	// A Resources that is not an array is already a ListResponse violation.
	resources, _ := obj["Resources"].([]any)
	for i, r := range resources {
		prefix := pointer("Resources", strconv.Itoa(i))
		for _, v := range validateDoc(kind, s, r) {
			out = append(out, Violation{Path: prefix + v.Path, Message: v.Message})
		}
	}
	return sortViolations(out), nil
}

// validateDoc runs the compiled schema and kind's extra rules on a document
// decoded by decodeBody.
func validateDoc(kind Kind, s *gojsonschema.Schema, doc any) []Violation {
	result, err := s.Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		// A raw loader hands over doc as is and cannot fail; say so if it does.
		return []Violation{{Message: "validator failed: " + err.Error()}}
	}
	return sortViolations(append(toViolations(result), applyRules(kind, doc)...))
}

func schemaFor(kind Kind) (*gojsonschema.Schema, error) {
	if kind.file() == "" {
		return nil, fmt.Errorf("schemas: unknown kind %q (known: %v)", kind, Kinds())
	}
	all, err := compiledSchemas()
	if err != nil {
		return nil, err
	}
	return all[kind], nil
}

// decodeBody parses body as gojsonschema expects it (numbers as
// json.Number). An empty or malformed body is an error that says where the
// JSON breaks.
func decodeBody(body []byte) (any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("schemas: body is empty, expected a JSON document")
	}
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v)
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, fmt.Errorf("schemas: body is not valid JSON at byte %d: %w", syntax.Offset, err)
		}
		return nil, fmt.Errorf("schemas: body is not valid JSON: %w", err)
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var doc any
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("schemas: decode body: %w", err)
	}
	return doc, nil
}
