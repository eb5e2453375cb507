package compiler

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

// countingFS counts ReadFile and ReadDir calls per path.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingFS) count(name string) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
}

func (c *countingFS) ReadFile(name string) ([]byte, error) {
	c.count("file " + name)
	return fs.ReadFile(c.FS, name)
}

func (c *countingFS) ReadDir(name string) ([]fs.DirEntry, error) {
	c.count("dir " + name)
	return fs.ReadDir(c.FS, name)
}

// TestCompileReadsEachFileOnce: the front end and the packager walk the
// same folders; the memoising FS makes each file and listing one read.
func TestCompileReadsEachFileOnce(t *testing.T) {
	c := &countingFS{FS: os.DirFS(filepath.Join(testenv.RepoRoot(), "examples", "ums-api")), reads: map[string]int{}}
	res, d := Compile(context.Background(), c, Options{DefaultName: "ums-api", Getenv: func(string) (string, bool) { return "", false }})
	if d.HasErrors() || len(res.Packages) == 0 {
		t.Fatalf("compile: %v", d)
	}
	if len(c.reads) < 20 {
		t.Fatalf("only %d paths read", len(c.reads))
	}
	for p, n := range c.reads {
		if n > 1 {
			t.Errorf("%s read %d times", p, n)
		}
	}
}
