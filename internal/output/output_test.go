package output

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/packager"
)

func TestWriteSkipsWhenUpToDateAndReplacesOtherwise(t *testing.T) {
	root := t.TempDir()
	pkgs := []packager.Package{{LogicalID: "AFunction", Files: []packager.File{
		{Path: "bootstrap.py", Data: []byte("x = 1\n"), Mode: 0o644},
		{Path: "app/shared/util.py", Data: []byte("y = 2\n"), Mode: 0o644},
	}}}
	tmpl := []byte("Resources: {}\n")
	if written, err := Write(root, "template.yaml", tmpl, pkgs); err != nil || !written {
		t.Fatalf("first write: %v %v", written, err)
	}
	boot := filepath.Join(root, DistDir, "AFunction", "bootstrap.py")
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(boot, old, old); err != nil {
		t.Fatal(err)
	}
	if written, err := Write(root, "template.yaml", tmpl, pkgs); err != nil || written {
		t.Fatalf("no-op write: written=%v err=%v, want nothing rewritten", written, err)
	}
	if st, _ := os.Stat(boot); !st.ModTime().Equal(old) {
		t.Errorf("a no-op build touched %s", boot)
	}
	// A stray file in .dist, or changed bytes, make it rewrite everything.
	stray := filepath.Join(root, DistDir, "AFunction", "stray.py")
	if err := os.WriteFile(stray, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if written, err := Write(root, "template.yaml", tmpl, pkgs); err != nil || !written {
		t.Fatalf("write over a stray file: %v %v", written, err)
	}
	if _, err := os.Stat(stray); err == nil {
		t.Error("the stray file survived a rebuild")
	}
	pkgs[0].Files[0].Data = []byte("x = 3\n")
	if written, _ := Write(root, "template.yaml", tmpl, pkgs); !written {
		t.Error("changed bytes were not rewritten")
	}
	if b, _ := os.ReadFile(boot); string(b) != "x = 3\n" {
		t.Errorf("bootstrap.py = %q", b)
	}
}
