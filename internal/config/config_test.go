package config

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

func load(t *testing.T, yaml string) (*Config, diag.List) {
	t.Helper()
	return Load(source.NewFile("deployless.yaml", []byte(yaml)))
}

// render lists diagnostics one per line as the CLI prints them, notes indented.
func render(l diag.List) string {
	var b strings.Builder
	for _, d := range l.Sorted() {
		b.WriteString(d.String() + "\n")
		for _, n := range d.Notes {
			b.WriteString("  " + n.Span.String() + ": " + n.Message + "\n")
		}
	}
	return b.String()
}

// public strips the bookkeeping so that configs compare by value.
func public(c *Config) Config {
	out := *c
	out.file, out.spans = nil, nil
	return out
}

func ptr[T any](v T) *T { return &v }

func TestEmptyFileIsAllDefaults(t *testing.T) {
	want := Config{
		Provider: "aws",
		Stage:    "dev",
		Paths:    Paths{Features: "app/features", Shared: "app/shared"},
		Globals:  Globals{Runtime: "python3.13", Memory: 256, Timeout: 30, LogRetention: 14},
		API:      API{EndpointType: "REGIONAL"},
	}
	for _, src := range []string{"", "\n", "# only a comment\n", "---\n", "api:\n  cors:\n"} {
		c, diags := load(t, src)
		if len(diags) != 0 {
			t.Errorf("%q: unexpected diagnostics:\n%s", src, render(diags))
		}
		if got := public(c); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %+v\nwant %+v", src, got, want)
		}
	}
	c, _ := load(t, "")
	if got := c.Span("globals.memory"); got != (source.Span{Path: "deployless.yaml"}) {
		t.Errorf("Span of an absent key = %v, want the bare file", got)
	}
}

func TestSeedExampleLoadsEveryValue(t *testing.T) {
	content, err := os.ReadFile("testdata/seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, diags := Load(source.NewFile("deployless.yaml", content))
	if len(diags) != 0 {
		t.Fatalf("unexpected diagnostics:\n%s", render(diags))
	}
	want := Config{
		Name:     "mi-app",
		Provider: "aws",
		Stage:    "dev",
		Tags:     []KV{{"Project", "mi-app"}, {"Environment", "production"}},
		Paths:    Paths{Features: "app/features", Shared: "app/shared"},
		Globals:  Globals{Runtime: "python3.13", Memory: 256, Timeout: 30, LogRetention: 14},
		API: API{
			EndpointType: "REGIONAL",
			CORS: &CORS{
				AllowOrigins: []string{"*"},
				AllowMethods: []string{"GET", "POST", "PUT", "DELETE", "OPTIONS"},
				AllowHeaders: []string{"Content-Type", "Authorization", "X-API-Key"},
				MaxAge:       ptr(3600),
			},
			Auth: &Auth{
				Type:        "cognito",
				UserPoolARN: "arn:aws:cognito-idp:us-east-1:123456789:userpool/us-east-1_ABC",
				Name:        "CognitoAuthorizer",
				Scopes:      []string{},
			},
			APIKeys:   APIKeys{Enabled: true},
			UsagePlan: &UsagePlan{Rate: ptr(10000.0), Burst: ptr(2000), Quota: ptr(1000000), Period: "DAY"},
			Domain: &Domain{
				DomainName:     "api.mi-app.com",
				CertificateARN: "arn:aws:acm:us-east-1:123456789:certificate/abc-123",
				BasePath:       "/v1",
				HostedZoneID:   "Z1234567890ABC",
			},
			BinaryMediaTypes:       []string{"image/png", "image/jpeg", "application/octet-stream"},
			MinimumCompressionSize: ptr(1024),
		},
		Env:        []KV{{"APP_ENV", "production"}, {"LOG_LEVEL", "INFO"}},
		EnvFile:    ".env.production",
		SecretsKMS: "mi-app/secrets",
		Alarms: &Alarms{
			Errors:      AlarmThreshold{Threshold: 5, Period: 60},
			Throttles:   AlarmThreshold{Threshold: 2, Period: 120},
			Duration:    DurationAlarm{ThresholdPct: 90, Period: 600},
			SNSTopicARN: "arn:aws:sns:us-east-1:123456789:my-alerts",
		},
	}
	if got := public(c); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	for _, tc := range []struct {
		path      string
		key, want string // line:col of the key and of the value
	}{
		{"stage", "8:1", "8:8"},
		{"globals", "21:1", "22:3"}, // a block mapping's value starts at its first key
		{"globals.memory", "23:3", "23:11"},
		{"api.cors.allow_origin", "35:5", "35:19"}, // the opening quote
		{"api.cors.allow_methods.1", "36:26", "36:26"},
		{"api.binary_media_types.2", "71:7", "71:7"},
		{"env.LOG_LEVEL", "79:3", "79:14"},
		{"alarms.duration.threshold_pct", "102:5", "102:20"},
		{"globals.nothing", "21:1", "22:3"}, // absent: falls back to globals
		{"api.cors.allow_credentials", "34:3", "35:5"},
	} {
		if got := strings.TrimPrefix(c.Span(tc.path).String(), "deployless.yaml:"); got != tc.want {
			t.Errorf("Span(%q) = %s, want %s", tc.path, got, tc.want)
		}
		if got := strings.TrimPrefix(c.KeySpan(tc.path).String(), "deployless.yaml:"); got != tc.key {
			t.Errorf("KeySpan(%q) = %s, want %s", tc.path, got, tc.key)
		}
	}
	if !c.Has("api.usage_plan.quota") || c.Has("api.cors.allow_credentials") {
		t.Errorf("Has: quota is written and allow_credentials is commented out")
	}
}

func TestValueForms(t *testing.T) {
	c, diags := load(t, `
base: &mem 512
name: 2024
globals:
  memory: *mem
  runtime: !!str python3.12
tags: {Team: "é", CostCenter: 0x10, Public: false}
env:
  RETRIES: 3
  DEBUG: true
  RATIO: 1.50
  MULTI: |
    a
api:
  cors:
    allow_origin: [https://a.example, https://b.example]
    allow_credentials: true
  api_keys: abc123existingkeyid
  usage_plan: {rate: 0.5, burst: 1}
  auth:
    type: lambda
    function_arn: arn:aws:lambda:us-east-1:1:function:f
    ttl: 0
    identity: {header: X-Token}
alarms: true
`)
	// "base" is not a setting: anchors must still live somewhere, and an
	// unknown key is reported even when it only holds one.
	if got := render(diags); got != "deployless.yaml:2:1: E30 unknown key \"base\" at the top level (expected one of name, provider, stage, tags, paths, globals, api, env, env_file, secrets_kms, alarms, app_factory, init_app)\n" {
		t.Errorf("diagnostics:\n%s", got)
	}
	if c.Name != "2024" || c.Globals.Memory != 512 || c.Globals.Runtime != "python3.12" {
		t.Errorf("name/globals = %q %+v", c.Name, c.Globals)
	}
	if want := []KV{{"Team", "é"}, {"CostCenter", "16"}, {"Public", "false"}}; !reflect.DeepEqual(c.Tags, want) {
		t.Errorf("tags = %v", c.Tags)
	}
	if want := []KV{{"RETRIES", "3"}, {"DEBUG", "true"}, {"RATIO", "1.50"}, {"MULTI", "a\n"}}; !reflect.DeepEqual(c.Env, want) {
		t.Errorf("env = %v", c.Env)
	}
	cors := c.API.CORS
	if !cors.OriginIsList || len(cors.AllowOrigins) != 2 || !cors.AllowCredentials || !reflect.DeepEqual(cors.AllowMethods, DefaultCORSMethods) || !reflect.DeepEqual(cors.AllowHeaders, DefaultCORSHeaders) {
		t.Errorf("cors = %+v", cors)
	}
	if c.API.APIKeys != (APIKeys{Enabled: true, ExistingID: "abc123existingkeyid"}) {
		t.Errorf("api_keys = %+v", c.API.APIKeys)
	}
	if u := c.API.UsagePlan; *u.Rate != 0.5 || *u.Burst != 1 || u.Quota != nil || u.Period != "" {
		t.Errorf("usage_plan = %+v", u)
	}
	if a := c.API.Auth; a.AuthorizerName() != "LambdaAuthorizer" || *a.TTL != 0 || a.IdentityHeader != "X-Token" {
		t.Errorf("auth = %+v", a)
	}
	if c.Alarms == nil || *c.Alarms != DefaultAlarms() {
		t.Errorf("alarms: true = %+v, want the defaults", c.Alarms)
	}
}

func TestShapeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"syntax", "globals:\n  memory: [1, 2\n", `
deployless.yaml:2:11: E30 YAML syntax error: sequence end token ']' not found`},
		{"tab indent", "globals:\n\tmemory: 1\n", `
deployless.yaml:2:1: E30 YAML syntax error: found character '\t' that cannot start any token`},
		{"top level list", "- name: x\n", `
deployless.yaml:1:1: E30 deployless.yaml must be a mapping of settings, got a list`},
		{"top level string", "hello\n", `
deployless.yaml:1:1: E30 deployless.yaml must be a mapping of settings, got string "hello"`},
		{"two documents", "name: a\n---\nname: b\n", `
deployless.yaml:3:1: E30 deployless.yaml must hold a single YAML document`},
		{"unknown key", "globals:\n  memroy: 512\n", `
deployless.yaml:2:3: E30 unknown key "memroy" in globals (expected one of runtime, memory, timeout, log_retention)`},
		{"unknown nested key", "api:\n  cors:\n    allow_origins: '*'\n", `
deployless.yaml:3:5: E30 unknown key "allow_origins" in api.cors (expected one of allow_origin, allow_methods, allow_headers, max_age, allow_credentials)`},
		{"string for int", "globals:\n  memory: big\n", `
deployless.yaml:2:11: E30 globals.memory must be an integer, got string "big"`},
		{"quoted int", "globals:\n  timeout: \"30\"\n", `
deployless.yaml:2:12: E30 globals.timeout must be an integer, got string "30"`},
		{"float for int", "globals:\n  timeout: 2.5\n", `
deployless.yaml:2:12: E30 globals.timeout must be an integer, got float 2.5`},
		{"yes is not a bool", "api:\n  cors:\n    allow_credentials: yes\n", `
deployless.yaml:3:24: E30 api.cors.allow_credentials must be true or false, got string "yes"`},
		{"mapping for string", "stage:\n  name: dev\n", `
deployless.yaml:2:3: E30 stage must be a string, got a mapping`},
		{"list for mapping", "globals: [1]\n", `
deployless.yaml:1:10: E30 globals must be a mapping, got a list`},
		{"null env value", "env:\n  A:\n  B: [x]\n", `
deployless.yaml:2:5: E30 env.A must be a string, number or boolean, got null
deployless.yaml:3:6: E30 env.B must be a string, number or boolean, got a list`},
		{"list item", "api:\n  binary_media_types: [image/png, {a: 1}]\n", `
deployless.yaml:2:35: E30 api.binary_media_types.1 must be a string, got a mapping`},
		{"empty origin list", "api:\n  cors:\n    allow_origin: []\n", `
deployless.yaml:3:19: E30 api.cors.allow_origin must name at least one origin`},
		{"provider", "provider: gcp\n", `
deployless.yaml:1:11: E30 provider must be "aws" (the only one supported), got "gcp"`},
		{"api_keys", "api:\n  api_keys: [a]\n", `
deployless.yaml:2:13: E30 api.api_keys must be true, false or an existing API key ID, got a list`},
		{"alarms", "alarms: 3\n", `
deployless.yaml:1:9: E30 alarms must be true, false or a mapping, got integer 3`},
		{"merge key", "globals:\n  <<: {memory: 1}\n", `
deployless.yaml:2:3: E30 merge keys (<<) are not supported in globals`},
		{"duplicate", "stage: a\nglobals:\n  memory: 1\n  memory: 2\nstage: b\n", `
deployless.yaml:4:3: E30 duplicate key "memory" in globals
  deployless.yaml:3:3: first defined here
deployless.yaml:5:1: E30 duplicate key "stage" at the top level
  deployless.yaml:1:1: first defined here`},
		{"byte order mark", "\ufeffstage: [x]\n", `
deployless.yaml:1:8: E30 stage must be a string, got a list`},
		{"CRLF", "globals:\r\n  memory: x\r\n", `
deployless.yaml:2:11: E30 globals.memory must be an integer, got string "x"`},
		// Columns count bytes, like every other stage, although goccy counts runes.
		{"multibyte column", "tags: {Équipe: ü, x: 1}\nglobals: {memory: ∞}\n", `
deployless.yaml:2:19: E30 globals.memory must be an integer, got string "∞"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := load(t, tc.src)
			for _, d := range diags {
				if d.Code != diag.E30 {
					t.Errorf("code %s, want E30", d.Code)
				}
			}
			if got, want := render(diags), strings.TrimPrefix(tc.want, "\n")+"\n"; got != want {
				t.Errorf("got\n%swant\n%s", got, want)
			}
		})
	}
}

func TestAllProblemsInOneRun(t *testing.T) {
	c, diags := load(t, `name: demo
globals:
  memroy: 512
  timeout: long
  memory: 1024
api:
  endpoint_typ: EDGE
  cors:
    max_age: 1h
env:
  OK: yes
  BAD: {x: 1}
`)
	want := `deployless.yaml:3:3: E30 unknown key "memroy" in globals (expected one of runtime, memory, timeout, log_retention)
deployless.yaml:4:12: E30 globals.timeout must be an integer, got string "long"
deployless.yaml:7:3: E30 unknown key "endpoint_typ" in api (expected one of endpoint_type, cors, auth, api_keys, usage_plan, domain, binary_media_types, minimum_compression_size)
deployless.yaml:9:14: E30 api.cors.max_age must be an integer, got string "1h"
deployless.yaml:12:8: E30 env.BAD must be a string, number or boolean, got a mapping
`
	if got := render(diags); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
	// Whatever was right is still read; whatever was wrong keeps its default.
	if c.Name != "demo" || c.Globals.Memory != 1024 || c.Globals.Timeout != 30 || c.API.CORS.MaxAge != nil {
		t.Errorf("partial config = %+v", public(c))
	}
	if want := []KV{{"OK", "yes"}}; !reflect.DeepEqual(c.Env, want) {
		t.Errorf("env = %v", c.Env)
	}
}

func TestOverrideStage(t *testing.T) {
	c, _ := load(t, "stage: dev\n")
	if got := c.Span("stage").String(); got != "deployless.yaml:1:8" {
		t.Errorf("before override: %s", got)
	}
	c.OverrideStage("prod-1")
	if c.Stage != "prod-1" || c.Span("stage") != (source.Span{Path: "--stage"}) || c.KeySpan("stage").String() != "--stage" {
		t.Errorf("after override: %q at %v", c.Stage, c.Span("stage"))
	}
	var bare Config // a Config built by hand (tests of later stages) must not panic
	bare.OverrideStage("x")
}

// FuzzLoad checks that no input makes Load panic; the seeds are the odd
// corners of YAML (aliases, tags, complex and null keys, several documents).
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"a: &x {b: *x}\n",
		"globals: &g\n  memory: 1\napi: *g\n",
		"? [a, b]\n: 1\n",
		"~: 1\nnull: 2\n",
		": x\n",
		"tags: !!map {a: !!binary aGk=}\n",
		"env: {A: !custom 1, B: !!str true}\n",
		"---\n...\n---\nname: x\n",
		"api: {cors: {allow_origin: *nope}}\n",
		"env:\n  A: -.inf\n  B: .nan\n  C: 18446744073709551615\n",
		"\ufeffname: bom\n",
		"globals:\r\n  memory: x\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, _ := Load(source.NewFile("deployless.yaml", []byte(s)))
		if c == nil {
			t.Fatal("Load returned no config")
		}
		c.Span("api.cors.allow_origin.0")
	})
}

func TestAppFactoryAndInitApp(t *testing.T) {
	c, diags := load(t, ("app_factory: \"app.factory:make\"\ninit_app:\n  - app.shared.errors.register\n  - nodots\n  - app.x.\n"))
	want := "deployless.yaml:4:5: E30 init_app[1] must be a dotted \"module.function\" (for example \"app.shared.errors.register_error_handlers\"), got \"nodots\"\n" +
		"deployless.yaml:5:5: E30 init_app[2] must be a dotted \"module.function\" (for example \"app.shared.errors.register_error_handlers\"), got \"app.x.\"\n"
	if got := render(diags); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if c.AppFactory != "app.factory:make" || len(c.InitApp) != 1 || c.InitApp[0].Value != "app.shared.errors.register" || c.InitApp[0].Span.Line != 3 {
		t.Errorf("AppFactory %q, InitApp %q", c.AppFactory, c.InitApp)
	}
	if c.Span("init_app.0").Line != 3 {
		t.Errorf("init_app.0 is at line %d, want 3", c.Span("init_app.0").Line)
	}
	_, diags = load(t, "app_factory: create_app\n")
	if got := render(diags); !strings.Contains(got, "deployless.yaml:1:14: E30 app_factory must be \"module:function\"") {
		t.Errorf("diagnostics: %s", got)
	}
}
