// Package sequence is the format of identity-provider sequences: loading and checking them, and filling their templates.
package sequence

import (
	"fmt"
	"slices"
)

// Dialect is one of the two ways Microsoft Entra ID words its PATCH requests.
type Dialect string

const (
	// DialectDefault is what Entra sends today without a flag: capitalised
	// ops, "True"/"False" strings, members removed with a value array.
	DialectDefault Dialect = "default"
	// DialectSCIM062020 is what Entra sends with aadOptscim062020 in the
	// Tenant URL: lowercase ops, booleans, one path-less replace with dotted
	// keys, members removed with a value filter.
	DialectSCIM062020 Dialect = "aadOptscim062020"
)

// Dialects lists every dialect, in the order reports show them.
func Dialects() []Dialect { return []Dialect{DialectDefault, DialectSCIM062020} }

// ParseDialect accepts a dialect name exactly as Dialects spells it.
func ParseDialect(s string) (Dialect, error) {
	d := Dialect(s)
	if !slices.Contains(Dialects(), d) {
		return "", fmt.Errorf("unknown dialect %q (want %q or %q)", s, DialectDefault, DialectSCIM062020)
	}
	return d, nil
}

// Sequence is an ordered list of requests an identity provider sends, each
// with what a conforming target must answer. It is loaded from YAML (see
// fixtures/sequences/README.md) and is immutable once loaded.
type Sequence struct {
	Name        string
	Description string
	Labels      []string
	// Dialects the sequence applies to; empty means every dialect.
	Dialects []Dialect
	// Matching, when set, replaces the app profile's matching attribute (a
	// SCIM target path such as "externalId") for this sequence.
	Matching string
	// Variables are templates evaluated once per run, on first use.
	Variables map[string]string
	Steps     []*Step
	// File is where the sequence was loaded from, for messages.
	File string

	funcs     Funcs               // the app functions its templates were checked against
	templates map[string]template // every template it holds, parsed at load
}

// Step is one request and its expectations.
type Step struct {
	// Name reads as the requirement ("answers 200 with an empty ListResponse").
	Name string
	// Rule names the identity-provider or RFC rule the step enforces, with its source.
	Rule string
	// Dialects the step exists in; empty means every dialect of the sequence.
	Dialects []Dialect
	// Requires lists SCIM target paths the app profile must map for the
	// step to apply; otherwise the step is skipped and the sequence goes on.
	Requires []string
	Method   string
	Path     string // template; placeholders are path-escaped
	Query    string // template; sent as written, placeholders query-escaped
	Headers  map[string]string
	Body     any // JSON value with placeholders in strings; nil means no body
	Expect   Expect
	// Creates is the path (template) of the resource this step creates, for
	// the cleanup tracker, e.g. "/Users/${userId}".
	Creates string
	// Needs names earlier steps whose effect this step checks beyond the
	// captures its templates use (a read-back names the write it reads
	// back). When one of them did not take effect, the step is skipped.
	Needs []string
	// Setup is the plain request that establishes this step's captures for
	// the later steps that use them when the step itself could not (a user
	// created directly when Entra's create was refused); nil for none.
	Setup *Setup
	// Variants hold per-dialect replacements of the fields above.
	Variants map[Dialect]*Variant
	// Line is the step's line in File.
	Line int
}

// Variant replaces fields of a step in one dialect. A nil field keeps the
// step's own value; Expect, when given, replaces the whole expectation.
type Variant struct {
	Method  *string
	Path    *string
	Query   *string
	Headers map[string]string
	Body    any
	HasBody bool // Body was given (it may be JSON null)
	Expect  *Expect
}

// Setup replaces fields of the step it belongs to for the request that
// establishes the step's captures when the step did not. A nil or empty
// field keeps the step's own value. A 200 or 201 answer holding every capture
// establishes them.
type Setup struct {
	Method  *string
	Path    *string
	Query   *string
	Headers map[string]string
	Body    any
	HasBody bool
}

// Expect is what a conforming answer looks like.
type Expect struct {
	// Status lists the accepted status codes.
	Status []int
	// Schema is the JSON Schema kind the body must validate against.
	Schema string
	// Resources is the kind each element of a ListResponse's Resources must
	// validate against.
	Resources string
	// Body must match the response as a subset (see match.go for the rules).
	Body any
	// Absent lists JSON Pointers that must not resolve in the response.
	Absent []string
	// Excludes maps a JSON Pointer to an array to a pattern no element of
	// that array may match (e.g. a removed member).
	Excludes map[string]any
	// Distinct maps a JSON Pointer to an array to a sub-attribute whose
	// values must differ between its elements (one "work" email only).
	Distinct map[string]string
	// Capture maps a variable name to the JSON Pointer whose value it takes.
	Capture map[string]string
}

// For returns the sequence as it runs in dialect d: steps of other dialects
// dropped and variants applied. The result has no variants, so For is
// idempotent and Steps of the result are what Run.Step indexes.
func (s *Sequence) For(d Dialect) *Sequence {
	out := *s
	out.Steps = make([]*Step, 0, len(s.Steps))
	for _, st := range s.Steps {
		if len(st.Dialects) > 0 && !slices.Contains(st.Dialects, d) {
			continue
		}
		out.Steps = append(out.Steps, st.resolve(d))
	}
	return &out
}

// AppliesTo reports whether the sequence is meant for dialect d.
func (s *Sequence) AppliesTo(d Dialect) bool {
	return len(s.Dialects) == 0 || slices.Contains(s.Dialects, d)
}

// StepIn returns step i of s as it runs in dialect d, s.For(d).Steps[i],
// without copying the other steps; when there is no step i it returns nil
// and the number of steps in d. A step with no variants and no dialects
// of its own is returned as it is (steps are immutable).
func (s *Sequence) StepIn(d Dialect, i int) (*Step, int) {
	n := 0
	for _, st := range s.Steps {
		if len(st.Dialects) > 0 && !slices.Contains(st.Dialects, d) {
			continue
		}
		if n == i {
			if len(st.Variants) == 0 && len(st.Dialects) == 0 {
				return st, n
			}
			return st.resolve(d), n
		}
		n++
	}
	return nil, n
}

// runsIn reports whether the step exists in dialect d (of a sequence that
// applies to d).
func (st *Step) runsIn(d Dialect) bool {
	return len(st.Dialects) == 0 || slices.Contains(st.Dialects, d)
}

func (st *Step) resolve(d Dialect) *Step {
	out := *st
	out.Variants = nil
	out.Dialects = nil
	v := st.Variants[d]
	if v == nil {
		return &out
	}
	if v.Method != nil {
		out.Method = *v.Method
	}
	if v.Path != nil {
		out.Path = *v.Path
	}
	if v.Query != nil {
		out.Query = *v.Query
	}
	if v.Headers != nil {
		out.Headers = v.Headers
	}
	if v.HasBody {
		out.Body = v.Body
	}
	if v.Expect != nil {
		out.Expect = *v.Expect
	}
	return &out
}

// WithSetup is the step as its setup request: its setup's fields in place,
// and an expectation of any usual success with the step's captures.
func (st *Step) WithSetup() *Step {
	out := *st
	su := st.Setup
	if su.Method != nil {
		out.Method = *su.Method
	}
	if su.Path != nil {
		out.Path = *su.Path
	}
	if su.Query != nil {
		out.Query = *su.Query
	}
	if su.Headers != nil {
		out.Headers = su.Headers
	}
	if su.HasBody {
		out.Body = su.Body
	}
	out.Expect = Expect{Status: []int{200, 201}, Capture: st.Expect.Capture}
	return &out
}
