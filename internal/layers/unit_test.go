package layers

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.RunWithTempCache(m)) }

func TestTargets(t *testing.T) {
	for _, c := range []struct{ runtime, arch, platform, version string }{
		{"python3.10", "x86_64", "x86_64-manylinux_2_17", "3.10"},
		{"python3.11", "arm64", "aarch64-manylinux_2_17", "3.11"},
		{"python3.12", "x86_64", "x86_64-manylinux_2_34", "3.12"},
		{"python3.13", "arm64", "aarch64-manylinux_2_34", "3.13"},
	} {
		tg, err := NewTarget(c.runtime, c.arch)
		if err != nil || tg.Platform != c.platform || tg.PythonVersion() != c.version {
			t.Errorf("NewTarget(%s, %s) = %s %s, %v; want %s %s", c.runtime, c.arch, tg.Platform, tg.PythonVersion(), err, c.platform, c.version)
		}
	}
	for _, c := range [][2]string{{"python2.7", "x86_64"}, {"nodejs20.x", "x86_64"}, {"python3.13", "aarch64"}} {
		if _, err := NewTarget(c[0], c[1]); err == nil {
			t.Errorf("NewTarget(%s, %s) accepted", c[0], c[1])
		}
	}
}

func TestCompatible(t *testing.T) {
	py313arm, _ := NewTarget("python3.13", "arm64")
	py311x86, _ := NewTarget("python3.11", "x86_64")
	for _, c := range []struct {
		t   Target
		tag string
		ok  bool
	}{
		{py313arm, "py3-none-any", true},
		{py313arm, "py2.py3-none-any", true},
		{py313arm, "cp313-cp313-manylinux_2_17_aarch64.manylinux2014_aarch64", true},
		{py313arm, "cp313-cp313-manylinux_2_34_aarch64", true},
		{py313arm, "cp313-cp313-manylinux_2_35_aarch64", false}, // newer glibc than AL2023
		{py313arm, "cp313-cp313-manylinux_2_17_x86_64", false},  // other architecture
		{py313arm, "cp312-cp312-manylinux_2_17_aarch64", false}, // other Python
		{py313arm, "cp39-abi3-manylinux_2_17_aarch64", true},    // stable ABI from 3.9 on
		{py313arm, "cp313-cp313t-manylinux_2_17_aarch64", false},
		{py313arm, "cp313-cp313-musllinux_1_2_aarch64", false},
		{py313arm, "cp313-cp313-linux_aarch64", false},
		{py313arm, "py314-none-any", false},
		{py311x86, "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64", true},
		{py311x86, "cp311-cp311-manylinux_2_28_x86_64", false}, // AL2 has glibc 2.26
		{py311x86, "cp311-cp311-manylinux1_x86_64", true},
		{py311x86, "cp311-abi3-manylinux_2_26_x86_64", true},
		{py311x86, "cp312-abi3-manylinux_2_17_x86_64", false},
		{py311x86, "garbage", false},
	} {
		if got := c.t.Compatible(c.tag); got != c.ok {
			t.Errorf("%s: Compatible(%s) = %v, want %v", c.t, c.tag, got, c.ok)
		}
	}
}

func TestNormalizeKeyAndDedupe(t *testing.T) {
	a := Request{Requirements: "# deps\nFlask==3.1.3\n\norjson==3.10.18   # fast json\n", Runtime: "python3.13", Arch: "arm64"}
	b := Request{Requirements: "orjson==3.10.18\nflask==3.1.3\nflask==3.1.3\n", Runtime: "python3.13", Arch: "arm64"}
	c := b
	c.Arch = "x86_64"
	d := b
	d.Runtime = "python3.12"
	if a.Key() != b.Key() {
		t.Errorf("equal sets written differently have different keys")
	}
	if b.Key() == c.Key() || b.Key() == d.Key() {
		t.Errorf("the key ignores the architecture or the runtime")
	}
	distinct, index := Dedupe([]Request{a, c, b, d, c})
	if len(distinct) != 3 || !reflect.DeepEqual(index, []int{0, 1, 0, 2, 1}) {
		t.Errorf("Dedupe: %d distinct, index %v; want 3, [0 1 0 2 1]", len(distinct), index)
	}
	lines, problems := normalize("--index-url https://pypi.example/simple\nFlask_Login>=0.6\n-r base.txt\n-e .\n./local\n--no-binary :all:\n")
	if want := []string{"--index-url https://pypi.example/simple", "-r base.txt", "-e .", "--no-binary :all:", "flask-login>=0.6"}; !reflect.DeepEqual(lines, want) {
		t.Errorf("normalize lines = %q, want %q", lines, want)
	}
	if len(problems) != 4 {
		t.Errorf("normalize problems = %q, want four (-r, -e, ./local, --no-binary)", problems)
	}
}

func TestCheckPinned(t *testing.T) {
	tg, _ := NewTarget("python3.13", "x86_64")
	if u := CheckPinned("flask==3.1.3\napig-wsgi == 2.20.0\nnumpy==2.2.6; python_version >= \"3.10\"\nmylib @ https://example.com/mylib-1.0-py3-none-any.whl\n--index-url https://x/simple\n", "requirements.txt", tg); u != nil {
		t.Errorf("pinned requirements warned: %v", u)
	}
	u := CheckPinned("flask>=3\nrequests\norjson==3.*\npydantic==2.9.2\n", "app/features/x/requirements.txt", tg)
	if u == nil {
		t.Fatal("no warning for unpinned requirements")
	}
	if want := []string{"flask>=3", "orjson==3.*", "requests"}; !reflect.DeepEqual(u.Requirements, want) {
		t.Errorf("unpinned = %q, want %q", u.Requirements, want)
	}
	want := "uv pip compile app/features/x/requirements.txt --python-version 3.13 --python-platform x86_64-manylinux_2_34 --only-binary :all: -o app/features/x/requirements.txt"
	if u.Fix != want || !strings.Contains(u.Error(), want) {
		t.Errorf("fix = %q\nwant %q", u.Fix, want)
	}
}

// Outputs of uv 0.13.9 (uv pip install --only-binary :all: …).
const (
	outNumpy = "Using CPython 3.11.7 interpreter at: /usr/bin/python3\nerror: No solution found when resolving dependencies\n" +
		"  cause: Because numpy==1.26.4 has no usable wheels and you require numpy==1.26.4, we can conclude that your requirements are unsatisfiable.\n\n" +
		"hint: Wheels are required for `numpy` because building from source is disabled for all packages (i.e., with `--no-build`)\n"
	outRange = "error: No solution found when resolving dependencies\n  cause: Because orjson>=3.0.0,<=3.8.14 has no usable wheels and only the following versions of orjson are available:\n" +
		"             orjson<=3.8.14\n             orjson>=3.9\n         we can conclude that orjson>=3.0.0,<3.9 cannot be used.\n" +
		"hint: Wheels are required for `orjson` because building from source is disabled for all packages (i.e., with `--no-build`)\n"
	outMissing = "error: No solution found when resolving dependencies\n  cause: Because nonexistent-pkg-zzzq was not found in the package registry and you require nonexistent-pkg-zzzq==1.0, we can conclude that your requirements are unsatisfiable.\n"
	outVersion = "error: No solution found when resolving dependencies\n  cause: Because there is no version of flask==99.0 and you require flask==99.0, we can conclude that your requirements are unsatisfiable.\n"
)

func TestUVProblems(t *testing.T) {
	for _, c := range []struct {
		out  string
		want []problem
	}{
		{outNumpy, []problem{{pkg: "numpy", spec: "==1.26.4", kind: noWheel}}},
		{outRange, []problem{{pkg: "orjson", spec: ">=3.0.0,<=3.8.14", kind: noWheel}}},
		{outMissing, []problem{{pkg: "nonexistent-pkg-zzzq", kind: notFound}}},
		{outVersion, []problem{{pkg: "flask", spec: "==99.0", kind: noVersion}}},
		{"error: Failed to fetch: `https://pypi.org/simple/flask/`\n", nil},
	} {
		if got := uvProblems(c.out); !reflect.DeepEqual(got, c.want) {
			t.Errorf("uvProblems(%q) = %+v, want %+v", firstLineOf(c.out), got, c.want)
		}
	}
}

func firstLineOf(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func TestReportInstall(t *testing.T) {
	tg, _ := NewTarget("python3.13", "arm64")
	var ds = reportOf(t, tg, []string{"flask==3.1.3", "numpy==1.26.4"}, outNumpy)
	if len(ds) != 1 || ds[0].Code != CodeNoWheel {
		t.Fatalf("diagnostics = %v, want one %s", ds, CodeNoWheel)
	}
	msg := ds[0].Message
	for _, want := range []string{"numpy==1.26.4", "python3.13 on arm64", "never builds source distributions", "pin a version of numpy"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "No solution found") || len(ds[0].Notes) != 1 || !strings.Contains(ds[0].Notes[0].Message, "No solution found") {
		t.Errorf("uv's output belongs in a note, not the message: %+v", ds[0])
	}
	ds = reportOf(t, tg, []string{"flask==3.1.3"}, "error: Failed to fetch: `https://pypi.org/simple/flask/`\n  Caused by: dns error\n")
	if len(ds) != 1 || ds[0].Code != CodeLayer || !strings.Contains(ds[0].Message, "could not reach the package index") {
		t.Errorf("network failure: %v", ds)
	}
}

func TestVersions(t *testing.T) {
	for in, want := range map[string]string{"uv 0.13.9 (x86_64-unknown-linux-gnu)\n": "0.13.9", "uv 0.5.10": "0.5.10", "uv 1.2.3 (abc 2026-01-01)": "1.2.3"} {
		if v, ok := parseUVVersion(in); !ok || v != want {
			t.Errorf("parseUVVersion(%q) = %q, %v", in, v, ok)
		}
	}
	if _, ok := parseUVVersion("pip 24.0"); ok {
		t.Error("parseUVVersion accepted pip's version")
	}
	if !versionLess("0.4.30", MinUV) || versionLess("0.13.9", MinUV) || versionLess(MinUV, MinUV) || !versionLess("0.9.9", "0.10.0") {
		t.Error("versionLess is wrong")
	}
}

// fakeUV writes an executable uv script printing version, logging every
// call to the returned log file.
func fakeUV(t *testing.T, version string) (path, log string) {
	dir := t.TempDir()
	path, log = filepath.Join(dir, "uv"), filepath.Join(dir, "calls.log")
	script := "#!/bin/sh\necho \"$@\" >> " + log + "\necho 'uv " + version + "'\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, log
}

func TestUVMissingOrOld(t *testing.T) {
	req := []Request{{Requirements: "flask==3.1.3\n", Runtime: "python3.13", Arch: "x86_64"}}
	t.Setenv("PATH", t.TempDir())
	_, ds := Build(context.Background(), req, Options{CacheDir: t.TempDir()})
	if len(ds) != 1 || ds[0].Code != CodeLayer || !strings.Contains(ds[0].Message, "uv is not installed") ||
		!strings.Contains(ds[0].Message, "pip install uv=="+PinnedUV) || !strings.Contains(ds[0].Message, MinUV) {
		t.Errorf("missing uv: %v", ds)
	}
	old, _ := fakeUV(t, "0.4.30")
	_, ds = Build(context.Background(), append(req, Request{Requirements: "orjson==3.10.18", Runtime: "python3.12", Arch: "arm64"}), Options{UV: old, CacheDir: t.TempDir()})
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "uv 0.4.30") || !strings.Contains(ds[0].Message, "older than "+MinUV) ||
		!strings.Contains(ds[0].Message, "2 dependency layers") {
		t.Errorf("old uv: %v", ds)
	}
}

func TestUVVersionMemo(t *testing.T) {
	uv, log := fakeUV(t, "0.13.9")
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		got, err := findUV(context.Background(), Options{UV: uv}, dir)
		if err != nil || got.version != "0.13.9" {
			t.Fatalf("findUV = %+v, %v", got, err)
		}
	}
	if b, _ := os.ReadFile(log); strings.Count(string(b), "\n") != 1 {
		t.Errorf("uv ran %q; want one --version, then the memo", b)
	}
	// A replaced binary (an upgrade) is asked again.
	later := time.Now().Add(time.Hour)
	os.Chtimes(uv, later, later)
	findUV(context.Background(), Options{UV: uv}, dir)
	if b, _ := os.ReadFile(log); strings.Count(string(b), "\n") != 2 {
		t.Errorf("uv ran %q; want a second --version after the binary changed", b)
	}
}

// tree writes files (path → content; a trailing * makes it executable)
// under root/python with mtime and umask, and returns python/.
func tree(t *testing.T, root string, mtime time.Time, umask int, files map[string]string) string {
	old := syscall.Umask(umask)
	defer syscall.Umask(old)
	base := filepath.Join(root, "python")
	for p, content := range files {
		mode := os.FileMode(0o666)
		if strings.HasSuffix(p, "*") {
			p, mode = strings.TrimSuffix(p, "*"), 0o777
		}
		full := filepath.Join(base, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(full, mtime, mtime)
	}
	return base
}

var sample = map[string]string{
	"pkg/__init__.py":               "x = 1\n",
	"pkg/_native.so*":               "\x7fELF",
	"pkg-1.0.dist-info/RECORD":      "pkg/__init__.py,,\n",
	"pkg_extra/data.txt":            strings.Repeat("data ", 1000),
	"a/b/c/deep.py":                 "",
	"pkg-1.0.dist-info/WHEEL":       "Wheel-Version: 1.0\nTag: py3-none-any\n",
	"zzz/\u00e9t\u00e9/unicode.txt": "été",
}

func TestZipReproducible(t *testing.T) {
	var zips [2]bytes.Buffer
	var stats [2]zipStats
	for i, c := range []struct {
		mtime time.Time
		umask int
	}{{time.Date(2020, 5, 1, 12, 0, 0, 0, time.UTC), 0o022}, {time.Now(), 0o077}} {
		root := tree(t, t.TempDir(), c.mtime, c.umask, sample)
		st, err := writeZip(&zips[i], root)
		if err != nil {
			t.Fatal(err)
		}
		stats[i] = st
	}
	if !bytes.Equal(zips[0].Bytes(), zips[1].Bytes()) || stats[0] != stats[1] {
		t.Fatalf("two trees with other mtimes and umask zip differently: %+v vs %+v", stats[0], stats[1])
	}
	var total int64
	for _, c := range sample {
		total += int64(len(c))
	}
	if stats[0].unzipped != total || stats[0].size != int64(zips[0].Len()) {
		t.Errorf("stats %+v; want unzipped %d, size %d", stats[0], total, zips[0].Len())
	}
	checkZip(t, zips[0].Bytes())
}

// checkZip checks the reproducibility rules on every entry.
func checkZip(t *testing.T, data []byte) []*zip.File {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	prev := ""
	for _, f := range zr.File {
		if f.Name <= prev {
			t.Errorf("entry %s after %s: not sorted", f.Name, prev)
		}
		prev = f.Name
		if !strings.HasPrefix(f.Name, "python/") {
			t.Errorf("entry %s is outside python/", f.Name)
		}
		if len(f.Extra) != 0 {
			t.Errorf("%s has extra fields %x", f.Name, f.Extra)
		}
		if y, m, d := f.Modified.Date(); y != 1980 || m != 1 || d != 1 || f.Modified.Hour()+f.Modified.Minute()+f.Modified.Second() != 0 {
			t.Errorf("%s has time %v", f.Name, f.Modified)
		}
		mode := f.Mode()
		switch {
		case strings.HasSuffix(f.Name, "/"):
			if mode != os.ModeDir|0o755 {
				t.Errorf("folder %s has mode %v", f.Name, mode)
			}
		case mode != 0o644 && mode != 0o755:
			t.Errorf("%s has mode %v", f.Name, mode)
		}
		if f.Name == "python/pkg/_native.so" && mode != 0o755 {
			t.Errorf("executable %s has mode %v", f.Name, mode)
		}
		if !strings.HasSuffix(f.Name, "/") && f.Method != zip.Deflate {
			t.Errorf("%s is not deflated", f.Name)
		}
	}
	return zr.File
}

func TestPrune(t *testing.T) {
	root := tree(t, t.TempDir(), time.Now(), 0o022, map[string]string{
		"bin/flask*":        "#!/home/me/.venv/bin/python\n",
		"flask/__init__.py": "",
		"flask/__pycache__/__init__.cpython-311.pyc": "x",
		"flask/stray.pyc":                       "x",
		"flask-3.1.3.dist-info/INSTALLER":       "uv\n",
		"flask-3.1.3.dist-info/REQUESTED":       "",
		"flask-3.1.3.dist-info/direct_url.json": "{}",
		"flask-3.1.3.dist-info/WHEEL":           "Tag: py3-none-any\n",
		"flask-3.1.3.dist-info/RECORD": "bin/flask,sha256=abc,314\nflask/__init__.py,sha256=def,0\n" +
			"flask/__pycache__/__init__.cpython-311.pyc,,\n\"flask/odd,name.py\",sha256=x,1\nflask-3.1.3.dist-info/RECORD,,\n",
	})
	if err := prune(root); err != nil {
		t.Fatal(err)
	}
	var left []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			left = append(left, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(left)
	if want := []string{"flask-3.1.3.dist-info/RECORD", "flask-3.1.3.dist-info/WHEEL", "flask/__init__.py"}; !reflect.DeepEqual(left, want) {
		t.Errorf("after prune: %q, want %q", left, want)
	}
	rec, _ := os.ReadFile(filepath.Join(root, "flask-3.1.3.dist-info", "RECORD"))
	if want := "flask/__init__.py,sha256=def,0\n\"flask/odd,name.py\",sha256=x,1\nflask-3.1.3.dist-info/RECORD,,\n"; string(rec) != want {
		t.Errorf("RECORD = %q, want %q", rec, want)
	}
	if _, err := os.Stat(filepath.Join(root, "bin")); !os.IsNotExist(err) {
		t.Error("bin/ is still there")
	}
}

func TestIncompatibleWheel(t *testing.T) {
	root := tree(t, t.TempDir(), time.Now(), 0o022, map[string]string{
		"good-1.0.dist-info/WHEEL":    "Wheel-Version: 1.0\nTag: cp313-cp313-manylinux_2_17_aarch64\nTag: cp313-cp313-manylinux2014_aarch64\n",
		"bad_pkg-2.0.dist-info/WHEEL": "Wheel-Version: 1.0\nTag: cp313-cp313-manylinux_2_17_x86_64\n",
	})
	ds, err := dists(root)
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := NewTarget("python3.13", "arm64")
	bad := incompatible(ds, tg)
	if len(bad) != 1 || bad[0].name != "bad-pkg" || bad[0].version != "2.0" {
		t.Errorf("incompatible = %+v, want bad-pkg 2.0", bad)
	}
}

func reportOf(t *testing.T, tg Target, lines []string, out string) diag.List {
	t.Helper()
	var ds diag.List
	reportInstall(Request{}, tg, lines, out, errors.New("exit status 1"), &ds)
	return ds
}

// uv 0.5.10 draws the same error as a report wrapped at 80 columns.
const outNumpyOld = "Using CPython 3.11.7 interpreter at: /usr/bin/python3\n  × No solution found when resolving dependencies:\n" +
	"  ╰─▶ Because numpy==1.26.4 has no usable wheels and you require\n      numpy==1.26.4, we can conclude that your requirements are unsatisfiable.\n\n" +
	"      hint: Wheels are required for `numpy` because building from source is\n      disabled for all packages (i.e., with `--no-build`)\n"

func TestUVProblemsWrapped(t *testing.T) {
	if got, want := uvProblems(outNumpyOld), []problem{{pkg: "numpy", spec: "==1.26.4", kind: noWheel}}; !reflect.DeepEqual(got, want) {
		t.Errorf("uvProblems = %+v, want %+v", got, want)
	}
	tg, _ := NewTarget("python3.13", "arm64")
	ds := reportOf(t, tg, []string{"numpy==1.26.4"}, outNumpyOld)
	if len(ds) != 1 || len(ds[0].Notes) != 1 || strings.Contains(ds[0].Notes[0].Message, "interpreter at") {
		t.Errorf("diagnostics %+v: want one, whose note starts at uv's error", ds)
	}
}

// --find-links takes a folder inside the project, whose files are part of
// the key; URLs and folders outside are refused.
func TestFindLinks(t *testing.T) {
	dir := t.TempDir()
	wheels := filepath.Join(dir, "wheels")
	if err := os.MkdirAll(wheels, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(body string) {
		if err := os.WriteFile(filepath.Join(wheels, "x-1.0-py3-none-any.whl"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("v1")
	r := Request{Requirements: "--find-links ./wheels\nx==1.0\n", Runtime: "python3.13", Arch: "x86_64", Dir: dir}
	lines, problems := normalize(r.Requirements)
	if len(problems) != 0 || lines[0] != "--find-links wheels" {
		t.Fatalf("lines %q, problems %q", lines, problems)
	}
	k1 := r.Key()
	write("v2")
	if r.Key() == k1 {
		t.Error("a changed wheel in the --find-links folder kept the key")
	}
	for _, bad := range []string{"-f https://example.com/wheels", "--find-links ../outside", "--find-links=/abs/wheels"} {
		if _, problems := normalize(bad + "\nx==1.0\n"); len(problems) != 1 {
			t.Errorf("%q: problems %q, want one", bad, problems)
		}
	}
}
