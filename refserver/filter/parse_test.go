package filter

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scimconform/scimconform/refserver/scimerr"
)

const entURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

func path(name string) AttrPath         { return AttrPath{Name: name} }
func subPath(name, sub string) AttrPath { return AttrPath{Name: name, Sub: sub} }
func cmp(p AttrPath, op Op, v any) Expr { return &Compare{Attr: p, Op: op, Value: v} }
func eq(name string, v any) Expr        { return cmp(path(name), Eq, v) }
func and(l, r Expr) Expr                { return &And{L: l, R: r} }
func or(l, r Expr) Expr                 { return &Or{L: l, R: r} }
func not(x Expr) Expr                   { return &Not{X: x} }
func vpath(name string, f Expr) Expr    { return &ValuePath{Attr: path(name), Filter: f} }
func filtered(name string, f Expr, sub string) AttrPath {
	return AttrPath{Name: name, Filter: f, Sub: sub}
}

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Expr
	}{
		// every operator, with the value types each usually takes
		{`userName eq "bjensen"`, eq("userName", "bjensen")},
		{`userName ne "bjensen"`, cmp(path("userName"), Ne, "bjensen")},
		{`name.familyName co "O'Malley"`, cmp(subPath("name", "familyName"), Co, "O'Malley")},
		{`userName sw "J"`, cmp(path("userName"), Sw, "J")},
		{`userName ew "son"`, cmp(path("userName"), Ew, "son")},
		{`title pr`, cmp(path("title"), Pr, nil)},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, cmp(subPath("meta", "lastModified"), Gt, "2011-05-13T04:42:34Z")},
		{`meta.lastModified ge "2011-05-13T04:42:34Z"`, cmp(subPath("meta", "lastModified"), Ge, "2011-05-13T04:42:34Z")},
		{`meta.lastModified lt "2011-05-13T04:42:34Z"`, cmp(subPath("meta", "lastModified"), Lt, "2011-05-13T04:42:34Z")},
		{`meta.lastModified le "2011-05-13T04:42:34Z"`, cmp(subPath("meta", "lastModified"), Le, "2011-05-13T04:42:34Z")},
		// keywords, operators and literals in any case
		{`userName EQ "x"`, eq("userName", "x")},
		{`title Pr AND active eq TRUE`, and(cmp(path("title"), Pr, nil), eq("active", true))},
		{`a eq False Or b eq NULL`, or(eq("a", false), eq("b", nil))},
		{`NOT (a pr)`, not(cmp(path("a"), Pr, nil))},
		{`not(a pr)`, not(cmp(path("a"), Pr, nil))},
		// precedence: not > and > or, left-associative
		{`a eq 1 or b eq 2 and c eq 3`, or(eq("a", 1.0), and(eq("b", 2.0), eq("c", 3.0)))},
		{`a eq 1 and b eq 2 or c eq 3`, or(and(eq("a", 1.0), eq("b", 2.0)), eq("c", 3.0))},
		{`a eq 1 and b eq 2 and c eq 3`, and(and(eq("a", 1.0), eq("b", 2.0)), eq("c", 3.0))},
		{`a eq 1 or b eq 2 or c eq 3`, or(or(eq("a", 1.0), eq("b", 2.0)), eq("c", 3.0))},
		{`(a eq 1 or b eq 2) and c eq 3`, and(or(eq("a", 1.0), eq("b", 2.0)), eq("c", 3.0))},
		{`a eq 1 and (b eq 2 and c eq 3)`, and(eq("a", 1.0), and(eq("b", 2.0), eq("c", 3.0)))},
		{`not (a eq 1) and b eq 2`, and(not(eq("a", 1.0)), eq("b", 2.0))},
		{`not (a eq 1 or b eq 2)`, not(or(eq("a", 1.0), eq("b", 2.0)))},
		{`not (not (a pr))`, not(not(cmp(path("a"), Pr, nil)))},
		{`((a eq 1))`, eq("a", 1.0)},
		{`(a eq 1)and(b eq 2)`, and(eq("a", 1.0), eq("b", 2.0))},
		// whitespace
		{"  \tuserName \t eq   \"x\"  ", eq("userName", "x")},
		{`( a eq 1 )`, eq("a", 1.0)},
		// value paths
		{`emails[type eq "work" and value co "@example.com"]`,
			vpath("emails", and(eq("type", "work"), cmp(path("value"), Co, "@example.com")))},
		{`emails[type eq "work"] or ims[type eq "xmpp"]`,
			or(vpath("emails", eq("type", "work")), vpath("ims", eq("type", "xmpp")))},
		{`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
			and(eq("userType", "Employee"), vpath("emails", and(eq("type", "work"), cmp(path("value"), Co, "@example.com"))))},
		{`emails[not (type eq "home")]`, vpath("emails", not(eq("type", "home")))},
		{`emails[type eq "work"].value eq "user@contoso.com"`,
			cmp(filtered("emails", eq("type", "work"), "value"), Eq, "user@contoso.com")},
		{`roles[primary eq "True"].display pr`,
			cmp(filtered("roles", eq("primary", "True"), "display"), Pr, nil)},
		// URN-qualified paths
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`,
			cmp(AttrPath{URN: "urn:ietf:params:scim:schemas:core:2.0:User", Name: "userName"}, Sw, "J")},
		{entURN + `:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`,
			cmp(AttrPath{URN: entURN, Name: "manager", Sub: "value"}, Eq, "26118915-6090-4610-87e4-49d8ca9f808d")},
		{`URN:Example:employeeNumber eq "1"`, eq("employeeNumber", "1").(*Compare).withURN("URN:Example")},
		{`members.$ref pr`, cmp(subPath("members", "$ref"), Pr, nil)},
		{`x-y_z9 pr`, cmp(path("x-y_z9"), Pr, nil)},
		// string escapes
		{`a eq "q\"b\\s\/n\nt\tr\rb\bf\f"`, eq("a", "q\"b\\s/n\nt\tr\rb\bf\f")},
		{`a eq "\u00e9\u0041"`, eq("a", "éA")},
		{`a eq "\ud83d\ude00"`, eq("a", "😀")},
		{`a eq "\ud83d"`, eq("a", "\uFFFD")},
		{`a eq "é 😀"`, eq("a", "é 😀")},
		{`a eq ""`, eq("a", "")},
		// numbers
		{`a eq 0`, eq("a", 0.0)},
		{`a eq -12`, eq("a", -12.0)},
		{`a gt 3.25`, cmp(path("a"), Gt, 3.25)},
		{`a lt 1e3`, cmp(path("a"), Lt, 1000.0)},
		{`a lt 2.5E-2`, cmp(path("a"), Lt, 0.025)},
		// unquoted words are strings (Entra's documented `externalId eq jyoung`)
		{`externalId eq jyoung`, eq("externalId", "jyoung")},
		{`id eq 54D382A4-2050-4C03-94D1-E769F1D15682 and manager eq 2819c223-7f76-453a-919d-413861904646`,
			and(eq("id", "54D382A4-2050-4C03-94D1-E769F1D15682"), eq("manager", "2819c223-7f76-453a-919d-413861904646"))},
		{`a eq 01`, eq("a", "01")},
		{`a eq user@contoso.com`, eq("a", "user@contoso.com")},
		{`(a eq x)`, eq("a", "x")},
		{`emails[type eq work]`, vpath("emails", eq("type", "work"))},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse(%q)\n got %s\nwant %s", tt.in, exprString(got), exprString(tt.want))
			}
			again, err := Parse(exprString(got))
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("String() %q does not parse back: %v", exprString(got), err)
			}
		})
	}
}

func (c *Compare) withURN(urn string) *Compare { c.Attr.URN = urn; return c }

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		detail string
	}{
		{``, `offset 0: expected an attribute path, "(" or "not", got end of filter`},
		{`   `, `offset 3: expected an attribute path`},
		{`userName`, `offset 8: expected a comparison operator (eq, ne, co, sw, ew, pr, gt, ge, lt, le), got end of filter`},
		{`userName eqq "x"`, `offset 9: expected a comparison operator (eq, ne, co, sw, ew, pr, gt, ge, lt, le), got "eqq"`},
		{`userName = "x"`, `offset 9: expected a comparison operator`},
		{`userName eq`, `offset 11: expected a value, got end of filter`},
		{`userName eq "x`, `offset 12: unterminated string`},
		{`userName eq "a\qb"`, `offset 14: invalid escape "\\q"`},
		{`userName eq "\u12"`, `offset 13: invalid \u escape`},
		{"userName eq \"a\nb\"", `offset 14: control character`},
		{`userName eq and`, `offset 12: expected a value, got the keyword "and"`},
		{`userName eq a(b`, `offset 13: unexpected '('`},
		{`userName eq 1e999`, `offset 12: number 1e999 is out of range`},
		{`userName eq "x" and`, `offset 19: expected an attribute path, "(" or "not", got end of filter`},
		{`userName eq "x" or or b pr`, `offset 19: expected an attribute path, "(" or "not", got the keyword "or"`},
		{`userName eq "x" xor b pr`, `offset 16: expected "and", "or" or the end of the filter, got "xor"`},
		{`userName eq "x")`, `offset 15: expected "and", "or" or the end of the filter, got ")"`},
		{`(userName eq "x"`, `offset 16: expected ")" to close the "(" at offset 0, got end of filter`},
		{`()`, `offset 1: expected an attribute path, got ")"`},
		{`not userName pr`, `offset 4: expected "(" after "not", got "userName"`},
		{`not`, `offset 3: expected "(" after "not", got end of filter`},
		{`emails[type eq "work"`, `offset 21: expected "]" to close the "[" at offset 6, got end of filter`},
		{`emails[type eq "work"] eq "x"`, `offset 23: expected "and", "or" or the end of the filter, got "eq"`},
		{`emails[]`, `offset 7: expected an attribute path, got "]"`},
		{`emails[type[value eq "x"] pr]`, `offset 11: value filters cannot be nested`},
		{`emails.value[type eq "work"]`, `offset 12: a value filter "[...]" must follow an attribute name, not the sub-attribute "value"`},
		{`emails[type eq "work"].`, `offset 23: expected a sub-attribute name, got end of filter`},
		{`emails[type eq "work"].value`, `offset 28: expected a comparison operator`},
		{`name.givenName.x eq "y"`, `offset 5: expected a sub-attribute name, got "givenName.x"`},
		{`9lives eq 1`, `offset 0: expected an attribute name, got "9lives"`},
		{`urn:x:y: eq 1`, `offset 8: expected an attribute name, got ""`},
		{`foo:bar eq 1`, `offset 0: expected an attribute name, got "foo:bar"`},
		{`"userName" eq 1`, `offset 0: expected an attribute path, got "\""`},
		{`userName eq"x"x`, `offset 14: expected "and", "or" or the end of the filter`},
		{`userName eq(x)`, `offset 11: expected a space after "eq", got "("`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want an error", tt.in, exprString(got))
			}
			assertSCIMError(t, err, scimerr.InvalidFilter, tt.detail)
		})
	}
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("(", 100_000) + `a pr` + strings.Repeat(")", 100_000)
	tests := []struct {
		name   string
		in     string
		limits Limits
		detail string
	}{
		{"100k parens under default limits", deep, DefaultLimits, "filter is 200004 bytes long, more than the limit of 4096"},
		{"100k parens with a large length limit", deep, Limits{MaxLength: 1 << 20, MaxDepth: 32}, "offset 32: nesting of parentheses, not and value filters exceeds the limit of 32"},
		{"100k nots", strings.Repeat("not (", 20_000) + "a pr" + strings.Repeat(")", 20_000), Limits{MaxLength: 1 << 20}, "exceeds the limit of 32"},
		{"depth counts value filters", `((emails[type eq "w"]))`, Limits{MaxDepth: 2}, `offset 8: nesting of parentheses, not and value filters exceeds the limit of 2`},
		{"length limit", `userName eq "0123456789"`, Limits{MaxLength: 10}, "filter is 24 bytes long, more than the limit of 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			_, err := ParseWithLimits(tt.in, tt.limits)
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
			assertSCIMError(t, err, scimerr.InvalidFilter, tt.detail)
		})
	}
	t.Run("long flat filter parses in linear time", func(t *testing.T) {
		t.Parallel()
		long := strings.Repeat(`a eq "x" or `, 80_000) + `a pr`
		start := time.Now()
		e, err := ParseWithLimits(long, Limits{MaxLength: len(long), MaxDepth: 32})
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if _, ok := e.(*Or); !ok {
			t.Fatalf("got %T, want *Or", e)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("depth at the limit is accepted", func(t *testing.T) {
		t.Parallel()
		in := strings.Repeat("(", 31) + `emails[type eq "w"]` + strings.Repeat(")", 31)
		if _, err := Parse(in); err != nil {
			t.Fatalf("Parse: %v", err)
		}
	})
}

func TestParsePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want AttrPath
	}{
		{`members`, path("members")},
		{`name.givenName`, subPath("name", "givenName")},
		{`name.FamilyName`, subPath("name", "FamilyName")},
		{` active `, path("active")},
		{`members[value eq "2819c223"]`, filtered("members", eq("value", "2819c223"), "")},
		{`emails[type eq "work"].value`, filtered("emails", eq("type", "work"), "value")},
		{`addresses[type eq "work"].streetAddress`, filtered("addresses", eq("type", "work"), "streetAddress")},
		{`roles[primary eq "True"].display`, filtered("roles", eq("primary", "True"), "display")},
		{`emails[type eq "work" and primary eq true]`, filtered("emails", and(eq("type", "work"), eq("primary", true)), "")},
		{entURN + `:manager`, AttrPath{URN: entURN, Name: "manager"}},
		{entURN + `:manager.value`, AttrPath{URN: entURN, Name: "manager", Sub: "value"}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value`,
			AttrPath{URN: "urn:ietf:params:scim:schemas:core:2.0:User", Name: "emails", Filter: eq("type", "work"), Sub: "value"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePath(tt.in)
			if err != nil {
				t.Fatalf("ParsePath(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParsePath(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
			again, err := ParsePath(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("String() %q does not parse back: %v", got.String(), err)
			}
		})
	}
}

func TestParsePathRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		detail string
	}{
		{``, `invalid path at offset 0: expected an attribute path, got end of path`},
		{`members value`, `offset 8: expected the end of the path, got "value"`},
		{`userName eq "x"`, `offset 9: expected the end of the path, got "eq"`},
		{`emails[type eq "work"`, `offset 21: expected "]" to close the "[" at offset 6, got end of path`},
		{`emails[type eq "work"].value.x`, `offset 23: expected a sub-attribute name, got "value.x"`},
		{`emails[type eq "work"]value`, `offset 22: expected the end of the path, got "value"`},
		{`emails[type[value pr] pr]`, `offset 11: value filters cannot be nested`},
		{`emails[typ e]`, `offset 11: expected a comparison operator`},
		{`name.givenName[value pr]`, `offset 14: a value filter "[...]" must follow an attribute name`},
		{`(members)`, `offset 0: expected an attribute path, got "("`},
		{`name..givenName`, `offset 5: expected a sub-attribute name, got ".givenName"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePath(tt.in)
			if err == nil {
				t.Fatalf("ParsePath(%q) = %s, want an error", tt.in, got)
			}
			assertSCIMError(t, err, scimerr.InvalidPath, tt.detail)
		})
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e    Expr
		want string
	}{
		{and(eq("a", 1.0), and(eq("b", true), eq("c", nil))), `a eq 1 and (b eq true and c eq null)`},
		{and(or(eq("a", 1.0), eq("b", 2.0)), eq("c", 3.0)), `(a eq 1 or b eq 2) and c eq 3`},
		{or(eq("a", 1.0), or(eq("b", 2.0), eq("c", 3.0))), `a eq 1 or (b eq 2 or c eq 3)`},
		{or(and(eq("a", 1.0), eq("b", 2.0)), eq("c", 3.0)), `a eq 1 and b eq 2 or c eq 3`},
		{not(vpath("emails", eq("type", "w\"o\x01"))), `not (emails[type eq "w\"o\u0001"])`},
		{cmp(filtered("emails", eq("type", "work"), "value"), Sw, "x\\y\n"), `emails[type eq "work"].value sw "x\\y\n"`},
		{cmp(path("a"), Gt, 1e21), `a gt 1e+21`},
	}
	for _, tt := range tests {
		if got := exprString(tt.e); got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
	}
}

// assertSCIMError checks err is a 400 *scimerr.Error of scimType whose
// detail contains detail.
func assertSCIMError(t *testing.T, err error, scimType, detail string) {
	t.Helper()
	var se *scimerr.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *scimerr.Error", err, err)
	}
	if se.Status != http.StatusBadRequest || se.ScimType != scimType {
		t.Fatalf("error %v: want 400 %s", se, scimType)
	}
	if !strings.Contains(se.Detail, detail) {
		t.Fatalf("detail %q does not contain %q", se.Detail, detail)
	}
}
