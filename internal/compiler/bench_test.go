package compiler_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/parsecache"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/testenv"
)

func benchCompile(b *testing.B, fsys fs.FS) {
	for b.Loop() {
		if _, d := compiler.Compile(context.Background(), fsys, compiler.Options{DefaultName: "bench"}); d.HasErrors() {
			b.Fatal(d)
		}
	}
}

// benchCompileWarm compiles with a parse cache filled by an earlier build,
// opened from disk for every build as the CLI does.
func benchCompileWarm(b *testing.B, fsys fs.FS) {
	dir := b.TempDir()
	warm := parsecache.Open(dir, pyfront.GrammarID(), "/bench")
	compiler.Compile(context.Background(), fsys, compiler.Options{DefaultName: "bench", ParseCache: warm})
	if err := warm.Save(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c := parsecache.Open(dir, pyfront.GrammarID(), "/bench")
		if _, d := compiler.Compile(context.Background(), fsys, compiler.Options{DefaultName: "bench", ParseCache: c}); d.HasErrors() {
			b.Fatal(d)
		}
	}
}

// readFloor is the baseline: reading and hashing every project file once,
// the least any build must do.
func readFloor(b *testing.B, fsys fs.FS) {
	for b.Loop() {
		_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := fs.ReadFile(fsys, p)
				sha256.Sum256(data)
			}
			return err
		})
	}
}

func BenchmarkCompile(b *testing.B) {
	example := os.DirFS(filepath.Join("..", "..", "examples", "ums-api"))
	b.Run("ums-api/compile", func(b *testing.B) { benchCompile(b, example) })
	b.Run("ums-api/compile-warm-parse-cache", func(b *testing.B) { benchCompileWarm(b, example) })
	b.Run("ums-api/read-floor", func(b *testing.B) { readFloor(b, example) })
	for _, n := range []int{10, 50, 200} {
		fsys := testenv.GeneratedProject(n)
		b.Run(fmt.Sprintf("features-%d/compile", n), func(b *testing.B) { benchCompile(b, fsys) })
		b.Run(fmt.Sprintf("features-%d/compile-warm-parse-cache", n), func(b *testing.B) { benchCompileWarm(b, fsys) })
		b.Run(fmt.Sprintf("features-%d/read-floor", n), func(b *testing.B) { readFloor(b, fsys) })
	}
}
