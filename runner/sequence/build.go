package sequence

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/scimconform/scimconform/runner/internal/yamlfile"
	"github.com/scimconform/scimconform/runner/jsonptr"
	"github.com/scimconform/scimconform/runner/mapping"
	"github.com/scimconform/scimconform/schemas"
)

// seqBuilder turns the decoded YAML into a checked Sequence. Every problem
// a sequence author can make is reported here, at load, with file and line,
// rather than in the middle of a run.
type seqBuilder struct {
	file      string
	stepLines []int
	funcs     Funcs
	templates map[string]template
}

func (b *seqBuilder) errf(line int, format string, args ...any) error {
	if line > 0 {
		return fmt.Errorf("%s:%d: %s", b.file, line, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("%s: %s", b.file, fmt.Sprintf(format, args...))
}

func (b *seqBuilder) sequence(y *yamlSequence) (*Sequence, error) {
	s := &Sequence{Name: y.Name, Description: strings.TrimSpace(y.Description), Labels: y.Labels,
		Matching: y.Matching, Variables: y.Variables, File: b.file, funcs: b.funcs, templates: b.templates}
	if !yamlfile.ValidName(y.Name) {
		return nil, b.errf(0, "name %q: want lowercase letters, digits and dashes", y.Name)
	}
	if s.Description == "" {
		return nil, b.errf(0, "description is missing")
	}
	for _, l := range y.Labels {
		if strings.TrimSpace(l) == "" || strings.ContainsAny(l, ",&|!()") {
			return nil, b.errf(0, "label %q: want a word without , & | ! ( )", l)
		}
	}
	ds, err := parseDialects(y.Dialects)
	if err != nil {
		return nil, b.errf(0, "dialects: %v", err)
	}
	s.Dialects = ds
	if y.Matching != "" {
		if _, err := mapping.ParseTargetPath(y.Matching); err != nil {
			return nil, b.errf(0, "matching: %v", err)
		}
	}
	for name, v := range y.Variables {
		if !varNameRE.MatchString(name) {
			return nil, b.errf(0, "variable %q: want letters, digits and _", name)
		}
		if err := b.checkText(v); err != nil {
			return nil, b.errf(0, "variable %s: %v", name, err)
		}
	}
	if len(y.Steps) == 0 {
		return nil, b.errf(0, "no steps")
	}
	seen := map[string]int{}
	for i := range y.Steps {
		line := yamlfile.LineAt(b.stepLines, i)
		st, err := b.step(&y.Steps[i], line, s)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[st.Name]; dup {
			return nil, b.errf(line, "step name %q is also used at line %d", st.Name, prev)
		}
		seen[st.Name] = line
		s.Steps = append(s.Steps, st)
	}
	for i, st := range s.Steps {
		if err := b.checkNeeds(s, i, st); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// checkNeeds verifies that every step a step needs comes before it and runs
// in every dialect the step runs in.
func (b *seqBuilder) checkNeeds(s *Sequence, i int, st *Step) error {
	for _, name := range st.Needs {
		j := slices.IndexFunc(s.Steps, func(o *Step) bool { return o.Name == name })
		switch {
		case j < 0:
			return b.errf(st.Line, "step %q: needs %q, which is no step of the sequence", st.Name, name)
		case j >= i:
			return b.errf(st.Line, "step %q: needs %q, which does not come before it", st.Name, name)
		}
		for _, d := range Dialects() {
			if s.AppliesTo(d) && st.runsIn(d) && !s.Steps[j].runsIn(d) {
				return b.errf(st.Line, "step %q: needs %q, which does not run in dialect %s", st.Name, name, d)
			}
		}
	}
	return nil
}

func parseDialects(names []string) ([]Dialect, error) {
	var out []Dialect
	for _, n := range names {
		d, err := ParseDialect(n)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (b *seqBuilder) step(y *yamlStep, line int, s *Sequence) (*Step, error) {
	st := &Step{Name: strings.TrimSpace(y.Name), Rule: strings.TrimSpace(y.Rule), Requires: y.Requires,
		Method: y.Method, Path: y.Path, Query: y.Query, Headers: y.Headers, Creates: y.Creates, Line: line}
	if st.Name == "" {
		return nil, b.errf(line, "step has no name")
	}
	fail := func(format string, args ...any) error {
		return b.errf(line, "step %q: %s", st.Name, fmt.Sprintf(format, args...))
	}
	if st.Rule == "" {
		return nil, fail("rule is missing: name the identity-provider or RFC rule the step enforces, with its source")
	}
	ds, err := parseDialects(y.Dialects)
	if err != nil {
		return nil, fail("dialects: %v", err)
	}
	for _, d := range ds {
		if !s.AppliesTo(d) {
			return nil, fail("dialect %s is not one of the sequence's", d)
		}
	}
	st.Dialects = ds
	for _, r := range y.Requires {
		if _, err := mapping.ParseTargetPath(r); err != nil {
			return nil, fail("requires: %v", err)
		}
	}
	if err := b.checkRequest(st.Method, st.Path, st.Query, st.Headers); err != nil {
		return nil, fail("%v", err)
	}
	if st.Body, _, err = b.bodyValue(&y.Body); err != nil {
		return nil, fail("body: %v", err)
	}
	if st.Expect, err = b.buildExpect(&y.Expect); err != nil {
		return nil, fail("expect: %v", err)
	}
	if st.Creates != "" {
		if err := b.checkPathTemplate(st.Creates); err != nil {
			return nil, fail("creates: %v", err)
		}
	}
	for _, n := range y.Needs {
		if n = strings.TrimSpace(n); n == "" || n == st.Name {
			return nil, fail("needs: name earlier steps whose effect this step checks")
		}
		st.Needs = append(st.Needs, n)
	}
	if y.Setup != nil {
		if st.Setup, err = b.buildSetup(y.Setup, st); err != nil {
			return nil, fail("setup: %v", err)
		}
	}
	for name, yv := range y.Variants {
		d, err := ParseDialect(name)
		if err != nil {
			return nil, fail("variants: %v", err)
		}
		if !s.AppliesTo(d) || (len(ds) > 0 && !slices.Contains(ds, d)) {
			return nil, fail("variant %s: the step does not run in that dialect", d)
		}
		v, err := b.buildVariant(&yv)
		if err != nil {
			return nil, fail("variant %s: %v", d, err)
		}
		if err := b.checkRequest(deref(v.Method, st.Method), deref(v.Path, st.Path), deref(v.Query, st.Query), st.Headers); err != nil {
			return nil, fail("variant %s: %v", d, err)
		}
		if st.Variants == nil {
			st.Variants = map[Dialect]*Variant{}
		}
		st.Variants[d] = v
	}
	return st, nil
}

func deref(p *string, def string) string {
	if p != nil {
		return *p
	}
	return def
}

// buildSetup checks a step's setup: it establishes the step's captures, so
// the step must capture something, and its request must be well formed.
func (b *seqBuilder) buildSetup(y *yamlSetup, st *Step) (*Setup, error) {
	if len(st.Expect.Capture) == 0 {
		return nil, fmt.Errorf("the step captures nothing: a setup establishes the captures later steps use")
	}
	su := &Setup{Method: y.Method, Path: y.Path, Query: y.Query, Headers: y.Headers}
	var err error
	if su.Body, su.HasBody, err = b.bodyValue(&y.Body); err != nil {
		return nil, fmt.Errorf("body: %v", err)
	}
	headers := st.Headers
	if su.Headers != nil {
		headers = su.Headers
	}
	if err := b.checkRequest(deref(su.Method, st.Method), deref(su.Path, st.Path), deref(su.Query, st.Query), headers); err != nil {
		return nil, err
	}
	return su, nil
}

func (b *seqBuilder) buildVariant(y *yamlVariant) (*Variant, error) {
	v := &Variant{Method: y.Method, Path: y.Path, Query: y.Query, Headers: y.Headers}
	var err error
	if v.Body, v.HasBody, err = b.bodyValue(&y.Body); err != nil {
		return nil, fmt.Errorf("body: %v", err)
	}
	if err := b.checkHeaders(y.Headers); err != nil {
		return nil, err
	}
	if y.Expect != nil {
		e, err := b.buildExpect(y.Expect)
		if err != nil {
			return nil, fmt.Errorf("expect: %v", err)
		}
		v.Expect = &e
	}
	return v, nil
}

var methods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

func (b *seqBuilder) checkRequest(method, path, query string, headers map[string]string) error {
	if !slices.Contains(methods, method) {
		return fmt.Errorf("method %q: want one of %s", method, strings.Join(methods, ", "))
	}
	if err := b.checkPathTemplate(path); err != nil {
		return fmt.Errorf("path: %v", err)
	}
	if err := b.checkQueryTemplate(query); err != nil {
		return fmt.Errorf("query: %v", err)
	}
	return b.checkHeaders(headers)
}

func (b *seqBuilder) checkHeaders(headers map[string]string) error {
	for name, v := range headers {
		if !isToken(name) {
			return fmt.Errorf("header %q is not a valid header name", name)
		}
		if err := b.checkText(v); err != nil {
			return fmt.Errorf("header %s: %v", name, err)
		}
	}
	return nil
}

func (b *seqBuilder) checkPathTemplate(p string) error {
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("%q must start with /", p)
	}
	t, err := b.checkTextTemplate(p)
	if err != nil {
		return err
	}
	if i := strings.IndexFunc(t.literal(), unsafeURLRune); i >= 0 {
		return fmt.Errorf("%q has a character that must be percent-encoded", p)
	}
	return checkEscapes(t)
}

// checkEscapes finds a % not followed by two hex digits in a literal.
func checkEscapes(t template) error {
	for _, seg := range t {
		lit := seg.lit
		for i := strings.IndexByte(lit, '%'); i >= 0; i = strings.IndexByte(lit, '%') {
			if i+2 >= len(lit) || !isHex(lit[i+1]) || !isHex(lit[i+2]) {
				return fmt.Errorf("%q: %% must start an escape such as %%20 (write %%25 for a literal %%)", seg.lit)
			}
			lit = lit[i+3:]
		}
	}
	return nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// checkQueryTemplate insists the literal parts are already encoded: the
// query is sent exactly as written.
func (b *seqBuilder) checkQueryTemplate(q string) error {
	t, err := b.checkTextTemplate(q)
	if err != nil {
		return err
	}
	lit := t.literal()
	if strings.HasPrefix(lit, "?") {
		return fmt.Errorf("%q: leave out the leading ?", q)
	}
	if i := strings.IndexFunc(lit, unsafeURLRune); i >= 0 {
		return fmt.Errorf("%q: %q must be encoded (a space as + or %%20)", q, lit[i:i+1])
	}
	return checkEscapes(t)
}

func unsafeURLRune(r rune) bool {
	return r <= ' ' || r == 0x7f || r == '#' || r > unicode.MaxASCII
}

// checkText checks a text template: placeholders must stand for text.
func (b *seqBuilder) checkText(s string) error {
	_, err := b.checkTextTemplate(s)
	return err
}

func (b *seqBuilder) checkTextTemplate(s string) (template, error) {
	t, err := b.template(s)
	if err != nil {
		return nil, err
	}
	for _, ph := range t.placeholders() {
		if f, _ := b.funcs.appFunc(ph); f.Structured {
			return nil, fmt.Errorf("%s yields a JSON value, not text; use it as a whole body value", ph.raw)
		}
	}
	return t, nil
}

// template parses s, checks the app functions it calls and keeps it for
// the sequence's runs.
func (b *seqBuilder) template(s string) (template, error) {
	if t, ok := b.templates[s]; ok {
		return t, nil
	}
	t, err := parseTemplate(s)
	if err != nil {
		return nil, err
	}
	for _, ph := range t.placeholders() {
		if name, ok := strings.CutPrefix(ph.name, appPrefix); ok {
			if err := b.funcs.check(name, ph.args); err != nil {
				return nil, fmt.Errorf("placeholder %s: %w", ph.raw, err)
			}
		}
	}
	b.templates[s] = t
	return t, nil
}

// checkJSONTemplates checks the placeholders in every string of a JSON value;
// a string that is exactly one placeholder may yield a JSON value.
func (b *seqBuilder) checkJSONTemplates(v any) error {
	switch t := v.(type) {
	case string:
		tpl, err := b.template(t)
		if err != nil {
			return err
		}
		if tpl.whole() != nil {
			return nil
		}
		_, err = b.checkTextTemplate(t)
		return err
	case Object:
		for _, m := range t {
			if _, err := b.checkTextTemplate(m.Key); err != nil {
				return fmt.Errorf("key %q: %w", m.Key, err)
			}
			if err := b.checkJSONTemplates(m.Value); err != nil {
				return fmt.Errorf("%s: %w", m.Key, err)
			}
		}
	case []any:
		for i, e := range t {
			if err := b.checkJSONTemplates(e); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
	}
	return nil
}

// bodyValue converts an optional YAML body; present reports whether it was given.
func (b *seqBuilder) bodyValue(n *yaml.Node) (v any, present bool, err error) {
	if n.Kind == 0 {
		return nil, false, nil
	}
	if v, err = jsonFromYAML(n); err != nil {
		return nil, true, err
	}
	if err := b.checkJSONTemplates(v); err != nil {
		return nil, true, err
	}
	return v, true, nil
}

func (b *seqBuilder) buildExpect(y *yamlExpect) (Expect, error) {
	e := Expect{Status: y.Status, Schema: y.Schema, Resources: y.Resources, Absent: y.Absent, Distinct: y.Distinct, Capture: y.Capture}
	if len(e.Status) == 0 {
		return e, fmt.Errorf("status is missing: list the accepted status codes")
	}
	for _, code := range e.Status {
		if code < 100 || code > 599 {
			return e, fmt.Errorf("status %d is not an HTTP status", code)
		}
	}
	for _, k := range []string{e.Schema, e.Resources} {
		if k != "" && !slices.Contains(schemas.Kinds(), schemas.Kind(k)) {
			return e, fmt.Errorf("schema kind %q: want one of %v", k, schemas.Kinds())
		}
	}
	if e.Resources != "" && e.Schema != string(schemas.ListResponse) {
		return e, fmt.Errorf("resources needs schema: ListResponse")
	}
	var err error
	if e.Body, _, err = b.bodyValue(&y.Body); err != nil {
		return e, fmt.Errorf("body: %v", err)
	}
	for _, p := range e.Absent {
		if _, err := jsonptr.Parse(p); err != nil {
			return e, fmt.Errorf("absent: %v", err)
		}
	}
	for p, n := range y.Excludes {
		if _, err := jsonptr.Parse(p); err != nil {
			return e, fmt.Errorf("excludes: %v", err)
		}
		pattern, _, err := b.bodyValue(&n)
		if err != nil {
			return e, fmt.Errorf("excludes %s: %v", p, err)
		}
		if e.Excludes == nil {
			e.Excludes = map[string]any{}
		}
		e.Excludes[p] = pattern
	}
	for p, sub := range e.Distinct {
		if _, err := jsonptr.Parse(p); err != nil {
			return e, fmt.Errorf("distinct: %v", err)
		}
		if sub == "" {
			return e, fmt.Errorf("distinct %s: name the sub-attribute, e.g. type", p)
		}
	}
	for name, p := range e.Capture {
		if !varNameRE.MatchString(name) {
			return e, fmt.Errorf("capture %q: want letters, digits and _", name)
		}
		if _, err := jsonptr.Parse(p); err != nil {
			return e, fmt.Errorf("capture %s: %v", name, err)
		}
	}
	return e, nil
}

// isToken reports whether name is an RFC 9110 token, as header names are.
func isToken(name string) bool {
	for _, r := range name {
		if r > 0x7e || r <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) {
			return false
		}
	}
	return name != ""
}
