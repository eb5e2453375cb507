//go:build unix

package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/testenv"
)

// TestReproducibleBuild builds examples/ums-api twice with the real binary,
// as differently as two machines would: two folders of different names and
// depths, sources with different mtimes and modes, umask 022 and 077,
// different time zones, and each build with its own empty cache folder
// (DEPLOYLESS_CACHE_DIR), so both install the dependency layer with uv and
// compile all bytecode with the runtime's Python. template.yaml and every
// .dist/*.zip must be byte-identical (sha256), and both builds' zips must
// carry bytecode.
func TestReproducibleBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds layers with uv and bytecode with Python; skipped with -short")
	}
	testenv.Venv(t)
	bin := buildBinary(t)
	src := exampleDir()
	runtime := projectRuntime(t, src)

	type build struct {
		name, dir, cache string
		mtime            time.Time
		umask            string
		private          bool // sources 0600/0700, as copied under umask 077
		tz               string
	}
	builds := []*build{
		{name: "first", dir: filepath.Join(t.TempDir(), "ums-api"), mtime: time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC), umask: "022", tz: "UTC"},
		{name: "second", dir: filepath.Join(t.TempDir(), "deeper", "folder", "copy-of-ums"), mtime: time.Now().Add(36 * time.Hour).Truncate(time.Second),
			umask: "077", private: true, tz: "Pacific/Auckland"},
	}
	for _, b := range builds {
		b.cache = t.TempDir()
		copyProject(t, src, b.dir)
		err := filepath.WalkDir(b.dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if b.private {
				mode := fs.FileMode(0o600)
				if d.IsDir() {
					mode = 0o700
				}
				if err := os.Chmod(p, mode); err != nil {
					return err
				}
			}
			return os.Chtimes(p, b.mtime, b.mtime)
		})
		if err != nil {
			t.Fatal(err)
		}
		env := setEnv(os.Environ(), "DEPLOYLESS_CACHE_DIR="+b.cache, "TZ="+b.tz, "UV_PYTHON_DOWNLOADS=never",
			cliPath(t, runtime, os.Getenv("PATH")))
		withUmask := func(args ...string) *exec.Cmd {
			cmd := exec.Command("/bin/sh", append([]string{"-c", `umask "$0" && exec "$@"`, b.umask}, args...)...)
			cmd.Env = env
			return cmd
		}
		if out, err := withUmask("/bin/sh", "-c", "umask").Output(); err != nil || strings.TrimLeft(strings.TrimSpace(string(out)), "0") != strings.TrimLeft(b.umask, "0") {
			t.Fatalf("umask %s is not in effect: %q (%v)", b.umask, out, err)
		}
		began := time.Now()
		cmd := withUmask(bin, "build", "-C", b.dir, "--verbose")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s build (umask %s): %v\n%s", b.name, b.umask, err, out)
		}
		t.Logf("%s build in %s (umask %s, mtimes %s, cache %s) in %s", b.name, b.dir, b.umask, b.mtime.Format(time.DateOnly), b.cache, time.Since(began).Round(time.Millisecond))
		if strings.Contains(string(out), "ship sources only") || strings.Contains(string(out), "skipped: no ") {
			t.Errorf("%s build: bytecode was skipped:\n%s", b.name, out)
		}
		// Its own cache holds what it built: the layer and the bytecode
		// were made by this build, not taken from the other's.
		for _, sub := range []string{"layers", "pyc"} {
			if n := countFiles(t, filepath.Join(b.cache, sub)); n == 0 {
				t.Errorf("%s build: its cache %s/%s is empty: nothing was built there", b.name, b.cache, sub)
			}
		}
	}

	a, b := builds[0], builds[1]
	tmplA, tmplB := mustRead(t, filepath.Join(a.dir, "template.yaml")), mustRead(t, filepath.Join(b.dir, "template.yaml"))
	if !bytes.Equal(tmplA, tmplB) {
		t.Errorf("template.yaml differs between the builds in %s and %s:\n%s", a.dir, b.dir, firstDiff(tmplA, tmplB))
	}
	zipsA, zipsB := distZips(t, a.dir), distZips(t, b.dir)
	if !slices.Equal(zipsA, zipsB) {
		t.Fatalf(".dist differs: %v in the first build, %v in the second", zipsA, zipsB)
	}
	want := []string{"AuthFunction.zip", "CleanupSessionsFunction.zip", "DepsLayer.zip", "ExportUsersRouteFunction.zip", "TenantFunction.zip", "UserFunction.zip"}
	if !slices.Equal(zipsA, want) {
		t.Errorf(".dist holds %v, want %v", zipsA, want)
	}
	for _, name := range zipsA {
		da, db := mustRead(t, filepath.Join(a.dir, ".dist", name)), mustRead(t, filepath.Join(b.dir, ".dist", name))
		sa, sb := sha256.Sum256(da), sha256.Sum256(db)
		if sa != sb {
			t.Errorf(".dist/%s: sha256 %x in the first build, %x in the second (%d and %d bytes):\n%s", name, sa, sb, len(da), len(db), zipDiff(t, da, db))
		} else {
			t.Logf(".dist/%s: sha256 %x (%d bytes) in both", name, sa, len(da))
		}
		for i, data := range [][]byte{da, db} {
			if n := pycEntries(t, data); n == 0 {
				t.Errorf(".dist/%s of the %s build has no bytecode", name, builds[i].name)
			}
		}
	}
}

// distZips is the sorted names of the .dist/ entries of a build.
func distZips(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, ".dist"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() {
			name += "/"
		}
		out = append(out, name)
	}
	return out
}

// countFiles is how many regular files are under dir (0 when it is missing).
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// pycEntries is how many .pyc a zip holds.
func pycEntries(t *testing.T, data []byte) int {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	n := 0
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".pyc") {
			n++
		}
	}
	return n
}

// zipDiff names the first entries in which two zips differ.
func zipDiff(t *testing.T, a, b []byte) string {
	t.Helper()
	read := func(data []byte) (map[string]*zip.File, []string) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, nil
		}
		m := map[string]*zip.File{}
		var names []string
		for _, f := range zr.File {
			m[f.Name] = f
			names = append(names, f.Name)
		}
		return m, names
	}
	ma, na := read(a)
	mb, nb := read(b)
	if ma == nil || mb == nil {
		return "(not zips)"
	}
	if !slices.Equal(na, nb) {
		return fmt.Sprintf("entries differ:\n  first:  %v\n  second: %v", na, nb)
	}
	var out []string
	for _, name := range na {
		fa, fb := ma[name], mb[name]
		if fa.CRC32 != fb.CRC32 || fa.Mode() != fb.Mode() || !fa.Modified.Equal(fb.Modified) || fa.Method != fb.Method || !bytes.Equal(fa.Extra, fb.Extra) {
			out = append(out, fmt.Sprintf("%s: crc %08x/%08x mode %v/%v time %v/%v method %d/%d", name, fa.CRC32, fb.CRC32, fa.Mode(), fb.Mode(), fa.Modified, fb.Modified, fa.Method, fb.Method))
		}
		if len(out) == 10 {
			break
		}
	}
	if len(out) == 0 {
		return "same entries and contents: the zip encoding itself differs"
	}
	return strings.Join(out, "\n")
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
