package parsecache

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPackKeepsWhatTheBuildUsed(t *testing.T) {
	dir := t.TempDir()
	a, b, c := Sum([]byte("a = 1\n")), Sum([]byte("b = 2\n")), Sum([]byte("c = 3\n"))

	first := Open(dir, "g1", "/p")
	if _, ok := first.Get(a); ok {
		t.Fatal("an empty cache hit")
	}
	first.Put(a, []byte("A"))
	first.Put(b, []byte("B"))
	if err := first.Save(); err != nil {
		t.Fatal(err)
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "parse-g1-*.bin"))
	if len(packs) != 1 {
		t.Fatalf("packs: %v", packs)
	}

	// A build that only hits leaves the pack as it is.
	second := Open(dir, "g1", "/p")
	if v, ok := second.Get(a); !ok || string(v) != "A" {
		t.Fatalf("Get(a) = %q %v", v, ok)
	}
	before, _ := os.ReadFile(packs[0])
	if err := second.Save(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(packs[0]); !bytes.Equal(before, after) {
		t.Error("a build with no new entry rewrote the pack")
	}
	if h, p := second.Stats(); h != 1 || p != 0 {
		t.Errorf("Stats = %d hits, %d puts", h, p)
	}

	// A build that parses something new keeps only what it used: b is gone.
	second.Put(c, []byte("C"))
	if err := second.Save(); err != nil {
		t.Fatal(err)
	}
	third := Open(dir, "g1", "/p")
	for k, want := range map[Key]string{a: "A", c: "C"} {
		if v, ok := third.Get(k); !ok || string(v) != want {
			t.Errorf("Get = %q %v, want %q", v, ok, want)
		}
	}
	if _, ok := third.Get(b); ok {
		t.Error("an entry the last build did not use survived")
	}

	// Another grammar or another project has its own pack.
	if _, ok := Open(dir, "g2", "/p").Get(a); ok {
		t.Error("another grammar's pack was read")
	}
	if _, ok := Open(dir, "g1", "/q").Get(a); ok {
		t.Error("another project's pack was read")
	}
}

func TestDamagedPackIsAMiss(t *testing.T) {
	dir := t.TempDir()
	k := Sum([]byte("x"))
	c := Open(dir, "g", "/p")
	c.Put(k, bytes.Repeat([]byte("v"), 100))
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "*.bin"))
	full, _ := os.ReadFile(packs[0])
	for _, cut := range []int{0, 5, len(magic), len(magic) + 10, len(magic) + 33, len(full) - 1} {
		if err := os.WriteFile(packs[0], full[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		if v, ok := Open(dir, "g", "/p").Get(k); ok {
			t.Errorf("a pack cut at %d bytes gave a value of %d bytes", cut, len(v))
		}
	}
}

func TestDisabled(t *testing.T) {
	c := Open("", "g", "/p")
	if c != nil {
		t.Fatal("Open with no folder returned a cache")
	}
	c.Put(Sum(nil), []byte("x"))
	if _, ok := c.Get(Sum(nil)); ok {
		t.Error("a disabled cache hit")
	}
	if err := c.Save(); err != nil {
		t.Error(err)
	}
}

func TestTrimDropsOldPacks(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	old := now.Add(-maxAge - time.Hour)
	files := map[string]time.Time{
		"parse-g-aaaa.bin": old,                     // a project not built for over 30 days
		"parse-g-bbbb.bin": now.Add(-time.Hour),     // recent
		".parse-1.tmp":     now.Add(-2 * trimEvery), // a crashed write
		"notes.txt":        old,                     // not ours
	}
	for name, mt := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	trim(dir, now)
	for name, want := range map[string]bool{"parse-g-aaaa.bin": false, "parse-g-bbbb.bin": true, ".parse-1.tmp": false, "notes.txt": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s kept = %v, want %v", name, err == nil, want)
		}
	}
	// Within a day of the last trim nothing is examined.
	p := filepath.Join(dir, "parse-g-cccc.bin")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
	trim(dir, now.Add(time.Hour))
	if _, err := os.Stat(p); err != nil {
		t.Error("a second trim within a day ran")
	}
}

// Every single-byte change inside an entry is a miss for that entry (the
// old format handed a flipped value to the decoder, which panicked).
func TestFlippedByteIsAMiss(t *testing.T) {
	dir := t.TempDir()
	k := Sum([]byte("x"))
	c := Open(dir, "g", "/p")
	c.Put(k, []byte("a parsed module"))
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	packs, _ := filepath.Glob(filepath.Join(dir, "*.bin"))
	full, _ := os.ReadFile(packs[0])
	if v, ok := Open(dir, "g", "/p").Get(k); !ok || string(v) != "a parsed module" {
		t.Fatalf("intact pack: %q, %v", v, ok)
	}
	for i := len(magic); i < len(full); i++ {
		b := bytes.Clone(full)
		b[i] ^= 0x10
		if err := os.WriteFile(packs[0], b, 0o600); err != nil {
			t.Fatal(err)
		}
		if v, ok := Open(dir, "g", "/p").Get(k); ok {
			t.Errorf("byte %d flipped: got a value %q", i, v)
		}
	}
}
