package filter

import (
	"fmt"
	"strings"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

// parser is a recursive-descent parser working directly on the input bytes.
// Binary operators are parsed with loops, so recursion happens only for
// parentheses, not and value filters, and each of those first passes the depth
// limit: the stack stays bounded and the work linear in the input length.
type parser struct {
	s             string
	pos           int
	depth         int
	limits        Limits
	scimType      string // invalidFilter or invalidPath
	what          string // "filter" or "path", for messages
	inValueFilter bool
}

func newParser(s string, l Limits, scimType, what string) (parser, error) {
	if l.MaxLength <= 0 {
		l.MaxLength = DefaultLimits.MaxLength
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	if len(s) > l.MaxLength {
		return parser{}, scimerr.BadRequest(scimType, "%s is %d bytes long, more than the limit of %d", what, len(s), l.MaxLength)
	}
	return parser{s: s, limits: l, scimType: scimType, what: what}, nil
}

// filter parses a whole filter: an or-expression and then the end of input.
func (p *parser) filter() (Expr, error) {
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.s) {
		return nil, p.errorf(p.pos, `expected "and", "or" or the end of the %s, got %s`, p.what, p.got(p.pos))
	}
	return e, nil
}

// patchPath parses attrPath / valuePath ["." subAttr] and then the end of input.
func (p *parser) patchPath() (AttrPath, error) {
	p.skipSpace()
	path, err := p.attrPath()
	if err != nil {
		return AttrPath{}, err
	}
	if p.peek('[') {
		if path.Filter, err = p.valueFilter(path); err != nil {
			return AttrPath{}, err
		}
		if p.peek('.') {
			p.pos++
			if path.Sub, err = p.subAttrName(); err != nil {
				return AttrPath{}, err
			}
		}
	}
	p.skipSpace()
	if p.pos < len(p.s) {
		return AttrPath{}, p.errorf(p.pos, "expected the end of the path, got %s", p.got(p.pos))
	}
	return path, nil
}

// or parses and-expressions separated by "or" (lowest precedence).
func (p *parser) or() (Expr, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &Or{L: l, R: r}
	}
	return l, nil
}

// and parses factors separated by "and".
func (p *parser) and() (Expr, error) {
	l, err := p.factor()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		r, err := p.factor()
		if err != nil {
			return nil, err
		}
		l = &And{L: l, R: r}
	}
	return l, nil
}

// factor parses "(" filter ")", "not" "(" filter ")" or an attribute expression.
func (p *parser) factor() (Expr, error) {
	p.skipSpace()
	start := p.pos
	if start >= len(p.s) {
		return nil, p.errorf(start, `expected an attribute path, "(" or "not", got %s`, p.got(start))
	}
	if p.s[start] == '(' {
		return p.group(start)
	}
	w := p.wordAt(start)
	if strings.EqualFold(w, "and") || strings.EqualFold(w, "or") {
		return nil, p.errorf(start, `expected an attribute path, "(" or "not", got the keyword %s`, scimerr.Quote(w))
	}
	if strings.EqualFold(w, "not") {
		q := start + len(w)
		for q < len(p.s) && isSpace(p.s[q]) {
			q++
		}
		if q >= len(p.s) || p.s[q] != '(' {
			return nil, p.errorf(q, `expected "(" after "not", got %s`, p.got(q))
		}
		x, err := p.group(q)
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	}
	return p.attrExpr()
}

// group parses a parenthesised filter whose "(" is at open.
func (p *parser) group(open int) (Expr, error) {
	if err := p.enter(open); err != nil {
		return nil, err
	}
	p.pos = open + 1
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.peek(')') {
		return nil, p.errorf(p.pos, `expected ")" to close the "(" at offset %d, got %s`, open, p.got(p.pos))
	}
	p.pos++
	p.depth--
	return e, nil
}

// attrExpr parses `attrPath op value`, `attrPath pr`, `attr[filter]` or
// Entra's `attr[filter].sub op value`.
func (p *parser) attrExpr() (Expr, error) {
	path, err := p.attrPath()
	if err != nil {
		return nil, err
	}
	if !p.peek('[') {
		return p.comparison(path)
	}
	f, err := p.valueFilter(path)
	if err != nil {
		return nil, err
	}
	if !p.peek('.') {
		return &ValuePath{Attr: path, Filter: f}, nil
	}
	p.pos++
	if path.Sub, err = p.subAttrName(); err != nil {
		return nil, err
	}
	path.Filter = f
	return p.comparison(path)
}

// valueFilter parses "[" filter "]" after the attribute path path.
func (p *parser) valueFilter(path AttrPath) (Expr, error) {
	open := p.pos
	if path.Sub != "" {
		return nil, p.errorf(open, `a value filter "[...]" must follow an attribute name, not the sub-attribute %s`, scimerr.Quote(path.Sub))
	}
	if p.inValueFilter {
		return nil, p.errorf(open, "value filters cannot be nested")
	}
	if err := p.enter(open); err != nil {
		return nil, err
	}
	p.pos = open + 1
	p.inValueFilter = true
	f, err := p.or()
	p.inValueFilter = false
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.peek(']') {
		return nil, p.errorf(p.pos, `expected "]" to close the "[" at offset %d, got %s`, open, p.got(p.pos))
	}
	p.pos++
	p.depth--
	return f, nil
}

// comparison parses " op value" or " pr" after an attribute path.
func (p *parser) comparison(path AttrPath) (Expr, error) {
	p.skipSpace()
	at := p.pos
	w := p.wordAt(at)
	op, ok := lookupOp(w)
	if !ok {
		return nil, p.errorf(at, "expected a comparison operator (eq, ne, co, sw, ew, pr, gt, ge, lt, le), got %s", p.got(at))
	}
	p.pos += len(w)
	if op == Pr {
		return &Compare{Attr: path, Op: Pr}, nil
	}
	if p.pos < len(p.s) && !isSpace(p.s[p.pos]) && p.s[p.pos] != '"' {
		return nil, p.errorf(p.pos, "expected a space after %s, got %s", scimerr.Quote(w), p.got(p.pos))
	}
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	return &Compare{Attr: path, Op: op, Value: v}, nil
}

func lookupOp(w string) (Op, bool) {
	if len(w) != 2 {
		return "", false
	}
	for _, op := range [...]Op{Eq, Ne, Co, Sw, Ew, Pr, Gt, Ge, Lt, Le} {
		if strings.EqualFold(w, string(op)) {
			return op, true
		}
	}
	return "", false
}

// attrPath parses [URN ":"] ATTRNAME ["." subAttr]. A path that starts with
// "urn:" carries a schema URN ending at the last ':' of the path.
func (p *parser) attrPath() (AttrPath, error) {
	start := p.pos
	end := start
	for end < len(p.s) && isPathChar(p.s[end]) {
		end++
	}
	tok := p.s[start:end]
	if tok == "" {
		return AttrPath{}, p.errorf(start, "expected an attribute path, got %s", p.got(start))
	}
	var path AttrPath
	rest, restAt := tok, start
	if len(tok) >= 4 && strings.EqualFold(tok[:4], "urn:") {
		i := strings.LastIndexByte(tok, ':')
		path.URN, rest, restAt = tok[:i], tok[i+1:], start+i+1
	}
	name, sub, hasSub := strings.Cut(rest, ".")
	if !isAttrName(name) {
		return AttrPath{}, p.errorf(restAt, "expected an attribute name, got %s", scimerr.Quote(name))
	}
	if hasSub && !isAttrName(sub) {
		return AttrPath{}, p.errorf(restAt+len(name)+1, "expected a sub-attribute name, got %s", scimerr.Quote(sub))
	}
	path.Name, path.Sub = name, sub
	p.pos = end
	return path, nil
}

// subAttrName parses the sub-attribute name after "].".
func (p *parser) subAttrName() (string, error) {
	start := p.pos
	end := start
	for end < len(p.s) && isPathChar(p.s[end]) {
		end++
	}
	name := p.s[start:end]
	if !isAttrName(name) {
		if name == "" {
			return "", p.errorf(start, "expected a sub-attribute name, got %s", p.got(start))
		}
		return "", p.errorf(start, "expected a sub-attribute name, got %s", scimerr.Quote(name))
	}
	p.pos = end
	return name, nil
}

// keyword consumes the logical operator kw (case-insensitive) if it comes
// next, after optional spaces.
func (p *parser) keyword(kw string) bool {
	q := p.pos
	for q < len(p.s) && isSpace(p.s[q]) {
		q++
	}
	if w := p.wordAt(q); strings.EqualFold(w, kw) {
		p.pos = q + len(w)
		return true
	}
	return false
}

// enter counts one level of nesting for the construct opening at at.
func (p *parser) enter(at int) error {
	p.depth++
	if p.depth > p.limits.MaxDepth {
		return p.errorf(at, "nesting of parentheses, not and value filters exceeds the limit of %d", p.limits.MaxDepth)
	}
	return nil
}

func (p *parser) peek(c byte) bool { return p.pos < len(p.s) && p.s[p.pos] == c }

func (p *parser) skipSpace() {
	for p.pos < len(p.s) && isSpace(p.s[p.pos]) {
		p.pos++
	}
}

// wordAt returns the run of path characters starting at i.
func (p *parser) wordAt(i int) string {
	end := i
	for end < len(p.s) && isPathChar(p.s[end]) {
		end++
	}
	return p.s[i:end]
}

func (p *parser) errorf(at int, format string, args ...any) error {
	return scimerr.BadRequest(p.scimType, "invalid %s at offset %d: %s", p.what, at, fmt.Sprintf(format, args...))
}

// got describes the input at i for error messages: the token there, quoted
// and shortened, or "end of filter".
func (p *parser) got(i int) string {
	if i >= len(p.s) {
		return "end of " + p.what
	}
	end := i
	for end < len(p.s) && !isSpace(p.s[end]) && !isDelim(p.s[end]) {
		end++
	}
	if end == i {
		end = i + 1
	}
	const maxShown = 32
	tok := p.s[i:end]
	if len(tok) > maxShown {
		return fmt.Sprintf("%q...", tok[:maxShown])
	}
	return fmt.Sprintf("%q", tok)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func isDelim(c byte) bool { return c == '(' || c == ')' || c == '[' || c == ']' || c == '"' }

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isPathChar reports the bytes an attribute path (URN included) is made of.
func isPathChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || c == '-' || c == '_' || c == ':' || c == '.' || c == '$'
}

// isAttrName reports whether s is ATTRNAME = ALPHA *("-" / "_" / DIGIT / ALPHA)
// or "$ref".
func isAttrName(s string) bool {
	if strings.EqualFold(s, "$ref") {
		return true
	}
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
