// Package testenv locates the Python test tools (cfn-lint, samtranslator,
// uv, moto_server) in the virtualenv made by scripts/testenv.sh. Tests that
// need them skip when it is missing, unless DEPLOYLESS_REQUIRE_TOOLS=1 (set by
// scripts/test.sh and so by CI), where a missing tool is a failure.
package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// RepoRoot is the repository root (the folder holding go.mod).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Venv returns the test virtualenv's folder.
func Venv(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("DEPLOYLESS_TEST_VENV")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), ".venv")
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", "python")); err != nil {
		if os.Getenv("DEPLOYLESS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("test virtualenv %s is missing: run scripts/testenv.sh", dir)
		}
		t.Skipf("test virtualenv %s is missing (run scripts/testenv.sh, or scripts/test.sh)", dir)
	}
	return dir
}

// Tool returns the path of an executable of the test virtualenv.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(Venv(t), "bin", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is not installed in the test virtualenv: rerun scripts/testenv.sh", name)
	}
	return p
}
