package artifact

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"io/fs"
	"strings"
	"testing"
)

func entry(name string, exec fs.FileMode, body string) ZipEntry {
	return ZipEntry{Name: name, Mode: 0o644 | exec, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }}
}

// TestWriteZip: the same entries in any order give the same bytes; folders
// get their own entries; times, modes and extra fields are fixed.
func TestWriteZip(t *testing.T) {
	a := []ZipEntry{entry("python/b/x.py", 0, "x"), entry("python/a-b/y.py", 0, "y"), entry("python/bin.sh", 0o111, "#!/bin/sh\n")}
	b := []ZipEntry{a[2], a[0], a[1]}
	var za, zb bytes.Buffer
	sa, err := WriteZip(&za, a)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := WriteZip(&zb, b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(za.Bytes(), zb.Bytes()) || sa != sb {
		t.Fatal("the order of the entries changed the zip")
	}
	if sa.Unzipped != int64(len("x")+len("y")+len("#!/bin/sh\n")) || sa.Size != int64(za.Len()) || len(sa.SHA256) != 64 {
		t.Errorf("stats %+v", sa)
	}
	r, err := zip.NewReader(bytes.NewReader(za.Bytes()), int64(za.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
		if len(f.Extra) != 0 {
			t.Errorf("%s has extra fields %x", f.Name, f.Extra)
		}
		if f.ModifiedDate != dosDate || f.ModifiedTime != dosTime {
			t.Errorf("%s: date %d time %d", f.Name, f.ModifiedDate, f.ModifiedTime)
		}
		want := uint32(0o644)
		switch {
		case strings.HasSuffix(f.Name, "/"):
			want = 0o755
		case f.Name == "python/bin.sh":
			want = 0o755
		}
		if got := uint32(f.Mode().Perm()); got != want {
			t.Errorf("%s: mode %o, want %o", f.Name, got, want)
		}
	}
	if got := strings.Join(names, " "); got != "python/ python/a-b/ python/a-b/y.py python/b/ python/b/x.py python/bin.sh" {
		t.Errorf("entries %s", got)
	}
	// No extended-timestamp field in the local headers either.
	raw := za.Bytes()
	for i := 0; i+30 <= len(raw); i++ {
		if binary.LittleEndian.Uint32(raw[i:]) == 0x04034b50 && binary.LittleEndian.Uint16(raw[i+28:]) != 0 {
			t.Errorf("a local header at %d has %d bytes of extra fields", i, binary.LittleEndian.Uint16(raw[i+28:]))
		}
	}
	for _, bad := range [][]ZipEntry{{entry("../x", 0, "")}, {entry("/abs", 0, "")}, {entry("a//b", 0, "")}, {a[0], a[0]}} {
		if _, err := WriteZip(io.Discard, bad); err == nil {
			t.Errorf("WriteZip(%q) did not fail", bad[0].Name)
		}
	}
}
