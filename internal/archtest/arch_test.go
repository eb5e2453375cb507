// Package archtest keeps the pipeline's import direction: a stage may import
// only stages before it, so a newcomer can read the pipeline off this list.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/deployless/deployless/internal/"

// order is the pipeline, earliest first.
var order = []string{"source", "parsecache", "diag", "cfn", "config", "envfile", "pyfront", "model", "lower", "check",
	"resources", "template", "packager", "compiler", "output", "awsclient", "secrets", "deploy", "cli"}

func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	rank := map[string]int{}
	for i, p := range order {
		rank[p] = i
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], mod)
		r, staged := rank[pkg]
		if !staged {
			continue // test helpers (testenv, e2e, archtest)
		}
		seen++
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			dep := strings.TrimPrefix(imp, mod)
			if dr, ok := rank[dep]; !ok || dr >= r {
				t.Errorf("%s imports %s, which is not an earlier stage (order: %s)", pkg, dep, strings.Join(order, " → "))
			}
		}
	}
	if seen != len(order) {
		t.Errorf("found %d of the %d staged packages; update the order list", seen, len(order))
	}
}
