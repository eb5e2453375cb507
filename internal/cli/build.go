package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/output"
)

func (a *app) buildCmd() *cobra.Command {
	var stage, out string
	var dryRun, verbose, pushSecrets bool
	var aws awsFlags
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Generate template.yaml and the .dist/ Lambda packages",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tmplRel := out
			res, dir, err := a.compile(cmd.Context(), compiler.Options{Stage: stage, TemplateDir: templateDir(a, out)})
			if err != nil {
				return err
			}
			m := res.Model
			say := func(format string, args ...any) {
				if verbose {
					fmt.Fprintf(a.stdout, "[deployless] "+format+"\n", args...)
				}
			}
			say("Project: %s | Stage: %s | Provider: %s", m.Name, m.Stage, m.Provider)
			say("Features found: %s", strings.Join(featureNames(m), ", "))
			for _, f := range m.Features {
				say("  %s: %d routes, %d split", f.Name, f.Routes, f.Splits)
			}
			say("Crons: %s", strings.Join(pyNames(m, model.CronFn), ", "))
			say("Validation passed.")
			if dryRun {
				fmt.Fprintf(a.stdout, "Dry run: %d functions would be built; nothing was written.\n", len(res.Packages))
				return nil
			}
			if err := output.Write(dir, tmplRel, res.YAML, res.Packages); err != nil {
				return exitError{reportIO(a, err)}
			}
			for _, fn := range m.Functions {
				say("  Built%s: %s", kindLabel(fn.Kind), filepath.ToSlash(filepath.Join(output.DistDir, fn.LogicalID)))
			}
			tmplAbs := tmplRel
			if !filepath.IsAbs(tmplAbs) {
				tmplAbs = filepath.Join(dir, tmplRel)
			}
			say("Template generated: %s", tmplAbs)
			if !verbose {
				fmt.Fprintf(a.stdout, "Built %d functions for %s (stage %s): %s and %s/\n", len(m.Functions), m.Name, m.Stage, tmplRel, output.DistDir)
			}
			if pushSecrets {
				clients, err := aws.clients(cmd.Context())
				if err != nil {
					return a.fail(err)
				}
				return a.pushSecrets(cmd.Context(), clients, res, verbose, false, false)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&stage, "stage", "", "override the stage of deployless.yaml")
	cmd.Flags().StringVarP(&out, "output", "o", "template.yaml", "template output `PATH` (relative to the project)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate and compile without writing files")
	cmd.Flags().BoolVar(&verbose, "verbose", false, "print what was found and built")
	cmd.Flags().BoolVar(&pushSecrets, "push-secrets", false, "after building, push the env_file's SECRET_* variables to SSM")
	aws.add(cmd)
	return cmd
}

// templateDir is the template's folder relative to the project root, which
// CodeUri paths are relative to.
func templateDir(a *app, out string) string {
	if filepath.IsAbs(out) {
		if dir, err := a.root(); err == nil {
			if rel, err := filepath.Rel(dir, filepath.Dir(out)); err == nil {
				return filepath.ToSlash(rel)
			}
		}
		return "."
	}
	return filepath.ToSlash(filepath.Dir(out))
}

func reportIO(a *app, err error) int {
	fmt.Fprintf(a.stderr, "deployless: cannot write the output: %v (the previous output is unchanged)\n", err)
	return 1
}

func kindLabel(k model.Kind) string {
	switch k {
	case model.SplitFn:
		return " split route"
	case model.CronFn:
		return " cron"
	case model.StandaloneFn:
		return " lambda_function"
	}
	return ""
}

func featureNames(m *model.Project) []string {
	var out []string
	for _, f := range m.Features {
		out = append(out, f.Name)
	}
	return out
}

func pyNames(m *model.Project, k model.Kind) []string {
	out := []string{}
	for _, fn := range m.Functions {
		if fn.Kind == k {
			out = append(out, fn.PyName)
		}
	}
	return out
}
