package schemas

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// rootContext is the name gojsonschema gives the document root.
const rootContext = "(root)"

// contextSeparator joins context tokens; it cannot occur in a property name
// that anyone would send, unlike the "." gojsonschema uses by default (which
// extension URNs such as "...:enterprise:2.0:User" contain).
const contextSeparator = "\x00"

// wrapperErrors are gojsonschema's summaries of composite keywords (allOf,
// if/then...). Their nested errors are reported instead, since they say what
// is actually wrong.
var wrapperErrors = map[string]bool{
	"number_all_of":  true,
	"number_any_of":  true,
	"number_one_of":  true,
	"condition_then": true,
	"condition_else": true,
}

// patternMeanings explains the patterns the documents use, so a violation
// names what was expected rather than a regular expression.
var patternMeanings = map[string]string{
	`^([Aa][Dd][Dd]|[Rr][Ee][Mm][Oo][Vv][Ee]|[Rr][Ee][Pp][Ll][Aa][Cc][Ee])$`: `"add", "remove" or "replace" (any case)`,
	`^[1-5][0-9]{2}$`: `an HTTP status code as a string of three digits, e.g. "404"`,
	`^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`: `an xsd:dateTime such as "2008-01-23T04:56:22Z"`,
}

// toViolations turns gojsonschema's errors into violations: JSON Pointer
// paths, readable messages, composite-keyword summaries folded away.
func toViolations(result *gojsonschema.Result) []Violation {
	errs := result.Errors()
	var out []Violation
	for i := 0; i < len(errs); i++ {
		e := errs[i]
		switch {
		case wrapperErrors[e.Type()]:
			continue
		case e.Type() == "contains":
			v, consumed := containsViolation(errs[i:])
			out = append(out, v)
			i += consumed
		default:
			out = append(out, toViolation(e))
		}
	}
	if len(out) == 0 && !result.Valid() {
		// Only summaries were reported: keep them rather than claim validity.
		for _, e := range errs {
			out = append(out, Violation{Path: errorPath(e), Message: e.Description()})
		}
	}
	return sortViolations(out)
}

// containsViolation reports a failed "contains" keyword (errs[0]).
// gojsonschema follows it with the closest item's "const" failures; those
// items are not themselves wrong, but they name the value that was looked
// for. It returns how many of those following errors it consumed.
func containsViolation(errs []gojsonschema.ResultError) (Violation, int) {
	path := errorPath(errs[0])
	v := Violation{Path: path, Message: "does not contain a required value"}
	consumed := 0
	for _, e := range errs[1:] {
		if e.Type() != "const" || parentPointer(errorPath(e)) != path {
			break
		}
		if consumed == 0 {
			v.Message = fmt.Sprintf("must contain %v", e.Details()["allowed"])
		}
		consumed++
	}
	return v, consumed
}

func toViolation(e gojsonschema.ResultError) Violation {
	path := errorPath(e)
	d := e.Details()
	switch e.Type() {
	case "required":
		return Violation{Path: path + pointer(fmt.Sprint(d["property"])), Message: "required attribute is missing"}
	case "invalid_type":
		return Violation{Path: path, Message: fmt.Sprintf("expected %s, got %v%s", expectedTypes(fmt.Sprint(d["expected"])), d["given"], scalarSuffix(e.Value()))}
	case "enum":
		return Violation{Path: path, Message: fmt.Sprintf("%s is not one of %v", render(e.Value()), d["allowed"])}
	case "const":
		return Violation{Path: path, Message: fmt.Sprintf("must be %v, got %s", d["allowed"], render(e.Value()))}
	case "pattern":
		want, ok := patternMeanings[fmt.Sprint(d["pattern"])]
		if !ok {
			want = fmt.Sprintf("a string matching %v", d["pattern"])
		}
		return Violation{Path: path, Message: fmt.Sprintf("expected %s, got %s", want, render(e.Value()))}
	case "array_min_items":
		return Violation{Path: path, Message: fmt.Sprintf("must have at least %v item(s)", d["min"])}
	case "unique":
		return Violation{Path: path, Message: fmt.Sprintf("items %v and %v are equal; values must be unique", d["i"], d["j"])}
	case "string_gte":
		return Violation{Path: path, Message: fmt.Sprintf("must be at least %v character(s) long", d["min"])}
	case "number_gte":
		return Violation{Path: path, Message: fmt.Sprintf("must be >= %v, got %s", d["min"], render(e.Value()))}
	case "number_lte":
		return Violation{Path: path, Message: fmt.Sprintf("must be <= %v, got %s", d["max"], render(e.Value()))}
	}
	return Violation{Path: path, Message: e.Description()}
}

// expectedTypes renders gojsonschema's "[string,null]" as "string": null
// only stands for an unassigned attribute (RFC 7643 §2.5), so naming it would
// distract from the type the attribute needs. Other lists read "a or b".
func expectedTypes(s string) string {
	if !strings.HasPrefix(s, "[") {
		return s
	}
	var types []string
	for _, t := range strings.Split(strings.Trim(s, "[]"), ",") {
		if t != "null" {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		return "null"
	}
	return strings.Join(types, " or ")
}

// errorPath converts gojsonschema's context ("(root).a.0") to a JSON Pointer.
func errorPath(e gojsonschema.ResultError) string {
	ctx := e.Context()
	if ctx == nil {
		return ""
	}
	tokens := strings.Split(ctx.String(contextSeparator), contextSeparator)
	if len(tokens) > 0 && tokens[0] == rootContext {
		tokens = tokens[1:]
	}
	return pointer(tokens...)
}

func parentPointer(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}

// scalarSuffix quotes a scalar offending value (` "true"`), so a vendor sees
// what was sent; objects and arrays are left out as too long.
func scalarSuffix(v any) string {
	switch v.(type) {
	case map[string]any, []any, nil:
		return ""
	}
	return " " + render(v)
}

// maxRendered bounds how much of an offending value a message quotes.
const maxRendered = 80

func render(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > maxRendered {
		s = s[:maxRendered] + "..."
	}
	return s
}
