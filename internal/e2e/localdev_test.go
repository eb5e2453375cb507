package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/cli"
	"github.com/deployless/deployless/internal/testenv"
)

// TestLocalDevelopment is the README's local-development step on
// examples/notes-app: a fresh virtualenv with the app's requirements, the
// wheel `deployless python-sdk` writes and pytest; the example's own tests
// pass with pytest, and mypy checks every module of its features without
// an error (about deployless or anything else).
func TestLocalDevelopment(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds a virtualenv and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	mypy := testenv.Tool(t, "mypy")
	var out, errb bytes.Buffer
	if code := cli.Main([]string{"python-sdk", "--out", t.TempDir()}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("python-sdk: exit %d\n%s", code, errb.String())
	}
	wheel := strings.TrimSpace(out.String())
	src := filepath.Join(testenv.RepoRoot(), "examples", "notes-app")
	dir := t.TempDir()
	copyProject(t, src, dir)
	python := projectVenv(t, dir, wheel, "pytest==9.2.0")

	if out, code := sdkRun(t, dir, python, "-m", "pytest", "-q", "-p", "no:cacheprovider"); code != 0 {
		t.Errorf("pytest in the example: exit %d\n%s", code, out)
	} else if !strings.Contains(out, "4 passed") {
		t.Errorf("pytest ran other than the example's 4 tests:\n%s", out)
	}

	modules, err := filepath.Glob(filepath.Join(dir, "app", "features", "*", "*.py"))
	if err != nil || len(modules) < 5 {
		t.Fatalf("feature modules: %v (%v)", modules, err)
	}
	for i, m := range modules {
		modules[i], _ = filepath.Rel(dir, m)
	}
	args := append([]string{"--python-executable", python, "--cache-dir", t.TempDir(), "--follow-imports=silent", "--no-error-summary"}, modules...)
	if out, code := sdkRun(t, dir, mypy, args...); code != 0 {
		t.Errorf("mypy on the example's feature modules: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "app", "features", "notes", "tasks.py")); err != nil {
		t.Fatal(err)
	}
}
