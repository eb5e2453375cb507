package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/deploy"
)

func (a *app) validateCmd() *cobra.Command {
	var stage string
	var verbose, checkExisting bool
	var aws awsFlags
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
					fmt.Fprintf(a.stdout, "  %s: %d routes, %d split%s\n", f.Name, f.Routes, f.Splits, autoNote(f))
				}
			}
			fmt.Fprintf(a.stdout, "%s (stage %s) is valid: %d features, %d functions.\n", m.Name, m.Stage, len(m.Features), len(m.Functions))
			if !checkExisting {
				return nil
			}
			clients, err := aws.clients(cmd.Context())
			if err != nil {
				return a.fail(err)
			}
			results := deploy.Existing(cmd.Context(), services(clients), m.Existing)
			if len(results) == 0 {
				fmt.Fprintln(a.stdout, "No existing=True resources to check.")
			}
			return a.report(results, verbose)
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "override the stage of deployless.yaml")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "print per-feature details")
	cmd.Flags().BoolVar(&checkExisting, "check-existing", false, "also verify in AWS that every existing=True resource exists")
	aws.add(cmd)
	return cmd
}
