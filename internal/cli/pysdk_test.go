package cli

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/packager"
	"github.com/deployless/deployless/internal/testenv"
)

// TestPySDKWheel checks python-sdk's wheel against the binary distribution
// format: the module is the runtime every package ships, py.typed is there,
// METADATA/WHEEL carry the required fields, RECORD lists every other file
// with its urlsafe-base64 SHA-256 and size, and two runs give the same bytes.
func TestPySDKWheel(t *testing.T) {
	v, err := packager.PyVersion(Version)
	if err != nil {
		t.Fatal(err)
	}
	name := "deployless-" + v + "-py3-none-any.whl"
	var wheels [][]byte
	for _, out := range []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b", "c")} {
		code, stdout, stderr := run(t, "python-sdk", "--out", out)
		if code != 0 {
			t.Fatalf("python-sdk --out %s: exit %d\n%s", out, code, stderr)
		}
		if want := filepath.Join(out, name); strings.TrimSpace(stdout) != want {
			t.Errorf("stdout = %q, want the wheel's path %q", stdout, want)
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 1 || entries[0].Name() != name {
			t.Errorf("%s holds %v, want only %s (no temporary file left)", out, entries, name)
		}
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(filepath.Join(out, name)); st.Mode().Perm() != 0o644 {
			t.Errorf("wheel mode %v, want 0644", st.Mode().Perm())
		}
		wheels = append(wheels, data)
	}
	if !bytes.Equal(wheels[0], wheels[1]) {
		t.Fatalf("two runs wrote different wheels (%d and %d bytes)", len(wheels[0]), len(wheels[1]))
	}

	zr, err := zip.NewReader(bytes.NewReader(wheels[0]), int64(len(wheels[0])))
	if err != nil {
		t.Fatal(err)
	}
	info := "deployless-" + v + ".dist-info/"
	wantNames := []string{"deployless/__init__.py", "deployless/py.typed", info + "METADATA", info + "WHEEL", info + "RECORD"}
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)) || f.Mode() != 0o644 || f.Method != zip.Deflate {
			t.Errorf("%s: modified %v, mode %v, method %d; want 1980-01-01, 0644, deflate", f.Name, f.Modified, f.Mode(), f.Method)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := b.ReadFrom(rc); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		rc.Close()
		files[f.Name] = b.Bytes()
	}
	if strings.Join(names, " ") != strings.Join(wantNames, " ") {
		t.Fatalf("entries %v, want %v", names, wantNames)
	}

	source, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "internal", "packager", "runtime", "deployless.py"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files["deployless/__init__.py"], source) || !bytes.Equal(packager.RuntimeModule(), source) {
		t.Error("deployless/__init__.py (or packager.RuntimeModule) differs from internal/packager/runtime/deployless.py")
	}
	if len(files["deployless/py.typed"]) != 0 {
		t.Errorf("py.typed = %q, want empty", files["deployless/py.typed"])
	}
	wantLines(t, "METADATA", files[info+"METADATA"], "Metadata-Version: 2.1", "Name: deployless", "Version: "+v,
		"Requires-Python: >=3.10")
	if !strings.Contains(string(files[info+"METADATA"]), "\nSummary: ") {
		t.Errorf("METADATA has no Summary:\n%s", files[info+"METADATA"])
	}
	wantLines(t, "WHEEL", files[info+"WHEEL"], "Wheel-Version: 1.0", "Generator: deployless "+Version,
		"Root-Is-Purelib: true", "Tag: py3-none-any")

	record := strings.Split(strings.TrimSuffix(string(files[info+"RECORD"]), "\n"), "\n")
	if len(record) != len(wantNames) {
		t.Fatalf("RECORD has %d lines, want %d:\n%s", len(record), len(wantNames), files[info+"RECORD"])
	}
	for i, line := range record {
		fields := strings.Split(line, ",")
		if len(fields) != 3 || fields[0] != wantNames[i] {
			t.Errorf("RECORD line %q, want %s,<hash>,<size>", line, wantNames[i])
			continue
		}
		if fields[0] == info+"RECORD" {
			if fields[1] != "" || fields[2] != "" {
				t.Errorf("RECORD's own line %q must have no hash and size", line)
			}
			continue
		}
		data := files[fields[0]]
		sum := sha256.Sum256(data)
		if want := "sha256=" + base64.RawURLEncoding.EncodeToString(sum[:]); fields[1] != want {
			t.Errorf("RECORD %s: hash %s, want %s", fields[0], fields[1], want)
		}
		if fields[2] != strconv.Itoa(len(data)) {
			t.Errorf("RECORD %s: size %s, want %d", fields[0], fields[2], len(data))
		}
	}
}

// wantLines checks that each line appears as a whole line of data.
func wantLines(t *testing.T, what string, data []byte, lines ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		have[l] = true
	}
	for _, l := range lines {
		if !have[l] {
			t.Errorf("%s lacks the line %q:\n%s", what, l, data)
		}
	}
}

func TestPySDKOutIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "python-sdk", "--out", file)
	if code != 1 || !strings.Contains(stderr, "deployless: ") {
		t.Errorf("--out naming a file: exit %d, stderr %q; want 1 and the error", code, stderr)
	}
	if code, _, _ := run(t, "python-sdk", "extra"); code != 2 {
		t.Errorf("an argument: exit %d, want 2", code)
	}
}

func TestPySDKVersion(t *testing.T) {
	for in, want := range map[string]string{
		"v0.1.0-dev":                          "0.1.0.dev0",
		"v1.2.3":                              "1.2.3",
		"1.2.3":                               "1.2.3",
		"v1.02.003":                           "1.2.3",
		"v1.2.3-dev.3":                        "1.2.3.dev3",
		"v1.2.3-alpha":                        "1.2.3a0",
		"v1.2.3-beta2":                        "1.2.3b2",
		"v1.2.3-rc.1":                         "1.2.3rc1",
		"v1.2.3-RC.01":                        "1.2.3rc1",
		"v1.2.3+Build.007":                    "1.2.3+build.7",
		"v1.2.3-rc.1+build.5":                 "1.2.3rc1+build.5",
		"v0.1.0-5-gabc1234-dirty":             "0.1.0+5.gabc1234.dirty",
		"v0.1.1-0.20260101120000-abcdef12345": "0.1.1+0.20260101120000.abcdef12345",
		"v1.2.3+..":                           "1.2.3",
	} {
		got, err := packager.PyVersion(in)
		if err != nil || got != want {
			t.Errorf("PyVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "dev", "v1..2", "v1.2.3 ", "v1.2.3-", "vx"} {
		if got, err := packager.PyVersion(bad); err == nil {
			t.Errorf("PyVersion(%q) = %q, want an error", bad, got)
		}
	}
}
