package woocommerce_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"github.com/kasir/pos/app"
)

// TestEveryMessageIsTranslated fails when a message this package gives
// staff (through app's helpers) has no Indonesian text, or is not a
// constant: app's own coverage test does not read channel/.
func TestEveryMessageIsTranslated(t *testing.T) {
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	arg := map[string]int{"Text": 0, "FieldError": 1, "Errorf": 1}
	n := 0
	for _, p := range pkgs {
		for name, f := range p.Files {
			ast.Inspect(f, func(nd ast.Node) bool {
				call, ok := nd.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "app" {
					return true
				}
				i, ok := arg[sel.Sel.Name]
				if !ok || len(call.Args) <= i {
					return true
				}
				lit, ok := call.Args[i].(*ast.BasicLit)
				if !ok {
					t.Errorf("%s: a message key must be a constant string", name)
					return true
				}
				key, _ := strconv.Unquote(lit.Value)
				n++
				if !app.Translated(app.Indonesian, key) {
					t.Errorf("%s: no Indonesian text for %q", name, key)
				}
				return true
			})
		}
	}
	if n < 3 {
		t.Fatalf("found only %d messages; the scan is broken", n)
	}
}
