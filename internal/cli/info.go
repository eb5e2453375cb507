package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/kind"
)

func (a *app) infoCmd() *cobra.Command {
	var stage string
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Show a summary of the detected project",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, _, err := a.compile(cmd.Context(), compiler.Options{Stage: stage, SkipPackages: true})
			if err != nil {
				return err
			}
			m := res.Model
			w := a.stdout
			fmt.Fprintf(w, "Project  : %s\nProvider : %s\nStage    : %s\nRuntime  : %s\n", m.Name, m.Provider, m.Stage, m.Runtime)
			fmt.Fprintf(w, "Globals  : %d MB, %d s, logs kept %d days\n\n", m.Memory, m.Timeout, m.Retention)
			tw := tabwriter.NewWriter(w, 0, 2, 2, ' ', 0)
			fmt.Fprintf(tw, "Features (%d):\n", len(m.Features))
			for _, f := range m.Features {
				fmt.Fprintf(tw, "  - %s\t(%s)\t%s\t%d routes, %d split\n", f.Name, f.RoutesPath, frameworkLabel(f.Framework), f.Routes, f.Splits)
			}
			crons := 0
			for _, fn := range m.Functions {
				if fn.Kind == kind.Cron {
					crons++
				}
			}
			fmt.Fprintf(tw, "\nCrons (%d):\n", crons)
			for _, fn := range m.Functions {
				if fn.Kind == kind.Cron {
					fmt.Fprintf(tw, "  - %s\t%s\t(%s)\n", fn.PyName, fn.Schedule, fn.Feature.Name)
				}
			}
			fmt.Fprintf(tw, "\nFunctions (%d):\n", len(m.Functions))
			for _, fn := range m.Functions {
				var routes []string
				for _, r := range fn.Routes {
					routes = append(routes, r.Method+" "+r.Path)
				}
				fmt.Fprintf(tw, "  - %s\t%s\t%d MB, %d s\t%s\n", fn.LogicalID, fn.Kind, fn.Memory, fn.Timeout, strings.Join(routes, ", "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "override the stage of deployless.yaml")
	return cmd
}
