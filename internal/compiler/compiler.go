// Package compiler is the one orchestrator: config → front end → lower →
// checks → template and packages, all in memory. It writes nothing (package
// output does), so validate, build --dry-run and build share one code path
// and a failed build cannot leave half-written output.
package compiler

import (
	"context"
	"io/fs"
	"path"
	"strings"

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
	// Getenv resolves os.getenv() in routes.py at build time.
	Getenv func(string) (string, bool)
	// SkipPackages stops after the template (validate).
	SkipPackages bool
	// EnvFile overrides deployless.yaml's env_file (secrets --env-file).
	EnvFile string
	// ParseCache holds earlier builds' parse results (nil: parse every
	// file); the caller saves it.
	ParseCache *parsecache.Cache
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
	Files    map[string]*source.File
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
	if err != nil {
		d.Add(diag.E32, source.Span{}, "no %s in the project folder (use -C DIR to point at the project)", ConfigFile)
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
	for _, e := range res.Env {
		if lower := strings.ToLower(cfg.Name); e.Secret() && (strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm")) {
			// SSM reserves names whose first segment starts with aws or ssm.
			d.Add(diag.E37, cfg.Span("name"), "project name %q starts with %q: SSM Parameter Store reserves that prefix, so the secrets cannot be stored under /%s/; rename the project", cfg.Name, lower[:3], cfg.Name)
			break
		}
	}

	facts, fd := pyfront.Analyze(fsys, pyfront.Options{
		FeaturesDir: cfg.Paths.Features, SharedDir: cfg.Paths.Shared, Getenv: getenv(opts.Getenv, res.Env),
		Cache: opts.ParseCache,
	})
	d.Append(fd)
	res.Facts = facts
	for p, f := range facts.Files {
		res.Files[p] = f
	}
	if ctx.Err() != nil {
		d.Add(diag.E32, source.Span{}, "cancelled: %v", ctx.Err())
		return res, d
	}

	in := lower.Input{Project: projectSettings(cfg, fsys, res.Env), FeatureRequirements: map[string]string{}}
	for _, f := range facts.Features {
		if b, err := fs.ReadFile(fsys, path.Join(f.Dir, "requirements.txt")); err == nil {
			in.FeatureRequirements[f.Name] = string(b)
		}
	}
	m, ld := lower.Lower(in, facts)
	d.Append(ld)
	res.Model = m
	d.Append(check.Functions(m))
	d.Append(check.Resources(m))
	d.Append(check.Limits(m))
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
	if opts.SkipPackages {
		return res, d
	}
	pkgs, err := packager.Build(m, fsys)
	if err != nil {
		d.Add(diag.E32, source.Span{}, "cannot read project files: %v", err)
		return res, d
	}
	res.Packages = pkgs
	return res, d
}

// projectSettings maps deployless.yaml onto the model's project fields.
func projectSettings(cfg *config.Config, fsys fs.FS, envFile []envfile.Entry) model.Project {
	p := model.Project{
		Name: cfg.Name, Provider: cfg.Provider, Stage: cfg.Stage, Framework: "flask",
		Runtime: cfg.Globals.Runtime, Memory: cfg.Globals.Memory, Timeout: cfg.Globals.Timeout,
		Retention: cfg.Globals.LogRetention,
		API:       model.API{EndpointType: cfg.API.EndpointType, BinaryMediaTypes: cfg.API.BinaryMediaTypes},
	}
	for _, t := range cfg.Tags {
		p.Tags = append(p.Tags, [2]string{t.Key, t.Value})
	}
	for _, e := range cfg.Env {
		p.Env = append(p.Env, model.EnvVar{Name: e.Key, Value: e.Value, Span: cfg.Span("env." + e.Key)})
	}
	// env_file entries come after (and override) env:. Secrets become SSM
	// dynamic references; their values never reach the model.
	var secureARNs []any
	for _, e := range envFile {
		v := model.EnvVar{Name: e.Key, Value: e.Value, Span: e.Span}
		switch {
		case e.Secret() && cfg.SecretsKMS != "":
			v.Value = SecureMarker + SecretParameter(cfg.Name, e.Key)
			secureARNs = append(secureARNs, cfn.Sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"+SecretParameter(cfg.Name, e.Key)))
		case e.Secret():
			v.Value = SecretReference(cfg.Name, e.Key)
		}
		p.Env = lower.SetEnv(p.Env, v)
	}
	if len(secureARNs) > 0 {
		// The bootstrap reads these SecureStrings at cold start: allow
		// exactly those parameters, and decryption only through SSM.
		p.SecureSecrets = true
		p.ExtraPolicies = append(p.ExtraPolicies, cfn.NewMap().Set("Version", "2012-10-17").Set("Statement", []any{
			cfn.NewMap().Set("Effect", "Allow").Set("Action", []any{"ssm:GetParameters"}).Set("Resource", secureARNs),
			cfn.NewMap().Set("Effect", "Allow").Set("Action", []any{"kms:Decrypt"}).Set("Resource", "*").
				Set("Condition", cfn.NewMap().Set("StringEquals", cfn.NewMap().
					Set("kms:ViaService", cfn.Sub("ssm.${AWS::Region}.${AWS::URLSuffix}")))),
		}))
	}
	// APP_STAGE is always set, and always to the stage being built.
	p.Env = lower.SetEnv(p.Env, model.EnvVar{Name: "APP_STAGE", Value: cfg.Stage})
	if c := cfg.API.CORS; c != nil {
		p.API.CORS = &model.CORS{AllowOrigins: c.AllowOrigins, OriginIsList: c.OriginIsList, AllowMethods: c.AllowMethods,
			AllowHeaders: c.AllowHeaders, MaxAge: c.MaxAge, AllowCredentials: c.AllowCredentials}
	}
	if a := cfg.API.Auth; a != nil {
		p.API.Auth = &model.Authorizer{Type: a.Type, Name: a.AuthorizerName(), UserPoolARN: a.UserPoolARN, Scopes: a.Scopes,
			FunctionARN: a.FunctionARN, TTL: a.TTL, Header: a.IdentityHeader}
	}
	if k := cfg.API.APIKeys; k.Enabled || k.ExistingID != "" {
		p.API.Keys = &model.APIKeys{ExistingID: k.ExistingID}
	}
	if u := cfg.API.UsagePlan; u != nil && u.Rate != nil && u.Burst != nil {
		p.API.UsagePlan = &model.UsagePlan{Rate: *u.Rate, Burst: *u.Burst, Quota: u.Quota, Period: u.Period}
	}
	if d := cfg.API.Domain; d != nil {
		p.API.Domain = &model.Domain{Name: d.DomainName, CertificateARN: d.CertificateARN, BasePath: d.BasePath, HostedZoneID: d.HostedZoneID}
	}
	p.API.MinimumCompressionSize = cfg.API.MinimumCompressionSize
	if a := cfg.Alarms; a != nil {
		p.Alarms = &model.Alarms{ErrorsThreshold: a.Errors.Threshold, ErrorsPeriod: a.Errors.Period,
			ThrottlesThreshold: a.Throttles.Threshold, ThrottlesPeriod: a.Throttles.Period,
			DurationPct: a.Duration.ThresholdPct, DurationPeriod: a.Duration.Period, SNSTopicARN: a.SNSTopicARN}
	}
	if st, err := fs.Stat(fsys, cfg.Paths.Shared); err == nil && st.IsDir() {
		p.SharedDir = cfg.Paths.Shared
	}
	if b, err := fs.ReadFile(fsys, "requirements.txt"); err == nil {
		p.Requirements = string(b)
	}
	return p
}

// SecretParameter is the SSM parameter name of a SECRET_* variable.
func SecretParameter(project, key string) string { return "/" + project + "/" + key }

// SecureMarker prefixes the env value of a SecureString secret; the
// bootstrap replaces it with the decrypted value at cold start.
const SecureMarker = "deployless-ssm-secure:"

// SecretReference is what the template holds for a SECRET_* variable.
func SecretReference(project, key string) string {
	return "{{resolve:ssm:" + SecretParameter(project, key) + "}}"
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
