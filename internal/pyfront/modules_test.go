package pyfront

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// TestFeatureModules: routes, Blueprints and deployless calls are read in
// every module the feature imports, with their own positions; a Blueprint
// is one object wherever it is imported; register_blueprint works across
// modules; a Blueprint from app/shared is served by the feature; modules of
// other features and unimported modules are not read.
func TestFeatureModules(t *testing.T) {
	files := map[string]string{
		"app/__init__.py": "",
		"app/features/u/__init__.py": `from flask import Blueprint
bp = Blueprint("u", __name__, url_prefix="/u")
from . import views
`,
		"app/features/u/views.py": `from . import bp
@bp.get("/page")
def page(): pass
`,
		"app/features/u/api.py": `from flask import Blueprint
from flask.views import MethodView
api = Blueprint("u_api", __name__)
class Base(MethodView):
    def get(self): pass
class Item(Base):
    def delete(self): pass
api.add_url_rule("/items/<int:i>", view_func=Item.as_view("item"))
`,
		"app/features/u/routes.py": `import deployless as pc
from app.features.u import bp
from .api import api
from . import tasks
from app.shared.health import health
bp.register_blueprint(api, url_prefix="/api")
pc.configure(memory=512)
`,
		"app/features/u/tasks.py": `import deployless as pc
@pc.cron(schedule="rate(1 hour)")
def tick(event, context): pass
`,
		"app/features/u/unused.py": `from . import bp
@bp.get("/never-imported")
def never(): pass
`,
		"app/shared/health.py": `from flask import Blueprint
health = Blueprint("health", __name__)
@health.get("/health")
def ok(): pass
`,
	}
	fsys := fstest.MapFS{}
	for p, src := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(src)}
	}
	proj, diags := Analyze(fsys, Options{FeaturesDir: "app/features", SharedDir: "app/shared"})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	var b strings.Builder
	f := proj.Features[0]
	for _, bp := range f.Blueprints {
		fmt.Fprintf(&b, "blueprint %s parent=%s\n", bp.Key(), bp.Parent)
	}
	for _, r := range f.Routes {
		fmt.Fprintf(&b, "route %s %s %s endpoint=%s at %s\n", strings.Join(r.Methods, ","), r.Rule, r.Blueprint, r.Endpoint, r.Span)
	}
	for _, fn := range f.Functions {
		fmt.Fprintf(&b, "function %s %s.%s at %s\n", fn.Kind, fn.Module, fn.Name, fn.Span)
	}
	fmt.Fprintf(&b, "configure at %s\n", f.Configure.Span)
	want := `blueprint app.features.u:bp parent=
blueprint app.features.u.api:api parent=app.features.u:bp
blueprint app.shared.health:health parent=
route GET /u/page app.features.u:bp endpoint=page at app/features/u/views.py:2:2
route GET,DELETE /u/api/items/<int:i> app.features.u.api:api endpoint=item at app/features/u/api.py:8:1
route GET /health app.shared.health:health endpoint=ok at app/shared/health.py:3:2
function cron app.features.u.tasks.tick at app/features/u/tasks.py:3:5
configure at app/features/u/routes.py:7:1
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
