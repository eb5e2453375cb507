package pyfront

import (
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/source"
)

// A very long expression chain is E31 at its position, not a stack
// overflow in the converter, the cache codec or the evaluator.
func TestDeepExpressionIsRefused(t *testing.T) {
	chain := "X = 1" + strings.Repeat(" + 1", 200_000) + "\n"
	_, diags := analyze(t, map[string]string{
		"app/features/x/routes.py": "from flask import Blueprint\n" + chain + "bp = Blueprint(\"x\", __name__)\n\n@bp.get(\"/x\")\ndef x():\n    return {}\n",
	}, nil)
	if want := "app/features/x/routes.py:2:5: E31 expression nested more than 1000 levels deep: Python cannot compile it reliably; split it into several statements"; diags != want {
		t.Errorf("got %.300q, want %q", diags, want)
	}
}

// Implicit concatenation of many pieces gives one literal (built in one
// pass: 100,000 pieces used to take 5 s of repeated copying).
func TestManyStringPieces(t *testing.T) {
	src := "S = (" + strings.Repeat("\"ab\" ", 100_000) + "f\"{X}\" \"c\")\n"
	m, d := Parse(source.NewFile("m.py", []byte(src)), "m")
	if len(d) != 0 || len(m.Stmts) != 1 {
		t.Fatalf("diagnostics %v", d)
	}
	s, ok := m.Stmts[0].(*Assign).Value.(*Str)
	if !ok || len(s.Parts) != 3 || s.Parts[0].Lit != strings.Repeat("ab", 100_000) || s.Parts[1].Expr == nil || s.Parts[2].Lit != "c" {
		t.Fatalf("parts: %d", len(s.Parts))
	}
}

// Strings that double at every line are refused before they exhaust memory.
func TestHugeStringIsRefused(t *testing.T) {
	src := "from flask import Blueprint\nimport deployless as pc\nA = \"" + strings.Repeat("x", 1<<20) + "\"\n"
	for c := 'B'; c <= 'E'; c++ {
		src += string(c) + " = " + string(c-1) + " + " + string(c-1) + "\n" // 2, 4, 8, then 16 MB (refused)
	}
	src += "pc.configure(description=E)\nbp = Blueprint(\"x\", __name__)\n\n@bp.get(\"/x\")\ndef x():\n    return {}\n"
	_, diags := analyze(t, map[string]string{"app/features/x/routes.py": src}, nil)
	if !strings.Contains(diags, "app/features/x/routes.py:7:5: E10 string longer than 8388608 bytes: too large to evaluate statically") {
		t.Errorf("got %.300q", diags)
	}
}
