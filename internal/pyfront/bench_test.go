package pyfront

import (
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/source"
	"github.com/deployless/deployless/internal/testenv"
)

// BenchmarkAnalyze parses and evaluates a project of 50 features (a routes.py
// with a blueprint, five routes, a split, a cron and a table, plus a service
// module each) and reports files/s; the baseline in the same run is Parse
// alone (tree-sitter + AST conversion, no evaluation).
func BenchmarkAnalyze(b *testing.B) {
	const n = 50
	fsys := testenv.GeneratedProject(n)
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
			if strings.HasSuffix(p, ".py") {
				all = append(all, an.read(p))
			}
		}
		for b.Loop() {
			for _, f := range all {
				Parse(f, moduleName(f.Path))
			}
		}
		b.ReportMetric(float64(files*b.N)/b.Elapsed().Seconds(), "files/s")
	})
}
