package output

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/deployless/deployless/internal/artifact"
	"github.com/deployless/deployless/internal/packager"
)

// Under umask 077 the packages must still be readable by Lambda's runtime
// user (files 0644, folders 0755), and a second build must find them up to
// date instead of rewriting everything.
func TestModesIgnoreTheUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	root := t.TempDir()
	pkgs := []packager.Package{{LogicalID: "AFunction", Files: []packager.File{
		{Path: "app/x.py", Data: []byte("x = 1\n"), Mode: 0o644},
		{Path: "run.sh", Data: []byte("#!/bin/sh\n"), Mode: 0o755},
	}}}
	if _, err := writeSet(root, []byte("t"), pkgs); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(filepath.Join(root, DistDir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, _ := os.Stat(p)
		want := fs.FileMode(0o644)
		if d.IsDir() || filepath.Base(p) == "run.sh" {
			want = 0o755
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, st.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(filepath.Join(root, "template.yaml")); st.Mode().Perm() != 0o644 {
		t.Errorf("template mode %v", st.Mode().Perm())
	}
	if written, err := writeSet(root, []byte("t"), pkgs); err != nil || written {
		t.Errorf("second build: written=%v err=%v, want up to date", written, err)
	}
}

// A killed build's temporary files are removed by the next one.
func TestLeftoversAreRemoved(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{".dist.tmp-123/new/AFunction", ".template.yaml.tmp-456"} {
		if err := os.MkdirAll(filepath.Join(root, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := writeSet(root, []byte("t"), nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".dist.tmp-123", ".template.yaml.tmp-456"} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			t.Errorf("%s survived the next build", p)
		}
	}
}

// An artifact whose bytes live in a file on disk is written like one in
// memory, and compared by content on the next build.
func TestSourceArtifact(t *testing.T) {
	root, src := t.TempDir(), filepath.Join(t.TempDir(), "layer.zip")
	if err := os.WriteFile(src, []byte("PK zip bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	set := &artifact.Set{}
	if err := set.Add(artifact.Artifact{Path: ".dist/DepsLayer/layer.zip", Source: src, Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	if written, err := Write(root, set); err != nil || !written {
		t.Fatalf("write: %v %v", written, err)
	}
	b, err := os.ReadFile(filepath.Join(root, ".dist", "DepsLayer", "layer.zip"))
	if err != nil || string(b) != "PK zip bytes" {
		t.Fatalf("written: %q %v", b, err)
	}
	if written, err := Write(root, set); err != nil || written {
		t.Errorf("second write: written=%v err=%v, want up to date", written, err)
	}
}
