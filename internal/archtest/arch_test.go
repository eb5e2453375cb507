// Package archtest keeps the pipeline's shape (STYLE.md rule 1, and
// docs/architecture.md): a stage imports only the stages it is allowed to,
// which are always earlier ones, so a newcomer can read the pipeline off
// the list below, and the model stays free of CloudFormation.
package archtest

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const mod = "github.com/deployless/deployless/internal/"

// order is the pipeline, earliest first.
var order = []string{"source", "artifact", "kind", "parsecache", "diag", "cfn", "config", "envfile", "pyfront", "model", "lower", "check",
	"resources", "template", "packager", "pyc", "layers", "compiler", "output", "awsclient", "secrets", "deploy", "cli"}

// allowed lists, for each stage, the project packages it may import
// directly. Adding an edge is a design decision: write it here, in the
// same change, and keep it pointing at an earlier stage.
var allowed = map[string][]string{
	"source":     nil,
	"artifact":   nil,
	"kind":       nil,
	"parsecache": nil,
	"diag":       {"source"},
	"cfn":        nil,
	"config":     {"diag", "source"},
	"envfile":    {"diag", "source"},
	"pyfront":    {"diag", "kind", "parsecache", "source"},
	"model":      {"kind", "source"},
	"lower":      {"config", "diag", "envfile", "kind", "model", "pyfront", "source"},
	"check":      {"config", "diag", "kind", "model", "source"},
	"resources":  {"cfn", "kind", "model"},
	"template":   {"cfn", "model", "resources"},
	"packager":   {"kind", "model", "source"},
	"layers":     {"artifact", "diag", "source", "pyc"},
	"pyc":        {"artifact"},
	"compiler": {"artifact", "cfn", "check", "config", "diag", "envfile", "lower", "model", "packager", "parsecache",
		"pyfront", "resources", "source", "template", "layers", "pyc"},
	"output":    {"artifact", "packager"},
	"awsclient": nil,
	"secrets":   {"envfile", "model"},
	"deploy":    {"kind", "model"},
	"cli": {"artifact", "awsclient", "check", "compiler", "deploy", "diag", "kind", "model", "output", "packager", "parsecache",
		"pyfront", "secrets"},
}

// pure lists packages that must not depend on cfn at all, even
// indirectly: the model says what things are; only the template backend
// says how CloudFormation spells them (STYLE.md rule 14).
var pure = []string{"model", "lower"}

// goList runs go list over the module's packages, one line per package:
// its import path followed by what format selects.
func goList(t *testing.T, format string, pkgs ...string) map[string][]string {
	t.Helper()
	args := append([]string{"list", "-f", "{{.ImportPath}} " + format}, pkgs...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	got := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		var deps []string
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, mod) {
				deps = append(deps, strings.TrimPrefix(imp, mod))
			}
		}
		got[strings.TrimPrefix(fields[0], mod)] = deps
	}
	return got
}

func TestImports(t *testing.T) {
	rank := map[string]int{}
	for i, p := range order {
		rank[p] = i
	}
	for pkg, deps := range allowed {
		for _, dep := range deps {
			if rank[dep] >= rank[pkg] {
				t.Errorf("allowed[%s] lists %s, which is not an earlier stage", pkg, dep)
			}
		}
	}
	seen := 0
	for pkg, imports := range goList(t, `{{join .Imports " "}}`, "../...") {
		allow, staged := allowed[pkg]
		if !staged {
			continue // test helpers (testenv, e2e, archtest)
		}
		seen++
		ok := map[string]bool{}
		for _, a := range allow {
			ok[a] = true
		}
		for _, imp := range imports {
			if !ok[imp] {
				t.Errorf("%s imports %s, which the allow table does not list (allowed: %s)", pkg, imp, strings.Join(allow, ", "))
			}
		}
	}
	if seen != len(allowed) || len(allowed) != len(order) {
		t.Errorf("found %d staged packages, the allow table has %d and the order %d; update both", seen, len(allowed), len(order))
	}
}

func TestPureStagesDoNotDependOnCloudFormation(t *testing.T) {
	var pkgs []string
	for _, p := range pure {
		pkgs = append(pkgs, mod+p)
	}
	deps := goList(t, `{{join .Deps " "}}`, pkgs...)
	names := make([]string, 0, len(deps))
	for p := range deps {
		names = append(names, p)
	}
	sort.Strings(names)
	if len(names) != len(pure) {
		t.Fatalf("go list found %v, want %v", names, pure)
	}
	for _, p := range names {
		for _, d := range deps[p] {
			if d == "cfn" {
				t.Errorf("%s depends on internal/cfn: the model must not hold CloudFormation values", p)
			}
		}
	}
}
