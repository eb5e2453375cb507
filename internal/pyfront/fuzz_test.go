package pyfront

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/parsecache"
	"github.com/deployless/deployless/internal/source"
	"github.com/deployless/deployless/internal/testenv"
)

// mapCache serves one fixed value for every key: the fuzz input stands for
// a damaged (or forged) cache entry of routes.py.
type mapCache struct{ v []byte }

func (c mapCache) Get(parsecache.Key) ([]byte, bool) { return c.v, true }
func (c mapCache) Put(parsecache.Key, []byte)        {}

const fuzzRoutes = "from flask import Blueprint\nimport deployless as pc\n\nt = pc.DynamoDB(\"t\", pk=\"id\")\npc.configure(resources={\"t\": t}, env={\"A\": pc.Ref(t)})\nbp = Blueprint(\"x\", __name__, url_prefix=\"/x\")\n\n\n@bp.route(\"/<int:i>\", methods=[\"GET\", \"POST\"])\ndef x(i):\n    return {}\n\n\n@pc.cron(\"rate(1 hour)\")\ndef tick():\n    pass\n"

// FuzzCachedModule feeds arbitrary bytes to the parse-cache decoder as the
// cached parse of a routes.py, then evaluates whatever it decodes: any
// input must give facts or diagnostics, never a panic or a hang.
func FuzzCachedModule(f *testing.F) {
	seeds := []string{fuzzRoutes}
	for _, dir := range []string{"testdata/projects", "testdata/codes"} {
		paths, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(), dir, "*", "app", "features", "*", "routes.py"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				seeds = append(seeds, string(b))
			}
		}
	}
	for _, src := range seeds {
		if m, d := Parse(source.NewFile("app/features/x/routes.py", []byte(src)), "app.features.x.routes"); m != nil && len(d) == 0 {
			if b, ok := encodeModule(m); ok {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, entry []byte) {
		fsys := fstest.MapFS{"app/features/x/routes.py": {Data: []byte(fuzzRoutes)}}
		_, _ = Analyze(fsys, Options{FeaturesDir: "app/features", SharedDir: "app/shared", Cache: mapCache{entry},
			Getenv: func(string) (string, bool) { return "", false }})
	})
}
