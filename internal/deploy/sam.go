package deploy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// SAMConfigFiles are the names `sam deploy` reads its saved arguments from,
// in the project folder (SAM's default config file, in any of its formats).
var SAMConfigFiles = []string{"samconfig.toml", "samconfig.yaml", "samconfig.yml"}

// Capabilities are what a deployless template needs: IAM roles for the
// functions (CAPABILITY_IAM) and the SAM transform (CAPABILITY_AUTO_EXPAND).
var Capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"}

// SAMOptions are the settings of the sam deploy step.
type SAMOptions struct {
	// Template is the generated template, relative to the project folder
	// (or absolute): what sam deploy uploads and deploys.
	Template string
	// StackName is the CloudFormation stack (see StackName).
	StackName string
	// Region and Profile are passed to sam deploy when set.
	Region, Profile string
	// Guided runs `sam deploy --guided` (interactive; it saves samconfig.toml).
	Guided bool
	// Extra are more `sam deploy` arguments, appended last so that they
	// override deployless's own (click keeps the last value of an option).
	Extra []string
	// S3BucketConfigured is true when samconfig.toml already names an
	// s3_bucket: --no-resolve-s3 then replaces --resolve-s3 (SAM refuses
	// both a bucket and resolve_s3).
	S3BucketConfigured bool
}

// DeployArgs are the arguments of `sam deploy`, run in the project folder
// on deployless's own artifacts: no `sam build` (docs/packaging-design.md
// F1–F3). The template's CodeUri and ContentUri are zips, which sam deploy
// uploads as they are under the MD5 of their bytes and skips when the
// bucket has them, so an unchanged function or layer is never uploaded
// again. --template-file is explicit: without it sam deploy would prefer a
// stale .aws-sam/build/template.yaml from an earlier `sam build`.
// samconfig.toml is read and written in the project folder.
//
// Guided: `--guided` with the stack name, capabilities and region as the
// wizard's defaults; the wizard chooses the rest (its managed bucket,
// change-set confirmation) and saves them. Non-guided: the stack name,
// capabilities, --resolve-s3 (SAM's managed artifacts bucket) or, when
// samconfig.toml or the extra arguments name an s3_bucket, --no-resolve-s3,
// and no interactive confirmation.
func DeployArgs(o SAMOptions) []string {
	args := []string{"deploy", "--template-file", o.Template}
	if o.Guided {
		args = append(args, "--guided")
	}
	args = append(args, "--stack-name", o.StackName, "--capabilities")
	args = append(args, Capabilities...)
	if !o.Guided {
		// SAM refuses --resolve-s3 together with an s3_bucket, and a guided
		// run saves resolve_s3 = true: with a bucket named, turn it off.
		switch {
		case hasFlag(o.Extra, "--resolve-s3") || hasFlag(o.Extra, "--no-resolve-s3"):
		case o.S3BucketConfigured || hasFlag(o.Extra, "--s3-bucket"):
			args = append(args, "--no-resolve-s3")
		default:
			args = append(args, "--resolve-s3")
		}
		args = append(args, "--no-confirm-changeset")
	}
	args = append(args, "--no-fail-on-empty-changeset")
	if o.Region != "" {
		args = append(args, "--region", o.Region)
	}
	if o.Profile != "" {
		args = append(args, "--profile", o.Profile)
	}
	return append(args, o.Extra...)
}

// hasFlag reports whether args hold flag, as `--flag value` or `--flag=value`.
func hasFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == flag || strings.HasPrefix(a, flag+"=") {
			return true
		}
	}
	return false
}

// NeedsGuided reports whether sam deploy must run guided: there is no SAM
// config file in the project folder and the extra arguments name none.
func NeedsGuided(dir string, extra []string) bool {
	if hasFlag(extra, "--config-file") {
		return false
	}
	return SAMConfigFile(dir) == ""
}

// SAMConfigFile returns the path of the project's SAM config file, or "".
func SAMConfigFile(dir string) string {
	for _, name := range SAMConfigFiles {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// s3BucketKey matches an s3_bucket setting: `s3_bucket = "…"` in TOML,
// `s3_bucket: …` in YAML.
var s3BucketKey = regexp.MustCompile(`^\s*s3_bucket\s*[=:]`)

// ConfiguresS3Bucket reports whether the project's SAM config file sets an
// s3_bucket (in any environment; a line-level look, not a TOML parse).
func ConfiguresS3Bucket(dir string) bool {
	p := SAMConfigFile(dir)
	if p == "" {
		return false
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s3BucketKey.MatchString(sc.Text()) {
			return true
		}
	}
	return false
}

// StackName is the stack of a project's stage: `<name>-<stage>`. The stage
// is compiled into the template (StageName, APP_STAGE), so one stack per
// stage keeps stages apart. Characters CloudFormation does not allow in a
// stack name become "-", and a name that does not start with a letter gets
// an "s-" prefix.
func StackName(project, stage string) string {
	var b strings.Builder
	for _, r := range project + "-" + stage {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := b.String()
	if c := name[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		name = "s-" + name
	}
	if len(name) > 128 {
		name = name[:128]
	}
	return name
}

// StepError is a failed external step; Code is its exit code (1 when it did
// not start or died from a signal).
type StepError struct {
	Step string
	Code int
	Err  error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("%s failed (exit %d): %v", e.Step, e.Code, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// SAM runs the sam executable found on PATH, streaming its output to
// Stdout/Stderr as it comes and giving it Stdin (the --guided wizard reads
// it). The environment is inherited, so sam uses the same AWS settings
// (profile, region, credentials, AWS_ENDPOINT_URL) as deployless.
type SAM struct {
	Dir            string // the project folder: sam runs there
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run runs `sam args...` and waits for it.
func (s SAM) Run(ctx context.Context, args ...string) error {
	step := "sam"
	if len(args) > 0 {
		step += " " + args[0]
	}
	path, err := exec.LookPath("sam")
	if err != nil {
		return &StepError{Step: step, Code: 1, Err: err}
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = s.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin, s.Stdout, s.Stderr
	// Stdin and the output writers may be plain io.Readers/Writers copied
	// by goroutines: once sam has exited, stop waiting for them soon.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		code := 1
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() > 0 {
			code = ee.ExitCode()
		}
		return &StepError{Step: step, Code: code, Err: err}
	}
	return nil
}

// CommandLine renders `sam args...` for display, quoting arguments that a
// shell would split or expand.
func CommandLine(args []string) string {
	parts := []string{"sam"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}
