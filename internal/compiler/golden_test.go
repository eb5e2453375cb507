package compiler_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/parsecache"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/testenv"
)

var update = flag.Bool("update", os.Getenv("DEPLOYLESS_UPDATE") == "1", "rewrite the golden files under testdata/")

func projectsDir() string { return filepath.Join(testenv.RepoRoot(), "testdata", "projects") }

// fixed env for os.getenv() in fixtures, so goldens do not depend on the
// machine's environment.
func fixtureEnv(name string) (string, bool) {
	env := map[string]string{"DEPLOYLESS_FIXTURE_REGION": "eu-west-1"}
	v, ok := env[name]
	return v, ok
}

func compileFixture(t *testing.T, dir string) (*compiler.Result, diag.List) {
	t.Helper()
	return compileFixtureCached(t, dir, nil)
}

func compileFixtureCached(t *testing.T, dir string, cache *parsecache.Cache) (*compiler.Result, diag.List) {
	t.Helper()
	return compiler.Compile(context.Background(), os.DirFS(dir), compiler.Options{DefaultName: filepath.Base(dir), Getenv: fixtureEnv, ParseCache: cache})
}

// manifest lists every packaged file: path, mode, size and sha256.
func manifest(res *compiler.Result) []byte {
	var b bytes.Buffer
	for _, p := range res.Packages {
		for _, f := range p.Files {
			fmt.Fprintf(&b, "%s/%s %v %d %x\n", p.LogicalID, f.Path, f.Mode, len(f.Data), sha256.Sum256(f.Data))
		}
	}
	return b.Bytes()
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if len(got) == 0 {
			_ = os.Remove(path)
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil && len(got) == 0 {
		return
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the compiler's output (rerun with -update and review the diff):\n--- got ---\n%s", path, got)
	}
}

// TestGolden compiles every project under testdata/projects and compares
// the template, the package manifest and the diagnostics with want/.
func TestGolden(t *testing.T) {
	entries, err := os.ReadDir(projectsDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			dir := filepath.Join(projectsDir(), e.Name())
			res, diags := compileFixture(t, dir)
			var stderr bytes.Buffer
			diag.Text(&stderr, diags, res.Files, false)
			golden(t, filepath.Join(dir, "want", "stderr.txt"), stderr.Bytes())
			golden(t, filepath.Join(dir, "want", "template.yaml"), res.YAML)
			golden(t, filepath.Join(dir, "want", "dist.txt"), manifest(res))

			// The same output from a cold parse cache (filling it) and from
			// the warm cache (decoding every clean file instead of parsing).
			cacheDir := t.TempDir()
			for _, pass := range []string{"cold", "warm"} {
				cache := parsecache.Open(cacheDir, pyfront.GrammarID(), dir)
				cres, cdiags := compileFixtureCached(t, dir, cache)
				var cerr bytes.Buffer
				diag.Text(&cerr, cdiags, cres.Files, false)
				if !bytes.Equal(cerr.Bytes(), stderr.Bytes()) || !bytes.Equal(cres.YAML, res.YAML) || !bytes.Equal(manifest(cres), manifest(res)) {
					t.Errorf("%s parse cache: the output differs from an uncached build", pass)
				}
				hits, puts := cache.Stats()
				if pass == "warm" && (hits == 0 || puts != 0) {
					t.Errorf("warm parse cache: %d hits, %d puts; want only hits", hits, puts)
				}
				if err := cache.Save(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestCfnLint runs cfn-lint on every golden template and on the example's.
func TestCfnLint(t *testing.T) {
	lint := testenv.Tool(t, "cfn-lint")
	templates, _ := filepath.Glob(filepath.Join(projectsDir(), "*", "want", "template.yaml"))
	res, diags := compileFixture(t, filepath.Join(testenv.RepoRoot(), "examples", "ums-api"))
	if diags.HasErrors() {
		t.Fatalf("example does not compile: %v", diags)
	}
	example := filepath.Join(t.TempDir(), "ums-api.yaml")
	if err := os.WriteFile(example, res.YAML, 0o644); err != nil {
		t.Fatal(err)
	}
	templates = append(templates, example)
	if len(templates) < 3 {
		t.Fatalf("expected several templates, found %v", templates)
	}
	for _, tmpl := range templates {
		out, err := exec.Command(lint, "--non-zero-exit-code", "error", "--", tmpl).CombinedOutput()
		if err != nil {
			t.Errorf("cfn-lint %s: %v\n%s", tmpl, err, out)
		}
	}
}

// TestSamTranslate runs the offline samtranslator transform on every golden
// template: SAM must accept what we emit, not only the linter.
func TestSamTranslate(t *testing.T) {
	py := testenv.Tool(t, "python")
	templates, _ := filepath.Glob(filepath.Join(projectsDir(), "*", "want", "template.yaml"))
	script := filepath.Join(testenv.RepoRoot(), "internal", "compiler", "testdata", "sam_translate.py")
	for _, tmpl := range templates {
		out, err := exec.Command(py, script, tmpl).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "AWS::Lambda::Function") {
			t.Errorf("samtranslator %s: %v\n%s", tmpl, err, out)
		}
	}
}
