package pyfront

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/source"
	"github.com/deployless/deployless/internal/testenv"
)

// pythonFiles returns every .py file of the repository's fixtures and example.
func pythonFiles(t *testing.T) []*source.File {
	t.Helper()
	var files []*source.File
	for _, dir := range []string{"testdata", "examples"} {
		root := filepath.Join(testenv.RepoRoot(), dir)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".py") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			files = append(files, source.NewFile(filepath.ToSlash(rel), b))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestCodecRoundTrip: every cleanly parsed fixture decodes to exactly the
// module Parse built.
func TestCodecRoundTrip(t *testing.T) {
	n := 0
	for _, f := range pythonFiles(t) {
		mod, d := Parse(f, moduleName(f.Path))
		if mod == nil || len(d) > 0 {
			continue // syntax-error fixtures are never cached
		}
		b, ok := encodeModule(mod)
		if !ok {
			t.Errorf("%s: not encodable", f.Path)
			continue
		}
		got, err := decodeModule(b, f, moduleName(f.Path))
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if !reflect.DeepEqual(got, mod) {
			t.Errorf("%s: the decoded module differs from the parsed one", f.Path)
		}
		n++
	}
	if n < 50 {
		t.Fatalf("only %d fixture files round-tripped; expected the whole testdata and example tree", n)
	}
}

// TestCodecRejectsDamage: truncated or altered bytes give an error or a
// module, never a panic, and no truncation decodes.
func TestCodecRejectsDamage(t *testing.T) {
	f := source.NewFile("app/features/user/routes.py", mustRead(t, filepath.Join(testenv.RepoRoot(), "examples", "ums-api", "app", "features", "user", "routes.py")))
	mod, d := Parse(f, "app.features.user.routes")
	if mod == nil || len(d) > 0 {
		t.Fatalf("parse: %v", d)
	}
	b, _ := encodeModule(mod)
	for cut := 0; cut < len(b); cut++ {
		if _, err := decodeModule(b[:cut], f, "m"); err == nil {
			t.Fatalf("a module cut at %d of %d bytes decoded", cut, len(b))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		c := append([]byte(nil), b...)
		for j := 0; j < 1+r.IntN(4); j++ {
			c[r.IntN(len(c))] = byte(r.IntN(256))
		}
		_, _ = decodeModule(c, f, "m") // must not panic
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
