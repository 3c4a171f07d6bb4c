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
	if err := checkJSON(body); err != nil {
		return nil, err
	}
	result, err := s.Validate(gojsonschema.NewBytesLoader(body))
	if err != nil {
		return nil, fmt.Errorf("schemas: validate %s: %w", kind, err)
	}
	return toViolations(result), nil
}

// ValidateList checks body as a ListResponse and each of its Resources as
// kind; a resource's violations have paths under "/Resources/<i>".
func ValidateList(kind Kind, body []byte) ([]Violation, error) {
	if _, err := schemaFor(kind); err != nil {
		return nil, err
	}
	out, err := Validate(ListResponse, body)
	if err != nil {
		return nil, err
	}
	var list struct {
		Resources []json.RawMessage `json:"Resources"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		// Resources is not an array; Validate(ListResponse) has said so.
		return out, nil
	}
	for i, raw := range list.Resources {
		vs, err := Validate(kind, raw)
		if err != nil {
			return nil, fmt.Errorf("schemas: Resources[%d]: %w", i, err)
		}
		prefix := pointer("Resources", strconv.Itoa(i))
		for _, v := range vs {
			out = append(out, Violation{Path: prefix + v.Path, Message: v.Message})
		}
	}
	return sortViolations(out), nil
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

// checkJSON rejects an empty or malformed body with a message that says where
// the JSON breaks.
func checkJSON(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("schemas: body is empty, expected a JSON document")
	}
	if json.Valid(body) {
		return nil
	}
	var v any
	err := json.Unmarshal(body, &v)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("schemas: body is not valid JSON at byte %d: %w", syntax.Offset, err)
	}
	return fmt.Errorf("schemas: body is not valid JSON: %w", err)
}
