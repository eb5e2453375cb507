package lower

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/source"
)

const secureRoutes = `import deployless as pc
from flask import Blueprint

pc.configure(env={
    "DB_PASSWORD": pc.SSMParam("/app/db/password", secure=True),
    "API_KEY": pc.SSMParam("/app/api/key", True, 3),
    "DB_HOST": pc.SSMParam("/app/db/host"),
})
bp = Blueprint("accounts", __name__)

@bp.get("/accounts")
def accounts():
    return []

@pc.cron(schedule="rate(1 day)", env={"TOKEN": pc.SSMParam("/app/token", secure=True), "AGAIN": pc.SSMParam("/app/db/password", secure=True)})
def job(event, context):
    return {}
`

const plainRoutes = `from flask import Blueprint

bp = Blueprint("plain", __name__)

@bp.get("/plain")
def plain():
    return []
`

func function(t *testing.T, m *model.Project, id string) *model.Function {
	t.Helper()
	for _, fn := range m.Functions {
		if fn.LogicalID == id {
			return fn
		}
	}
	t.Fatalf("no function %s", id)
	return nil
}

func envOf(fn *model.Function) map[string]model.EnvValue {
	env := map[string]model.EnvValue{}
	for _, e := range fn.Env {
		env[e.Name] = e.Value
	}
	return env
}

func wantGrants(t *testing.T, fn *model.Function, want ...model.Grant) {
	t.Helper()
	if len(fn.Grants) != len(want) {
		t.Fatalf("%s grants = %+v, want %+v", fn.LogicalID, fn.Grants, want)
	}
	for i := range want {
		if fn.Grants[i] != want[i] {
			t.Errorf("%s grant %d = %+v, want %+v", fn.LogicalID, i, fn.Grants[i], want[i])
		}
	}
}

// pc.SSMParam(..., secure=True) is a Secure SSMParam (version kept) and
// its function gets a decrypt grant on the parameter (never on a version),
// on SSM's AWS managed key when the project names no secrets_kms; the
// grant is what makes the bootstrap read SecureStrings. A function without
// one reads none.
func TestSecureSSMParamLowering(t *testing.T) {
	m := lowerProject(t, "name: app\n", map[string]string{
		"app/features/accounts/routes.py": secureRoutes,
		"app/features/plain/routes.py":    plainRoutes,
	}, "")
	fn, job, plain := function(t, m, "AccountsFunction"), function(t, m, "JobFunction"), function(t, m, "PlainFunction")
	three := 3
	env := envOf(fn)
	if env["DB_PASSWORD"] != (model.SSMParam{Name: "/app/db/password", Secure: true}) ||
		env["DB_HOST"] != (model.SSMParam{Name: "/app/db/host"}) {
		t.Errorf("env = %+v", fn.Env)
	}
	if v, ok := env["API_KEY"].(model.SSMParam); !ok || v.Name != "/app/api/key" || !v.Secure || v.Version == nil || *v.Version != three || v.Selector() != "/app/api/key:3" {
		t.Errorf("API_KEY = %+v", env["API_KEY"])
	}
	managed := func(name string) model.Grant {
		return model.Grant{Parameter: name, Key: model.AWSManagedSSMKey, Access: kind.Decrypt}
	}
	wantGrants(t, fn, managed("/app/db/password"), managed("/app/api/key"))
	// The cron inherits the feature's env; the same parameter twice is one grant.
	wantGrants(t, job, managed("/app/db/password"), managed("/app/api/key"), managed("/app/token"))
	wantGrants(t, plain)
	if !fn.ReadsSecureParameters() || !job.ReadsSecureParameters() || plain.ReadsSecureParameters() {
		t.Errorf("ReadsSecureParameters: %s %v, %s %v, %s %v (want true, true, false)", fn.LogicalID, fn.ReadsSecureParameters(),
			job.LogicalID, job.ReadsSecureParameters(), plain.LogicalID, plain.ReadsSecureParameters())
	}
}

// With secrets_kms the SecureStrings of pc.SSMParam are taken to be
// encrypted with that key too (pc.SSMParam names none); the env file's
// secrets keep their grant on any key through SSM.
func TestSecureSSMParamWithSecretsKMS(t *testing.T) {
	m := lowerProject(t, "name: app\nsecrets_kms: alias/app-secrets\n", map[string]string{
		"app/features/accounts/routes.py": secureRoutes,
	}, "SECRET_A=x\n")
	wantGrants(t, function(t, m, "AccountsFunction"),
		model.Grant{Parameter: "/app/SECRET_A", Access: kind.Decrypt},
		model.Grant{Parameter: "/app/db/password", Key: "alias/app-secrets", Access: kind.Decrypt},
		model.Grant{Parameter: "/app/api/key", Key: "alias/app-secrets", Access: kind.Decrypt})
}

// lowerDiags lowers one feature's routes.py and returns the diagnostics.
func lowerDiags(t *testing.T, routes string) diag.List {
	t.Helper()
	cfg, d := config.Load(source.NewFile("deployless.yaml", []byte("name: app\n")))
	if d.HasErrors() {
		t.Fatalf("config: %v", d)
	}
	fsys := fstest.MapFS{"app/features/x/routes.py": &fstest.MapFile{Data: []byte(routes)}}
	facts, d := pyfront.Analyze(fsys, pyfront.Options{FeaturesDir: "app/features", SharedDir: "app/shared"})
	if d.HasErrors() {
		t.Fatalf("front end: %v", d)
	}
	_, d = Lower(Input{Config: cfg}, facts)
	return d
}

// secure=True is accepted; what cannot be a SecureString's selector is E00
// at the argument: a name that is not an SSM parameter name (it goes into
// an IAM ARN and GetParameters) and a version below 1.
func TestSecureSSMParamRefusals(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  string // "" no diagnostic; else the E00 message must contain it
		line  int
		col   int
	}{
		{`pc.SSMParam("/app/db/password", secure=True)`, "", 0, 0},
		{`pc.SSMParam("password", secure=True, version=2)`, "", 0, 0},
		{`pc.SSMParam("app/db/password")`, "", 0, 0}, // CloudFormation checks a String's reference
		{`pc.SSMParam("app/db/password", secure=True)`, "not an SSM parameter name", 4, 36},
		{`pc.SSMParam("arn:aws:ssm:us-east-1:111122223333:parameter/x", secure=True)`, "not an SSM parameter name", 4, 36},
		{`pc.SSMParam("/app/${x}", secure=True)`, "not an SSM parameter name", 4, 36},
		{`pc.SSMParam("/app/db/password", secure=True, version=0)`, "version must be >= 1", 4, 77},
		{`pc.SSMParam("/app/db/host", version=-1)`, "version must be >= 1", 4, 60},
	} {
		t.Run(tc.value, func(t *testing.T) {
			routes := "import deployless as pc\nfrom flask import Blueprint\n\npc.configure(env={\"V\": " + tc.value + "})\n" +
				"bp = Blueprint(\"x\", __name__)\n\n@bp.get(\"/x\")\ndef x():\n    return {}\n"
			d := lowerDiags(t, routes)
			if tc.want == "" {
				if len(d) != 0 {
					t.Fatalf("diagnostics: %v", d)
				}
				return
			}
			if len(d) != 1 || d[0].Code != diag.E00 || !strings.Contains(d[0].Message, tc.want) {
				t.Fatalf("diagnostics = %v, want one E00 containing %q", d, tc.want)
			}
			if d[0].Span.Line != tc.line || d[0].Span.Col != tc.col {
				t.Errorf("at %d:%d, want %d:%d", d[0].Span.Line, d[0].Span.Col, tc.line, tc.col)
			}
		})
	}
}
