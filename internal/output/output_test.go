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

func TestWriteReplacesOnlyChangedPackages(t *testing.T) {
	root := t.TempDir()
	pkg := func(id, body string) packager.Package {
		return packager.Package{LogicalID: id, Files: []packager.File{{Path: "bootstrap.py", Data: []byte(body), Mode: 0o644}}}
	}
	pkgs := []packager.Package{pkg("AFunction", "a1"), pkg("BFunction", "b1"), pkg("CFunction", "c1")}
	if _, err := Write(root, "template.yaml", []byte("t1"), pkgs); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for _, id := range []string{"AFunction", "BFunction"} {
		if err := os.Chtimes(filepath.Join(root, DistDir, id, "bootstrap.py"), old, old); err != nil {
			t.Fatal(err)
		}
	}
	// B changes, C disappears, D appears; A is untouched.
	pkgs = []packager.Package{pkg("AFunction", "a1"), pkg("BFunction", "b2"), pkg("DFunction", "d1")}
	if written, err := Write(root, "template.yaml", []byte("t2"), pkgs); err != nil || !written {
		t.Fatalf("write: %v %v", written, err)
	}
	if st, _ := os.Stat(filepath.Join(root, DistDir, "AFunction", "bootstrap.py")); !st.ModTime().Equal(old) {
		t.Error("the unchanged package was rewritten")
	}
	for path, want := range map[string]string{"BFunction/bootstrap.py": "b2", "DFunction/bootstrap.py": "d1"} {
		if b, _ := os.ReadFile(filepath.Join(root, DistDir, path)); string(b) != want {
			t.Errorf("%s = %q, want %q", path, b, want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, DistDir, "CFunction")); err == nil {
		t.Error("the removed function's package is still there")
	}
	if b, _ := os.ReadFile(filepath.Join(root, "template.yaml")); string(b) != "t2" {
		t.Errorf("template = %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(root, ".dist.tmp-*")); len(left) > 0 {
		t.Errorf("temporary folders left behind: %v", left)
	}
}

func TestWriteLinksRepeatedBodies(t *testing.T) {
	root := t.TempDir()
	big := make([]byte, 10000) // matched by backing array
	for i := range big {
		big[i] = byte('a' + i%26)
	}
	pkg := func(id, boot string) packager.Package {
		return packager.Package{LogicalID: id, Files: []packager.File{
			{Path: "app/__init__.py", Mode: 0o644},
			{Path: "app/shared/big.py", Data: big, Mode: 0o644},
			{Path: "bootstrap.py", Data: []byte(boot), Mode: 0o644},
			{Path: "run.sh", Data: []byte(boot), Mode: 0o755},
		}}
	}
	pkgs := []packager.Package{pkg("AFunction", "a"), pkg("BFunction", "b"), pkg("CFunction", "a")}
	if _, err := Write(root, "template.yaml", []byte("t"), pkgs); err != nil {
		t.Fatal(err)
	}
	same := func(a, b string) bool {
		sa, errA := os.Stat(filepath.Join(root, DistDir, a))
		sb, errB := os.Stat(filepath.Join(root, DistDir, b))
		if errA != nil || errB != nil {
			t.Fatalf("stat: %v %v", errA, errB)
		}
		return os.SameFile(sa, sb)
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"AFunction/app/__init__.py", "BFunction/app/__init__.py", true},
		{"AFunction/app/shared/big.py", "CFunction/app/shared/big.py", true},
		{"AFunction/bootstrap.py", "CFunction/bootstrap.py", true},
		{"AFunction/bootstrap.py", "BFunction/bootstrap.py", false}, // different bytes
		{"AFunction/bootstrap.py", "AFunction/run.sh", false},       // same bytes, different mode
	} {
		if got := same(c.a, c.b); got != c.want {
			t.Errorf("%s and %s share an inode: %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if st, _ := os.Stat(filepath.Join(root, DistDir, "CFunction", "run.sh")); st.Mode().Perm() != 0o755 {
		t.Errorf("run.sh mode = %v", st.Mode())
	}
	// Replacing A must not change C, which shared A's bodies.
	pkgs[0] = pkg("AFunction", "a2")
	if _, err := Write(root, "template.yaml", []byte("t"), pkgs); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"AFunction/bootstrap.py": "a2", "CFunction/bootstrap.py": "a"} {
		if b, _ := os.ReadFile(filepath.Join(root, DistDir, path)); string(b) != want {
			t.Errorf("%s = %q, want %q", path, b, want)
		}
	}
}
