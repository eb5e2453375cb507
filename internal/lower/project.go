package lower

import (
	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/envfile"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

// project maps deployless.yaml and the env file onto the model's
// project-level fields: globals, tags, API, alarms and the global env.
func project(in Input) *model.Project {
	cfg := in.Config
	p := &model.Project{
		Name: cfg.Name, NameAt: cfg.Span("name"), Provider: cfg.Provider, Stage: cfg.Stage, Framework: "flask",
		Runtime: cfg.Globals.Runtime, Memory: cfg.Globals.Memory, Timeout: cfg.Globals.Timeout,
		Retention: cfg.Globals.LogRetention,
		API:       model.API{EndpointType: cfg.API.EndpointType, BinaryMediaTypes: cfg.API.BinaryMediaTypes},
		SharedDir: in.SharedDir, Requirements: in.Requirements, RequirementsFile: in.RequirementsFile,
	}
	if p.RequirementsFile == "" {
		p.RequirementsFile = "requirements.txt"
	}
	for _, t := range cfg.Tags {
		p.Tags = append(p.Tags, [2]string{t.Key, t.Value})
	}
	for _, e := range cfg.Env {
		p.Env = append(p.Env, model.EnvVar{Name: e.Key, Value: model.Literal(e.Value), Span: cfg.Span("env." + e.Key)})
	}
	// env_file entries come after (and override) env:. Secrets become SSM
	// parameter references; their values never reach the model.
	for _, e := range in.Env {
		p.Env = SetEnv(p.Env, envFileVar(p, cfg, e))
	}
	// APP_STAGE is always set, and always to the stage being built.
	p.Env = SetEnv(p.Env, model.EnvVar{Name: "APP_STAGE", Value: model.Literal(cfg.Stage)})
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
	return p
}

// envFileVar is one env file entry: a literal, or for SECRET_* a reference
// to its SSM parameter, recorded in p.Secrets.
func envFileVar(p *model.Project, cfg *config.Config, e envfile.Entry) model.EnvVar {
	v := model.EnvVar{Name: e.Key, Value: model.Literal(e.Value), Span: e.Span}
	if e.Secret() {
		s := model.Secret{Key: e.Key, Parameter: model.SecretParameter(cfg.Name, e.Key), Secure: cfg.SecretsKMS != ""}
		p.Secrets = append(p.Secrets, s)
		v.Value = model.SSMParam{Name: s.Parameter, Secure: s.Secure}
	}
	return v
}

// secretGrants are the grants every function needs to read the project's
// SecureString secrets at cold start.
func secretGrants(p *model.Project) []model.Grant {
	var out []model.Grant
	for _, s := range p.Secrets {
		if s.Secure {
			out = append(out, model.Grant{Parameter: s.Parameter, Access: kind.Decrypt})
		}
	}
	return out
}
