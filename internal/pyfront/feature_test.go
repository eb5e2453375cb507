package pyfront

import (
	"fmt"
	"strings"
	"testing"
)

// shortKey is a Blueprint key without the feature's routes module.
func shortKey(f *Feature, key string) string { return strings.TrimPrefix(key, f.Module+":") }

// featureDump renders a feature's facts and the diagnostics (with notes)
// as text, so a test pins every fact, message, position and order.
func featureDump(proj *Project, diags string) string {
	var b strings.Builder
	for _, f := range proj.Features {
		fmt.Fprintf(&b, "feature %s\n", f.Name)
		for _, bp := range f.Blueprints {
			fmt.Fprintf(&b, "  blueprint %s name=%q prefix=%q parent=%q at %s\n", bp.Var, bp.Name, bp.URLPrefix, shortKey(f, bp.Parent), bp.Span)
		}
		for _, r := range f.Routes {
			fmt.Fprintf(&b, "  route %s %s %s -> %s (%s) at %s\n", strings.Join(r.Methods, ","), r.Rule, r.Path, r.Func, shortKey(f, r.Blueprint), r.Span)
		}
		for _, fn := range f.Functions {
			fmt.Fprintf(&b, "  function %s %s call=%s at %s routes=%d\n", fn.Kind, fn.Name, fn.Call.Func, fn.Span, len(fn.Routes))
		}
		if f.Configure != nil {
			fmt.Fprintf(&b, "  configure at %s\n", f.Configure.Span)
		}
		for _, s := range f.Shared {
			fmt.Fprintf(&b, "  shared at %s\n", s.Span)
		}
		for _, d := range f.Declared {
			fmt.Fprintf(&b, "  declared %s at %s\n", d.Func, d.Span)
		}
	}
	b.WriteString(diags)
	return strings.TrimSpace(b.String())
}

func analyzeNotes(t *testing.T, routes string) string {
	t.Helper()
	_, dump := analyzeFiles(t, map[string]string{"app/features/f/routes.py": routes})
	return dump
}

// TestFeatureShapes pins the facts and diagnostics of the deployless calls
// and decorators beside Flask's shapes: the decorator order rules, the
// split/route cross-checks and the checks of an empty feature.
func TestFeatureShapes(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"decorator order", `import deployless as pc
from flask import Blueprint
bp = Blueprint("b", __name__, url_prefix="/p")
@pc.route(memory=256)
@bp.route("/a", methods=["PUT"])
def a(): pass
@bp.post("/b")
@pc.route
def b(): pass
@bp.delete("/c")
def c(): pass
bp.add_url_rule("/d/<int:n>", "dee", view_func=c, methods=["GET", "get"])
bp.add_url_rule("/e", "e_view")
pc.shared_resource(pc.S3("x"))
t = pc.DynamoDB("t", pk="id")
`, `feature f
  blueprint bp name="b" prefix="/p" parent="" at app/features/f/routes.py:3:6
  route PUT /p/a /p/a -> a (bp) at app/features/f/routes.py:5:2
  route POST /p/b /p/b -> b (bp) at app/features/f/routes.py:7:2
  route DELETE /p/c /p/c -> c (bp) at app/features/f/routes.py:10:2
  route GET /p/d/<int:n> /p/d/{n} -> c (bp) at app/features/f/routes.py:12:1
  route GET /p/e /p/e -> e_view (bp) at app/features/f/routes.py:13:1
  function route a call=route at app/features/f/routes.py:6:5 routes=1
  function route b call=route at app/features/f/routes.py:9:5 routes=1
  shared at app/features/f/routes.py:14:1
  declared DynamoDB at app/features/f/routes.py:15:5`},
		{"cross-checks", `import deployless as pc
from flask import Blueprint
bp = Blueprint("b", __name__)
@pc.route()
def lone(): pass
@pc.cron(schedule="rate(1 day)")
@bp.get("/x")
def tick(): pass
@pc.lambda_function
@pc.cron(schedule="rate(1 day)")
def two(): pass
@pc.Ref
def notdec(): pass
pc.configure(memory=128)
pc.configure(memory=256)
`, `feature f
  blueprint bp name="b" prefix="" parent="" at app/features/f/routes.py:3:6
  route GET /x /x -> tick (bp) at app/features/f/routes.py:7:2
  function route lone call=route at app/features/f/routes.py:5:5 routes=0
  function cron tick call=cron at app/features/f/routes.py:8:5 routes=1
  function lambda_function two call=lambda_function at app/features/f/routes.py:11:5 routes=0
  configure at app/features/f/routes.py:14:1
app/features/f/routes.py:4:2: E10 @route() on lone, which has no Flask route decorator
app/features/f/routes.py:6:2: E10 @cron() function tick must not also be a Flask route
app/features/f/routes.py:10:2: E10 function two has more than one deployless decorator
  note: app/features/f/routes.py:9:2: first one
app/features/f/routes.py:12:2: E10 deployless.Ref is not a decorator
app/features/f/routes.py:15:1: E10 configure() is called more than once in this feature
  note: app/features/f/routes.py:14:1: first call`},
		{"blueprint without routes", `from flask import Blueprint
bp = Blueprint("b", __name__)
`, `feature f
  blueprint bp name="b" prefix="" parent="" at app/features/f/routes.py:2:6
app/features/f/routes.py:2:6: E10 Blueprint bp has no routes`},
		{"no blueprint", `x = 1
`, `feature f
app/features/f/routes.py:1:1: E10 no Flask Blueprint or FastAPI APIRouter found: routes.py must define one (bp = Blueprint(...) or router = APIRouter(...)) with at least one route, or a @cron/@lambda_function`},
		{"rule without a slash", `from flask import Blueprint
bp = Blueprint("b", __name__)
@bp.get("nos")
def nos(): pass
`, `feature f
  blueprint bp name="b" prefix="" parent="" at app/features/f/routes.py:2:6
app/features/f/routes.py:2:6: E10 Blueprint bp has no routes
app/features/f/routes.py:3:2: E34 route rule "nos" must start with "/"`},
		{"standalone only", `import deployless as pc
@pc.lambda_function(memory=512)
def job(event, context): pass
`, `feature f
  function lambda_function job call=lambda_function at app/features/f/routes.py:3:5 routes=0`},
		{"nested blueprints and refused shapes", `from flask import Blueprint
import flask
a = Blueprint("a", __name__, url_prefix="/a")
b = c = flask.Blueprint("b", __name__, url_prefix="/own")
@b.route("/x/")
def x(): pass
@a.route(42)
def bad(): pass
@a.route("/m", methods="GET")
def m(): pass
@a.route("/n", methods=["GET", 3])
def n(): pass
@a.get("/q-<id>")
def q(): pass
@a.get("nos")
def nos(): pass
@a.get("/<weird:z>")
def w(): pass
@a.patch("/<path:p>/k")
def k(): pass
a.add_url_rule(7, "seven")
a.register_blueprint(zzz)
a.register_blueprint(b, url_prefix="/reg")
a.other(1)
`, `feature f
  blueprint a name="a" prefix="/a" parent="" at app/features/f/routes.py:3:5
  blueprint b name="b" prefix="/own" parent="a" at app/features/f/routes.py:4:9
  blueprint c name="b" prefix="/own" parent="" at app/features/f/routes.py:4:9
  route GET /a/reg/x/ /a/reg/x -> x (b) at app/features/f/routes.py:5:2
  route GET /a/nos /a/nos -> nos (a) at app/features/f/routes.py:15:2
app/features/f/routes.py:7:10: E10 route rule must be a string, got int
app/features/f/routes.py:9:24: E10 methods must be a list of strings, got str
app/features/f/routes.py:11:32: E10 methods must be a list of strings, got int
app/features/f/routes.py:13:2: E34 segment "q-<id>" of "/a/q-<id>" mixes text and a variable, which API Gateway cannot route
app/features/f/routes.py:17:2: E34 converter "weird" in "/a/<weird:z>" is not supported (use string, int, float, uuid or path)
app/features/f/routes.py:19:2: E34 <path:…> converter must be the last segment of "/a/<path:p>/k"
app/features/f/routes.py:21:16: E10 add_url_rule() rule must be a string, got int
app/features/f/routes.py:22:22: E10 register_blueprint() argument must be a Blueprint of this feature (defined in one of its modules or imported into it)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := analyzeNotes(t, tc.src); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}
