package sequence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Object is a JSON object that keeps its keys in the order they were
// written, so request bodies go out in the order an identity provider
// sends them ("schemas" first). Values are JSON values: nil, bool, int64,
// float64, string, []any, Object.
type Object []Member

// Member is one key of an Object.
type Member struct {
	Key   string
	Value any
}

// Get returns the value of key (exact spelling) and whether it is present.
func (o Object) Get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// Set replaces key's value, or appends the key when it is new.
func (o *Object) Set(key string, v any) {
	for i := range *o {
		if (*o)[i].Key == key {
			(*o)[i].Value = v
			return
		}
	}
	*o = append(*o, Member{key, v})
}

// MarshalJSON writes the members in order.
func (o Object) MarshalJSON() ([]byte, error) { return EncodeJSON(o) }

// EncodeJSON is json.Marshal for the values the runner builds, Objects
// among them.
func EncodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, json.NewEncoder(&b), v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeJSON writes v with enc, an encoder on b, walking Objects and arrays
// itself so that a nested Object is encoded once, not once more (and
// compacted again) for every level around it.
func writeJSON(b *bytes.Buffer, enc *json.Encoder, v any) error {
	switch t := v.(type) {
	case Object:
		b.WriteByte('{')
		for i := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			// A pointer, unlike a string, goes into an interface
			// without an allocation.
			if err := writeJSON(b, enc, &t[i].Key); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeJSON(b, enc, t[i].Value); err != nil {
				return fmt.Errorf("key %q: %w", t[i].Key, err)
			}
		}
		b.WriteByte('}')
		return nil
	case []any:
		if t == nil {
			break
		}
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, enc, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // the newline Encode ends a value with
	return nil
}

// jsonFromYAML converts a YAML node into a JSON value, keeping key order.
// Only what JSON can express is accepted: string keys, no anchors or tags
// beyond the core schema.
func jsonFromYAML(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return nil, fmt.Errorf("line %d: empty document", n.Line)
		}
		return jsonFromYAML(n.Content[0])
	case yaml.AliasNode:
		return nil, fmt.Errorf("line %d: YAML aliases are not allowed in JSON values", n.Line)
	case yaml.MappingNode:
		obj := make(Object, 0, len(n.Content)/2)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
				return nil, fmt.Errorf("line %d: object keys must be plain strings", k.Line)
			}
			if seen[k.Value] {
				return nil, fmt.Errorf("line %d: duplicate key %q", k.Line, k.Value)
			}
			seen[k.Value] = true
			v, err := jsonFromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			obj = append(obj, Member{k.Value, v})
		}
		return obj, nil
	case yaml.SequenceNode:
		arr := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := jsonFromYAML(c)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		return arr, nil
	case yaml.ScalarNode:
		return scalarFromYAML(n)
	}
	return nil, fmt.Errorf("line %d: unsupported YAML node", n.Line)
}

func scalarFromYAML(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!str":
		return n.Value, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, fmt.Errorf("line %d: %w", n.Line, err)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, fmt.Errorf("line %d: integer %q: %w", n.Line, n.Value, err)
		}
		return i, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, fmt.Errorf("line %d: number %q: %w", n.Line, n.Value, err)
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("line %d: %q is not a JSON number", n.Line, n.Value)
		}
		return f, nil
	}
	return nil, fmt.Errorf("line %d: tag %s is not a JSON value", n.Line, n.ShortTag())
}

// JSONText renders a JSON value compactly for messages.
func JSONText(v any) string {
	if v == nil {
		return "null"
	}
	b, err := EncodeJSON(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}

// ScalarText turns a captured JSON value into a variable's text: strings
// as they are, everything else as JSON.
func ScalarText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return JSONText(v)
}
