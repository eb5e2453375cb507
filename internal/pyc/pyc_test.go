package pyc

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/testenv"
)

// pythonVersion is the test venv's interpreter and its "3.X".
func pythonVersion(t *testing.T) (string, string) {
	t.Helper()
	python := filepath.Join(testenv.Venv(t), "bin", "python")
	out, err := exec.Command(python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])").Output()
	if err != nil {
		t.Fatal(err)
	}
	return python, strings.TrimSpace(string(out))
}

func writeTree(t *testing.T, root string) {
	t.Helper()
	for p, src := range map[string]string{
		"bootstrap.py":             "import app.features.x.routes\n\ndef handler(e, c):\n    return 1\n",
		"app/__init__.py":          "",
		"app/features/x/routes.py": "VALUE = {'a': [1, 2, 3], 'b': 'text'}\n\ndef f():\n    return VALUE\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCompile: unchecked-hash .pyc beside every module, byte-identical
// when compiled in two folders with different mtimes, recording the Lambda
// path; Python imports them without the source being newer or older.
func TestCompile(t *testing.T) {
	python, version := pythonVersion(t)
	found, err := Find(context.Background(), "python"+version, testenv.Tool(t, "uv"))
	if err != nil || found == "" {
		t.Fatalf("Find(python%s) = %q, %v", version, found, err)
	}
	if _, err := Find(context.Background(), "nodejs20.x", ""); err == nil {
		t.Error("Find accepted a runtime that is not Python")
	}
	tag := "cpython-" + strings.ReplaceAll(version, ".", "")
	var pycs [2]map[string][]byte
	for i := range pycs {
		root := filepath.Join(t.TempDir(), "pkg", "build"+string(rune('a'+i)))
		writeTree(t, root)
		if i == 1 { // other mtimes
			filepath.Walk(root, func(p string, _ os.FileInfo, _ error) error {
				return os.Chtimes(p, time1999, time1999)
			})
		}
		if err := Compile(context.Background(), python, root, "/var/task"); err != nil {
			t.Fatal(err)
		}
		pycs[i] = map[string][]byte{}
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && strings.HasSuffix(p, ".pyc") {
				rel, _ := filepath.Rel(root, p)
				b, _ := os.ReadFile(p)
				pycs[i][rel] = b
			}
			return nil
		})
	}
	want := []string{"__pycache__/bootstrap." + tag + ".pyc", "app/__pycache__/__init__." + tag + ".pyc", "app/features/x/__pycache__/routes." + tag + ".pyc"}
	for _, rel := range want {
		a, b := pycs[0][rel], pycs[1][rel]
		if a == nil {
			t.Fatalf("no %s (got %v)", rel, keys(pycs[0]))
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two folders", rel)
		}
		// PEP 552: flags word after the magic; 0b01 = hash-based, unchecked.
		if flags := binary.LittleEndian.Uint32(a[4:8]); flags != 1 {
			t.Errorf("%s: flags %b, want 01 (unchecked hash)", rel, flags)
		}
		if !bytes.Contains(a, []byte("/var/task/")) || bytes.Contains(a, []byte("build")) {
			t.Errorf("%s does not record the Lambda path only", rel)
		}
	}
	if len(pycs[0]) != len(want) {
		t.Errorf("pyc files %v, want %v", keys(pycs[0]), want)
	}
}

var time1999 = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// FindCached runs the lookup once and remembers its answer, found or not,
// until PATH or a folder on it changes.
func TestFindCached(t *testing.T) {
	bin, cache := t.TempDir(), t.TempDir()
	log := filepath.Join(t.TempDir(), "calls")
	script := "#!/bin/sh\necho x >> " + log + "\necho 3.97\n"
	if err := os.WriteFile(filepath.Join(bin, "python3.97"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	calls := func() int { b, _ := os.ReadFile(log); return strings.Count(string(b), "x") }
	for i := 0; i < 3; i++ {
		got, err := FindCached(context.Background(), "python3.97", "", cache)
		if err != nil || got != filepath.Join(bin, "python3.97") {
			t.Fatalf("FindCached = %q, %v", got, err)
		}
	}
	if n := calls(); n != 1 {
		t.Errorf("the interpreter ran %d times for three lookups, want 1", n)
	}
	// Nothing found is remembered too, until a PATH folder changes.
	for i := 0; i < 2; i++ {
		if got, _ := FindCached(context.Background(), "python3.96", "", cache); got != "" {
			t.Fatalf("found %q for a runtime that is not there", got)
		}
	}
	if err := os.WriteFile(filepath.Join(bin, "python3.96"), []byte("#!/bin/sh\necho 3.96\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, _ := FindCached(context.Background(), "python3.96", "", cache); got != filepath.Join(bin, "python3.96") {
		t.Errorf("after installing python3.96 in a PATH folder: %q", got)
	}
}
