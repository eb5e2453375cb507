package cli

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deployless/deployless/internal/check"
	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/output"
)

func (a *app) buildCmd() *cobra.Command {
	var stage, out string
	var dryRun, verbose, pushSecrets, noWait, noBytecode bool
	var aws awsFlags
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Generate template.yaml and the .dist/ Lambda packages",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := a.buildAndWrite(cmd.Context(), buildOptions{stage: stage, out: out, dryRun: dryRun, verbose: verbose, noWait: noWait, noBytecode: noBytecode})
			if err != nil || res == nil {
				return err
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
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "fail instead of waiting when another build of the project is running")
	cmd.Flags().BoolVar(&noBytecode, "no-bytecode", false, "ship Python sources only (no precompiled .pyc)")
	aws.add(cmd)
	return cmd
}

// buildOptions are the settings of buildAndWrite.
type buildOptions struct {
	stage, envFile, out                 string
	dryRun, verbose, noWait, noBytecode bool
	locked                              bool // the caller holds output.Lock
}

// buildAndWrite is `deployless build` without --push-secrets (deploy runs it
// too): compile, report, and write the template and .dist/. It returns a nil
// result (and nil error) after a dry run, which writes nothing.
func (a *app) buildAndWrite(ctx context.Context, o buildOptions) (*compiler.Result, error) {
	tmplRel := o.out
	if !o.dryRun && !o.locked {
		// One build of a project at a time, from reading its files to the
		// last rename of its output (README "What deployless writes").
		root, err := a.root()
		if err != nil {
			return nil, err
		}
		unlock, err := output.Lock(root, !o.noWait, func() {
			fmt.Fprintln(a.stderr, "deployless: waiting for another build of this project to finish (--no-wait to fail instead)")
		})
		if err != nil {
			return nil, exitError{reportIO(a, err)}
		}
		defer unlock()
	}
	tmplPath := templatePath(a, o.out)
	root, err := a.root()
	if err != nil {
		return nil, err
	}
	prog := a.newProgress()
	pk := &compiler.Packaging{NoBytecode: o.noBytecode, Progress: prog.step}
	if d, ok := os.LookupEnv("DEPLOYLESS_CACHE_DIR"); ok && d != "" && d != "off" {
		pk.CacheDir = d
	}
	res, dir, err := a.compile(ctx, compiler.Options{Stage: o.stage, EnvFile: o.envFile, TemplateDir: path.Dir(tmplPath), TemplatePath: tmplPath,
		Packaging: pk, ProjectDir: root})
	if err != nil {
		return nil, err
	}
	m := res.Model
	say := func(format string, args ...any) {
		if o.verbose {
			fmt.Fprintf(a.stdout, "[deployless] "+format+"\n", args...)
		}
	}
	say("Project: %s | Stage: %s | Provider: %s", m.Name, m.Stage, m.Provider)
	say("Features found: %s", strings.Join(featureNames(m), ", "))
	for _, f := range m.Features {
		say("  %s: %s, %d routes, %d split%s", f.Name, frameworkLabel(f.Framework), f.Routes, f.Splits, autoNote(f))
	}
	crons := strings.Join(pyNames(m, kind.Cron), ", ")
	if crons == "" {
		crons = "none"
	}
	say("Crons: %s", crons)
	say("Validation passed.")
	if o.dryRun {
		fmt.Fprintf(a.stdout, "Dry run: %d functions would be built; nothing was written.\n", len(res.Packages))
		return nil, nil
	}
	written, err := output.Write(dir, res.Artifacts)
	if err != nil {
		return nil, exitError{reportIO(a, err)}
	}
	if !written {
		say("Output is up to date: nothing rewritten.")
	}
	deps := map[string]compiler.Deployable{}
	for _, d := range res.Deployables {
		deps[d.LogicalID] = d
	}
	files := map[string]int{}
	for _, p := range res.Packages {
		files[p.LogicalID] = len(p.Files)
	}
	for _, fn := range m.Functions {
		d := deps[fn.LogicalID]
		layerNote := "no dependency layer"
		if len(d.Layers) > 0 {
			l := d.Layers[0]
			layerNote = fmt.Sprintf("layer %s %s zipped, %s unzipped", fn.DepLayer.LogicalID, humanBytes(l.Size), humanBytes(l.Unzipped))
		}
		userNote := ""
		if n := len(fn.Layers); n > 0 {
			userNote = fmt.Sprintf(" + %d of your layers (sizes not known here)", n)
		}
		say("  Built%s: %s (%d files, %s zipped, %s unzipped; %s%s; total %s unzipped of Lambda's %s; %d of %d layers)", kindLabel(fn.Kind),
			filepath.ToSlash(filepath.Join(output.DistDir, fn.LogicalID+".zip")), files[fn.LogicalID], humanBytes(d.CodeZip), humanBytes(d.Code),
			layerNote, userNote, humanBytes(d.Unzipped), humanBytes(compiler.MaxUnzipped), len(fn.Layers)+len(d.Layers), check.MaxLayers)
	}
	tmplAbs := tmplRel
	if !filepath.IsAbs(tmplAbs) {
		tmplAbs = filepath.Join(dir, tmplRel)
	}
	say("Template generated: %s", tmplAbs)
	if !o.verbose {
		fmt.Fprintf(a.stdout, "Built %d functions for %s (stage %s): %s and %s/\n", len(m.Functions), m.Name, m.Stage, tmplRel, output.DistDir)
	}
	return res, nil
}

// templatePath is the template's path relative to the project root,
// slash-separated ("../" when --output points outside the project); its
// folder is the base of the CodeUri paths.
func templatePath(a *app, out string) string {
	if filepath.IsAbs(out) {
		if dir, err := a.root(); err == nil {
			if rel, err := filepath.Rel(dir, out); err == nil {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(out))
}

func reportIO(a *app, err error) int {
	fmt.Fprintf(a.stderr, "deployless: cannot write the output: %v (the previous output is unchanged)\n", err)
	return 1
}

// frameworkLabel is a feature's framework as its users spell it.
func frameworkLabel(fw string) string {
	if fw == "fastapi" {
		return "FastAPI"
	}
	return "Flask"
}

func kindLabel(k kind.Function) string {
	switch k {
	case kind.Split:
		return " split route"
	case kind.Cron:
		return " cron"
	case kind.Standalone:
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

func pyNames(m *model.Project, k kind.Function) []string {
	out := []string{}
	for _, fn := range m.Functions {
		if fn.Kind == k {
			out = append(out, fn.PyName)
		}
	}
	return out
}

// autoNote mentions the resources found only as module-level declarations.
func autoNote(f *model.Feature) string {
	if f.AutoResources == 0 {
		return ""
	}
	return fmt.Sprintf(", %d resource(s) auto-detected (declared at module level, not in resources=)", f.AutoResources)
}

// humanBytes is n in B, KB or MB (1000-based, one decimal).
func humanBytes(n int64) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1_000:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}
