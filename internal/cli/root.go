// Package cli is the command-line interface: a cobra root with one file per
// verb. Main takes its arguments and streams explicitly (no globals), so
// tests run the real CLI in-process. Exit codes: 0 ok, 1 invalid project or
// failed step, 2 usage error.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/parsecache"
	"github.com/deployless/deployless/internal/pyfront"
)

// Version is set at build time with -ldflags "-X .../cli.Version=v1.2.3".
var Version = "v0.1.0-dev"

// exitError carries an exit code through cobra.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

type app struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	project        string
	format         string
}

// Main runs the CLI and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr, stdin: stdin}
	root := &cobra.Command{
		Use:           "deployless",
		Short:         "Compile a Flask feature project into an AWS SAM template and Lambda packages",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVarP(&a.project, "project", "C", ".", "project `DIR` (the folder holding deployless.yaml)")
	root.PersistentFlags().StringVar(&a.format, "format", "text", "diagnostics format: text or json")
	root.AddCommand(a.buildCmd(), a.validateCmd(), a.infoCmd(), a.cleanCmd(), a.secretsCmd(), a.checkCmd(), a.deployCmd(), a.debugCmd())
	root.AddCommand(a.pythonSDKCmd())

	err := root.Execute()
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	default:
		fmt.Fprintf(stderr, "deployless: %v\n", err)
		return 2
	}
}

// root returns the absolute project folder.
func (a *app) root() (string, error) {
	dir, err := filepath.Abs(a.project)
	if err != nil {
		return "", err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("project folder %s does not exist", a.project)
	}
	return dir, nil
}

// compile runs the compiler on the project and renders its diagnostics.
// It returns a non-nil error (exit 1) when the project is invalid.
func (a *app) compile(ctx context.Context, opts compiler.Options) (*compiler.Result, string, error) {
	if a.format != "text" && a.format != "json" {
		return nil, "", fmt.Errorf("--format must be text or json, got %q", a.format)
	}
	dir, err := a.root()
	if err != nil {
		return nil, "", err
	}
	opts.DefaultName = filepath.Base(dir)
	if opts.Getenv == nil {
		opts.Getenv = os.LookupEnv
	}
	if opts.ParseCache == nil {
		opts.ParseCache = parsecache.Open(parseCacheDir(opts.Getenv), pyfront.GrammarID(), dir)
	}
	// os.Root confines every read to the project: a symbolic link that
	// leads out of it is an error, never a way to package /etc.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, "", err
	}
	defer root.Close()
	res, diags := compiler.Compile(ctx, root.FS(), opts)
	_ = opts.ParseCache.Save() // advisory: a failure only makes the next build parse again
	if a.format == "json" {
		if len(diags) > 0 {
			_ = diag.JSON(a.stderr, diags)
		}
	} else {
		diag.Text(a.stderr, diags, res.Files, isTerminal(a.stderr))
	}
	if diags.HasErrors() {
		if a.format == "text" {
			fmt.Fprintf(a.stderr, "%d error(s); nothing was written\n", diags.Errors())
		}
		return res, dir, exitError{1}
	}
	return res, dir, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// parseCacheDir is the parse cache's folder: $DEPLOYLESS_CACHE_DIR, else
// deployless/ in the user's cache folder; "off" (or no cache folder at all)
// disables the cache.
func parseCacheDir(getenv func(string) (string, bool)) string {
	if d, ok := getenv("DEPLOYLESS_CACHE_DIR"); ok && d != "" {
		if d == "off" {
			return ""
		}
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "deployless")
}
