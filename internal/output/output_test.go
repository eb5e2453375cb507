package output

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/artifact"
	"github.com/deployless/deployless/internal/packager"
)

// pkg is a test package: its logical ID and files.
type pkg struct {
	id    string
	files []artifact.Artifact // paths relative to the package
}

// set is the artifact set of a template (at template.yaml) and packages.
func set(t *testing.T, tmpl string, pkgs ...pkg) *artifact.Set {
	t.Helper()
	s := &artifact.Set{}
	if err := s.Add(artifact.Artifact{Path: "template.yaml", Data: []byte(tmpl), Mode: 0o644}); err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		for _, f := range p.files {
			f.Path = path.Join(DistDir, p.id, f.Path)
			if err := s.Add(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

// writeSet writes a template and packages as the compiler lays them out.
func writeSet(root string, tmpl []byte, pkgs []packager.Package) (bool, error) {
	s := &artifact.Set{}
	if err := s.Add(artifact.Artifact{Path: "template.yaml", Data: tmpl, Mode: 0o644}); err != nil {
		return false, err
	}
	for _, p := range pkgs {
		for _, f := range p.Files {
			if err := s.Add(artifact.Artifact{Path: path.Join(DistDir, p.LogicalID, f.Path), Data: f.Data, Mode: f.Mode}); err != nil {
				return false, err
			}
		}
	}
	return Write(root, s)
}

func file(p, body string) artifact.Artifact {
	return artifact.Artifact{Path: p, Data: []byte(body), Mode: 0o644}
}

func TestWriteSkipsWhenUpToDateAndReplacesOtherwise(t *testing.T) {
	root := t.TempDir()
	files := []artifact.Artifact{file("bootstrap.py", "x = 1\n"), file("app/shared/util.py", "y = 2\n")}
	a := func() *artifact.Set { return set(t, "Resources: {}\n", pkg{"AFunction", files}) }
	if written, err := Write(root, a()); err != nil || !written {
		t.Fatalf("first write: %v %v", written, err)
	}
	boot := filepath.Join(root, DistDir, "AFunction", "bootstrap.py")
	tmpl := filepath.Join(root, "template.yaml")
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{boot, tmpl} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if written, err := Write(root, a()); err != nil || written {
		t.Fatalf("no-op write: written=%v err=%v, want nothing rewritten", written, err)
	}
	for _, p := range []string{boot, tmpl} {
		if st, _ := os.Stat(p); !st.ModTime().Equal(old) {
			t.Errorf("a no-op build touched %s", p)
		}
	}
	// A stray file in .dist, or changed bytes, make it rewrite the package.
	stray := filepath.Join(root, DistDir, "AFunction", "stray.py")
	if err := os.WriteFile(stray, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if written, err := Write(root, a()); err != nil || !written {
		t.Fatalf("write over a stray file: %v %v", written, err)
	}
	if _, err := os.Stat(stray); err == nil {
		t.Error("the stray file survived a rebuild")
	}
	if st, _ := os.Stat(tmpl); !st.ModTime().Equal(old) {
		t.Error("the unchanged template was rewritten with a package")
	}
	files[0].Data = []byte("x = 3\n")
	if written, _ := Write(root, a()); !written {
		t.Error("changed bytes were not rewritten")
	}
	if b, _ := os.ReadFile(boot); string(b) != "x = 3\n" {
		t.Errorf("bootstrap.py = %q", b)
	}
	// A changed mode is a change too.
	files[0].Mode = 0o755
	if written, _ := Write(root, a()); !written {
		t.Error("a changed mode was not rewritten")
	}
	if st, _ := os.Stat(boot); st.Mode().Perm() != 0o755 {
		t.Errorf("bootstrap.py mode = %v", st.Mode())
	}
}

func TestWriteReplacesOnlyChangedPackages(t *testing.T) {
	root := t.TempDir()
	p := func(id, body string) pkg { return pkg{id, []artifact.Artifact{file("bootstrap.py", body)}} }
	if _, err := Write(root, set(t, "t1", p("AFunction", "a1"), p("BFunction", "b1"), p("CFunction", "c1"))); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for _, id := range []string{"AFunction", "BFunction"} {
		if err := os.Chtimes(filepath.Join(root, DistDir, id, "bootstrap.py"), old, old); err != nil {
			t.Fatal(err)
		}
	}
	// B changes, C disappears, D appears; A is untouched.
	if written, err := Write(root, set(t, "t2", p("AFunction", "a1"), p("BFunction", "b2"), p("DFunction", "d1"))); err != nil || !written {
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
	noTemporaries(t, root)
}

// noTemporaries fails if a temporary folder or file is left in root.
func noTemporaries(t *testing.T, root string) {
	t.Helper()
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary output left behind: %s", e.Name())
		}
	}
}

func TestWriteLinksIdenticalBodiesOnly(t *testing.T) {
	root := t.TempDir()
	// Every body is built afresh per package: a link must come from the
	// content, not from sharing a slice.
	big := func(c byte) []byte {
		b := make([]byte, 10000)
		for i := range b {
			b[i] = 'a' + byte(i%26)
		}
		b[len(b)-1] = c
		return b
	}
	p := func(id, boot string, last byte) pkg {
		return pkg{id, []artifact.Artifact{
			{Path: "app/__init__.py", Mode: 0o644},
			{Path: "app/shared/big.py", Data: big(last), Mode: 0o644},
			{Path: "bootstrap.py", Data: []byte(boot), Mode: 0o644},
			{Path: "run.sh", Data: []byte(boot), Mode: 0o755},
			{Path: "big.sh", Data: big(last), Mode: 0o755},
		}}
	}
	pkgs := []pkg{p("AFunction", "a", 'x'), p("BFunction", "b", 'y'), p("CFunction", "a", 'x')}
	if _, err := Write(root, set(t, "t", pkgs...)); err != nil {
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
		{"AFunction/app/shared/big.py", "CFunction/app/shared/big.py", true}, // big, separate slices
		{"AFunction/bootstrap.py", "CFunction/bootstrap.py", true},           // small, separate slices
		{"AFunction/big.sh", "CFunction/big.sh", true},
		{"AFunction/app/shared/big.py", "BFunction/app/shared/big.py", false}, // same length, one byte differs
		{"AFunction/bootstrap.py", "BFunction/bootstrap.py", false},           // different bytes
		{"AFunction/bootstrap.py", "AFunction/run.sh", false},                 // same bytes, different mode
		{"AFunction/app/shared/big.py", "AFunction/big.sh", false},            // same bytes, different mode
	} {
		if got := same(c.a, c.b); got != c.want {
			t.Errorf("%s and %s share an inode: %v, want %v", c.a, c.b, got, c.want)
		}
	}
	for p, mode := range map[string]fs.FileMode{"CFunction/run.sh": 0o755, "CFunction/big.sh": 0o755, "CFunction/bootstrap.py": 0o644} {
		if st, _ := os.Stat(filepath.Join(root, DistDir, p)); st.Mode().Perm() != mode {
			t.Errorf("%s mode = %v, want %v", p, st.Mode(), mode)
		}
	}
	// Replacing A must not change C, which shared A's bodies.
	pkgs[0] = p("AFunction", "a2", 'z')
	if _, err := Write(root, set(t, "t", pkgs...)); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"AFunction/bootstrap.py": "a2", "CFunction/bootstrap.py": "a"} {
		if b, _ := os.ReadFile(filepath.Join(root, DistDir, path)); string(b) != want {
			t.Errorf("%s = %q, want %q", path, b, want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(root, DistDir, "CFunction/app/shared/big.py")); !bytes.Equal(b, big('x')) {
		t.Error("replacing a package changed another's linked file")
	}
}

func TestWriteSourceArtifacts(t *testing.T) {
	root := t.TempDir()
	cache := filepath.Join(root, "cache") // same file system as the output
	if err := os.Mkdir(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	src := func(name, body string, mode fs.FileMode) string {
		p := filepath.Join(cache, name)
		// Replaced by rename, never edited in place (artifact.Source's rule).
		if err := os.WriteFile(p+".new", []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p+".new", mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(p+".new", p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	layer := src("layer.zip", "PK zip bytes", 0o644)
	exe := src("tool", "#!/bin/sh\n", 0o755) // linked only where the mode is the artifact's
	s := func() *artifact.Set {
		return set(t, "t", pkg{"AFunction", []artifact.Artifact{
			{Path: "layer.zip", Source: layer, Mode: 0o644},
			{Path: "tool", Source: exe, Mode: 0o644},
		}}, pkg{"BFunction", []artifact.Artifact{{Path: "layer.zip", Source: layer, Mode: 0o644}, file("copy.zip", "PK zip bytes")}})
	}
	withOther := func(set *artifact.Set) *artifact.Set {
		if err := set.Add(artifact.Artifact{Path: "infra/layer.zip", Source: layer, Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
		return set
	}
	if _, err := Write(root, withOther(s())); err != nil {
		t.Fatal(err)
	}
	stat := func(p string) fs.FileInfo {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	out := func(p string) string { return filepath.Join(root, DistDir, p) }
	for _, p := range []string{out("AFunction/layer.zip"), out("BFunction/layer.zip"), out("BFunction/copy.zip"), filepath.Join(root, "infra/layer.zip")} {
		if b, _ := os.ReadFile(p); string(b) != "PK zip bytes" {
			t.Errorf("%s = %q", p, b)
		}
		if !os.SameFile(stat(p), stat(layer)) {
			t.Errorf("%s is not a link to the source file", p)
		}
	}
	if st := stat(out("AFunction/tool")); os.SameFile(st, stat(exe)) || st.Mode().Perm() != 0o644 {
		t.Errorf("tool: linked to a source of another mode, or mode %v", st.Mode())
	}
	if b, _ := os.ReadFile(out("AFunction/tool")); string(b) != "#!/bin/sh\n" {
		t.Errorf("tool = %q", b)
	}
	if written, err := Write(root, withOther(s())); err != nil || written {
		t.Fatalf("no-op write with source artifacts: %v %v", written, err)
	}
	// A new source file with other bytes is a change.
	src("layer.zip", "PK other bytes", 0o644)
	if written, err := Write(root, withOther(s())); err != nil || !written {
		t.Fatalf("write after the source changed: %v %v", written, err)
	}
	for _, p := range []string{out("BFunction/layer.zip"), filepath.Join(root, "infra/layer.zip")} {
		if b, _ := os.ReadFile(p); string(b) != "PK other bytes" {
			t.Errorf("%s = %q", p, b)
		}
	}
	if b, _ := os.ReadFile(out("BFunction/copy.zip")); string(b) != "PK zip bytes" {
		t.Errorf("copy.zip changed with the source it was linked to: %q", b)
	}
	noTemporaries(t, root)
}

func TestWriteCopiesSourceAcrossFileSystems(t *testing.T) {
	// /dev/shm is usually tmpfs while t.TempDir() is not; skip otherwise.
	var a, b syscall.Statfs_t
	root := t.TempDir()
	if syscall.Statfs("/dev/shm", &a) != nil || syscall.Statfs(root, &b) != nil || a.Fsid == b.Fsid {
		t.Skip("no second file system at hand")
	}
	dir, err := os.MkdirTemp("/dev/shm", "deployless-test-")
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	layer := filepath.Join(dir, "layer.zip")
	if err := os.WriteFile(layer, []byte("zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(root, set(t, "t", pkg{"AFunction", []artifact.Artifact{{Path: "layer.zip", Source: layer, Mode: 0o644}}})); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, DistDir, "AFunction/layer.zip")); string(b) != "zip" {
		t.Errorf("layer.zip = %q", b)
	}
}

func TestWriteSeveralFiles(t *testing.T) {
	root := filepath.Join(t.TempDir(), "project")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	s := set(t, "main", pkg{"AFunction", []artifact.Artifact{file("bootstrap.py", "a")}})
	for _, a := range []artifact.Artifact{file("stacks/api.yaml", "api"), file("../infra/template.yaml", "outside")} {
		if err := s.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Write(root, s); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"template.yaml": "main", "stacks/api.yaml": "api", "../infra/template.yaml": "outside"} {
		if b, _ := os.ReadFile(filepath.Join(root, p)); string(b) != want {
			t.Errorf("%s = %q, want %q", p, b, want)
		}
	}
	if written, err := Write(root, s); err != nil || written {
		t.Errorf("no-op write: %v %v", written, err)
	}
}

func TestWriteFailureLeavesPreviousOutput(t *testing.T) {
	root := t.TempDir()
	first := set(t, "t1", pkg{"AFunction", []artifact.Artifact{file("bootstrap.py", "a1")}})
	if _, err := Write(root, first); err != nil {
		t.Fatal(err)
	}
	// The second file's folder is a file: nothing may change.
	if err := os.WriteFile(filepath.Join(root, "stacks"), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := set(t, "t2", pkg{"AFunction", []artifact.Artifact{file("bootstrap.py", "a2")}}, pkg{"BFunction", []artifact.Artifact{file("bootstrap.py", "b")}})
	if err := s.Add(file("stacks/api.yaml", "api")); err != nil {
		t.Fatal(err)
	}
	if written, err := Write(root, s); err == nil || written {
		t.Fatalf("write into a file's folder: %v %v, want an error", written, err)
	}
	for p, want := range map[string]string{"template.yaml": "t1", DistDir + "/AFunction/bootstrap.py": "a1"} {
		if b, _ := os.ReadFile(filepath.Join(root, p)); string(b) != want {
			t.Errorf("%s = %q after a failed write, want %q", p, b, want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, DistDir, "BFunction")); err == nil {
		t.Error("a failed write added a package")
	}
	noTemporaries(t, root)
	if _, err := Write(root, nil); err == nil {
		t.Error("Write(nil) did not fail (it would remove every package)")
	}
}

func TestWriteFailedRenameRestoresEverything(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		root := filepath.Join(t.TempDir(), "project")
		if err := os.Mkdir(root, 0o755); err != nil {
			t.Fatal(err)
		}
		first := set(t, "t1", pkg{"AFunction", []artifact.Artifact{file("bootstrap.py", "a1")}}, pkg{"CFunction", []artifact.Artifact{file("bootstrap.py", "c")}})
		if _, err := Write(root, first); err != nil {
			t.Fatal(err)
		}
		if fresh {
			os.RemoveAll(filepath.Join(root, DistDir))
		}
		// A changes, B appears, C goes, both files change: the last rename fails.
		s := set(t, "t2", pkg{"AFunction", []artifact.Artifact{file("bootstrap.py", "a2")}}, pkg{"BFunction", []artifact.Artifact{file("bootstrap.py", "b")}})
		if err := s.Add(file("stacks/api.yaml", "api")); err != nil {
			t.Fatal(err)
		}
		last := filepath.Join(root, "template.yaml") // files are renamed in path order, after the packages
		rename = func(from, to string) error {
			if to == last {
				return &os.LinkError{Op: "rename", Old: from, New: to, Err: syscall.EIO}
			}
			return os.Rename(from, to)
		}
		written, err := Write(root, s)
		rename = os.Rename
		if err == nil || written {
			t.Fatalf("fresh=%v: write with a failing rename: %v %v, want an error", fresh, written, err)
		}
		want := map[string]string{"template.yaml": "t1", DistDir + "/AFunction/bootstrap.py": "a1", DistDir + "/CFunction/bootstrap.py": "c"}
		if fresh {
			want = map[string]string{"template.yaml": "t1"}
		}
		for p, w := range want {
			if b, _ := os.ReadFile(filepath.Join(root, p)); string(b) != w {
				t.Errorf("fresh=%v: %s = %q after a failed write, want %q", fresh, p, b, w)
			}
		}
		for _, p := range []string{"stacks/api.yaml", DistDir + "/BFunction"} {
			if _, err := os.Stat(filepath.Join(root, p)); err == nil {
				t.Errorf("fresh=%v: a failed write left %s", fresh, p)
			}
		}
		if _, err := os.Stat(filepath.Join(root, DistDir)); fresh && err == nil {
			t.Errorf("a failed first build left %s", DistDir)
		}
		noTemporaries(t, root)
		noTemporaries(t, filepath.Join(root, "stacks"))
	}
}

// Zips are units that are files of .dist: compared, kept (mtime and
// inode), replaced and removed like package folders, and a folder of an
// older build's layout is replaced by its zip.
func TestWriteFileUnits(t *testing.T) {
	root := t.TempDir()
	zips := func(a, src string) *artifact.Set {
		s := &artifact.Set{}
		for _, f := range []artifact.Artifact{file("template.yaml", "t"), file(".dist/AFunction.zip", a), file(".dist/BFunction.zip", "b")} {
			if err := s.Add(f); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Add(artifact.Artifact{Path: ".dist/DepsLayer.zip", Source: src, Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	cache := filepath.Join(t.TempDir(), "layer.zip")
	if err := os.WriteFile(cache, []byte("layer1"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An older build's folder layout is there first.
	if _, err := Write(root, set(t, "t", pkg{"AFunction", []artifact.Artifact{file("bootstrap.py", "x")}})); err != nil {
		t.Fatal(err)
	}
	if written, err := Write(root, zips("a1", cache)); err != nil || !written {
		t.Fatalf("first zip write: %v %v", written, err)
	}
	a := filepath.Join(root, DistDir, "AFunction.zip")
	if st, err := os.Stat(a); err != nil || !st.Mode().IsRegular() {
		t.Fatalf(".dist/AFunction.zip: %v %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(root, DistDir, "AFunction")); err == nil {
		t.Error("the older build's folder is still there")
	}
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{"AFunction.zip", "BFunction.zip", "DepsLayer.zip"} {
		if err := os.Chtimes(filepath.Join(root, DistDir, p), old, old); err != nil {
			t.Fatal(err)
		}
	}
	if written, err := Write(root, zips("a1", cache)); err != nil || written {
		t.Fatalf("no-op zip write: %v %v", written, err)
	}
	if written, err := Write(root, zips("a2", cache)); err != nil || !written {
		t.Fatalf("changed zip: %v %v", written, err)
	}
	for p, want := range map[string]bool{"AFunction.zip": true, "BFunction.zip": false, "DepsLayer.zip": false} {
		st, err := os.Stat(filepath.Join(root, DistDir, p))
		if err != nil {
			t.Fatal(err)
		}
		if changed := !st.ModTime().Equal(old); changed != want {
			t.Errorf("%s rewritten = %v, want %v", p, changed, want)
		}
	}
	if b, _ := os.ReadFile(a); string(b) != "a2" {
		t.Errorf("AFunction.zip = %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(root, DistDir, "DepsLayer.zip")); string(b) != "layer1" {
		t.Errorf("DepsLayer.zip = %q", b)
	}
	noTemporaries(t, root)
}
