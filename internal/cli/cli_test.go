package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/output"
	"github.com/deployless/deployless/internal/testenv"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// copyDir copies a fixture project so tests can write into it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	// Named like the source: a project without name: is named after its
	// folder, which must be a valid project name (E38).
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			if rel == ".dist" || rel == "want" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := run(t, "--version"); code != 0 || !strings.Contains(out, Version) {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	if code, _, errOut := run(t, "build", "--no-such-flag"); code != 2 || !strings.Contains(errOut, "no-such-flag") {
		t.Errorf("unknown flag: exit %d, %q", code, errOut)
	}
	if code, _, _ := run(t, "build", "-C", filepath.Join(t.TempDir(), "missing")); code != 2 {
		t.Errorf("missing project folder: exit %d, want 2", code)
	}
	if code, _, errOut := run(t, "validate", "-C", t.TempDir()); code != 1 || !strings.Contains(errOut, "E32") {
		t.Errorf("folder without deployless.yaml: exit %d, %q", code, errOut)
	}
}

func TestBuildInfoCleanOnExample(t *testing.T) {
	dir := copyDir(t, filepath.Join(testenv.RepoRoot(), "examples", "ums-api"))
	code, out, errOut := run(t, "build", "-C", dir, "--verbose")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{
		"Project: ums-api | Stage: dev | Provider: aws",
		"Features found: auth, tenant, user",
		"user: Flask, 5 routes, 1 split",
		"Crons: cleanup_sessions",
		"Built split route: .dist/ExportUsersRouteFunction",
		"Built cron: .dist/CleanupSessionsFunction.zip (",
		"unzipped; layer DepsLayer ",
		"unzipped of Lambda's 262.1 MB; 1 of 5 layers)",
		"Template generated: " + filepath.Join(dir, "template.yaml"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("build --verbose output lacks %q:\n%s", want, out)
		}
	}
	first, err := os.ReadFile(filepath.Join(dir, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zipEntry(filepath.Join(dir, ".dist", "UserFunction.zip"), "app/shared/decorators/__init__.py"); err != nil {
		t.Errorf("shared code not packaged: %v", err)
	}

	// --stage changes the stage everywhere; -o puts the template elsewhere
	// with CodeUri paths relative to it.
	if code, _, errOut := run(t, "build", "-C", dir, "--stage", "prod", "-o", "infra/template.yaml"); code != 0 {
		t.Fatalf("build -o: exit %d\n%s", code, errOut)
	}
	prod, _ := os.ReadFile(filepath.Join(dir, "infra", "template.yaml"))
	for _, want := range []string{"StageName: prod", "APP_STAGE: prod", "CodeUri: ../.dist/UserFunction.zip", "ContentUri: ../.dist/DepsLayer.zip"} {
		if !strings.Contains(string(prod), want) {
			t.Errorf("-o/--stage template lacks %q", want)
		}
	}

	code, out, _ = run(t, "info", "-C", dir)
	for _, want := range []string{"Project  : ums-api", "Runtime  : python3.13", "Features (3):", "user", "cleanup_sessions", "rate(24 hours)", "ExportUsersRouteFunction"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("info lacks %q (exit %d):\n%s", want, code, out)
		}
	}

	// A broken project fails with exit 1 and leaves the previous output alone.
	routes := filepath.Join(dir, "app", "features", "tenant", "routes.py")
	src, _ := os.ReadFile(routes)
	if err := os.WriteFile(routes, append(src, []byte("\npc.configure(memory=1)\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "build", "-C", dir)
	if code != 1 || !strings.Contains(errOut, "app/features/tenant/routes.py:") || !strings.Contains(errOut, "nothing was written") {
		t.Errorf("broken build: exit %d\n%s", code, errOut)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "template.yaml"))
	if !bytes.Equal(first, after) {
		t.Errorf("a failed build changed template.yaml")
	}
	if code, _, _ := run(t, "build", "-C", dir, "--format", "json"); code != 1 {
		t.Errorf("broken build --format json: exit %d", code)
	}

	code, out, _ = run(t, "clean", "-C", dir)
	if _, err := os.Stat(filepath.Join(dir, ".dist")); code != 0 || err == nil {
		t.Errorf("clean: exit %d, .dist still there; %s", code, out)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	dir := copyDir(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "minimal"))
	code, out, errOut := run(t, "build", "-C", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "nothing was written") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	for _, p := range []string{"template.yaml", ".dist"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("--dry-run wrote %s", p)
		}
	}
}

func TestMain(m *testing.M) { os.Exit(testenv.RunWithTempCache(m)) }

func TestParseCache(t *testing.T) {
	proj := copyDir(t, filepath.Join(testenv.RepoRoot(), "examples", "ums-api"))
	cache := t.TempDir()
	t.Setenv("DEPLOYLESS_CACHE_DIR", cache)
	if code, _, errOut := run(t, "build", "-C", proj); code != 0 {
		t.Fatalf("build: %d %s", code, errOut)
	}
	packs, _ := filepath.Glob(filepath.Join(cache, "parse-*.bin"))
	if len(packs) != 1 {
		t.Fatalf("parse cache packs after a build: %v", packs)
	}
	tmpl, _ := os.ReadFile(filepath.Join(proj, "template.yaml"))
	// A clean rebuild from the warm cache gives the same template.
	if code, _, errOut := run(t, "clean", "-C", proj); code != 0 {
		t.Fatalf("clean: %d %s", code, errOut)
	}
	if code, _, errOut := run(t, "build", "-C", proj); code != 0 {
		t.Fatalf("warm build: %d %s", code, errOut)
	}
	if again, _ := os.ReadFile(filepath.Join(proj, "template.yaml")); !bytes.Equal(again, tmpl) {
		t.Error("the warm-cache build wrote another template")
	}
	// A syntax error in a cached file is still reported: its content, and
	// so its key, changed.
	routes := filepath.Join(proj, "app", "features", "tenant", "routes.py")
	src, _ := os.ReadFile(routes)
	if err := os.WriteFile(routes, append(src, []byte("\ndef broken(:\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "build", "-C", proj); code != 1 || !strings.Contains(errOut, "E31") {
		t.Errorf("build with a syntax error: exit %d, stderr %s", code, errOut)
	}

	off := t.TempDir()
	t.Setenv("DEPLOYLESS_CACHE_DIR", "off")
	t.Setenv("XDG_CACHE_HOME", off)
	if code, _, _ := run(t, "validate", "-C", proj); code != 1 {
		t.Errorf("validate: exit %d", code)
	}
	if left, _ := os.ReadDir(off); len(left) != 0 {
		t.Errorf("DEPLOYLESS_CACHE_DIR=off still wrote a cache: %v", left)
	}
}

// While another build holds the project, build --no-wait fails and says why.
func TestBuildNoWait(t *testing.T) {
	dir := copyDir(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "minimal"))
	unlock, err := output.Lock(dir, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, _, errOut := run(t, "build", "-C", dir, "--no-wait")
	if code == 0 || !strings.Contains(errOut, "another deployless build of this project is running") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "template.yaml")); err == nil {
		t.Error("a refused build wrote template.yaml")
	}
}

// TestFrameworkShown: info, build --verbose and debug facts say which
// framework each feature uses, in a project that mixes both.
func TestFrameworkShown(t *testing.T) {
	dir := copyDir(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "fastapi"))
	code, out, errOut := run(t, "info", "-C", dir)
	if code != 0 {
		t.Fatalf("info: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"catalog  (app/features/catalog/routes.py)  FastAPI", "legacy   (app/features/legacy/routes.py)   Flask"} {
		if !strings.Contains(out, want) {
			t.Errorf("info lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = run(t, "build", "-C", dir, "--verbose", "--dry-run")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"catalog: FastAPI, 5 routes, 1 split", "legacy: Flask, 1 routes, 0 split", "orders: FastAPI, 2 routes, 1 split"} {
		if !strings.Contains(out, want) {
			t.Errorf("build --verbose lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = run(t, "debug", "facts", "-C", dir)
	if code != 0 {
		t.Fatalf("debug facts: exit %d\n%s", code, errOut)
	}
	var facts []struct{ Name, Framework string }
	if err := json.Unmarshal([]byte(out), &facts); err != nil {
		t.Fatalf("debug facts: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, f := range facts {
		got[f.Name] = f.Framework
	}
	if got["catalog"] != "fastapi" || got["orders"] != "fastapi" || got["legacy"] != "flask" || len(got) != 3 {
		t.Errorf("debug facts frameworks = %v", got)
	}
}
