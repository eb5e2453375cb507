package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/output"
)

func (a *app) cleanCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "clean",
		Short: "Remove .dist/ and the generated template",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := a.root()
			if err != nil {
				return err
			}
			removed, err := output.Clean(dir, out)
			if err != nil {
				fmt.Fprintf(a.stderr, "deployless: %v\n", err)
				return exitError{1}
			}
			if len(removed) == 0 {
				fmt.Fprintln(a.stdout, "Nothing to clean.")
			}
			for _, p := range removed {
				fmt.Fprintf(a.stdout, "Removed %s\n", p)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "template.yaml", "template `PATH` used at build time")
	return cmd
}
