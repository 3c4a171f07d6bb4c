package filter

import (
	"fmt"
	"strconv"
	"strings"
)

// String prints the path in filter syntax: [URN ":"] Name ["[" Filter "]"] ["." Sub].
func (a AttrPath) String() string {
	var b strings.Builder
	a.write(&b)
	return b.String()
}

func (a AttrPath) write(b *strings.Builder) {
	if a.URN != "" {
		b.WriteString(a.URN)
		b.WriteByte(':')
	}
	b.WriteString(a.Name)
	if a.Filter != nil {
		b.WriteByte('[')
		writeExpr(b, a.Filter)
		b.WriteByte(']')
	}
	if a.Sub != "" {
		b.WriteByte('.')
		b.WriteString(a.Sub)
	}
}

// String prints the comparison in filter syntax; Parse reads it back to an
// equal expression.
func (c *Compare) String() string { return exprString(c) }

// String prints the conjunction in filter syntax.
func (x *And) String() string { return exprString(x) }

// String prints the disjunction in filter syntax.
func (x *Or) String() string { return exprString(x) }

// String prints the negation in filter syntax.
func (x *Not) String() string { return exprString(x) }

// String prints the value path in filter syntax.
func (v *ValuePath) String() string { return exprString(v) }

func exprString(e Expr) string {
	var b strings.Builder
	writeExpr(&b, e)
	return b.String()
}

// writeExpr prints e. Parse builds left-leaning trees for "and" and "or", so
// a right operand of the same or lower precedence is parenthesised to keep
// the tree's shape when the text is parsed again.
func writeExpr(b *strings.Builder, e Expr) {
	switch x := e.(type) {
	case *Compare:
		x.Attr.write(b)
		b.WriteByte(' ')
		b.WriteString(string(x.Op))
		if x.Op != Pr {
			b.WriteByte(' ')
			writeValue(b, x.Value)
		}
	case *And:
		writeOperand(b, x.L, isOr(x.L))
		b.WriteString(" and ")
		writeOperand(b, x.R, isOr(x.R) || isAnd(x.R))
	case *Or:
		writeExpr(b, x.L)
		b.WriteString(" or ")
		writeOperand(b, x.R, isOr(x.R))
	case *Not:
		b.WriteString("not (")
		writeExpr(b, x.X)
		b.WriteByte(')')
	case *ValuePath:
		x.Attr.write(b)
		b.WriteByte('[')
		writeExpr(b, x.Filter)
		b.WriteByte(']')
	case nil:
		b.WriteString("<nil>")
	default:
		fmt.Fprintf(b, "<%T>", e)
	}
}

func writeOperand(b *strings.Builder, e Expr, paren bool) {
	if paren {
		b.WriteByte('(')
	}
	writeExpr(b, e)
	if paren {
		b.WriteByte(')')
	}
}

func isOr(e Expr) bool  { _, ok := e.(*Or); return ok }
func isAnd(e Expr) bool { _, ok := e.(*And); return ok }

// writeValue prints a comparison value as JSON.
func writeValue(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case string:
		writeString(b, x)
	default:
		writeString(b, fmt.Sprint(x))
	}
}

// writeString prints s as a JSON string. Bytes outside ASCII are written
// as they are, so the text decodes to exactly s again.
func writeString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
