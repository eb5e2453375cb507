package cli

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

// Two builds of one project at once (an editor's build on save and a
// terminal) must leave one whole, correct output, and each must say what
// it did: the lock makes the second find the first's output up to date.
func TestConcurrentBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 20 × 3 builds of a 200-feature project")
	}
	dir := filepath.Join(t.TempDir(), "bench")
	for p, f := range testenv.GeneratedProject(200) {
		write(t, filepath.Join(dir, p), f.Data)
	}
	version := filepath.Join(dir, "app", "shared", "version.py")
	for i := 0; i < 20; i++ {
		old, new := []byte("V = "+strconv.Itoa(2*i)+"\n"), []byte("V = "+strconv.Itoa(2*i+1)+"\n")
		write(t, version, old)
		if code, _, errOut := run(t, "build", "-C", dir); code != 0 {
			t.Fatalf("build: %s", errOut)
		}
		write(t, version, new)
		var wg sync.WaitGroup
		outs := make([]string, 2)
		for b := range outs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, out, errOut := run(t, "build", "-C", dir, "--verbose")
				if code != 0 {
					t.Errorf("concurrent build: exit %d\n%s", code, errOut)
				}
				outs[b] = out
			}()
		}
		wg.Wait()
		upToDate := 0
		for _, out := range outs {
			if strings.Contains(out, "nothing rewritten") {
				upToDate++
			}
		}
		if upToDate != 1 {
			t.Fatalf("iteration %d: %d of 2 builds said the output was up to date, want exactly 1", i, upToDate)
		}
		checkWhole(t, dir, new)
	}
}

// checkWhole checks that every package holds the new shared file and that
// no temporary output is left beside it.
func checkWhole(t *testing.T, dir string, version []byte) {
	t.Helper()
	pkgs, err := filepath.Glob(filepath.Join(dir, ".dist", "*Function.zip"))
	if err != nil || len(pkgs) != 600 {
		t.Fatalf(".dist holds %d packages (%v), want 600", len(pkgs), err)
	}
	for _, p := range pkgs {
		b, err := zipEntry(p, "app/shared/version.py")
		if err != nil || !bytes.Equal(b, version) {
			t.Fatalf("package %s holds %q (%v), want %q: a mix of two builds", filepath.Base(p), b, err, version)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary output left behind: %s", e.Name())
		}
	}
}

func write(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// zipEntry returns the bytes of one file of a zip.
func zipEntry(zipPath, name string) ([]byte, error) {
	r, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	f, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
