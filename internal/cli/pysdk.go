package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/packager"
)

// pythonSDKCmd writes the pc API that every package ships (deployless.py)
// as a wheel, so the user's own virtualenv can import it: tests, flask run,
// editors and mypy then see the API without a package index.
func (a *app) pythonSDKCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "python-sdk",
		Short: "Write the deployless Python API as a wheel to pip install into your virtualenv",
		Long: "Write deployless-<version>-py3-none-any.whl: the typed, no-op `import deployless as pc` module\n" +
			"that every Lambda package ships, for your own virtualenv (pip install ./deployless-*.whl), so\n" +
			"tests, flask run, editors and mypy see the API. Do not list it in requirements.txt: packages\n" +
			"carry their own copy. The wheel is byte-identical for the same deployless version.\n" +
			"Prints the wheel's path.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			name, data, err := packager.SDKWheel(Version)
			if err == nil {
				err = writeFileAtomic(out, name, data)
			}
			if err != nil {
				fmt.Fprintf(a.stderr, "deployless: %v\n", err)
				return exitError{1}
			}
			fmt.Fprintln(a.stdout, filepath.Join(out, name))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", ".", "folder `DIR` to write the wheel into (created if missing)")
	return cmd
}

// writeFileAtomic writes dir/name through a temporary file and a rename, so
// an interrupted run never leaves a truncated wheel for pip to find.
func writeFileAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, name))
}
