//go:build unix

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	stypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/deployless/deployless/internal/awsclient"
	"github.com/deployless/deployless/internal/testenv"
)

// motoClients points this process's AWS settings (only those: HOME stays,
// so uv's cache stays warm) at env's moto endpoint and returns SDK clients.
func motoClients(t *testing.T, env []string) *awsclient.Clients {
	t.Helper()
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, v)
		}
	}
	c, err := awsclient.Load(context.Background(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// buildBinary builds the deployless command once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "deployless")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/deployless")
	cmd.Dir = testenv.RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type cliRun struct {
	code        int
	stdout, all string
}

// runCLI runs the real binary with env and stdin.
func runCLI(t *testing.T, bin string, env []string, stdin string, args ...string) cliRun {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return cliRun{code: code, stdout: out.String(), all: out.String() + errb.String()}
}

// TestAWSCommandsAgainstMoto runs secrets push, secrets sync, check and
// validate --check-existing through the real binary against moto_server.
func TestAWSCommandsAgainstMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("starts moto_server; skipped with -short")
	}
	endpoint, _ := startMoto(t, testenv.Tool(t, "moto_server"))
	bin := buildBinary(t)
	dir := t.TempDir()
	copyProject(t, filepath.Join(testenv.RepoRoot(), "internal", "e2e", "testdata", "awsproj"), dir)
	env := append(awsDummyEnv(t), "AWS_ENDPOINT_URL="+endpoint)
	// check runs `sam --version`: the SAM CLI's venv goes first on PATH.
	for i, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			env[i] = "PATH=" + filepath.Dir(testenv.SAM(t)) + ":" + strings.TrimPrefix(kv, "PATH=")
		}
	}
	ctx := context.Background()
	c := motoClients(t, env)
	put := func(name, value string) {
		t.Helper()
		if _, err := c.SSM.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value),
			Type: stypes.ParameterTypeString, Overwrite: aws.Bool(true)}); err != nil {
			t.Fatal(err)
		}
	}
	exists := func(name string) (string, bool) {
		out, err := c.SSM.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)})
		if err != nil {
			return "", false
		}
		return aws.ToString(out.Parameter.Value), true
	}
	// Outside the prefix, and not a SECRET_: never touched. 12 orphans:
	// more than one DeleteParameters batch.
	put("/other/SECRET_KEEP", "x")
	put("/jobsproj/PLAIN_KEEP", "x")
	put("/jobsproj/nested/SECRET_KEEP", "x")
	var orphans []string
	for i := 0; i < 12; i++ {
		orphans = append(orphans, fmt.Sprintf("/jobsproj/SECRET_OLD_%02d", i))
		put(orphans[i], "old")
	}
	secrets := []string{"hunter2-do-not-leak", "tok en with spaces"}
	noLeak := func(what string, r cliRun) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(r.all, s) {
				t.Errorf("%s printed the secret value %q", what, s)
			}
		}
	}

	r := runCLI(t, bin, env, "", "secrets", "push", "-C", dir, "--verbose")
	noLeak("secrets push", r)
	if r.code != 0 || !strings.Contains(r.stdout, "pushed /jobsproj/SECRET_DB_PASSWORD (String)") || !strings.Contains(r.stdout, "Pushed 2 secret(s)") {
		t.Fatalf("secrets push: exit %d\n%s", r.code, r.all)
	}
	if v, _ := exists("/jobsproj/SECRET_API_TOKEN"); v != "tok en with spaces" {
		t.Errorf("/jobsproj/SECRET_API_TOKEN = %q", v)
	}

	// sync without --yes and nothing on stdin keeps the orphans.
	r = runCLI(t, bin, env, "", "secrets", "sync", "-C", dir)
	noLeak("secrets sync (no)", r)
	if r.code != 0 || !strings.Contains(r.stdout, "12 orphaned parameter(s)") || !strings.Contains(r.stdout, "Kept them") {
		t.Fatalf("secrets sync without --yes: exit %d\n%s", r.code, r.all)
	}
	if _, ok := exists(orphans[0]); !ok {
		t.Fatal("an orphan was deleted without confirmation")
	}
	// Answering "y" on stdin deletes them, as --yes does.
	r = runCLI(t, bin, env, "y\n", "secrets", "sync", "-C", dir)
	noLeak("secrets sync (y)", r)
	if r.code != 0 || !strings.Contains(r.stdout, "Deleted 12 orphaned parameter(s)") {
		t.Fatalf("secrets sync answered y: exit %d\n%s", r.code, r.all)
	}
	for _, o := range orphans {
		if _, ok := exists(o); ok {
			t.Errorf("orphan %s still exists", o)
		}
	}
	for _, keep := range []string{"/other/SECRET_KEEP", "/jobsproj/PLAIN_KEEP", "/jobsproj/nested/SECRET_KEEP", "/jobsproj/SECRET_DB_PASSWORD", "/jobsproj/SECRET_API_TOKEN"} {
		if _, ok := exists(keep); !ok {
			t.Errorf("%s was deleted", keep)
		}
	}
	put("/jobsproj/SECRET_GONE", "x")
	if r = runCLI(t, bin, env, "", "secrets", "sync", "-C", dir, "--yes"); r.code != 0 || !strings.Contains(r.stdout, "Deleted 1 orphaned") {
		t.Errorf("secrets sync --yes: exit %d\n%s", r.code, r.all)
	}

	// Existing resources absent: validate --check-existing and check fail,
	// naming each one.
	names := []string{"existing DynamoDB legacy-orders", "existing S3 legacy-uploads", "existing SQS legacy-jobs",
		"existing KMS alias/legacy-key", "existing SSMParameter /legacy/db/host"}
	r = runCLI(t, bin, env, "", "validate", "-C", dir, "--check-existing")
	noLeak("validate --check-existing", r)
	if r.code != 1 {
		t.Errorf("validate --check-existing with nothing created: exit %d, want 1\n%s", r.code, r.all)
	}
	for _, n := range names {
		if !strings.Contains(r.stdout, "FAIL  "+n) {
			t.Errorf("validate --check-existing does not report %q as failing:\n%s", n, r.stdout)
		}
	}
	r = runCLI(t, bin, env, "", "check", "-C", dir)
	noLeak("check (absent)", r)
	if r.code != 1 || !strings.Contains(r.stdout, "PASS  AWS credentials: account 123456789012") ||
		!strings.Contains(r.stdout, "PASS  env file: 1 variable(s), 2 secret(s)") || !strings.Contains(r.stdout, "FAIL  existing DynamoDB legacy-orders") {
		t.Errorf("check with resources absent: exit %d\n%s", r.code, r.all)
	}

	// Create them; now every existence check passes.
	if _, err := c.DynamoDB.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("legacy-orders"),
		AttributeDefinitions: []dtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: dtypes.ScalarAttributeTypeS}},
		KeySchema:            []dtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: dtypes.KeyTypeHash}},
		BillingMode:          dtypes.BillingModePayPerRequest}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("legacy-uploads")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("legacy-jobs")}); err != nil {
		t.Fatal(err)
	}
	key, err := c.KMS.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/legacy-key"), TargetKeyId: key.KeyMetadata.KeyId}); err != nil {
		t.Fatal(err)
	}
	put("/legacy/db/host", "db.internal")

	r = runCLI(t, bin, env, "", "validate", "-C", dir, "--check-existing")
	if r.code != 0 {
		t.Errorf("validate --check-existing with everything created: exit %d\n%s", r.code, r.all)
	}
	for _, n := range names {
		if !strings.Contains(r.stdout, "PASS  "+n) {
			t.Errorf("validate --check-existing does not report %q as passing:\n%s", n, r.stdout)
		}
	}
	r = runCLI(t, bin, env, "", "check", "-C", dir)
	noLeak("check (present)", r)
	for _, n := range names {
		if !strings.Contains(r.stdout, "PASS  "+n) {
			t.Errorf("check does not report %q as passing:\n%s", n, r.stdout)
		}
	}
	if r.code != 0 || !strings.Contains(r.stdout, "PASS  AWS SAM CLI: SAM CLI, version") {
		t.Errorf("check with everything present: exit %d\n%s", r.code, r.all)
	}
}
