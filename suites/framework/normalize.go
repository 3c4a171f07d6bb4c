package framework

import "encoding/json"

// normalizeJSON gives v the shape encoding/json decodes into (float64
// numbers, []any, map[string]any) so Go literals compare with responses.
func normalizeJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}
