package filter

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/scimconform/scimconform/refserver/schema"
	"github.com/scimconform/scimconform/refserver/scimerr"
)

// predicate tests one non-nil attribute value of a document.
type predicate interface{ match(v any) bool }

// newPredicate type-checks `attr op value` for an attribute of type a and
// returns the test for one value. label names the attribute in errors. Ne is
// compiled as Eq; the caller negates it.
func newPredicate(a *schema.Attribute, label string, op Op, value any) (predicate, error) {
	if op == Pr {
		return present{}, nil
	}
	if op == Ne {
		op = Eq
	}
	if value == nil {
		return nil, scimerr.BadRequest(scimerr.InvalidFilter, "%s %s null: null can only be compared with eq or ne", label, op)
	}
	switch a.Type {
	case schema.String, schema.Reference, schema.Binary:
		s, ok := value.(string)
		if !ok {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is a string: compare it with a quoted string, not %s", label, formatValue(value))
		}
		return stringPred{op: op, want: s, fold: !a.CaseExact}, nil
	case schema.Boolean:
		if op != Eq {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is boolean: only eq, ne and pr apply, not %s", label, op)
		}
		b, ok := boolValue(value)
		if !ok {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is boolean: %s is not true or false", label, formatValue(value))
		}
		return boolPred(b), nil
	case schema.DateTime:
		if !ordered(op) {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is a dateTime: %s does not apply", label, op)
		}
		s, _ := value.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is a dateTime: %s is not an RFC 3339 date and time", label, formatValue(value))
		}
		return timePred{op: op, want: t}, nil
	case schema.Integer, schema.Decimal:
		if !ordered(op) {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is a number: %s does not apply", label, op)
		}
		f, ok := numberValue(value)
		if !ok {
			return nil, scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is a number: %s is not a number", label, formatValue(value))
		}
		return numberPred{op: op, want: f}, nil
	}
	return nil, scimerr.BadRequest(scimerr.InvalidFilter, "attribute %s is complex: name one of its sub-attributes to compare", label)
}

// ordered reports whether op applies to ordered types (numbers, dateTime).
func ordered(op Op) bool {
	switch op {
	case Eq, Gt, Ge, Lt, Le:
		return true
	}
	return false
}

// boolValue accepts true/false and, as Microsoft Entra ID sends
// `roles[primary eq "True"]`, the strings "true"/"false" in any case.
func boolValue(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch {
		case strings.EqualFold(x, "true"):
			return true, true
		case strings.EqualFold(x, "false"):
			return false, true
		}
	}
	return false, false
}

// formatValue prints a literal of a filter for an error detail.
func formatValue(v any) string {
	var b strings.Builder
	writeValue(&b, v)
	return scimerr.Clip(b.String())
}

// present is `pr`: a value that is not "", [] or {}.
type present struct{}

func (present) match(v any) bool {
	switch x := v.(type) {
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return v != nil
}

// stringPred compares strings, ignoring case unless the attribute is caseExact.
type stringPred struct {
	op   Op
	want string
	fold bool
}

func (p stringPred) match(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	switch p.op {
	case Eq:
		if p.fold {
			return strings.EqualFold(s, p.want)
		}
		return s == p.want
	case Co:
		if p.fold {
			return containsFold(s, p.want)
		}
		return strings.Contains(s, p.want)
	case Sw:
		if p.fold {
			return hasPrefixFold(s, p.want)
		}
		return strings.HasPrefix(s, p.want)
	case Ew:
		if p.fold {
			return hasSuffixFold(s, p.want)
		}
		return strings.HasSuffix(s, p.want)
	}
	var c int
	if p.fold {
		c = compareFold(s, p.want)
	} else {
		c = strings.Compare(s, p.want)
	}
	return orderMatches(p.op, c)
}

// boolPred compares booleans; a stored "True"/"False" string counts as its
// boolean.
type boolPred bool

func (p boolPred) match(v any) bool {
	b, ok := boolValue(v)
	return ok && b == bool(p)
}

// timePred compares dateTime values as instants.
type timePred struct {
	op   Op
	want time.Time
}

func (p timePred) match(v any) bool {
	var t time.Time
	switch x := v.(type) {
	case string:
		var err error
		if t, err = time.Parse(time.RFC3339Nano, x); err != nil {
			return false
		}
	case time.Time:
		t = x
	default:
		return false
	}
	return orderMatches(p.op, t.Compare(p.want))
}

// numberPred compares numbers.
type numberPred struct {
	op   Op
	want float64
}

func (p numberPred) match(v any) bool {
	f, ok := numberValue(v)
	if !ok {
		return false
	}
	switch {
	case f < p.want:
		return orderMatches(p.op, -1)
	case f > p.want:
		return orderMatches(p.op, 1)
	case f == p.want:
		return orderMatches(p.op, 0)
	}
	return false // NaN
}

// numberValue accepts the number types a decoded document or a hand-built
// expression may hold.
func numberValue(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// orderMatches reports whether a comparison result c (-1, 0, 1) satisfies op.
func orderMatches(op Op, c int) bool {
	switch op {
	case Eq:
		return c == 0
	case Gt:
		return c > 0
	case Ge:
		return c >= 0
	case Lt:
		return c < 0
	case Le:
		return c <= 0
	}
	return false
}
