package framework

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// assertionMethods take a matcher and an optional description that Gomega
// formats like fmt.Sprintf(description[0], description[1:]...).
var assertionMethods = map[string]bool{"To": true, "ToNot": true, "NotTo": true, "Should": true, "ShouldNot": true}

// A Gomega description is a format string even when it is computed: an
// exchange passed as the description turns every "%" of a URL into
// "%!s(MISSING)". No description in the suites may be the result of a call
// (DescribeExchange, fmt.Sprintf, string(body)...): such text goes in as an
// argument of a literal format ("%s", text).
func TestGomegaDescriptionsAreLiteralFormats(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	var checked int
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 2 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !assertionMethods[sel.Sel.Name] {
				return true
			}
			if desc := call.Args[1]; !isConstantString(desc) && computed(desc) {
				t.Errorf("%s: the description of %s is computed text read as a format string: write %s(matcher, \"%%s\", text) instead",
					fset.Position(desc.Pos()), sel.Sel.Name, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked %d files under suites/: the walk did not find the specs", checked)
	}
}

// computed reports whether e calls a function to build its text (a
// function literal, which Gomega calls for the description, does not).
func computed(e ast.Expr) bool {
	if _, ok := e.(*ast.FuncLit); ok {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if _, ok := n.(*ast.CallExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// isConstantString reports whether e is a string literal or a
// concatenation of them.
func isConstantString(e ast.Expr) bool {
	switch v := e.(type) {
	case *ast.BasicLit:
		return v.Kind == token.STRING
	case *ast.BinaryExpr:
		return v.Op == token.ADD && isConstantString(v.X) && isConstantString(v.Y)
	case *ast.ParenExpr:
		return isConstantString(v.X)
	}
	return false
}
