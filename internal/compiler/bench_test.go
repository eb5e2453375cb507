package compiler_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/parsecache"
	"github.com/deployless/deployless/internal/pyfront"
)

// generated returns an in-memory project of n features, each with a
// blueprint of four routes, a split route, a cron and a table.
func generated(n int) fstest.MapFS {
	fsys := fstest.MapFS{"deployless.yaml": {Data: []byte("name: bench\n")}}
	for i := 0; i < n; i++ {
		src := fmt.Sprintf(`from flask import Blueprint
import deployless as pc

table = pc.DynamoDB("f%[1]d-items", pk="id", sk="ts", gsi=[{"name": "ByOwner", "pk": "owner"}])
pc.configure(memory=512, resources={"items": table}, policies=[{"DynamoDBCrudPolicy": {"TableName": pc.Ref(table)}}])

bp = Blueprint("f%[1]d", __name__, url_prefix="/f%[1]d")


@bp.route("", methods=["GET", "POST"])
def collection():
    return []


@bp.route("/<item_id>", methods=["GET", "PUT", "DELETE"])
def item(item_id):
    return {}


@pc.route(memory=1024, timeout=60)
@bp.post("/export")
def export_f%[1]d():
    return {}


@pc.cron(schedule="rate(1 day)")
def nightly_f%[1]d(event, context):
    return {}
`, i)
		fsys[fmt.Sprintf("app/features/f%d/routes.py", i)] = &fstest.MapFile{Data: []byte(src)}
		fsys[fmt.Sprintf("app/features/f%d/service.py", i)] = &fstest.MapFile{Data: []byte("def run():\n    return 1\n")}
	}
	return fsys
}

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
		fsys := generated(n)
		b.Run(fmt.Sprintf("features-%d/compile", n), func(b *testing.B) { benchCompile(b, fsys) })
		b.Run(fmt.Sprintf("features-%d/compile-warm-parse-cache", n), func(b *testing.B) { benchCompileWarm(b, fsys) })
		b.Run(fmt.Sprintf("features-%d/read-floor", n), func(b *testing.B) { readFloor(b, fsys) })
	}
}
