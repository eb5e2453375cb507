//go:build unix

package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/testenv"
)

// deploySecret is the SECRET_ value of testdata/deployproj/project/.env.
const deploySecret = "deploy-secret-d0-n0t-l3ak"

// guidedAnswers answer `sam deploy --guided`'s wizard for the fixture, one
// line per prompt: Stack Name, AWS Region, Confirm changes before deploy,
// Allow SAM CLI IAM role creation, Disable rollback (all defaults), "y" to
// "NotesFunction has no authentication. Is this okay?", then the defaults of
// Save arguments to configuration file, SAM configuration file and SAM
// configuration environment.
const guidedAnswers = "\n\n\n\n\ny\n\n\n\n"

// TestDeploy runs `deployless deploy` end to end: the real binary (which
// builds the zips and the dependency layer with uv, bytecode with the
// runtime's Python), the real SAM CLI of .venv-sam (sam deploy on those
// zips: no sam build) and moto_server as AWS through AWS_ENDPOINT_URL. The
// managed bucket shows what was uploaded (docs/packaging-design.md F1–F6): the
// first deploy uploads every zip, each under the MD5 of its bytes; a redeploy
// with nothing changed uploads none and succeeds with "No changes to
// deploy"; a change to one feature's code uploads that function's zip only;
// a change to the requirements uploads the new layer only. moto has no model for the AWS::Serverless-2016-10-31
// transform's resources (it lists them in the stack with empty fields and
// creates nothing for them), so the test asserts on what moto does create:
// the stack, SAM's uploaded artifacts, the table, queues and parameters.
// Adaptations to moto 5.2.5, both in the test set-up only:
//   - AWS_ENDPOINT_URL uses "localhost": moto reads a CreateChangeSet
//     TemplateURL (SAM uploads the template and passes its URL) as a
//     path-style bucket/key only when the URL contains "localhost"; with
//     127.0.0.1 it takes "127" as the bucket name (NoSuchBucket).
//   - SAM's managed artifacts stack is created first by moto_sam.py seed
//     (see there: moto gives change-set-created stacks no Outputs, which
//     SAM's --resolve-s3 requires).
func TestDeploy(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: runs moto_server and the SAM CLI; skipped with -short")
	}
	motoServer := testenv.Tool(t, "moto_server") // skips when .venv is missing
	samVenv := testenv.SAMVenv(t)                // skips when .venv-sam is missing
	samBin := filepath.Join(samVenv, "bin")
	fixture := filepath.Join(testenv.RepoRoot(), "internal", "e2e", "testdata", "deployproj")
	mustRead(t, filepath.Join(fixture, "moto_sam.py")) // only Python reads it: keep go test's cache honest

	start := time.Now()
	bin := buildBinary(t)
	endpoint, serverLog := startMoto(t, motoServer)
	endpoint = strings.Replace(endpoint, "://127.0.0.1:", "://localhost:", 1)
	// PATH: uv and the fixture's runtime interpreter (the build), then SAM.
	env := setEnv(append(awsDummyEnv(t), buildEnv(t)...),
		"AWS_ENDPOINT_URL="+endpoint,
		cliPath(t, projectRuntime(t, filepath.Join(fixture, "project")), samBin, os.Getenv("PATH")),
		"SAM_CLI_TELEMETRY=0",
	)
	t.Logf("deployless built, moto_server up at %s in %s", endpoint, time.Since(start).Round(time.Millisecond))

	python := filepath.Join(samBin, "python")
	motoSAM := func(t *testing.T, args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, python, append([]string{"-I", "-B", filepath.Join(fixture, "moto_sam.py")}, args...)...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("moto_sam.py %v: %v\n%s\nmoto_server log (tail):\n%s", args, err, stderr.String(), tail(serverLog.String(), 40))
		}
		return stdout.Bytes()
	}
	type deployed struct {
		Stacks map[string]struct {
			StackStatus string
			Outputs     map[string]string
			Tags        map[string]string
		}
		Resources  map[string]struct{ Type, PhysicalId string }
		Template   string
		Buckets    map[string][]string
		Tables     []string
		Queues     []string
		Parameters map[string]struct{ Type, Value string }
	}
	state := func(t *testing.T) deployed {
		t.Helper()
		var s deployed
		if err := json.Unmarshal(motoSAM(t, "state", "deployproj-dev"), &s); err != nil {
			t.Fatalf("moto_sam.py state: %v", err)
		}
		return s
	}
	motoSAM(t, "seed")
	managed := state(t).Stacks["aws-sam-cli-managed-default"].Outputs["SourceBucket"]
	if managed == "" {
		t.Fatalf("seeding SAM's managed stack gave no SourceBucket output")
	}

	var outputs []string // everything deploy printed, for the leak check
	deploy := func(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"deploy", "-C", dir}, args...)...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.WaitDelay = 10 * time.Second
		began := time.Now()
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("deploy %v: %v\n%s%s", args, err, stdout.String(), stderr.String())
		}
		t.Logf("deployless deploy %s: exit %d in %s", strings.Join(args, " "), code, time.Since(began).Round(time.Millisecond))
		outputs = append(outputs, stdout.String(), stderr.String())
		return code, stdout.String(), stderr.String()
	}
	newProject := func(t *testing.T) string {
		dir := t.TempDir()
		copyProject(t, filepath.Join(fixture, "project"), dir)
		return dir
	}
	samRan := regexp.MustCompile(`(?m)^Running: sam `)

	// ---- a failing step stops the deploy with its exit code -----------------
	t.Run("invalid project stops before sam", func(t *testing.T) {
		dir := newProject(t)
		appendFile(t, filepath.Join(dir, "app", "features", "notes", "routes.py"), "\ndef broken(:\n    pass\n")
		code, out, errOut := deploy(t, dir, "")
		if code != 1 || !strings.Contains(errOut, "app/features/notes/routes.py:") || !strings.Contains(errOut, "E31") {
			t.Errorf("exit %d, want 1 with an E31 diagnostic:\n%s%s", code, out, errOut)
		}
		if samRan.MatchString(out) {
			t.Errorf("sam ran for an invalid project:\n%s", out)
		}
		for _, p := range []string{"template.yaml", ".dist", ".aws-sam"} {
			if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
				t.Errorf("an invalid project left %s behind", p)
			}
		}
	})

	// ---- what was uploaded ----------------------------------------------------------
	// SAM uploads a zip CodeUri/ContentUri as it is, named by the MD5 of its
	// bytes under the stack's prefix, and skips one the bucket has (F1, F2).
	const prefix = "deployproj-dev/"
	artifacts := func(t *testing.T, dir string) map[string]string { // .dist zip → its S3 key
		t.Helper()
		out := map[string]string{}
		for _, name := range distZips(t, dir) {
			sum := md5.Sum(mustRead(t, filepath.Join(dir, ".dist", name)))
			out[name] = prefix + hex.EncodeToString(sum[:])
		}
		return out
	}
	uploaded := func(before, after []string) []string { // new objects, not templates
		var out []string
		for _, o := range zips(after) {
			if !slices.Contains(before, o) {
				out = append(out, o)
			}
		}
		return out
	}
	wantUploads := func(t *testing.T, what string, got []string, want ...string) {
		t.Helper()
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the deploy uploaded %d artifact(s) %v, want %d: %v", what, len(got), got, len(want), want)
		}
	}
	noSAMBuild := func(t *testing.T, dir, out string) {
		t.Helper()
		if strings.Contains(out, "sam build") {
			t.Errorf("deploy ran sam build:\n%s", out)
		}
		if _, err := os.Stat(filepath.Join(dir, ".aws-sam")); err == nil {
			t.Errorf("deploy left .aws-sam/ in the project: sam build ran")
		}
	}

	// ---- guided: no samconfig.toml -----------------------------------------------
	dir := newProject(t)
	var deployedArtifacts map[string]string // after the last successful deploy
	t.Run("guided without samconfig.toml", func(t *testing.T) {
		before := state(t).Buckets[managed]
		code, out, errOut := deploy(t, dir, guidedAnswers, "--push-secrets", "--verbose")
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s\nmoto_server log (tail):\n%s", code, out, errOut, tail(serverLog.String(), 40))
		}
		for _, want := range []string{
			"PASS  AWS SAM CLI: SAM CLI, version",
			"PASS  AWS credentials:",
			"[deployless] Template generated: " + filepath.Join(dir, "template.yaml"),
			"pushed /deployproj/SECRET_API_TOKEN (String)",
			"No samconfig.toml in " + dir + ": running sam deploy --guided",
			"Running: sam deploy --template-file template.yaml --guided --stack-name deployproj-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset --region us-east-1\n",
			"Stack Name [deployproj-dev]:",                                     // the wizard ran, with deployless's defaults
			"Successfully created/updated stack - deployproj-dev in us-east-1", // SAM's own words
			"Deployed deployproj (stage dev) as stack deployproj-dev in us-east-1.",
		} {
			if !strings.Contains(out+errOut, want) {
				t.Errorf("guided deploy output lacks %q:\n%s\n%s", want, out, errOut)
			}
		}
		noSAMBuild(t, dir, out+errOut)
		// The order of the steps: check, build, secrets, sam deploy.
		order := []string{"PASS  AWS credentials:", "[deployless] Template generated:", "Pushed 1 secret(s)", "Running: sam deploy"}
		last := -1
		for _, s := range order {
			i := strings.Index(out, s)
			if i < last {
				t.Errorf("%q printed out of order (want %v)", s, order)
			}
			last = i
		}
		cfg, err := os.ReadFile(filepath.Join(dir, "samconfig.toml"))
		if err != nil || !bytes.Contains(cfg, []byte(`stack_name = "deployproj-dev"`)) || !bytes.Contains(cfg, []byte("resolve_s3 = true")) {
			t.Fatalf("the guided deploy saved no samconfig.toml in the project (err %v):\n%s", err, cfg)
		}

		// Every artifact uploaded: each function's zip and the layer's.
		arts := artifacts(t, dir)
		if want := []string{"DepsLayer.zip", "NotesFunction.zip", "PurgeJobsFunction.zip"}; !slices.Equal(slices.Sorted(maps.Keys(arts)), want) {
			t.Errorf(".dist holds %v, want %v", slices.Sorted(maps.Keys(arts)), want)
		}
		s := state(t)
		wantUploads(t, "first deploy", uploaded(before, s.Buckets[managed]), slices.Collect(maps.Values(arts))...)
		for name, key := range arts {
			if !strings.Contains(errOut, "Uploading to "+key) {
				t.Errorf("SAM did not report uploading %s as %s:\n%s", name, key, errOut)
			}
		}
		for name := range arts {
			if pycEntries(t, mustRead(t, filepath.Join(dir, ".dist", name))) == 0 {
				t.Errorf(".dist/%s has no bytecode: the build did not find python3.11 on PATH", name)
			}
		}
		deployedArtifacts = arts

		if st := s.Stacks["deployproj-dev"].StackStatus; st != "CREATE_COMPLETE" {
			t.Fatalf("stack deployproj-dev: status %q, want CREATE_COMPLETE (stacks: %v)", st, s.Stacks)
		}
		checkStack(t, s.Resources, s.Template, s.Buckets[managed], prefix, arts)
		wantSet(t, "tables", s.Tables, "deployproj-notes")
		wantSet(t, "queues", s.Queues, "deployproj-jobs")
		if p := s.Parameters["/deployproj/db/host"]; p.Type != "String" || p.Value != "db.internal" {
			t.Errorf("parameter /deployproj/db/host = %+v, want String db.internal", p)
		}
		if p := s.Parameters["/deployproj/SECRET_API_TOKEN"]; p.Type != "String" || p.Value != deploySecret {
			t.Errorf("the secret parameter /deployproj/SECRET_API_TOKEN was not pushed (got type %q)", p.Type)
		}
	})
	needDeployed := func(t *testing.T) {
		t.Helper()
		if _, err := os.Stat(filepath.Join(dir, "samconfig.toml")); err != nil || deployedArtifacts == nil {
			t.Skip("needs the guided deploy's samconfig.toml and artifacts")
		}
	}

	// ---- non-guided: samconfig.toml exists ----------------------------------------
	t.Run("redeploy with nothing changed uploads nothing", func(t *testing.T) {
		needDeployed(t)
		before := state(t).Buckets[managed]
		code, out, errOut := deploy(t, dir, "", "--push-secrets")
		if code != 0 {
			t.Fatalf("exit %d, want 0 (an empty change set is a success)\n%s\n%s", code, out, errOut)
		}
		if !strings.Contains(out, "Running: sam deploy --template-file template.yaml --stack-name deployproj-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset --region us-east-1\n") {
			t.Errorf("sam deploy command line:\n%s", out)
		}
		if !strings.Contains(out, "No changes to deploy. Stack deployproj-dev is up to date") {
			t.Errorf("want SAM's empty change set:\n%s\n%s", out, errOut)
		}
		noSAMBuild(t, dir, out+errOut)
		arts := artifacts(t, dir)
		if !maps.Equal(arts, deployedArtifacts) {
			t.Errorf("the rebuild changed the zips: %v, then %v", deployedArtifacts, arts)
		}
		wantUploads(t, "no-change redeploy", uploaded(before, state(t).Buckets[managed]))
		for name, key := range arts {
			if !strings.Contains(errOut, "File with same data already exists at "+key+", skipping upload") {
				t.Errorf("SAM did not skip %s (%s):\n%s", name, key, errOut)
			}
		}
		if st := state(t).Stacks["deployproj-dev"].StackStatus; st != "CREATE_COMPLETE" {
			t.Errorf("stack deployproj-dev: status %q, want it untouched (CREATE_COMPLETE)", st)
		}
	})

	t.Run("one feature changed uploads its zip only", func(t *testing.T) {
		needDeployed(t)
		before := state(t).Buckets[managed]
		// A change to deploy: one more queue (shared: every function gets its
		// URL), written in the notes feature's code only.
		appendFile(t, filepath.Join(dir, "app", "features", "notes", "routes.py"),
			"\npc.shared_resource(\"extra\", pc.SQS(\"deployproj-extra\"))\n")
		code, out, errOut := deploy(t, dir, "", "--push-secrets")
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s\nmoto_server log (tail):\n%s", code, out, errOut, tail(serverLog.String(), 40))
		}
		for _, want := range []string{
			"Running: sam deploy --template-file template.yaml --stack-name deployproj-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset --region us-east-1\n",
			"Managed S3 bucket: " + managed,
			"Successfully created/updated stack - deployproj-dev in us-east-1",
			"Deployed deployproj (stage dev) as stack deployproj-dev in us-east-1.",
		} {
			if !strings.Contains(out+errOut, want) {
				t.Errorf("non-guided deploy output lacks %q:\n%s\n%s", want, out, errOut)
			}
		}
		if strings.Contains(out, "Running: sam deploy --guided") || strings.Contains(out, "Stack Name [") {
			t.Errorf("sam deploy ran guided although samconfig.toml exists:\n%s", out)
		}
		noSAMBuild(t, dir, out+errOut)
		arts := artifacts(t, dir)
		for name, key := range arts {
			if changed := key != deployedArtifacts[name]; changed != (name == "NotesFunction.zip") {
				t.Errorf("%s: %s → %s; want only NotesFunction.zip changed", name, deployedArtifacts[name], key)
			}
		}
		s := state(t)
		wantUploads(t, "one-feature change", uploaded(before, s.Buckets[managed]), arts["NotesFunction.zip"])
		deployedArtifacts = arts
		if st := s.Stacks["deployproj-dev"].StackStatus; st != "UPDATE_COMPLETE" {
			t.Fatalf("stack deployproj-dev: status %q, want UPDATE_COMPLETE", st)
		}
		checkStack(t, s.Resources, s.Template, s.Buckets[managed], prefix, arts)
		if r := s.Resources["DeployprojExtraQueue"]; r.Type != "AWS::SQS::Queue" {
			t.Errorf("the new queue is not in the stack: %+v", s.Resources)
		}
		wantSet(t, "queues", s.Queues, "deployproj-extra", "deployproj-jobs")
		wantSet(t, "tables", s.Tables, "deployproj-notes")
	})

	t.Run("requirements changed uploads the new layer only", func(t *testing.T) {
		needDeployed(t)
		before := state(t).Buckets[managed]
		appendFile(t, filepath.Join(dir, "requirements.txt"), "six==1.17.0\n")
		code, out, errOut := deploy(t, dir, "")
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s\nmoto_server log (tail):\n%s", code, out, errOut, tail(serverLog.String(), 40))
		}
		noSAMBuild(t, dir, out+errOut)
		arts := artifacts(t, dir)
		for name, key := range arts {
			if changed := key != deployedArtifacts[name]; changed != (name == "DepsLayer.zip") {
				t.Errorf("%s: %s → %s; want only DepsLayer.zip changed", name, deployedArtifacts[name], key)
			}
		}
		s := state(t)
		wantUploads(t, "requirements change", uploaded(before, s.Buckets[managed]), arts["DepsLayer.zip"])
		// The change set (a table whose cells wrap) modifies the layer and
		// nothing else: the functions' Layers: [!Ref DepsLayer] are unchanged.
		if changes := regexp.MustCompile(`(?m)^\* (Add|Modify|Delete|Remove)\s+\S+`).FindAllString(out, -1); len(changes) != 1 ||
			!regexp.MustCompile(`\*\s+Modify\s+DepsLayer\s+AWS::Serverless::Layer`).MatchString(out) {
			t.Errorf("the change set is %q, want DepsLayer modified only:\n%s", changes, out)
		}
		deployedArtifacts = arts
		if st := s.Stacks["deployproj-dev"].StackStatus; st != "UPDATE_COMPLETE" {
			t.Fatalf("stack deployproj-dev: status %q, want UPDATE_COMPLETE", st)
		}
		checkStack(t, s.Resources, s.Template, s.Buckets[managed], prefix, arts)
	})

	t.Run("--guided with samconfig.toml", func(t *testing.T) {
		needDeployed(t)
		before := state(t).Buckets[managed]
		// Nothing changed since the last deploy: an empty change set, which
		// --no-fail-on-empty-changeset turns into success.
		code, out, errOut := deploy(t, dir, guidedAnswers, "--guided")
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		if !strings.Contains(out, "Running: sam deploy --template-file template.yaml --guided --stack-name deployproj-dev ") || !strings.Contains(out, "Stack Name [deployproj-dev]:") {
			t.Errorf("--guided did not run the wizard:\n%s", out)
		}
		if strings.Contains(out, "No samconfig.toml") {
			t.Errorf("deploy claims samconfig.toml is missing:\n%s", out)
		}
		if !strings.Contains(out, "No changes to deploy. Stack deployproj-dev is up to date") {
			t.Errorf("want SAM's empty change set, tolerated by --no-fail-on-empty-changeset:\n%s\n%s", out, errOut)
		}
		wantUploads(t, "guided no-change redeploy", uploaded(before, state(t).Buckets[managed]))
	})

	t.Run("failing sam deploy returns its exit code", func(t *testing.T) {
		needDeployed(t)
		// An artifacts bucket that does not exist: deployless turns off the
		// samconfig.toml's resolve_s3 and SAM's upload fails.
		code, out, errOut := deploy(t, dir, "", "--", "--s3-bucket", "deployproj-no-such-bucket")
		if code != 1 || !strings.Contains(errOut, "S3 Bucket does not exist.") || !strings.Contains(errOut, "sam deploy failed (exit 1); deploy stopped") {
			t.Errorf("exit %d, want sam deploy's failure (exit 1, S3 Bucket does not exist):\n%s\n%s", code, out, errOut)
		}
		if !strings.Contains(out, "Running: sam deploy --template-file template.yaml --stack-name deployproj-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset --region us-east-1 --s3-bucket deployproj-no-such-bucket\n") {
			t.Errorf("sam deploy command line:\n%s", out)
		}
		if strings.Contains(out, "Deployed deployproj") {
			t.Errorf("a failed deploy reported success:\n%s", out)
		}
	})

	// ---- the secret never leaks --------------------------------------------------
	for i, o := range outputs {
		if strings.Contains(o, deploySecret) {
			t.Errorf("the secret value leaked into deploy output #%d", i)
		}
	}
	if err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Base(p) == ".env" {
			return err
		}
		if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(deploySecret)) {
			t.Errorf("the secret value leaked into %s", p)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if s := state(t); strings.Contains(s.Template, deploySecret) || !strings.Contains(s.Template, "{{resolve:ssm:/deployproj/SECRET_API_TOKEN}}") {
		t.Errorf("the deployed template must reference the secret in SSM, never hold it")
	}
	t.Logf("total %s", time.Since(start).Round(time.Millisecond))
}

// checkStack asserts what moto made of the deployed template: the SAM
// template as uploaded by sam deploy (transform included, every CodeUri and
// ContentUri rewritten to the uploaded artifact of its zip in arts, in the
// managed bucket under prefix) and the non-serverless resources.
func checkStack(t *testing.T, resources map[string]struct{ Type, PhysicalId string }, tmpl string, objects []string, prefix string, arts map[string]string) {
	t.Helper()
	if !strings.Contains(tmpl, "Transform: AWS::Serverless-2016-10-31") {
		t.Errorf("the deployed template lacks the SAM transform:\n%s", tmpl)
	}
	uris := regexp.MustCompile(`(?m)^\s*(CodeUri|ContentUri): s3://([^/\s]+)/(\S+)$`).FindAllStringSubmatch(tmpl, -1)
	if len(uris) != len(arts) {
		t.Errorf("the deployed template has %d uploaded CodeUri/ContentUri, want one per zip (%d: %v):\n%s", len(uris), len(arts), arts, tmpl)
	}
	keys := slices.Collect(maps.Values(arts))
	for _, m := range uris {
		if !strings.HasPrefix(m[3], prefix) || !slices.Contains(objects, m[3]) || !slices.Contains(keys, m[3]) {
			t.Errorf("%s s3://%s/%s: not the uploaded object of a built zip %v under %s of the managed bucket %v", m[1], m[2], m[3], arts, prefix, objects)
		}
	}
	templates := 0
	for _, o := range objects {
		if strings.HasSuffix(o, ".template") && strings.HasPrefix(o, prefix) {
			templates++
		}
	}
	if templates == 0 {
		t.Errorf("sam deploy uploaded no template to the managed bucket: %v", objects)
	}
	for id, typ := range map[string]string{
		"DeployprojNotesTable":      "AWS::DynamoDB::Table",
		"DeployprojJobsQueue":       "AWS::SQS::Queue",
		"DeployprojDbHostParameter": "AWS::SSM::Parameter",
		"NotesFunctionLogGroup":     "AWS::Logs::LogGroup",
	} {
		if r := resources[id]; r.Type != typ || r.PhysicalId == "" {
			t.Errorf("stack resource %s = %+v, want a created %s", id, r, typ)
		}
	}
	if r := resources["DeployprojNotesTable"]; r.PhysicalId != "deployproj-notes" {
		t.Errorf("DeployprojNotesTable physical ID %q", r.PhysicalId)
	}
}

func zips(objects []string) []string {
	var out []string
	for _, o := range objects {
		if !strings.HasSuffix(o, ".template") {
			out = append(out, o)
		}
	}
	return out
}

func wantSet(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// setEnv returns env with each KEY=VALUE of kv set (replacing the key).
func setEnv(env []string, kv ...string) []string {
	out := append([]string(nil), env...)
	for _, s := range kv {
		k, _, _ := strings.Cut(s, "=")
		replaced := false
		for i, e := range out {
			if strings.HasPrefix(e, k+"=") {
				out[i], replaced = s, true
			}
		}
		if !replaced {
			out = append(out, s)
		}
	}
	return out
}
