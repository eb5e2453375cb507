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

// TestFactoryPrefixes: a url_prefix given by the app factory's
// register_blueprint is the Blueprint's prefix in the template; one that
// cannot be evaluated, or a Blueprint that cannot be identified, is E10.
func TestFactoryPrefixes(t *testing.T) {
	files := map[string]string{
		"app/__init__.py": `from flask import Flask
PREFIX = "/api"
def create_app():
    app = Flask(__name__)
    from app.features.auth import bp as auth_bp
    from app.features import api
    from app.features.main.routes import bp
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(api.routes.bp, url_prefix=PREFIX)
    app.register_blueprint(bp)
    for b in []:
        app.register_blueprint(b, url_prefix="/x")
    app.register_blueprint(bp, url_prefix=compute())
    return app
`,
		"app/features/auth/__init__.py": "from .routes import bp\n",
		"app/features/auth/routes.py":   "from flask import Blueprint\nbp = Blueprint('auth', __name__)\n@bp.get('/login')\ndef login(): pass\n",
		"app/features/api/routes.py":    "from flask import Blueprint\nbp = Blueprint('api', __name__, url_prefix='/own')\n@bp.get('/users')\ndef users(): pass\n",
		"app/features/main/routes.py":   "from flask import Blueprint\nbp = Blueprint('main', __name__)\n@bp.get('/')\ndef index(): pass\n",
	}
	fsys := fstest.MapFS{}
	for p, src := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(src)}
	}
	proj, diags := Analyze(fsys, Options{FeaturesDir: "app/features"})
	var got []string
	for _, f := range proj.Features {
		for _, r := range f.Routes {
			got = append(got, f.Name+" "+r.Rule)
		}
	}
	for _, d := range diags.Sorted() {
		got = append(got, d.String())
	}
	want := []string{
		"api /own/users", // api.routes.bp: an attribute of an imported package, not identified
		"auth /auth/login",
		"main /",
		"app/__init__.py:9:5: E10 app.create_app() registers a Blueprint deployless cannot identify with url_prefix=\"/api\"; register a Blueprint imported by name (from app.features.x.routes import bp) so the template gets its prefix",
		"app/__init__.py:12:9: E10 app.create_app() registers a Blueprint deployless cannot identify with url_prefix=\"/x\"; register a Blueprint imported by name (from app.features.x.routes import bp) so the template gets its prefix",
		"app/__init__.py:13:43: E10 app.create_app() registers a Blueprint with a url_prefix deployless cannot evaluate, so the template could not hold the URLs the app serves; write a string literal (or set url_prefix on the Blueprint itself)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestExtraModules: project modules outside the app package that shipped
// code imports (at module level or inside a function), and what they
// import, are shipped; standard and third-party modules, and project files
// nothing imports, are not.
func TestExtraModules(t *testing.T) {
	files := map[string]string{
		"config.py":                "import os\nfrom lib.util import helper\nclass Config: pass\n",
		"lib/__init__.py":          "",
		"lib/util.py":              "def helper(): pass\n",
		"lib/unused.py":            "x = 1\n",
		"manage.py":                "from app import create_app\n",
		"app/__init__.py":          "from flask import Flask\nfrom config import Config\ndef create_app():\n    import tools.late\n    return Flask(__name__)\n",
		"tools/late.py":            "import json\n",
		"app/features/a/routes.py": "from flask import Blueprint\nbp = Blueprint('a', __name__)\n@bp.get('/a')\ndef a(): pass\n",
	}
	fsys := fstest.MapFS{}
	for p, src := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(src)}
	}
	proj, diags := Analyze(fsys, Options{FeaturesDir: "app/features"})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if got, want := strings.Join(proj.ExtraFiles, " "), "config.py lib/__init__.py lib/util.py tools/late.py"; got != want {
		t.Errorf("extra files %q, want %q", got, want)
	}
}
