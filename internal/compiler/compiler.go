// Package compiler is the one orchestrator: config → front end → lower →
// checks → template and packages, all in memory. It writes nothing (package
// output does), so validate, build --dry-run and build share one code path
// and a failed build cannot leave half-written output.
package compiler

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"strings"

	"github.com/deployless/deployless/internal/artifact"
	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/check"
	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/envfile"
	"github.com/deployless/deployless/internal/lower"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/packager"
	"github.com/deployless/deployless/internal/parsecache"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/resources"
	"github.com/deployless/deployless/internal/source"
	"github.com/deployless/deployless/internal/template"
)

// ConfigFile is the project's configuration file name.
const ConfigFile = "deployless.yaml"

// Options of a compilation.
type Options struct {
	Stage       string // overrides deployless.yaml's stage when set
	DefaultName string // project name when deployless.yaml has none (the folder name)
	// TemplateDir is the template's folder relative to the project root
	// ("." by default); CodeUri paths are relative to it.
	TemplateDir string
	// TemplatePath is the template's path in Result.Artifacts:
	// slash-separated, relative to the project root, "../" allowed
	// (default: template.yaml in TemplateDir).
	TemplatePath string
	// Getenv resolves os.getenv() in routes.py at build time.
	Getenv func(string) (string, bool)
	// SkipPackages stops after the template (validate).
	SkipPackages bool
	// EnvFile overrides deployless.yaml's env_file (secrets --env-file).
	EnvFile string
	// ParseCache holds earlier builds' parse results (nil: parse every
	// file); the caller saves it.
	ParseCache *parsecache.Cache
	// Packaging builds the dependency layers and bytecode (build); nil:
	// code zips only (see Packaging).
	Packaging *Packaging
	// ProjectDir is the project folder on disk, for `uv export` of a
	// uv.lock ("": a uv.lock is not read).
	ProjectDir string
}

// Result is everything a compilation produced. Files is always set, so
// diagnostics can be rendered with excerpts even when compilation failed.
type Result struct {
	Config   *config.Config
	Facts    *pyfront.Project
	Model    *model.Project
	Template *cfn.Map
	YAML     []byte
	Packages []packager.Package
	// Zips are each function's code zip and each built layer's zip
	// (.dist/<LogicalID>.zip); Deployables their sizes per function.
	Zips        []artifact.Artifact
	Deployables []Deployable
	// Artifacts is the template and the packages as files to write (nil
	// when the compilation stopped before the packages).
	Artifacts *artifact.Set
	Files     map[string]*source.File
	// Env is the env_file's entries (secrets included: they are pushed to
	// SSM by `secrets push`; only references reach the template).
	Env []envfile.Entry
}

// Compile compiles the project in fsys (its root is the project root).
func Compile(ctx context.Context, fsys fs.FS, opts Options) (*Result, diag.List) {
	res := &Result{Files: map[string]*source.File{}}
	fsys = newMemoFS(fsys)
	var d diag.List
	raw, err := fs.ReadFile(fsys, ConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		d.Add(diag.E32, source.Span{}, "no %s in the project folder (use -C DIR to point at the project)", ConfigFile)
		return res, d
	} else if err != nil {
		d.Add(diag.E32, source.Span{Path: ConfigFile}, "cannot read %s: %v", ConfigFile, source.FileError(err))
		return res, d
	}
	cfgFile := source.NewFile(ConfigFile, raw)
	res.Files[ConfigFile] = cfgFile
	cfg, cd := config.Load(cfgFile)
	d.Append(cd)
	if cfg == nil {
		return res, d
	}
	if opts.Stage != "" {
		cfg.OverrideStage(opts.Stage)
	}
	if cfg.Name == "" {
		cfg.Name = opts.DefaultName
	}
	res.Config = cfg
	d.Append(check.Config(cfg))
	res.Env = readEnvFile(fsys, cfg, opts.EnvFile, &d)

	popts := pyfront.Options{
		FeaturesDir: cfg.Paths.Features, SharedDir: cfg.Paths.Shared, Getenv: getenv(opts.Getenv, res.Env),
		Cache: opts.ParseCache, AppFactory: cfg.AppFactory, AppFactoryAt: cfg.Span("app_factory"),
	}
	for _, h := range cfg.InitApp { // each a valid module.function
		dot := strings.LastIndex(h.Value, ".")
		popts.InitApp = append(popts.InitApp, pyfront.Hook{Module: h.Value[:dot], Func: h.Value[dot+1:], Span: h.Span})
	}
	facts, fd := pyfront.Analyze(fsys, popts)
	d.Append(fd)
	res.Facts = facts
	for p, f := range facts.Files {
		res.Files[p] = f
	}
	if ctx.Err() != nil {
		d.Add(diag.E32, source.Span{}, "cancelled: %v", ctx.Err())
		return res, d
	}

	in := lower.Input{Config: cfg, Env: res.Env, FeatureRequirements: map[string]string{}}
	if st, err := fs.Stat(fsys, cfg.Paths.Shared); err == nil && st.IsDir() {
		in.SharedDir = cfg.Paths.Shared
	} else if err == nil {
		d.Add(diag.E32, cfg.Span("paths.shared"), "the shared folder %q is a file, not a folder (paths.shared)", cfg.Paths.Shared)
	} else if !errors.Is(err, fs.ErrNotExist) {
		// A link out of the project, or a folder that cannot be read.
		d.Add(diag.E32, cfg.Span("paths.shared"), "cannot read the shared folder %q: %v", cfg.Paths.Shared, source.FileError(err))
	}
	if b, err := fs.ReadFile(fsys, "requirements.txt"); err == nil {
		in.Requirements = string(b)
		res.Files["requirements.txt"] = source.NewFile("requirements.txt", b)
	}
	if locked, ok := lockedRequirements(ctx, opts, &d); ok {
		in.Requirements, in.RequirementsFile = locked, lockFile
	}
	for _, f := range facts.Features {
		p := path.Join(f.Dir, "requirements.txt")
		if b, err := fs.ReadFile(fsys, p); err == nil {
			in.FeatureRequirements[f.Name] = string(b)
			res.Files[p] = source.NewFile(p, b) // for the excerpts of layer diagnostics
		}
	}
	m, ld := lower.Lower(in, facts)
	d.Append(ld)
	res.Model = m
	d.Append(check.Secrets(m))
	d.Append(check.Functions(m))
	d.Append(check.Resources(m))
	d.Append(check.Limits(m))
	d.Append(check.EnvVars(cfg, m))
	if d.HasErrors() {
		return res, d
	}

	dir := opts.TemplateDir
	if dir == "" {
		dir = "."
	}
	tv, y, err := template.Build(m, resources.Options{CodeURIBase: relTo(dir, ".dist")})
	if err != nil {
		d.Add(diag.E32, source.Span{}, "cannot encode the template: %v", err)
		return res, d
	}
	res.Template, res.YAML = tv, y
	if d.Append(check.TemplateSize(len(y))); d.HasErrors() {
		return res, d
	}
	if opts.SkipPackages {
		return res, d
	}
	pkgs, err := packager.Build(m, fsys)
	if err != nil {
		d.Add(diag.E32, source.Span{}, "cannot package the project's files: %v", err)
		return res, d
	}
	res.Packages = pkgs
	if pack(ctx, res, opts, &d); d.HasErrors() {
		return res, d
	}
	res.Artifacts = artifacts(res, opts, &d)
	return res, d
}

// readEnvFile reads env_file (or the override), relative to the project.
func readEnvFile(fsys fs.FS, cfg *config.Config, override string, d *diag.List) []envfile.Entry {
	name, at := cfg.EnvFile, cfg.Span("env_file")
	if override != "" {
		name, at = override, source.Span{Path: "--env-file"}
	}
	if name == "" {
		return nil
	}
	raw, err := fs.ReadFile(fsys, path.Clean(name))
	if err != nil {
		d.Add(diag.E27, at, "env_file %q does not exist (or cannot be read) in the project folder", name)
		return nil
	}
	entries, ed := envfile.Parse(source.NewFile(path.Clean(name), raw))
	d.Append(ed)
	return entries
}

// getenv resolves os.getenv() at build time: the build environment, then
// the env_file's plain variables (SPEC.md §1). Secrets are never offered.
func getenv(base func(string) (string, bool), env []envfile.Entry) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if base != nil {
			if v, ok := base(name); ok {
				return v, true
			}
		}
		for _, e := range env {
			if e.Key == name && !e.Secret() {
				return e.Value, true
			}
		}
		return "", false
	}
}

// relTo returns target (relative to the project root) as seen from dir
// (also relative to the project root), slash-separated.
func relTo(dir, target string) string {
	dir = path.Clean(dir)
	if dir == "." {
		return target
	}
	up := ""
	for d := dir; d != "." && d != "/"; d = path.Dir(d) {
		up += "../"
	}
	return path.Clean(up + target)
}
