package e2e

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/output"
	"github.com/deployless/deployless/internal/testenv"
)

// exampleDir is the example project the end-to-end tests build.
func exampleDir() string { return filepath.Join(testenv.RepoRoot(), "examples", "ums-api") }

// noEnv makes os.getenv() in routes.py resolve to its default at build time,
// so the build does not depend on the machine's environment.
func noEnv(string) (string, bool) { return "", false }

// copyProject copies the project's sources from src to dst, leaving out build
// output (.dist, template.yaml) and Python caches a local run may have left.
func copyProject(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(name, ".dist") || name == "__pycache__" || name == ".venv") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if rel == "template.yaml" || strings.HasSuffix(name, ".pyc") || !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// buildExample copies examples/ums-api into a fresh temporary folder,
// compiles it in process and writes template.yaml and .dist/ there, like
// `deployless build`. It returns the project folder and the result.
func buildExample(t *testing.T) (string, *compiler.Result) {
	t.Helper()
	return buildProject(t, exampleDir())
}

// buildProject copies a project to a temp dir and builds it there as
// `deployless build` does: compiled in process with packaging (dependency
// layers installed by the test venv's uv, bytecode compiled by the
// runtime's interpreter), template.yaml and the .dist/ zips written.
func buildProject(t *testing.T, src string, prepare ...func(dir string)) (string, *compiler.Result) {
	t.Helper()
	dir := t.TempDir()
	copyProject(t, src, dir)
	for _, p := range prepare {
		p(dir)
	}
	pk, checkPython := packaging(t)
	res, diags := compiler.Compile(context.Background(), os.DirFS(dir), compiler.Options{DefaultName: filepath.Base(src), Getenv: noEnv,
		Packaging: pk, ProjectDir: dir})
	checkPython()
	if diags.HasErrors() {
		var b strings.Builder
		for _, d := range diags.Sorted() {
			b.WriteString(d.String())
			b.WriteByte('\n')
		}
		t.Fatalf("compiling %s failed:\n%s", src, b.String())
	}
	if len(res.YAML) == 0 || len(res.Packages) == 0 {
		t.Fatalf("compiling %s produced no template or no packages", src)
	}
	if _, err := output.Write(dir, res.Artifacts); err != nil {
		t.Fatalf("writing the build output: %v", err)
	}
	return dir, res
}
