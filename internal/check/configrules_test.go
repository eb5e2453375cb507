package check

import (
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

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

func TestConfigRules(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		stage     string // --stage, when set
		want      string
	}{
		{name: "defaults are valid", src: ""},
		{name: "valid values", src: "stage: Prod2\nglobals:\n  runtime: python3.9\n  memory: 10240\n  timeout: 900\n  log_retention: 3653\napi:\n  endpoint_type: PRIVATE\n  cors:\n    allow_origin: [https://a.example]\n    allow_credentials: true\n"},
		{name: "E01 stage", src: "name: x\nstage: dev-1\n", want: `
deployless.yaml:2:8: E01 stage must be alphanumeric, got "dev-1"`},
		{name: "E01 empty stage", src: "stage: ''\n", want: `
deployless.yaml:1:8: E01 stage must be alphanumeric, got ""`},
		{name: "E01 from --stage", src: "stage: dev\n", stage: "pr_12", want: `
--stage: E01 stage must be alphanumeric, got "pr_12"`},
		{name: "E02 endpoint_type", src: "api:\n  endpoint_type: GLOBAL\n", want: `
deployless.yaml:2:18: E02 api.endpoint_type must be REGIONAL, EDGE or PRIVATE, got "GLOBAL"`},
		{name: "E02 is case sensitive", src: "api:\n  endpoint_type: regional\n", want: `
deployless.yaml:2:18: E02 api.endpoint_type must be REGIONAL, EDGE or PRIVATE, got "regional"`},
		{name: "E03 log_retention", src: "globals:\n  log_retention: 15\n", want: `
deployless.yaml:2:18: E03 globals.log_retention must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days), got 15`},
		{name: "E04 wildcard string", src: "api:\n  cors:\n    allow_origin: \"*\"\n    allow_credentials: true\n", want: `
deployless.yaml:4:24: E04 allow_credentials: true is not compatible with allow_origin "*"
  deployless.yaml:3:19: allow_origin "*" is set here; list the allowed origins instead`},
		{name: "E04 wildcard in a list", src: "api:\n  cors:\n    allow_credentials: true\n    allow_origin:\n      - https://a.example\n      - '*'\n", want: `
deployless.yaml:3:24: E04 allow_credentials: true is not compatible with allow_origin "*"
  deployless.yaml:6:9: allow_origin "*" is set here; list the allowed origins instead`},
		{name: "E04 default origin is the wildcard", src: "api:\n  cors: {allow_credentials: true}\n", want: `
deployless.yaml:2:29: E04 allow_credentials: true is not compatible with allow_origin "*"
  deployless.yaml:2:9: allow_origin "*" is set here; list the allowed origins instead`},
		{name: "E05 memory low", src: "globals:\n  memory: 64\n", want: `
deployless.yaml:2:11: E05 globals.memory must be 128–10240 MB, got 64`},
		{name: "E05 memory high", src: "globals:\n  memory: 10241\n", want: `
deployless.yaml:2:11: E05 globals.memory must be 128–10240 MB, got 10241`},
		{name: "E06 timeout", src: "globals:\n  timeout: 0\n", want: `
deployless.yaml:2:12: E06 globals.timeout must be 1–900 s, got 0`},
		{name: "E09 runtime", src: "globals:\n  runtime: python2.7\n", want: `
deployless.yaml:2:12: E09 unsupported runtime "python2.7" (expected one of python3.9, python3.10, python3.11, python3.12, python3.13, python3.14)`},
		{name: "E38 name with an underscore", src: "name: my_app\n", want: `
deployless.yaml:1:7: E38 project name "my_app" must start with a letter and hold only letters, digits and hyphens: it names the CloudFormation stack and the SSM folder of the secrets`},
		{name: "E38 name with a NUL byte", src: "name: \"a\\0b\"\n", want: `
deployless.yaml:1:7: E38 project name "a\x00b" must start with a letter and hold only letters, digits and hyphens: it names the CloudFormation stack and the SSM folder of the secrets`},
		{name: "E38 path-like name", src: "name: ../etc\n", want: `
deployless.yaml:1:7: E38 project name "../etc" must start with a letter and hold only letters, digits and hyphens: it names the CloudFormation stack and the SSM folder of the secrets`},
		{name: "E38 too long", src: "name: a" + strings.Repeat("b", 124) + "\nstage: dev\n", want: `
deployless.yaml:1:7: E38 project name "a` + strings.Repeat("b", 124) + `" is too long: the stack name a` + strings.Repeat("b", 124) + `-dev would exceed CloudFormation's 128 characters`},
		{name: "every rule at once", src: "stage: a.b\nglobals: {runtime: node20, memory: 1, timeout: 901, log_retention: 2}\napi:\n  endpoint_type: EDGY\n", want: `
deployless.yaml:1:8: E01 stage must be alphanumeric, got "a.b"
deployless.yaml:2:20: E09 unsupported runtime "node20" (expected one of python3.9, python3.10, python3.11, python3.12, python3.13, python3.14)
deployless.yaml:2:36: E05 globals.memory must be 128–10240 MB, got 1
deployless.yaml:2:48: E06 globals.timeout must be 1–900 s, got 901
deployless.yaml:2:68: E03 globals.log_retention must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days), got 2
deployless.yaml:4:18: E02 api.endpoint_type must be REGIONAL, EDGE or PRIVATE, got "EDGY"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, diags := config.Load(source.NewFile("deployless.yaml", []byte(tc.src)))
			if len(diags) != 0 {
				t.Fatalf("config.Load: %s", render(diags))
			}
			if tc.stage != "" {
				c.OverrideStage(tc.stage)
			}
			if c.Name == "" {
				c.Name = "demo" // as the compiler does: the folder's name
			}
			want := ""
			if tc.want != "" {
				want = strings.TrimPrefix(tc.want, "\n") + "\n"
			}
			if got := render(Config(c)); got != want {
				t.Errorf("got\n%swant\n%s", got, want)
			}
		})
	}
}

func TestValidators(t *testing.T) {
	for _, d := range LogRetentionValues {
		if !ValidLogRetention(d) {
			t.Errorf("ValidLogRetention(%d) = false", d)
		}
	}
	for _, d := range []int{0, 2, 15, 3652, 3654, -1} {
		if ValidLogRetention(d) {
			t.Errorf("ValidLogRetention(%d) = true", d)
		}
	}
	if !ValidMemory(128) || ValidMemory(127) || !ValidTimeout(1) || ValidTimeout(0) {
		t.Error("range bounds are inclusive")
	}
}
