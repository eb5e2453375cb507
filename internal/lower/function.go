package lower

import (
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/source"
)

// feature lowers one feature: its own function (when it has routes left
// after splits), its splits, crons and standalone functions (SPEC.md §3).
func (l *lowerer) feature(f *pyfront.Feature, conf *args, resources []*model.Resource, requirements string) {
	mf := &model.Feature{Name: f.Name, Framework: f.Framework, Dir: f.Dir, RoutesPath: f.RoutesPath, Module: f.Module, Requirements: requirements}
	for _, bp := range f.Blueprints {
		if bp.Parent == "" {
			mf.Blueprints = append(mf.Blueprints, bp.Key())
		}
		r := model.Router{Var: bp.Var, Module: bp.Module, File: bp.Span.Path, Name: bp.Name, URLPrefix: bp.URLPrefix, Parent: bp.Parent, RegPrefix: bp.RegPrefix, App: bp.App}
		for _, rt := range f.Routes {
			if rt.Blueprint == bp.Key() {
				r.Routes = append(r.Routes, model.RouterRoute{Rule: rt.LocalRule, Endpoint: rt.Endpoint, Methods: rt.Methods})
			}
		}
		mf.Routers = append(mf.Routers, r)
	}
	l.p.Features = append(l.p.Features, mf)

	// The feature's settings: globals overridden by configure().
	base := &model.Function{Feature: mf, Memory: l.p.Memory, Timeout: l.p.Timeout, LogRetention: l.p.Retention,
		Alarms: l.p.Alarms, At: map[string]source.Span{}}
	if conf != nil {
		l.configure(base, conf)
	}
	mf.Resources = resources
	for _, r := range resources {
		base.Env = SetEnv(base.Env, resourceEnv(r))
	}

	split := map[*pyfront.Route]bool{}
	for _, pf := range f.Functions {
		if pf.Kind == kind.Split {
			mf.Splits++
			for _, r := range pf.Routes {
				split[r] = true
			}
		}
	}
	var own []*pyfront.Route
	for _, r := range f.Routes {
		if !split[r] {
			own = append(own, r)
		}
	}
	mf.Routes = len(own)
	if len(own) > 0 {
		fn := clone(base)
		fn.Kind = kind.Feature
		fn.LogicalID = pascal(f.Name) + "Function"
		fn.Span = source.At(f.RoutesPath, 1, 1)
		if f.Configure != nil {
			fn.Span = f.Configure.Span
		}
		fn.Routes = modelRoutes(own)
		l.addFunction(fn)
	}
	for _, pf := range f.Functions {
		fn := clone(base)
		fn.Kind = pf.Kind
		fn.PyName, fn.PyModule = pf.Name, pf.Module
		fn.LogicalID = pascal(pf.Name) + "Function"
		fn.Span = pf.Span
		switch pf.Kind {
		case kind.Split:
			l.split(fn, pf)
		case kind.Cron, kind.Standalone:
			l.event(fn, pf)
		}
		l.addFunction(fn)
	}
}

func (l *lowerer) addFunction(fn *model.Function) {
	if !l.claimID(fn.LogicalID, fn.Span) {
		return
	}
	// The log group, the DLQ and the output share the function's name space.
	l.ids[fn.LogicalID+"LogGroup"] = fn.Span
	if fn.DLQ {
		l.ids[fn.DLQID()] = fn.Span
	}
	if fn.Alarms != nil {
		for _, a := range []string{"ErrorsAlarm", "ThrottlesAlarm", "DurationAlarm"} {
			l.ids[fn.LogicalID+a] = fn.Span
		}
	}
	l.p.Functions = append(l.p.Functions, fn)
}

func clone(f *model.Function) *model.Function {
	c := *f
	c.Env = append([]model.EnvVar(nil), f.Env...)
	c.At = map[string]source.Span{}
	for k, v := range f.At {
		c.At[k] = v
	}
	return &c
}

func modelRoutes(rs []*pyfront.Route) []*model.Route {
	var out []*model.Route
	for _, r := range rs {
		for _, m := range r.Methods {
			out = append(out, &model.Route{Method: m, Path: r.Path, Rule: r.Rule, PyFunc: r.Func, Span: r.Span})
		}
	}
	return out
}

// configure applies the bound pc.configure(...) to the feature's base settings.
func (l *lowerer) configure(fn *model.Function, a *args) {
	for name := range a.vals {
		fn.At[name] = a.span(name)
	}
	fn.Memory = a.intOr("memory", fn.Memory)
	fn.Timeout = a.intOr("timeout", fn.Timeout)
	fn.Description = a.str("description", "")
	fn.LogRetention = a.intOr("log_retention", fn.LogRetention)
	fn.Tracing = a.boolean("tracing", false)
	fn.DLQ = a.boolean("dlq", false)
	fn.ReservedConcurrency = a.intp("reserved_concurrency")
	fn.ProvisionedConcurrency = a.intp("provisioned_concurrency")
	fn.EphemeralStorage = a.intp("ephemeral_storage")
	fn.Architectures = a.strList("architectures")
	for _, it := range a.list("layers") {
		if v, ok := l.policyValue(it); ok {
			fn.Layers = append(fn.Layers, v)
		}
	}
	for _, it := range a.list("policies") {
		if v, ok := l.policyValue(it); ok {
			fn.Policies = append(fn.Policies, v)
		}
	}
	fn.Auth = l.auth(a, fn.Auth)
	fn.Alarms = l.alarms(a, fn.Alarms)
	l.env(fn, a.dict("env"))
}

// env adds a dict of env vars to fn.
func (l *lowerer) env(fn *model.Function, d *pyfront.Value) {
	if d == nil {
		return
	}
	for i, k := range d.Keys {
		if k.Kind != pyfront.KStr {
			l.d.Add(diag.E10, k.Span, "env keys must be strings, got %s", k.TypeName())
			continue
		}
		if v, ok := l.envValue(d.Items[i]); ok {
			fn.Env = SetEnv(fn.Env, model.EnvVar{Name: k.Str, Value: v, Span: k.Span})
		}
	}
}

// split applies @pc.route(memory, timeout, description, auth).
func (l *lowerer) split(fn *model.Function, pf *pyfront.Function) {
	a := bind(pf.Call, []string{"memory", "timeout", "description", "auth"}, 0, &l.d)
	for name := range a.vals {
		fn.At[name] = a.span(name)
	}
	fn.Memory = a.intOr("memory", fn.Memory)
	fn.Timeout = a.intOr("timeout", fn.Timeout)
	fn.Description = a.str("description", fn.Description)
	fn.Auth = l.auth(a, fn.Auth)
	fn.Routes = modelRoutes(pf.Routes)
}

// event applies @pc.cron(schedule, memory, timeout, env, description) and
// @pc.lambda_function(memory, timeout, env, description): memory and
// timeout default to globals, not to the feature (SPEC.md §3).
func (l *lowerer) event(fn *model.Function, pf *pyfront.Function) {
	params := []string{"memory", "timeout", "env", "description"}
	positional := 0
	if pf.Kind == kind.Cron {
		params = append([]string{"schedule"}, params...)
		positional = 1
	}
	a := bind(pf.Call, params, positional, &l.d)
	// Not inherited from the feature: memory and timeout (globals instead),
	// and the settings that only make sense for the API function.
	for _, k := range []string{"memory", "timeout", "reserved_concurrency", "provisioned_concurrency", "ephemeral_storage", "dlq", "description"} {
		delete(fn.At, k)
	}
	fn.ReservedConcurrency, fn.ProvisionedConcurrency, fn.EphemeralStorage, fn.DLQ = nil, nil, nil, false
	for name := range a.vals {
		fn.At[name] = a.span(name)
	}
	fn.Memory = a.intOr("memory", l.p.Memory)
	fn.Timeout = a.intOr("timeout", l.p.Timeout)
	fn.Description = a.str("description", "")
	l.env(fn, a.dict("env"))
	if pf.Kind == kind.Cron {
		fn.Schedule = a.str("schedule", "")
		fn.ScheduleAt = a.span("schedule")
		if !a.has("schedule") {
			l.d.Add(diag.E08, pf.Call.Span, "cron() needs a schedule")
		}
	}
}
