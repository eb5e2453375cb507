//go:build unix

package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	stypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/deployless/deployless/internal/testenv"
)

// TestSSMParamSecure: pc.SSMParam(..., secure=True) names a SecureString
// that exists outside the stack. The template carries only the marker (with
// the version when one is pinned), and the bootstrap of each function that
// has one — the HTTP feature function and a cron, neither with any env file
// secret — decrypts it at cold start (moto_server standing in for SSM)
// before the app imports, so the app reads the real value: of the pinned
// version, and the latest one where none is pinned, both of one parameter
// read in one GetParameters call.
func TestSSMParamSecure(t *testing.T) {
	if testing.Short() {
		t.Skip("starts moto_server and builds a virtualenv; skipped with -short")
	}
	endpoint, _ := startMoto(t, testenv.Tool(t, "moto_server"))
	env := append(awsDummyEnv(t), "AWS_ENDPOINT_URL="+endpoint)
	ctx := context.Background()
	c := motoClients(t, env)
	put := func(name, value string, overwrite bool) {
		t.Helper()
		// No KeyId: SSM encrypts with its AWS managed key, alias/aws/ssm.
		if _, err := c.SSM.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value),
			Type: stypes.ParameterTypeSecureString, Overwrite: aws.Bool(overwrite)}); err != nil {
			t.Fatal(err)
		}
	}
	const (
		password = "db-pass-not-in-template"
		keyV1    = "api-key-version-1"
		keyV2    = "api-key-version-2"
		token    = "export-token-not-in-template"
	)
	put("/ledger/db/password", password, false)
	put("/ledger/api/key", keyV1, false)
	put("/ledger/api/key", keyV2, true) // the latest is version 2; the app pins 1
	put("/ledger/export/token", token, false)

	src := filepath.Join(testenv.RepoRoot(), "internal", "e2e", "testdata", "ssmsecureproj")
	root, res := buildProject(t, src)
	tmpl := string(res.YAML)
	for _, want := range []string{
		"DB_PASSWORD: deployless-ssm-secure:/ledger/db/password\n",
		"API_KEY: deployless-ssm-secure:/ledger/api/key:1\n",
		"EXPORT_TOKEN: deployless-ssm-secure:/ledger/export/token\n",
		"parameter/ledger/export/token\n",
		"kms:ResourceAliases: alias/aws/ssm\n",
	} {
		if !strings.Contains(tmpl, want) {
			t.Errorf("template.yaml has no %q", want)
		}
	}
	for _, secret := range []string{password, keyV1, keyV2, token} {
		if strings.Contains(tmpl, secret) {
			t.Errorf("template.yaml holds the value %q", secret)
		}
	}
	if strings.Contains(tmpl, "resolve:ssm-secure") {
		t.Error("template.yaml holds a {{resolve:ssm-secure:…}} reference, which CloudFormation refuses in Lambda environments")
	}

	awsEnv := map[string]string{"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
		"AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}
	sha := func(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:]) }

	t.Run("AccountsFunction", func(t *testing.T) {
		// boto3 is part of the Lambda Python runtime, not of the package.
		l := newLambda(t, root, res.YAML, "AccountsFunction", awsEnv, "boto3==1.44.8")
		out := l.invoke(t, []string{"GET /accounts/fingerprints"},
			[]any{apiEvent(request{Method: "GET", Path: "/accounts/fingerprints", Resource: "/accounts/fingerprints"})})
		_, body := out[0].expect(t, 200)
		wantField(t, out[0].label, body, "db_password", sha(password))
		wantField(t, out[0].label, body, "api_key", sha(keyV1))
		wantField(t, out[0].label, body, "api_key_latest", sha(keyV2))
	})

	t.Run("ExportFunction", func(t *testing.T) {
		l := newLambda(t, root, res.YAML, "ExportFunction", awsEnv, "boto3==1.44.8")
		raw, err := os.ReadFile(testdataFile("scheduled_event.json"))
		if err != nil {
			t.Fatal(err)
		}
		var event map[string]any
		if err := json.Unmarshal(raw, &event); err != nil {
			t.Fatal(err)
		}
		r := l.invoke(t, []string{"scheduled event"}, []any{event})
		var got map[string]any
		if err := json.Unmarshal(r[0].raw, &got); err != nil {
			t.Fatalf("%s: result is not a JSON object: %v\n%s", r[0].label, err, r[0].raw)
		}
		wantField(t, r[0].label, got, "export_token", sha(token))
		wantField(t, r[0].label, got, "db_password", sha(password))
	})
}
