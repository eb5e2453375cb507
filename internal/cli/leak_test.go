package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

// secretValues are the SECRET_* values of testdata/projects/secrets.
var secretValues = []string{"correct horse battery staple", "sk_live_do_not_leak"}

// assertNoSecret fails when any secret value appears in text.
func assertNoSecret(t *testing.T, what string, text []byte) {
	t.Helper()
	for _, s := range secretValues {
		if bytes.Contains(text, []byte(s)) {
			t.Errorf("secret value %q leaked into %s", s, what)
		}
	}
}

// assertNoSecretInTree searches every file under root except the env file.
func assertNoSecretInTree(t *testing.T, root string) {
	t.Helper()
	n := 0
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Base(p) == ".env.production" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		assertNoSecret(t, p, b)
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("walking %s: %v (%d files)", root, err, n)
	}
}

// TestSecretsNeverLeak runs the commands that read the env_file and searches
// every byte they print or write for the secret values.
func TestSecretsNeverLeak(t *testing.T) {
	dir := copyDir(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "secrets"))
	for _, args := range [][]string{
		{"build", "--verbose"},
		{"build", "--dry-run", "--verbose"},
		{"validate", "--verbose"},
		{"info"},
		{"build", "--format", "json"},
	} {
		code, out, errOut := run(t, append(args, "-C", dir)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		assertNoSecret(t, strings.Join(args, " ")+" stdout", []byte(out))
		assertNoSecret(t, strings.Join(args, " ")+" stderr", []byte(errOut))
	}
	tmpl, err := os.ReadFile(filepath.Join(dir, "template.yaml"))
	if err != nil || !bytes.Contains(tmpl, []byte("{{resolve:ssm:/billing-svc/SECRET_STRIPE_KEY}}")) {
		t.Fatalf("template lacks the SSM reference (err %v)", err)
	}
	assertNoSecretInTree(t, dir)

	// A broken env file: the diagnostic names the line, never its content.
	env := filepath.Join(dir, ".env.production")
	src, _ := os.ReadFile(env)
	if err := os.WriteFile(env, append(src, []byte("sk_live_do_not_leak\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "validate", "-C", dir)
	if code != 1 || !strings.Contains(errOut, ".env.production:6:1: E36") {
		t.Errorf("broken env file: exit %d\n%s", code, errOut)
	}
	assertNoSecret(t, "validate stderr (broken env file)", []byte(out+errOut))
}
