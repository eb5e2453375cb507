package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

// outsideFile is a file outside the project whose content must never reach
// the output or a diagnostic.
func outsideFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "outside.txt")
	if err := os.WriteFile(p, []byte("TOP-SECRET-OUTSIDE\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Symbolic links are followed only inside the project: a link out of it
// (to a file or to a folder) fails the build with E32 naming the link, and
// nothing outside the project is read into the output.
func TestSymlinksLeavingTheProject(t *testing.T) {
	for name, link := range map[string]func(t *testing.T, dir string){
		"file in app/shared": func(t *testing.T, dir string) {
			mkdir(t, filepath.Join(dir, "app", "shared"))
			symlink(t, outsideFile(t), filepath.Join(dir, "app", "shared", "leak.py"))
		},
		"app/shared itself": func(t *testing.T, dir string) {
			symlink(t, filepath.Dir(outsideFile(t)), filepath.Join(dir, "app", "shared"))
		},
		"file in the feature": func(t *testing.T, dir string) {
			symlink(t, outsideFile(t), filepath.Join(dir, "app", "features", "hello", "data.txt"))
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir, out, errOut := refusedBuild(t, link)
			if strings.Contains(out+errOut, "TOP-SECRET-OUTSIDE") {
				t.Errorf("the output shows the content of a file outside the project:\n%s", errOut)
			}
			for _, p := range []string{"template.yaml", ".dist"} {
				if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
					t.Errorf("a refused build wrote %s", p)
				}
			}
		})
	}
}

// A link to a file inside the project is packaged as that file.
func TestSymlinkInsideTheProject(t *testing.T) {
	dir := copyDir(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "minimal"))
	if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte("inside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	symlink(t, filepath.Join("..", "..", "..", "README.txt"), filepath.Join(dir, "app", "features", "hello", "readme.txt"))
	if code, out, errOut := run(t, "build", "-C", dir); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	b, err := zipEntry(filepath.Join(dir, ".dist", "HelloFunction.zip"), "app/features/hello/readme.txt")
	if err != nil || string(b) != "inside\n" {
		t.Fatalf("packaged link: %q, %v", b, err)
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, p string) {
	t.Helper()
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
}

// A linked feature folder and a routes.py that is a link loop are E32,
// not features that silently vanish.
func TestLinkedFeatures(t *testing.T) {
	for name, link := range map[string]func(t *testing.T, dir string){
		"linked feature folder": func(t *testing.T, dir string) {
			symlink(t, "hello", filepath.Join(dir, "app", "features", "again"))
		},
		"routes.py link loop": func(t *testing.T, dir string) {
			mkdir(t, filepath.Join(dir, "app", "features", "loop"))
			symlink(t, "routes.py", filepath.Join(dir, "app", "features", "loop", "routes.py"))
		},
	} {
		t.Run(name, func(t *testing.T) { refusedBuild(t, link) })
	}
}

// refusedBuild builds a copy of the minimal project changed by edit and
// checks the build fails with E32; it returns the folder and the output.
func refusedBuild(t *testing.T, edit func(t *testing.T, dir string)) (string, string, string) {
	t.Helper()
	dir := copyDir(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "minimal"))
	edit(t, dir)
	code, out, errOut := run(t, "build", "-C", dir)
	if code != 1 || !strings.Contains(errOut, "E32") {
		t.Fatalf("exit %d, want 1 with E32\n%s%s", code, out, errOut)
	}
	return dir, out, errOut
}
