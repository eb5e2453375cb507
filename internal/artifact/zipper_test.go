package artifact

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
)

// Zipper's zips read back as their files, are the same bytes whatever the
// order of the files and however many goroutines share the Zipper, and
// share compressed bodies.
func TestZipper(t *testing.T) {
	files := []ZipFile{
		{Name: "b/x.py", Mode: 0o644, Data: []byte("print('x')\n")},
		{Name: "a.py", Mode: 0o644, Data: bytes.Repeat([]byte("shared body "), 100)},
		{Name: "bin/run", Mode: 0o755, Data: []byte("#!/bin/sh\n")},
		{Name: "empty", Mode: 0o644},
	}
	z := NewZipper()
	want, st, err := z.Zip(files)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size != int64(len(want)) || st.Unzipped != int64(11+1200+10) {
		t.Errorf("stats %+v", st)
	}
	r, err := zip.NewReader(bytes.NewReader(want), int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name+" "+f.Mode().String())
		if len(f.Extra) != 0 || f.Modified.Year() != 1980 {
			t.Errorf("%s: extra %x, time %v", f.Name, f.Extra, f.Modified)
		}
		if f.Name == "a.py" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(b, files[1].Data) {
				t.Errorf("a.py reads back %q", b)
			}
		}
	}
	wantNames := "a.py -rw-r--r--,b/ drwxr-xr-x,b/x.py -rw-r--r--,bin/ drwxr-xr-x,bin/run -rwxr-xr-x,empty -rw-r--r--"
	if got := strings.Join(names, ","); got != wantNames {
		t.Errorf("entries %s, want %s", got, wantNames)
	}
	reversed := []ZipFile{files[3], files[2], files[1], files[0]}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, _, err := z.Zip(reversed)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("concurrent zip differs (%v)", err)
			}
		}()
	}
	wg.Wait()
	if n := len(z.bodies); n != 4 {
		t.Errorf("%d distinct bodies compressed, want 4", n)
	}
	if _, _, err := z.Zip([]ZipFile{{Name: "../x"}}); err == nil {
		t.Error("an unclean name was accepted")
	}
	if _, _, err := z.Zip([]ZipFile{{Name: "x"}, {Name: "x"}}); err == nil {
		t.Error("a duplicate name was accepted")
	}
}
