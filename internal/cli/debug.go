package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/compiler"
)

// debugCmd prints one pipeline stage's output, so a template difference can
// be traced to the stage that caused it (facts → model → template).
func (a *app) debugCmd() *cobra.Command {
	var stage string
	cmd := &cobra.Command{
		Use:       "debug facts|model|template",
		Short:     "Print a compiler stage's output as JSON (front-end facts, model, template)",
		Args:      cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		ValidArgs: []string{"facts", "model", "template"},
		RunE: func(cmd *cobra.Command, args []string) error {
			res, _, err := a.compile(cmd.Context(), compiler.Options{Stage: stage, SkipPackages: true})
			if err != nil {
				return err
			}
			var v any
			switch args[0] {
			case "facts":
				v = res.Facts.Features
			case "model":
				v = res.Model
			case "template":
				v = res.Template
			}
			b, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				return a.fail(fmt.Errorf("encoding %s: %w", args[0], err))
			}
			fmt.Fprintln(a.stdout, string(b))
			return nil
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "override the stage of deployless.yaml")
	return cmd
}
