package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/compiler"
)

func (a *app) validateCmd() *cobra.Command {
	var stage string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the project without writing anything",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, _, err := a.compile(cmd.Context(), compiler.Options{Stage: stage, SkipPackages: true})
			if err != nil {
				return err
			}
			m := res.Model
			if verbose {
				for _, f := range m.Features {
					fmt.Fprintf(a.stdout, "  %s: %d routes, %d split\n", f.Name, f.Routes, f.Splits)
				}
			}
			fmt.Fprintf(a.stdout, "%s (stage %s) is valid: %d features, %d functions.\n", m.Name, m.Stage, len(m.Features), len(m.Functions))
			return nil
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "override the stage of deployless.yaml")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "print per-feature details")
	return cmd
}
