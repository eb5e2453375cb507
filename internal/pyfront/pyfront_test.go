package pyfront

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/kind"
)

func analyze(t *testing.T, files map[string]string, env map[string]string) (*Project, string) {
	t.Helper()
	fsys := fstest.MapFS{}
	for p, c := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(c)}
	}
	proj, diags := Analyze(fsys, Options{FeaturesDir: "app/features", SharedDir: "app/shared", Getenv: func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}})
	var lines []string
	for _, d := range diags.Sorted() {
		lines = append(lines, d.String())
	}
	return proj, strings.Join(lines, "\n")
}

func TestFlaskRoutesAndDeploylessCalls(t *testing.T) {
	proj, diags := analyze(t, map[string]string{
		"app/shared/config.py": "TABLE = 'ums-' + 'users'\nMEM = 512\n",
		"app/features/user/routes.py": `from flask import Blueprint
import deployless as pc
from deployless import DynamoDB as Table
from app.shared.config import TABLE, MEM
import os

users = Table(TABLE, pk="tenant_id", sk="user_id")
pc.configure(memory=MEM, env={"K": f"{TABLE}-x", "E": os.getenv("NOPE", "d"), "N": -3}, policies=[{"DynamoDBCrudPolicy": {"TableName": pc.Ref(users)}}])

user_bp = Blueprint("user_bp", __name__, url_prefix="/users")
child = Blueprint("child", __name__)

@user_bp.route("", methods=["GET", "post", "HEAD"])
def list_users():
    return []

@pc.route(memory=1024)
@user_bp.route("/<user_id>/files/<path:key>")
def get_file(user_id, key):
    pass

@child.get("/<int:n>")
def kid(n): pass

user_bp.register_blueprint(child, url_prefix="/kids")

@pc.cron(schedule="rate(1 day)")
def tick(event, context):
    pass
`,
	}, nil)
	if diags != "" {
		t.Fatalf("unexpected diagnostics:\n%s", diags)
	}
	f := proj.Features[0]
	var got []string
	for _, r := range f.Routes {
		got = append(got, strings.Join(r.Methods, ",")+" "+r.Path+" "+r.Func)
	}
	want := []string{"GET,POST /users list_users", "GET /users/{user_id}/files/{key+} get_file", "GET /users/kids/{n} kid"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("routes = %q, want %q", got, want)
	}
	if len(f.Functions) != 2 || f.Functions[0].Kind != kind.Split || len(f.Functions[0].Routes) != 1 || f.Functions[1].Kind != kind.Cron {
		t.Errorf("functions = %+v", f.Functions)
	}
	cfg := f.Configure
	if cfg.Kwarg("memory").Value.Int != 512 {
		t.Errorf("memory = %v", cfg.Kwarg("memory").Value.Repr())
	}
	env := cfg.Kwarg("env").Value
	if env.Get("K").Str != "ums-users-x" || env.Get("E").Str != "d" || env.Get("N").Int != -3 {
		t.Errorf("env = %s", env.Repr())
	}
	ref := cfg.Kwarg("policies").Value.Items[0].Get("DynamoDBCrudPolicy").Get("TableName")
	if ref.Kind != KObj || ref.Obj.Func != "Ref" || ref.Obj.Args[0].Obj.Func != "DynamoDB" {
		t.Fatalf("ref = %s", ref.Repr())
	}
	if b, _ := json.Marshal(ref.Obj.Args[0].Span); !strings.Contains(string(b), `"Line":7`) {
		t.Errorf("resource span = %s, want the line of Table(...)", b)
	}
	if len(f.Blueprints) != 2 || f.Blueprints[1].Parent != f.Module+":user_bp" {
		t.Errorf("blueprints = %+v", f.Blueprints)
	}
}

func TestDiagnostics(t *testing.T) {
	_, diags := analyze(t, map[string]string{
		"app/features/a/routes.py": "import deployless as pc\nfrom flask import Blueprint\nbp = Blueprint('a', __name__)\npc.configure(memory=compute())\n@bp.route('/x/<path:p>/y')\ndef f(): pass\n@bp.route('/ok')\ndef g(): pass\nx = os.getenv('UNSET_VAR')\npc.configure(timeout=3)\n",
		"app/features/b/routes.py": "def f(:\n  pass\n",
		"app/features/c/routes.py": "import os\nimport deployless as pc\npc.configure(description=os.getenv('UNSET_X'))\n",
		"app/shared/bad.py":        "x = (\n",
	}, nil)
	want := []string{
		`app/features/a/routes.py:4:21: E10 name "compute" is not defined`,
		`app/features/a/routes.py:5:2: E34 <path:…> converter must be the last segment of "/x/<path:p>/y"`,
		`app/features/a/routes.py:10:1: E10 configure() is called more than once in this feature`,
		`app/features/b/routes.py:1:`,
		`app/features/c/routes.py:1:1: E10 no Flask Blueprint or FastAPI APIRouter found`,
		`app/features/c/routes.py:3:26: W01 os.getenv("UNSET_X") is unset`,
		`app/shared/bad.py:`,
	}
	for _, w := range want {
		if !strings.Contains(diags, w) {
			t.Errorf("missing %q in:\n%s", w, diags)
		}
	}
}
