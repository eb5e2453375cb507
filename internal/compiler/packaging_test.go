package compiler_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/artifact"
	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/testenv"
)

// loggingWrapper is a shell script that appends its arguments to log, then
// runs real.
func loggingWrapper(t *testing.T, dir, name, real string) (path, log string) {
	t.Helper()
	path, log = filepath.Join(dir, name), filepath.Join(dir, name+".log")
	script := "#!/bin/sh\necho \"$@\" >> " + log + "\nexec " + real + " \"$@\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, log
}

func zipBytes(t *testing.T, a artifact.Artifact) []byte {
	t.Helper()
	if a.Source == "" {
		return a.Data
	}
	b, err := os.ReadFile(a.Source)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func zipNames(t *testing.T, data []byte) map[string]*zip.File {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*zip.File{}
	for _, f := range r.File {
		out[f.Name] = f
	}
	return out
}

// TestPackagingEndToEnd builds testdata/layered (an x86_64 feature and an
// arm64 one with orjson in its own requirements.txt) with real uv and the
// runtime's Python: each architecture gets its own layer with the right
// ELF machine, code and layers carry bytecode, and a second build with
// nothing changed runs neither uv nor Python — nor needs uv at all — and
// gives byte-identical zips.
func TestPackagingEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("needs uv, python3.13 and the package index (-short)")
	}
	dir := filepath.Join("testdata", "layered")
	tools := t.TempDir()
	uv, uvLog := loggingWrapper(t, tools, "uv", testenv.Tool(t, "uv"))
	python, pyLog := loggingWrapper(t, tools, "python3.13", testenv.Python(t, "3.13"))
	cache := t.TempDir()
	finds := 0
	build := func(uvPath string) *compiler.Result {
		t.Helper()
		pk := &compiler.Packaging{UV: uvPath, CacheDir: cache, Python: func(rt string) string {
			finds++
			if rt != "python3.13" {
				t.Errorf("asked for %s", rt)
			}
			return python
		}}
		res, d := compiler.Compile(context.Background(), os.DirFS(dir), compiler.Options{DefaultName: "layered", Packaging: pk, ProjectDir: dir})
		if d.HasErrors() {
			t.Fatalf("build: %v", d)
		}
		return res
	}
	first := build(uv)
	zips := map[string][]byte{}
	for _, a := range first.Zips {
		zips[strings.TrimPrefix(a.Path, ".dist/")] = zipBytes(t, a)
	}
	for _, want := range []string{"ShopFunction.zip", "EdgeFunction.zip", "DepsLayer.zip", "EdgeDepsArm64Layer.zip"} {
		if zips[want] == nil {
			t.Fatalf("no %s among %v", want, first.Zips)
		}
	}
	y := string(first.YAML)
	for _, want := range []string{"ContentUri: .dist/EdgeDepsArm64Layer.zip", "CodeUri: .dist/EdgeFunction.zip", "- Ref: EdgeDepsArm64Layer", "- arm64"} {
		if !strings.Contains(y, want) {
			t.Errorf("template lacks %q", want)
		}
	}
	arm := zipNames(t, zips["EdgeDepsArm64Layer.zip"])
	so := arm["python/orjson/orjson.cpython-313-aarch64-linux-gnu.so"]
	if so == nil {
		t.Fatal("the arm64 layer has no aarch64 orjson")
	}
	rc, _ := so.Open()
	b, _ := io.ReadAll(rc)
	rc.Close()
	if ef, err := elf.NewFile(bytes.NewReader(b)); err != nil || ef.Machine != elf.EM_AARCH64 {
		t.Errorf("orjson in the arm64 layer: %v %v", ef, err)
	}
	for _, want := range []string{"python/flask/__pycache__/app.cpython-313.pyc", "python/deployless.py", "python/_deployless_http.py",
		"python/__pycache__/_deployless_http.cpython-313.pyc"} {
		if arm[want] == nil {
			t.Errorf("the arm64 layer lacks %s (bytecode, the deployless runtime)", want)
		}
	}
	x86 := zipNames(t, zips["DepsLayer.zip"])
	for name := range x86 {
		if strings.Contains(name, "orjson") {
			t.Errorf("the project's layer holds %s (only edge asks for orjson)", name)
			break
		}
	}
	code := zipNames(t, zips["EdgeFunction.zip"])
	for _, want := range []string{"bootstrap.py", "__pycache__/bootstrap.cpython-313.pyc", "app/features/edge/__pycache__/routes.cpython-313.pyc"} {
		if code[want] == nil {
			t.Errorf("EdgeFunction.zip lacks %s", want)
		}
	}
	for _, layerOnly := range []string{"deployless.py", "_deployless_http.py"} {
		if code[layerOnly] != nil {
			t.Errorf("EdgeFunction.zip holds %s, which the layer carries", layerOnly)
		}
	}
	if code["app/features/edge/requirements.txt"] != nil || code["requirements.txt"] != nil {
		t.Error("requirements are in the code zip (they belong to the layer)")
	}
	uvCalls, _ := os.ReadFile(uvLog)
	pyCalls, _ := os.ReadFile(pyLog)
	if len(uvCalls) == 0 || len(pyCalls) == 0 || finds == 0 {
		t.Fatalf("first build: uv ran %q, python %q, %d finds", uvCalls, pyCalls, finds)
	}

	check := func(what string, res *compiler.Result) {
		t.Helper()
		if len(res.Zips) != len(first.Zips) {
			t.Fatalf("%s: %d zips, want %d", what, len(res.Zips), len(first.Zips))
		}
		for _, a := range res.Zips {
			if got, want := sha256.Sum256(zipBytes(t, a)), sha256.Sum256(zips[strings.TrimPrefix(a.Path, ".dist/")]); got != want {
				t.Errorf("%s: %s differs", what, a.Path)
			}
		}
		if !bytes.Equal(res.YAML, first.YAML) {
			t.Errorf("%s: the template differs", what)
		}
	}
	finds = 0
	check("second build", build(uv))
	if again, _ := os.ReadFile(uvLog); !bytes.Equal(again, uvCalls) {
		t.Errorf("second build ran uv: %q", again[len(uvCalls):])
	}
	if again, _ := os.ReadFile(pyLog); !bytes.Equal(again, pyCalls) || finds != 0 {
		t.Errorf("second build looked for or ran Python (%d finds): %q", finds, again[len(pyCalls):])
	}
	// --no-bytecode: sources only, in code and layers, and no Python is
	// looked for.
	finds = 0
	res, d := compiler.Compile(context.Background(), os.DirFS(dir), compiler.Options{DefaultName: "layered", ProjectDir: dir,
		Packaging: &compiler.Packaging{UV: uv, CacheDir: cache, NoBytecode: true, Python: func(string) string { finds++; return python }}})
	if d.HasErrors() {
		t.Fatalf("--no-bytecode build: %v", d)
	}
	for _, a := range res.Zips {
		for name := range zipNames(t, zipBytes(t, a)) {
			if strings.HasSuffix(name, ".pyc") {
				t.Errorf("--no-bytecode: %s holds %s", a.Path, name)
				break
			}
		}
	}
	if finds != 0 {
		t.Errorf("--no-bytecode looked for Python %d times", finds)
	}

	// No uv anywhere: the cache still serves every layer.
	t.Setenv("PATH", t.TempDir())
	check("build without uv", build(""))
}
