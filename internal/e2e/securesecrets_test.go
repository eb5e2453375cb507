//go:build unix

package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	stypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/deployless/deployless/internal/testenv"
)

// TestSecureStringSecrets: with secrets_kms, `secrets push` stores
// SecureStrings encrypted with that key, the template carries only markers,
// and the bootstrap decrypts them at cold start (moto_server standing in for
// SSM and KMS) before the app imports, so the app reads the real value.
func TestSecureStringSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts moto_server and builds a virtualenv; skipped with -short")
	}
	endpoint, _ := startMoto(t, testenv.Tool(t, "moto_server"))
	env := append(awsDummyEnv(t), "AWS_ENDPOINT_URL="+endpoint)
	ctx := context.Background()
	c := motoClients(t, env)
	key, err := c.KMS.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/vault-secrets"), TargetKeyId: key.KeyMetadata.KeyId}); err != nil {
		t.Fatal(err)
	}

	src := filepath.Join(testenv.RepoRoot(), "internal", "e2e", "testdata", "secureproj")
	root, res := buildProject(t, src)
	const secret = "s3cure-value-not-in-template"
	if strings.Contains(string(res.YAML), secret) {
		t.Fatal("the secret value is in template.yaml")
	}
	r := runCLI(t, buildBinary(t), env, "", "secrets", "push", "-C", root, "--verbose")
	if r.code != 0 || !strings.Contains(r.stdout, "pushed /vault/SECRET_SIGNING_KEY (SecureString)") || strings.Contains(r.all, secret) {
		t.Fatalf("secrets push: exit %d\n%s", r.code, r.all)
	}
	p, err := c.SSM.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/vault/SECRET_SIGNING_KEY")})
	if err != nil || p.Parameter.Type != stypes.ParameterTypeSecureString {
		t.Fatalf("parameter: %v %+v", err, p)
	}

	// boto3 is part of the Lambda Python runtime, not of the package: it goes
	// into the runtime's venv, not the task root.
	l := newLambda(t, root, res.YAML, "VaultFunction", map[string]string{
		"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
	}, "boto3==1.44.8")
	out := l.invoke(t, []string{"GET /vault/fingerprint"}, []any{apiEvent(request{Method: "GET", Path: "/vault/fingerprint", Resource: "/vault/fingerprint"})})
	_, body := out[0].expect(t, 200)
	sum := sha256.Sum256([]byte(secret))
	wantField(t, out[0].label, body, "sha256", hex.EncodeToString(sum[:]))
	wantField(t, out[0].label, body, "plain", "visible")
}
