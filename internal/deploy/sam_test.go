package deploy

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestDeployArgs(t *testing.T) {
	base := SAMOptions{Template: "template.yaml", StackName: "shop-dev", Region: "eu-west-1"}
	for _, tc := range []struct {
		name string
		edit func(*SAMOptions)
		want string
	}{
		{"non-guided", func(*SAMOptions) {},
			"deploy --template-file template.yaml --stack-name shop-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset --region eu-west-1"},
		{"guided: the wizard picks the bucket and the confirmation", func(o *SAMOptions) { o.Guided = true; o.Profile = "prod" },
			"deploy --template-file template.yaml --guided --stack-name shop-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset --region eu-west-1 --profile prod"},
		{"bucket in samconfig.toml", func(o *SAMOptions) { o.S3BucketConfigured = true },
			"deploy --template-file template.yaml --stack-name shop-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset --region eu-west-1"},
		{"bucket in the extra arguments, which come last", func(o *SAMOptions) { o.Extra = []string{"--s3-bucket=mine", "--stack-name", "other"} },
			"deploy --template-file template.yaml --stack-name shop-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset --region eu-west-1 --s3-bucket=mine --stack-name other"},
		{"the user's own --resolve-s3 choice", func(o *SAMOptions) { o.S3BucketConfigured = true; o.Extra = []string{"--resolve-s3"} },
			"deploy --template-file template.yaml --stack-name shop-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-confirm-changeset --no-fail-on-empty-changeset --region eu-west-1 --resolve-s3"},
		{"no region", func(o *SAMOptions) { o.Region = "" },
			"deploy --template-file template.yaml --stack-name shop-dev --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --resolve-s3 --no-confirm-changeset --no-fail-on-empty-changeset"},
	} {
		o := base
		tc.edit(&o)
		if got := strings.Join(DeployArgs(o), " "); got != tc.want {
			t.Errorf("%s:\n got  %s\n want %s", tc.name, got, tc.want)
		}
	}
}

func TestNeedsGuided(t *testing.T) {
	dir := t.TempDir()
	if !NeedsGuided(dir, nil) || SAMConfigFile(dir) != "" {
		t.Errorf("no samconfig: want guided")
	}
	if NeedsGuided(dir, []string{"--config-file", "ci.toml"}) {
		t.Errorf("--config-file in the extra arguments: want non-guided")
	}
	if ConfiguresS3Bucket(dir) {
		t.Errorf("no samconfig, yet a bucket is configured")
	}
	for _, name := range SAMConfigFiles {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("version = 0.1\n# s3_bucket = \"commented\"\n[default.deploy.parameters]\nresolve_s3 = true\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if NeedsGuided(dir, nil) || SAMConfigFile(dir) != p {
			t.Errorf("%s present: want non-guided", name)
		}
		if ConfiguresS3Bucket(dir) {
			t.Errorf("%s: a commented s3_bucket counts as configured", name)
		}
		if err := os.WriteFile(p, []byte("[default.deploy.parameters]\n  s3_bucket = \"my-artifacts\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if !ConfiguresS3Bucket(dir) {
			t.Errorf("%s: s3_bucket not detected", name)
		}
		os.Remove(p)
	}
}

func TestStackName(t *testing.T) {
	for _, tc := range [][3]string{
		{"deployproj", "dev", "deployproj-dev"},
		{"my_api.v2", "prod", "my-api-v2-prod"},
		{"2fast", "dev", "s-2fast-dev"},
	} {
		if got := StackName(tc[0], tc[1]); got != tc[2] {
			t.Errorf("StackName(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
	if got := StackName(strings.Repeat("a", 200), "dev"); len(got) != 128 {
		t.Errorf("long name not cut to 128 characters: %d", len(got))
	}
}

func TestCommandLine(t *testing.T) {
	got := CommandLine([]string{"deploy", "--parameter-overrides", "A=b c", "--tags", "it's"})
	want := `sam deploy --parameter-overrides 'A=b c' --tags 'it'\''s'`
	if got != want {
		t.Errorf("CommandLine = %s, want %s", got, want)
	}
}

// TestSAMRun runs a stand-in sam (a shell script first on PATH): its output
// is streamed to the writers, stdin reaches it, it runs in Dir, and its exit
// code comes back in a StepError.
func TestSAMRun(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in sam is a shell script")
	}
	bin := t.TempDir()
	script := "#!/bin/sh\nread answer\necho \"args: $*\"\necho \"answer: $answer\"\necho \"dir: $(pwd -P)\"\necho oops >&2\nexit ${FAKE_SAM_EXIT:-0}\n"
	if err := os.WriteFile(filepath.Join(bin, "sam"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir, _ := filepath.EvalSymlinks(t.TempDir())

	var out, errb bytes.Buffer
	s := SAM{Dir: dir, Stdin: strings.NewReader("yes\n"), Stdout: &out, Stderr: &errb}
	if err := s.Run(context.Background(), "deploy", "--guided"); err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, want := range []string{"args: deploy --guided", "answer: yes", "dir: " + dir} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	if errb.String() != "oops\n" {
		t.Errorf("stderr = %q", errb.String())
	}

	t.Setenv("FAKE_SAM_EXIT", "7")
	err := s.Run(context.Background(), "build")
	var se *StepError
	if !errors.As(err, &se) || se.Code != 7 || se.Step != "sam build" {
		t.Errorf("failing sam: got %v, want a StepError for sam build with code 7", err)
	}

	t.Setenv("PATH", t.TempDir())
	if err := s.Run(context.Background(), "build"); !errors.As(err, &se) || se.Code != 1 {
		t.Errorf("sam not on PATH: got %v, want a StepError with code 1", err)
	}
}

func TestStepErrorUnwrap(t *testing.T) {
	inner := errors.New("boom")
	if err := error(&StepError{Step: "sam deploy", Code: 2, Err: inner}); !errors.Is(err, inner) || !reflect.DeepEqual(err.Error(), "sam deploy failed (exit 2): boom") {
		t.Errorf("StepError: %v", err)
	}
}
