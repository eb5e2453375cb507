package check

import (
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/resources"
	"github.com/deployless/deployless/internal/source"
)

func loadConfig(t *testing.T, src string) *config.Config {
	t.Helper()
	c, diags := config.Load(source.NewFile("deployless.yaml", []byte(src)))
	if len(diags) != 0 {
		t.Fatalf("config.Load: %s", render(diags))
	}
	return c
}

// globalEnv is the model's global env as lower builds it: env: at its
// values, then the env file's entries replacing them, then APP_STAGE.
func globalEnv(c *config.Config, file ...model.EnvVar) []model.EnvVar {
	var env []model.EnvVar
	set := func(v model.EnvVar) {
		for i := range env {
			if env[i].Name == v.Name {
				env[i] = v
				return
			}
		}
		env = append(env, v)
	}
	for _, kv := range c.Env {
		set(model.EnvVar{Name: kv.Key, Value: model.Literal(kv.Value), Span: c.Span("env." + kv.Key)})
	}
	for _, v := range file {
		set(v)
	}
	set(model.EnvVar{Name: "APP_STAGE", Value: model.Literal("dev")})
	return env
}

func TestEnvVarNames(t *testing.T) {
	c := loadConfig(t, "name: demo\nenv_file: .env\nenv:\n  LOG_LEVEL: info\n  AWS_REGION: eu-west-1\n  my-var: x\n  A: 1\n  AWS_LAMBDA_EXEC_WRAPPER: /opt/bootstrap\n  TZ: Europe/Paris\n  _X_AMZN_TRACE_ID: t\n")
	p := &model.Project{Env: globalEnv(c,
		model.EnvVar{Name: "AWS_REGION", Value: model.Literal("us-east-1"), Span: source.At(".env", 1, 1)},
		model.EnvVar{Name: "_PRIVATE", Value: model.Literal("1"), Span: source.At(".env", 2, 1)},
		model.EnvVar{Name: "AWS_LAMBDA_LOG_FORMAT", Value: model.Literal("JSON"), Span: source.At(".env", 3, 8)},
		model.EnvVar{Name: "SECRET_DB", Value: model.SSMParam{Name: "/demo/SECRET_DB"}, Span: source.At(".env", 4, 1)},
	)}
	routes := "app/features/a/routes.py"
	feature := model.EnvVar{Name: "LAMBDA_RUNTIME_DIR", Value: model.Literal("x"), Span: source.At(routes, 4, 19)}
	inject := func(r *model.Resource) model.EnvVar {
		return model.EnvVar{Name: r.EnvVar, Value: model.Ref{Resource: r}, Span: r.Span}
	}
	key := &model.Resource{LogicalID: "DataKey", Kind: kind.KMS, Name: "data", EnvVar: "AWS_ACCESS_KEY", Span: source.At(routes, 3, 7),
		Spec: &model.KMS{KeyUsage: "ENCRYPT_DECRYPT", KeySpec: "SYMMETRIC_DEFAULT", DeletionPolicy: "Retain"}}
	table := &model.Resource{LogicalID: "LivesTable", Kind: kind.DynamoDB, Name: "9lives", EnvVar: "9LIVES_TABLE", Span: source.At(routes, 2, 7),
		Spec: &model.DynamoDB{PK: "id", PKType: "S", BillingMode: "PAY_PER_REQUEST", DeletionPolicy: "Retain"}}
	// Its name is already an E00: the env var derived from it is not reported.
	param := &model.Resource{LogicalID: "XParameter", Kind: kind.SSMParameter, Name: "app/x", EnvVar: "X", Span: source.At(routes, 1, 7),
		Spec: &model.SSMParameter{Type: "String", Value: "v"}}
	// A user's variable holding a resource's value is the user's name.
	userRef := model.EnvVar{Name: "T", Value: model.Ref{Resource: table}, Span: source.At(routes, 9, 40)}
	p.Resources = []*model.Resource{table, key, param}
	if len(Resources(&model.Project{Resources: []*model.Resource{key, table}})) != 0 {
		t.Fatal("the test's resources must be valid declarations")
	}
	// The feature's env is in each of its functions: reported once.
	p.Functions = []*model.Function{
		{LogicalID: "AFunction", Env: []model.EnvVar{feature, inject(key), inject(table), inject(param)}},
		{LogicalID: "NightlyFunction", Env: []model.EnvVar{feature, inject(key), inject(table), inject(param), userRef,
			{Name: "db.host", Value: model.Literal("h"), Span: source.At(routes, 9, 28)}}},
	}
	want := `
.env:1:1: E40 environment variable AWS_REGION is reserved by Lambda (the runtime sets it): rename it
.env:2:1: E40 environment variable _PRIVATE is not accepted by Lambda (a name is a letter, then at least one more letter, digit or _): rename it
.env:3:8: E40 environment variable AWS_LAMBDA_LOG_FORMAT is reserved by Lambda (the runtime sets it): rename it
app/features/a/routes.py:2:7: E40 DynamoDB "9lives" gives its functions the environment variable 9LIVES_TABLE, which is not accepted by Lambda (a name is a letter, then at least one more letter, digit or _): rename the resource
app/features/a/routes.py:3:7: E40 KMS "data" gives its functions the environment variable AWS_ACCESS_KEY, which is reserved by Lambda (the runtime sets it): pass another env_var=
app/features/a/routes.py:4:19: E40 environment variable LAMBDA_RUNTIME_DIR is reserved by Lambda (the runtime sets it): rename it
app/features/a/routes.py:9:28: E40 environment variable "db.host" is not accepted by Lambda (a name is a letter, then at least one more letter, digit or _): rename it
app/features/a/routes.py:9:40: E40 environment variable T is not accepted by Lambda (a name is a letter, then at least one more letter, digit or _): rename it
deployless.yaml:5:3: E40 environment variable AWS_REGION is reserved by Lambda (the runtime sets it): rename it
deployless.yaml:6:3: E40 environment variable "my-var" is not accepted by Lambda (a name is a letter, then at least one more letter, digit or _): rename it
deployless.yaml:7:3: E40 environment variable A is not accepted by Lambda (a name is a letter, then at least one more letter, digit or _): rename it
deployless.yaml:10:3: E40 environment variable _X_AMZN_TRACE_ID is reserved by Lambda (the runtime sets it): rename it
`
	d := EnvVars(c, p)
	if got := render(d); got != strings.TrimPrefix(want, "\n") {
		t.Errorf("got\n%swant%s", got, want)
	}
	if len(d) != len(d.Sorted()) {
		t.Errorf("EnvVars returned duplicates: %d diagnostics, %d distinct", len(d), len(d.Sorted()))
	}
}

func TestEnvVarNameRule(t *testing.T) {
	for _, name := range []string{"AB", "a1", "LOG_LEVEL", "x_", "AWS_LAMBDA_EXEC_WRAPPER", "TZ", "AWS_PROFILE", "LAMBDA_X", "PYTHONPATH"} {
		if msg := envNameProblem(name); msg != "" {
			t.Errorf("%s refused: %s", name, msg)
		}
	}
	for _, name := range append([]string{"A", "_A", "1A", "A-B", "A B", "É_A", "", "AWS_LAMBDA_ANYTHING"}, ReservedEnvNames...) {
		if envNameProblem(name) == "" {
			t.Errorf("%q accepted", name)
		}
	}
}

func TestSecretUnderEnv(t *testing.T) {
	c := loadConfig(t, "name: demo\nenv:\n  SECRET_API_KEY: abc123\n  SECRET_DB: x\n  SECRETARY: bob\n")
	p := &model.Project{Env: globalEnv(c,
		model.EnvVar{Name: "SECRET_DB", Value: model.SSMParam{Name: "/demo/SECRET_DB"}, Span: source.At(".env", 1, 1)})}
	want := `deployless.yaml:3:3: warning: W04 SECRET_API_KEY under env: is plaintext in template.yaml; put it in the env_file, which stores it in SSM
deployless.yaml:4:3: warning: W04 SECRET_DB under env: is plaintext in deployless.yaml (the env_file's SECRET_DB replaces it); remove it from env:
`
	d := EnvVars(c, p)
	if got := renderSeverity(d); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	if d.HasErrors() {
		t.Error("W04 must not fail the build")
	}
	for _, x := range d {
		if strings.Contains(x.Message, "abc123") {
			t.Errorf("the value is printed: %s", x.Message)
		}
	}
}

func renderSeverity(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		sev := ""
		if d.Severity.String() == "warning" {
			sev = "warning: "
		}
		b.WriteString(d.Span.String() + ": " + sev + string(d.Code) + " " + d.Message + "\n")
	}
	return b.String()
}

// The size is the compact JSON Lambda measures: {"NAME":"value",…}.
func TestEnvSize(t *testing.T) {
	env := []model.EnvVar{
		{Name: "AB", Value: model.Literal("cd")},          // "AB":"cd" = 9
		{Name: "Q", Value: model.Literal(`a"b\c` + "\n")}, // "Q":"a\"b\\c\n" = 4 + 11 = 15
		{Name: "U", Value: model.Literal("é\x01")},        // "U":"é\u0001" = 4 + 2 + 2 + 6 = 14
	}
	if got, want := envSize(env), 2+9+1+15+1+14; got != want {
		t.Errorf("envSize = %d, want %d", got, want)
	}
	if envSize(nil) != 0 {
		t.Error("an empty environment has no size")
	}
}

// envValueText counts what the template writes wherever the template
// writes a string: it must agree with the template backend.
func TestEnvValueTextMatchesTemplate(t *testing.T) {
	v1 := 3
	table := &model.Resource{LogicalID: "UsersTable", Kind: kind.DynamoDB, Name: "ums-users"}
	oldBucket := &model.Resource{LogicalID: "OldBucket", Kind: kind.S3, Name: "old-bucket", Existing: true}
	oldKey := &model.Resource{LogicalID: "OldKey", Kind: kind.KMS, Name: "1234abcd-12ab-34cd-56ef-1234567890ab", Existing: true}
	for _, v := range []model.EnvValue{
		model.Literal("plain"),
		model.SSMParam{Name: "/demo/SECRET_A"},
		model.SSMParam{Name: "/demo/x", Version: &v1},
		model.SSMParam{Name: "/demo/SECRET_B", Secure: true},
		model.Ref{Resource: oldBucket},
		model.Ref{Resource: oldKey},
	} {
		written, _ := resources.EnvVars([]model.EnvVar{{Name: "K", Value: v}}).Get("K")
		if s, ok := written.(string); !ok || s != envValueText(v) {
			t.Errorf("%#v: template writes %#v, counted %q", v, written, envValueText(v))
		}
	}
	// A declared table's Ref resolves to the name the template gives it.
	if got := envValueText(model.Ref{Resource: table}); got != "ums-users" {
		t.Errorf("table Ref counted as %q", got)
	}
	if got := envValueText(model.Ref{Resource: table, Attr: "Arn"}); got != "UsersTable.Arn" {
		t.Errorf("GetAtt counted as %q", got)
	}
}

func TestEnvTooLarge(t *testing.T) {
	c := loadConfig(t, "name: demo\nenv:\n  LOG_LEVEL: info\n")
	p := &model.Project{Env: globalEnv(c)} // {"LOG_LEVEL":"info","APP_STAGE":"dev"}: 38 bytes
	at := source.At("app/features/user/routes.py", 4, 1)
	big := func(n int) model.EnvVar {
		return model.EnvVar{Name: "CERT", Value: model.Literal(strings.Repeat("x", n)), Span: source.At("app/features/user/routes.py", 4, 20)}
	}
	// 38 + 1 (comma) + len(`"CERT":""`) = 48 bytes besides the value.
	p.Functions = []*model.Function{
		{LogicalID: "FitsFunction", Span: at, Env: []model.EnvVar{big(MaxEnvBytes - 48)}},
		{LogicalID: "UserFunction", Span: at, Env: []model.EnvVar{big(MaxEnvBytes - 47)}},
		// Its own LOG_LEVEL replaces the global one: counted once.
		{LogicalID: "OverrideFunction", Span: at, Env: []model.EnvVar{big(MaxEnvBytes - 48),
			{Name: "LOG_LEVEL", Value: model.Literal("warn"), Span: at}}},
	}
	want := `app/features/user/routes.py:4:1: E41 UserFunction's environment is 4,097 bytes, over Lambda's limit of 4,096: move large values out of the environment (SSM parameters, files in the package)
  app/features/user/routes.py:4:20: the largest variable is CERT (4,057 bytes)
`
	if got := render(EnvVars(c, p)); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}

	// The global env alone too large: one error at env:, not one per function.
	c = loadConfig(t, "name: demo\nenv:\n  LOG_LEVEL: info\n  BLOB: "+strings.Repeat("y", MaxEnvBytes)+"\n")
	p.Env = globalEnv(c)
	want = `deployless.yaml:2:1: E41 the global environment (env: and the env_file) is 4,144 bytes, over Lambda's limit of 4,096 for each function: move large values out of the environment (SSM parameters, files in the package)
  deployless.yaml:4:9: the largest variable is BLOB (4,104 bytes)
`
	if got := render(EnvVars(c, p)); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 4096: "4,096", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
