package lower

import (
	"testing"
	"testing/fstest"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/envfile"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/source"
)

// lowerProject lowers a project given as files, with env file entries.
func lowerProject(t *testing.T, yaml string, files map[string]string, env string) *model.Project {
	t.Helper()
	cfg, d := config.Load(source.NewFile("deployless.yaml", []byte(yaml)))
	if d.HasErrors() {
		t.Fatalf("config: %v", d)
	}
	fsys := fstest.MapFS{}
	for p, c := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(c)}
	}
	facts, d := pyfront.Analyze(fsys, pyfront.Options{FeaturesDir: "app/features", SharedDir: "app/shared"})
	if d.HasErrors() {
		t.Fatalf("front end: %v", d)
	}
	entries, d := envfile.Parse(source.NewFile(".env", []byte(env)))
	if d.HasErrors() {
		t.Fatalf("env file: %v", d)
	}
	m, d := Lower(Input{Config: cfg, Env: entries}, facts)
	if d.HasErrors() {
		t.Fatalf("lower: %v", d)
	}
	return m
}

// The model says what things are: "function F may use table T" is a
// Grant on the table's model object, an env var holding the table's name is
// a Ref to it, and a secret is an SSM parameter, never a CloudFormation
// value.
func TestModelFacts(t *testing.T) {
	m := lowerProject(t, "name: shop\nsecrets_kms: alias/shop\n", map[string]string{
		"app/features/orders/routes.py": `import deployless as pc
from flask import Blueprint

orders = pc.DynamoDB("orders-table", pk="id")
jobs = pc.SQS("jobs-queue")
pc.configure(resources={"orders": orders, "jobs": jobs}, env={"ARN": pc.GetAtt(orders, "Arn"), "LEVEL": 3})
bp = Blueprint("orders", __name__)

@bp.get("/orders")
def list_orders():
    return []
`}, "SECRET_TOKEN=x\nPLAIN=y\n")
	if len(m.Functions) != 1 || len(m.Resources) != 2 {
		t.Fatalf("functions %d, resources %d", len(m.Functions), len(m.Resources))
	}
	fn, table, queue := m.Functions[0], m.Resources[0], m.Resources[1]
	if table.Kind != kind.DynamoDB || queue.Kind != kind.SQS {
		t.Fatalf("resource kinds %v, %v", table.Kind, queue.Kind)
	}
	want := []model.Grant{
		{Parameter: "/shop/SECRET_TOKEN", Access: kind.Decrypt},
		{Resource: table, Access: kind.Crud},
		{Resource: queue, Access: kind.Send},
		{Resource: queue, Access: kind.Poll},
	}
	if len(fn.Grants) != len(want) {
		t.Fatalf("grants = %+v, want %+v", fn.Grants, want)
	}
	for i := range want {
		if fn.Grants[i] != want[i] {
			t.Errorf("grant %d = %+v, want %+v", i, fn.Grants[i], want[i])
		}
	}
	env := map[string]model.EnvValue{}
	for _, e := range fn.Env {
		env[e.Name] = e.Value
	}
	if env["ORDERS_TABLE"] != (model.Ref{Resource: table}) || env["ARN"] != (model.Ref{Resource: table, Attr: "Arn"}) ||
		env["LEVEL"] != model.Literal("3") || env["JOBS_QUEUE_URL"] != (model.Ref{Resource: queue}) {
		t.Errorf("function env = %+v", fn.Env)
	}
	global := map[string]model.EnvValue{}
	for _, e := range m.Env {
		global[e.Name] = e.Value
	}
	if global["SECRET_TOKEN"] != (model.SSMParam{Name: "/shop/SECRET_TOKEN", Secure: true}) || global["PLAIN"] != model.Literal("y") {
		t.Errorf("project env = %+v", m.Env)
	}
	if len(m.Secrets) != 1 || m.Secrets[0] != (model.Secret{Key: "SECRET_TOKEN", Parameter: "/shop/SECRET_TOKEN", Secure: true}) {
		t.Errorf("secrets = %+v", m.Secrets)
	}
	if !fn.ReadsSecureParameters() {
		t.Error("the function must read its SecureString secrets")
	}
}

// Two declarations of one resource are one resource only with equal
// settings (compared as typed values, not as printed text).
func TestSameDeclaration(t *testing.T) {
	a := &model.Resource{Kind: kind.S3, Name: "b", Spec: &model.S3{CORS: []model.Raw{model.RawMap{Keys: []string{"AllowedOrigins"}, Values: []model.Raw{model.RawList{model.RawString("*")}}}}}}
	b := &model.Resource{Kind: kind.S3, Name: "b", Spec: &model.S3{CORS: []model.Raw{model.RawMap{Keys: []string{"AllowedOrigins"}, Values: []model.Raw{model.RawList{model.RawString("*")}}}}}}
	c := &model.Resource{Kind: kind.S3, Name: "b", Spec: &model.S3{CORS: []model.Raw{model.RawMap{Keys: []string{"AllowedOrigins"}, Values: []model.Raw{model.RawList{model.RawString("https://x")}}}}}}
	if !a.SameDeclaration(b) || a.SameDeclaration(c) {
		t.Errorf("SameDeclaration: a~b %v (want true), a~c %v (want false)", a.SameDeclaration(b), a.SameDeclaration(c))
	}
}
