package pyfront

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/source"
)

// BenchmarkAnalyze parses and evaluates a project of 50 features (a routes.py
// with a blueprint, five routes, a split, a cron and a table, plus a service
// module each) and reports files/s; the baseline in the same run is Parse
// alone (tree-sitter + AST conversion, no evaluation).
func BenchmarkAnalyze(b *testing.B) {
	fsys := fstest.MapFS{}
	const n = 50
	for i := 0; i < n; i++ {
		fsys[fmt.Sprintf("app/features/f%d/routes.py", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`from flask import Blueprint
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

@pc.route(memory=1024)
@bp.post("/export")
def export_f%[1]d():
    return {}

@pc.cron(schedule="rate(1 day)")
def nightly_f%[1]d(event, context):
    return {}
`, i))}
		fsys[fmt.Sprintf("app/features/f%d/service.py", i)] = &fstest.MapFile{Data: []byte("def run(x):\n    return [y * 2 for y in x if y]\n")}
	}
	files := 2 * n
	b.Run("parse+evaluate", func(b *testing.B) {
		for b.Loop() {
			if _, d := Analyze(fsys, Options{FeaturesDir: "app/features"}); d.HasErrors() {
				b.Fatal(d)
			}
		}
		b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "files/s")
	})
	b.Run("parse-only-baseline", func(b *testing.B) {
		an := &analyzer{fsys: fsys, files: map[string]*source.File{}}
		var all []*source.File
		for p := range fsys {
			all = append(all, an.read(p))
		}
		for b.Loop() {
			for _, f := range all {
				Parse(f, moduleName(f.Path))
			}
		}
		b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "files/s")
	})
}
