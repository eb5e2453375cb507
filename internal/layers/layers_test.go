package layers

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/testenv"
)

// These tests run the test virtualenv's real uv against the package index:
// skipped with -short, since they need the network.

func realUV(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs uv and the package index (-short)")
	}
	return testenv.Tool(t, "uv")
}

// orjson 3.10.18 has cp313 wheels for manylinux 2.17 on both
// architectures; flask brings a console script (bin/flask) to prune.
const binaryReqs = "flask==3.1.3\norjson==3.10.18\n"

func build(t *testing.T, reqs []Request, opts Options) []Layer {
	t.Helper()
	ls, ds := Build(context.Background(), reqs, opts)
	if len(ds) > 0 {
		t.Fatalf("Build: %v", ds)
	}
	return ls
}

func zipFiles(t *testing.T, l Layer) (map[string]*zip.File, []byte) {
	t.Helper()
	data, err := os.ReadFile(l.Zip)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*zip.File{}
	for _, f := range checkZip(t, data) {
		files[f.Name] = f
	}
	return files, data
}

func TestArchitectures(t *testing.T) {
	uv := realUV(t)
	cache := t.TempDir()
	reqs := []Request{
		{Requirements: binaryReqs, Runtime: "python3.13", Arch: "arm64"},
		{Requirements: binaryReqs, Runtime: "python3.13", Arch: "x86_64"},
		{Requirements: binaryReqs, Runtime: "python3.11", Arch: "x86_64"},
		{Requirements: "orjson==3.10.18\nFlask==3.1.3  # same set\n", Runtime: "python3.13", Arch: "arm64"},
	}
	ls := build(t, reqs, Options{UV: uv, CacheDir: cache})
	if ls[0].Digest != ls[3].Digest || ls[0].Zip != ls[3].Zip {
		t.Errorf("equal sets got different layers: %s, %s", ls[0], ls[3])
	}
	for i, c := range []struct {
		so      string
		machine elf.Machine
	}{
		{"python/orjson/orjson.cpython-313-aarch64-linux-gnu.so", elf.EM_AARCH64},
		{"python/orjson/orjson.cpython-313-x86_64-linux-gnu.so", elf.EM_X86_64},
		{"python/orjson/orjson.cpython-311-x86_64-linux-gnu.so", elf.EM_X86_64},
	} {
		l := ls[i]
		files, data := zipFiles(t, l)
		if l.Size != int64(len(data)) || l.Unzipped <= l.Size || l.Cached || l.UV == "" {
			t.Errorf("%s: size %d (file %d), unzipped %d, cached %v, uv %q", l, l.Size, len(data), l.Unzipped, l.Cached, l.UV)
		}
		f := files[c.so]
		if f == nil {
			t.Fatalf("%s: no %s in the zip", l, c.so)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		ef, err := elf.NewFile(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if ef.Machine != c.machine {
			t.Errorf("%s: %s is for %v, want %v", l, c.so, ef.Machine, c.machine)
		}
		for name := range files {
			base := name[strings.LastIndex(strings.TrimSuffix(name, "/"), "/")+1:]
			if strings.HasPrefix(name, "python/bin/") || strings.Contains(name, "__pycache__") || strings.HasSuffix(name, ".pyc") ||
				base == "INSTALLER" || base == "REQUESTED" || base == "direct_url.json" || name == "python/.lock" {
				t.Errorf("%s: %s should have been left out", l, name)
			}
		}
		rec := files["python/flask-3.1.3.dist-info/RECORD"]
		if rec == nil {
			t.Fatalf("%s: no flask RECORD", l)
		}
		rc, _ = rec.Open()
		b, _ = io.ReadAll(rc)
		rc.Close()
		if strings.Contains(string(b), "bin/flask") {
			t.Errorf("%s: flask's RECORD still lists bin/flask", l)
		}
		if pk := " " + strings.Join(l.Packages, " ") + " "; !strings.Contains(pk, " flask==3.1.3 ") || !strings.Contains(pk, " orjson==3.10.18 ") {
			t.Errorf("%s: packages %v", l, l.Packages)
		}
	}
	if ls[0].Platform != "aarch64-manylinux_2_34" || ls[2].Platform != "x86_64-manylinux_2_17" {
		t.Errorf("platforms %s, %s", ls[0].Platform, ls[2].Platform)
	}
}

// Two builds of one request in different cache folders, with different
// umasks and uv caches (so different file times and fresh downloads), give
// byte-identical zips.
func TestReproducibleLayer(t *testing.T) {
	uv := realUV(t)
	req := []Request{{Requirements: binaryReqs, Runtime: "python3.12", Arch: "x86_64"}}
	var got [2]Layer
	for i, umask := range []int{0o022, 0o077} {
		t.Setenv("UV_CACHE_DIR", t.TempDir())
		old := syscall.Umask(umask)
		got[i] = build(t, req, Options{UV: uv, CacheDir: t.TempDir()})[0]
		syscall.Umask(old)
	}
	a, _ := os.ReadFile(got[0].Zip)
	b, _ := os.ReadFile(got[1].Zip)
	if got[0].SHA256 != got[1].SHA256 || !bytes.Equal(a, b) {
		t.Fatalf("two builds differ: %s (%s) and %s (%s)", got[0], got[0].SHA256, got[1], got[1].SHA256)
	}
	if sum, _, _ := fileSHA256(got[0].Zip); sum != got[0].SHA256 {
		t.Errorf("recorded sha256 %s, file has %s", got[0].SHA256, sum)
	}
	zipFiles(t, got[0])
}

// Two builds of one layer at once into one cache both succeed and leave
// one complete entry (temporary files and renames; equal bytes).
func TestConcurrentBuilds(t *testing.T) {
	uv := realUV(t)
	cache := t.TempDir()
	req := []Request{{Requirements: binaryReqs, Runtime: "python3.12", Arch: "arm64"}}
	var got [2]Layer
	var ds [2]diag.List
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ls, d := Build(context.Background(), req, Options{UV: uv, CacheDir: cache})
			got[i], ds[i] = ls[0], d
		}()
	}
	wg.Wait()
	if len(ds[0])+len(ds[1]) > 0 || got[0].SHA256 != got[1].SHA256 || got[0].Zip == "" {
		t.Fatalf("concurrent builds: %v %v; %s / %s", ds[0], ds[1], got[0].SHA256, got[1].SHA256)
	}
	entries, _ := os.ReadDir(cache)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{got[0].Digest + ".json", got[0].Digest + ".zip", "uv-versions.json"}; strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("cache holds %v, want %v", names, want)
	}
	if l, ok := lookup(cache, got[0].Digest); !ok || l.SHA256 != got[0].SHA256 {
		t.Errorf("the entry is not complete: %v", ok)
	}
}

// A requirement without a wheel for the target is an E44 naming it; an
// sdist-only package is never built.
func TestNoWheelForTarget(t *testing.T) {
	uv := realUV(t)
	reqs := []Request{
		// numpy 1.26.4 predates Python 3.13: no cp313 wheels.
		{Requirements: "flask==3.1.3\nnumpy==1.26.4\n", Runtime: "python3.13", Arch: "arm64"},
		// pycrypto 2.6.1 only ships a source distribution.
		{Requirements: "pycrypto==2.6.1\n", Runtime: "python3.12", Arch: "x86_64"},
		{Requirements: "flask==3.1.3\n", Runtime: "python3.12", Arch: "x86_64"},
	}
	cache := t.TempDir()
	ls, ds := Build(context.Background(), reqs, Options{UV: uv, CacheDir: cache})
	if len(ds) != 2 {
		t.Fatalf("diagnostics: %v", ds)
	}
	for i, c := range []struct{ pkg, target string }{{"numpy==1.26.4", "python3.13 on arm64"}, {"pycrypto==2.6.1", "python3.12 on x86_64"}} {
		d := ds[i]
		if d.Code != CodeNoWheel || !strings.Contains(d.Message, c.pkg) || !strings.Contains(d.Message, c.target) ||
			!strings.Contains(d.Message, "pin a version") || strings.Contains(d.Message, "No solution found") {
			t.Errorf("diagnostic %d: %v", i, d)
		}
		if len(d.Notes) != 1 || !strings.Contains(d.Notes[0].Message, "uv pip install said") {
			t.Errorf("diagnostic %d has no note with uv's output: %+v", i, d.Notes)
		}
		if ls[i].Zip != "" {
			t.Errorf("request %d got a layer: %s", i, ls[i])
		}
	}
	if ls[2].Zip == "" {
		t.Errorf("the valid request got no layer")
	}
	if m, _ := filepath.Glob(filepath.Join(cache, "*.zip")); len(m) != 1 {
		t.Errorf("cache holds %v; want only the valid layer", m)
	}
	if left, _ := filepath.Glob(filepath.Join(cache, ".*")); len(left) != 0 {
		t.Errorf("temporary files left in the cache: %v", left)
	}
}

// A second Build with the same inputs runs no uv: not even uv --version
// (the memo), and with no uv at all it reuses the cached layer.
func TestCacheHitRunsNoUV(t *testing.T) {
	real := realUV(t)
	dir := t.TempDir()
	wrapper, log := filepath.Join(dir, "uv"), filepath.Join(dir, "calls.log")
	script := "#!/bin/sh\necho \"$@\" >> " + log + "\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cache := t.TempDir()
	req := []Request{{Requirements: binaryReqs, Runtime: "python3.13", Arch: "arm64"}}
	first := build(t, req, Options{UV: wrapper, CacheDir: cache})[0]
	calls, _ := os.ReadFile(log)
	if !strings.Contains(string(calls), "--version") || !strings.Contains(string(calls), "pip install") {
		t.Fatalf("first build ran %q; want uv --version and uv pip install", calls)
	}
	second := build(t, req, Options{UV: wrapper, CacheDir: cache})[0]
	if again, _ := os.ReadFile(log); !bytes.Equal(again, calls) {
		t.Errorf("second build ran uv: %q", again[len(calls):])
	}
	if !second.Cached || second.Digest != first.Digest || second.SHA256 != first.SHA256 {
		t.Errorf("second build: %s cached=%v; first %s", second, second.Cached, first)
	}

	t.Setenv("PATH", t.TempDir()) // no uv anywhere
	if _, err := exec.LookPath("uv"); err == nil {
		t.Fatal("uv still on PATH")
	}
	third := build(t, req, Options{CacheDir: cache})[0]
	if !third.Cached || third.Digest != first.Digest {
		t.Errorf("build without uv: %s cached=%v", third, third.Cached)
	}
	// Another set is not cached: without uv it is an error saying how to get uv.
	_, ds := Build(context.Background(), []Request{{Requirements: "orjson==3.10.18\n", Runtime: "python3.13", Arch: "arm64"}}, Options{CacheDir: cache})
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "pip install uv==") {
		t.Errorf("uncached set without uv: %v", ds)
	}
	// A damaged zip is a miss, not a layer.
	if err := os.WriteFile(first.Zip, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := lookup(cache, first.Digest); ok {
		t.Error("a damaged zip was reused")
	}
}

// uv.lock + pyproject.toml give pinned lines without the project itself,
// cached by content: the second export runs no uv.
func TestLockedRequirements(t *testing.T) {
	uv := realUV(t)
	proj := t.TempDir()
	pyproject := "[project]\nname = \"myapp\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"flask>=3\", \"orjson\"]\n\n" +
		"[dependency-groups]\ndev = [\"pytest\"]\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n"
	if err := os.WriteFile(filepath.Join(proj, "pyproject.toml"), []byte(pyproject), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(uv, "lock", "--project", proj).CombinedOutput(); err != nil {
		t.Fatalf("uv lock: %v\n%s", err, out)
	}
	cache := t.TempDir()
	reqs, ok, err := LockedRequirements(context.Background(), proj, Options{UV: uv, CacheDir: cache})
	if err != nil || !ok {
		if ee, isExport := err.(*ExportError); isExport {
			t.Logf("uv export said:\n%s", ee.Output)
		}
		t.Fatalf("LockedRequirements: %v, %v", ok, err)
	}
	lines, problems := normalize(reqs)
	all := "\n" + strings.Join(lines, "\n") + "\n"
	if len(problems) > 0 || !strings.Contains(all, "\nflask==") || !strings.Contains(all, "\norjson==") || strings.Contains(all, "pytest") ||
		strings.Contains(all, "myapp") || strings.Contains(all, "-e ") || strings.Contains(all, "\n.\n") {
		t.Errorf("exported requirements (%v):\n%s", problems, reqs)
	}
	tg, _ := NewTarget("python3.13", "x86_64")
	if u := CheckPinned(reqs, "requirements.txt", tg); u != nil {
		t.Errorf("exported pins warned: %v", u)
	}
	t.Setenv("PATH", t.TempDir())
	again, ok, err := LockedRequirements(context.Background(), proj, Options{UV: filepath.Join(t.TempDir(), "no-uv"), CacheDir: cache})
	if err != nil || !ok || again != reqs {
		t.Errorf("cached export: %v %v %q", ok, err, again)
	}
	// No lock at all: not ok, no error.
	if _, ok, err := LockedRequirements(context.Background(), t.TempDir(), Options{CacheDir: cache}); ok || err != nil {
		t.Errorf("folder without uv.lock: %v, %v", ok, err)
	}
}
