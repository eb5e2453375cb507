// Package lower turns the front end's facts plus the project settings into
// the model: it binds every deployless call's arguments (E10 for unknown or
// mistyped ones), applies the inheritance of SPEC.md §3, decides logical IDs
// and env var names (§4) and resolves pc.Ref / pc.GetAtt. Range rules live in
// package check; lower only records where each setting came from.
package lower

import (
	"regexp"

	"sort"
	"strings"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/envfile"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/source"
)

// Input is what the compiler read besides the Python facts: the loaded
// deployless.yaml, the env file's entries and the project's files that the
// model records. Lowering reads no files itself.
type Input struct {
	Config              *config.Config
	Env                 []envfile.Entry
	SharedDir           string // the shared folder when it exists ("" otherwise)
	Requirements        string // the project's requirements.txt
	RequirementsFile    string // requirements.txt, or uv.lock when it pins them ("": requirements.txt)
	FeatureRequirements map[string]string
}

var configureParams = []string{"memory", "timeout", "description", "env", "layers", "policies", "resources",
	"architectures", "tracing", "reserved_concurrency", "provisioned_concurrency", "ephemeral_storage",
	"dlq", "log_retention", "alarms", "auth"}

type pendingRef struct {
	id   string
	span source.Span
}

type lowerer struct {
	d           diag.List
	p           *model.Project
	resources   map[*pyfront.Object]*model.Resource
	byID        map[string]*model.Resource
	pendingRefs []pendingRef
	ids         map[string]source.Span // every logical ID in the template → where it came from
}

// Lower builds the model.
func Lower(in Input, facts *pyfront.Project) (*model.Project, diag.List) {
	p := project(in)
	p.AppDir, p.FeaturesDir, p.ExtraFiles = facts.AppDir, in.Config.Paths.Features, facts.ExtraFiles
	if f := facts.Factory; f != nil {
		p.Factory, p.FactoryFramework = f.Module+":"+f.Func, f.Framework
	}
	if a := facts.App; a != nil {
		p.App = a.Module + ":" + a.Func
	}
	if len(facts.Features) > 0 {
		p.Framework = facts.Features[0].Framework
	}
	for _, h := range facts.InitApp {
		p.InitApp = append(p.InitApp, h.Dotted())
	}
	l := &lowerer{p: p, resources: map[*pyfront.Object]*model.Resource{}, byID: map[string]*model.Resource{}, ids: map[string]source.Span{}}
	// Reserved for the API and its key resources.
	for _, id := range []string{"Api", "ApiKey", "UsagePlan", "UsagePlanKey"} {
		l.ids[id] = source.Span{}
	}

	// Pass 1: every resource (feature resources= and shared_resource), so
	// that policies and env of any function can refer to any of them.
	featureRes := map[*pyfront.Feature][]*model.Resource{}
	configured := map[*pyfront.Feature]*args{} // each configure() is bound once
	type sharedDecl struct {
		res  *model.Resource
		span source.Span
	}
	sharedKeys := map[string]sharedDecl{}
	var shared []*model.Resource
	for _, f := range facts.Features {
		if f.Configure != nil {
			a := bind(f.Configure, configureParams, 0, &l.d)
			configured[f] = a
			if res := a.dict("resources"); res != nil {
				for _, v := range res.Items {
					if r := l.resource(v); r != nil {
						featureRes[f] = append(featureRes[f], r)
					}
				}
			}
		}
		for _, s := range f.Shared {
			a := bind(s, []string{"key", "resource"}, 2, &l.d)
			key := a.str("key", "")
			rv := a.vals["resource"]
			if key == "" || rv == nil {
				l.d.Add(diag.E10, s.Span, "shared_resource() needs a key and a resource")
				continue
			}
			r := l.resource(rv)
			if r == nil {
				continue
			}
			if prev, ok := sharedKeys[key]; ok {
				if prev.res != r {
					l.d.Add(diag.E33, s.Span, "shared_resource key %q already names %s %q", key, prev.res.Kind, prev.res.Name).Note(prev.span, "first declared here")
				}
				continue
			}
			sharedKeys[key] = sharedDecl{r, s.Span}
			shared = append(shared, r)
		}
	}

	// Pass 1b: resources bound to module-level names of a routes.py but
	// listed nowhere belong to that feature, as the original deployless
	// deploys them ("auto-detected").
	isShared := map[*model.Resource]bool{}
	for _, r := range shared {
		isShared[r] = true
	}
	auto := map[*pyfront.Feature]int{}
	for _, f := range facts.Features {
		listed := map[*model.Resource]bool{}
		for _, r := range featureRes[f] {
			listed[r] = true
		}
		for _, obj := range f.Declared {
			r := l.resource(&pyfront.Value{Kind: pyfront.KObj, Obj: obj, Span: obj.Span})
			if r == nil || listed[r] || isShared[r] {
				continue
			}
			listed[r] = true
			featureRes[f] = append(featureRes[f], r)
			auto[f]++
		}
	}

	// Pass 2: functions.
	for _, f := range facts.Features {
		l.feature(f, configured[f], featureRes[f], in.FeatureRequirements[f.Name])
		l.p.Features[len(l.p.Features)-1].AutoResources = auto[f]
	}
	// Shared resources' env vars go to every function (after its own), and
	// every function may use the resources it gets (see grants), and read
	// the project's SecureString secrets and its own pc.SSMParam(…,
	// secure=True) parameters.
	secrets := secretGrants(p)
	for _, fn := range p.Functions {
		for _, r := range shared {
			fn.Env = SetEnv(fn.Env, resourceEnv(r))
		}
		fn.Grants = append(fn.Grants, secrets...)
		fn.Grants = addGrants(fn.Grants, secureGrants(fn, in.Config.SecretsKMS)...)
		for _, r := range append(append([]*model.Resource(nil), fn.Feature.Resources...), shared...) {
			fn.Grants = addGrants(fn.Grants, resourceGrants(r)...)
		}
	}
	l.resolveRefs()
	l.duplicateRoutes()
	depLayers(l.p)
	return l.p, l.d
}

// resource lowers a resource object, merging identical re-declarations.
func (l *lowerer) resource(v *pyfront.Value) *model.Resource {
	if v.Kind != pyfront.KObj || !isResource(v.Obj.Func) {
		l.d.Add(diag.E10, v.Span, "resources values must be pc.DynamoDB/S3/SQS/KMS/SSMParameter objects, got %s", v.TypeName())
		return nil
	}
	if r := l.resources[v.Obj]; r != nil {
		return r
	}
	var r *model.Resource
	k, _ := kind.ResourceCall(v.Obj.Func)
	switch k {
	case kind.DynamoDB:
		r = l.dynamoDB(v.Obj)
	case kind.S3:
		r = l.s3(v.Obj)
	case kind.SQS:
		r = l.sqs(v.Obj)
	case kind.KMS:
		r = l.kms(v.Obj)
	case kind.SSMParameter:
		r = l.ssmParameter(v.Obj)
	}
	if r == nil {
		return nil
	}
	if prev := l.byID[r.LogicalID]; prev != nil {
		if !prev.SameDeclaration(r) {
			l.d.Add(diag.E33, r.Span, "%s %q is declared again with different settings (logical ID %s)", r.Kind, r.Name, r.LogicalID).Note(prev.Span, "first declared here")
			return nil
		}
		l.resources[v.Obj] = prev
		return prev
	}
	if r.Existing {
		l.p.Existing = append(l.p.Existing, r)
	} else {
		if l.claimID(r.LogicalID, r.Span) {
			l.p.Resources = append(l.p.Resources, r)
			for _, id := range r.CompanionIDs() {
				l.claimID(id, r.Span)
			}
		}
	}
	l.byID[r.LogicalID] = r
	l.resources[v.Obj] = r
	return r
}

func isResource(fn string) bool {
	_, ok := kind.ResourceCall(fn)
	return ok
}

// claimID reserves a logical ID; two things mapping to one ID is E33.
func (l *lowerer) claimID(id string, at source.Span) bool {
	if prev, ok := l.ids[id]; ok {
		d := l.d.Add(diag.E33, at, "logical ID %s is already used", id)
		if prev.IsZero() {
			d.Note(prev, "reserved by deployless")
		} else {
			d.Note(prev, "first used here")
		}
		return false
	}
	l.ids[id] = at
	return true
}

// resourceEnv is the env var a resource injects: what Ref returns (table,
// bucket or parameter name, queue URL, key ID), or for existing resources
// the same value known from the name.
func resourceEnv(r *model.Resource) model.EnvVar {
	return model.EnvVar{Name: r.EnvVar, Value: model.Ref{Resource: r}, Span: r.Span}
}

// SetEnv sets name=value, replacing an earlier value of the same name.
func SetEnv(env []model.EnvVar, v model.EnvVar) []model.EnvVar {
	for i := range env {
		if env[i].Name == v.Name {
			env[i] = v
			return env
		}
	}
	return append(env, v)
}

func (l *lowerer) resolveRefs() {
	for _, r := range l.pendingRefs {
		if _, ok := l.ids[r.id]; !ok {
			l.d.Add(diag.E10, r.span, "logical ID %q is not declared in this project", r.id)
		}
	}
}

// duplicateRoutes reports E07 for a METHOD + path routed twice anywhere;
// routes are visited in source order so the note names the first one.
func (l *lowerer) duplicateRoutes() {
	var all []*model.Route
	for _, fn := range l.p.Functions {
		all = append(all, fn.Routes...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Span.Less(all[j].Span) })
	seen := map[string]*model.Route{}
	vars := map[string]*model.Route{} // parent path + "{}" → first route using a variable there
	for _, r := range all {
		// {id} and {user_id} at the same place are the same API Gateway
		// resource, so they count as the same path.
		key := r.Method + " " + varless.ReplaceAllString(r.Path, "{}")
		if prev := seen[key]; prev != nil {
			l.d.Add(diag.E07, r.Span, "duplicate route %s %s", r.Method, r.Path).Note(prev.Span, "first declared here as %s %s", prev.Method, prev.Path)
			continue
		}
		seen[key] = r
		// API Gateway allows one variable name per sibling position.
		segs := strings.Split(r.Path, "/")
		for i, seg := range segs {
			if !strings.HasPrefix(seg, "{") {
				continue
			}
			pos := varless.ReplaceAllString(strings.Join(segs[:i], "/"), "{}") + "/{}"
			if prev := vars[pos]; prev != nil {
				if other := strings.Split(prev.Path, "/")[i]; other != seg {
					l.d.Add(diag.E34, r.Span, "path variable %s conflicts with %s at the same place in %s (API Gateway allows one variable name per path level)", seg, other, prev.Path).Note(prev.Span, "declared here")
				}
				continue
			}
			vars[pos] = r
		}
	}
}

var varless = regexp.MustCompile(`\{[^}]*\}`)
