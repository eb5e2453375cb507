package e2e

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// distFile is one file of a written .dist tree.
type distFile struct {
	mode fs.FileMode
	data []byte
}

// readTree reads every entry under root, keyed by its slash path relative to
// root. Directories are recorded too (with their mode and no data) so an
// extra empty folder is a difference.
func readTree(t *testing.T, root string) map[string]distFile {
	t.Helper()
	out := map[string]distFile{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		f := distFile{mode: info.Mode()}
		if info.Mode().IsRegular() {
			if f.data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		out[filepath.ToSlash(rel)] = f
		return nil
	})
	if err != nil {
		t.Fatalf("read %s: %v", root, err)
	}
	return out
}

// TestReproducibleBuild builds the example twice, in two different folders,
// and requires byte-identical output: template.yaml and every file of .dist
// (path, mode and content). Nothing may depend on the project's absolute
// path, the clock, map order or the environment.
func TestReproducibleBuild(t *testing.T) {
	dirA, _ := buildExample(t)
	dirB, _ := buildExample(t)
	if dirA == dirB {
		t.Fatal("the two builds share a folder")
	}

	tmplA, err := os.ReadFile(filepath.Join(dirA, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tmplB, err := os.ReadFile(filepath.Join(dirB, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tmplA, tmplB) {
		t.Errorf("template.yaml differs between builds in %s and %s:\n%s", dirA, dirB, firstDiff(tmplA, tmplB))
	}

	a := readTree(t, filepath.Join(dirA, ".dist"))
	b := readTree(t, filepath.Join(dirB, ".dist"))
	if len(a) == 0 {
		t.Fatalf("%s/.dist is empty", dirA)
	}
	paths := map[string]bool{}
	for p := range a {
		paths[p] = true
	}
	for p := range b {
		paths[p] = true
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	files := 0
	for _, p := range sorted {
		fa, inA := a[p]
		fb, inB := b[p]
		switch {
		case !inA:
			t.Errorf(".dist/%s is only in the second build", p)
		case !inB:
			t.Errorf(".dist/%s is only in the first build", p)
		case fa.mode != fb.mode:
			t.Errorf(".dist/%s: mode %v in the first build, %v in the second", p, fa.mode, fb.mode)
		case !bytes.Equal(fa.data, fb.data):
			t.Errorf(".dist/%s: content differs (sha256 %x vs %x):\n%s", p, sha256.Sum256(fa.data), sha256.Sum256(fb.data), firstDiff(fa.data, fb.data))
		}
		if inA && fa.mode.IsRegular() {
			files++
		}
	}
	t.Logf("template.yaml (%d bytes) and %d .dist files are identical", len(tmplA), files)
}

// firstDiff describes where two byte slices first differ, with some context.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(i-80, 0)
	return fmt.Sprintf("first difference at byte %d:\n  first:  %q\n  second: %q", i, a[lo:min(i+80, len(a))], b[lo:min(i+80, len(b))])
}
