package lower

import (
	"regexp"
	"strconv"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
)

// envValue converts a Python value to an environment variable value: every
// env value is a string (SPEC.md §4: 3 → "3", True → "true"), except Ref /
// GetAtt references and SSMParam parameters.
func (l *lowerer) envValue(v *pyfront.Value) (model.EnvValue, bool) {
	switch v.Kind {
	case pyfront.KStr:
		return model.Literal(v.Str), true
	case pyfront.KInt:
		return model.Literal(strconv.FormatInt(v.Int, 10)), true
	case pyfront.KFloat:
		return model.Literal(strconv.FormatFloat(v.Float, 'g', -1, 64)), true
	case pyfront.KBool:
		return model.Literal(strconv.FormatBool(v.Bool)), true
	case pyfront.KNone:
		return model.Literal(""), true
	case pyfront.KObj:
		switch v.Obj.Func {
		case "Ref", "GetAtt":
			return l.intrinsic(v.Obj)
		case "SSMParam":
			return l.ssmParam(v.Obj)
		}
	}
	l.d.Add(diag.E10, v.Span, "env value must be a str, number, bool, pc.Ref/GetAtt or pc.SSMParam, got %s", v.TypeName())
	return nil, false
}

// ssmParam lowers pc.SSMParam(name, secure=False, version=None). A secure
// one is a SecureString that the bootstrap reads and decrypts at cold start
// (CloudFormation does not resolve {{resolve:ssm-secure:…}} in Lambda
// environment variables): its function gets a decrypt grant (see
// secureGrants).
func (l *lowerer) ssmParam(obj *pyfront.Object) (model.EnvValue, bool) {
	a := bind(obj, []string{"name", "secure", "version"}, 3, &l.d)
	name := a.str("name", "")
	if name == "" {
		l.d.Add(diag.E10, obj.Span, "SSMParam() needs a parameter name")
		return nil, false
	}
	p := model.SSMParam{Name: name, Version: a.intp("version"), Secure: a.boolean("secure", false)}
	ok := a.valid
	if p.Version != nil && *p.Version < 1 {
		l.d.Add(diag.E00, a.span("version"), "SSMParam(%q): version must be >= 1 (SSM numbers versions from 1), got %d", name, *p.Version)
		ok = false
	}
	// The name of a SecureString goes into the function's IAM policy (an
	// ARN) and into the bootstrap's GetParameters call, so it must be a
	// parameter name, never an ARN or a pattern.
	if p.Secure && !secureNameRe.MatchString(name) {
		l.d.Add(diag.E00, a.span("name"), "SSMParam(%q, secure=True): not an SSM parameter name (a hierarchy starts with \"/\"; letters, digits, '.', '-', '_' and '/' only)", name)
		ok = false
	}
	return p, ok
}

var secureNameRe = regexp.MustCompile(`^(/[A-Za-z0-9._/-]+|[A-Za-z0-9._-]+)$`)

// policyValue converts a Python value inside policies= (or layers=, or S3's
// cors= and lifecycle_rules=) to a raw CloudFormation value, resolving
// pc.Ref / pc.GetAtt.
func (l *lowerer) policyValue(v *pyfront.Value) (model.Raw, bool) {
	switch v.Kind {
	case pyfront.KStr:
		return model.RawString(v.Str), true
	case pyfront.KInt:
		return model.RawInt(v.Int), true
	case pyfront.KFloat:
		return model.RawFloat(v.Float), true
	case pyfront.KBool:
		return model.RawBool(v.Bool), true
	case pyfront.KList:
		out := model.RawList{}
		ok := true
		for _, it := range v.Items {
			c, good := l.policyValue(it)
			ok = ok && good
			out = append(out, c)
		}
		return out, ok
	case pyfront.KDict:
		m := model.RawMap{}
		ok := true
		for i, k := range v.Keys {
			if k.Kind != pyfront.KStr {
				l.d.Add(diag.E10, k.Span, "policy keys must be strings, got %s", k.TypeName())
				ok = false
				continue
			}
			c, good := l.policyValue(v.Items[i])
			ok = ok && good
			m = setRaw(m, k.Str, c)
		}
		return m, ok
	case pyfront.KObj:
		switch v.Obj.Func {
		case "Ref", "GetAtt":
			return l.intrinsic(v.Obj)
		}
		l.d.Add(diag.E10, v.Span, "pc.%s(…) cannot be used in a policy; wrap it in pc.Ref() or pc.GetAtt()", v.Obj.Func)
		return nil, false
	}
	l.d.Add(diag.E10, v.Span, "None cannot be used in a policy")
	return nil, false
}

// intrinsic resolves pc.Ref(x) / pc.GetAtt(x, attr) where x is a resource
// object or a logical ID string. The logical ID must exist in the template;
// that is checked once all names are known (see resolveRefs).
func (l *lowerer) intrinsic(obj *pyfront.Object) (model.Ref, bool) {
	params := []string{"resource"}
	if obj.Func == "GetAtt" {
		params = append(params, "attr")
	}
	a := bind(obj, params, len(params), &l.d)
	target := a.vals["resource"]
	if target == nil {
		l.d.Add(diag.E10, obj.Span, "%s() needs a resource or a logical ID", obj.Func)
		return model.Ref{}, false
	}
	var ref model.Ref
	switch {
	case target.Kind == pyfront.KStr:
		ref.ID = target.Str
		l.pendingRefs = append(l.pendingRefs, pendingRef{id: ref.ID, span: target.Span})
	case target.Kind == pyfront.KObj && l.resources[target.Obj] != nil:
		r := l.resources[target.Obj]
		ref.Resource = r
		if r.Existing && obj.Func == "GetAtt" {
			if attr := a.str("attr", ""); attr != "Arn" {
				l.d.Add(diag.E10, obj.Span, "GetAtt() of an existing %s supports only \"Arn\" (it is not in the template), got %q", r.Kind, attr)
				return model.Ref{}, false
			}
		}
	case target.Kind == pyfront.KObj && isResource(target.Obj.Func):
		l.d.Add(diag.E10, target.Span, "%s() refers to a pc.%s(…) that is not declared in any resources= or shared_resource()", obj.Func, target.Obj.Func)
		return model.Ref{}, false
	default:
		l.d.Add(diag.E10, target.Span, "%s() needs a resource or a logical ID string, got %s", obj.Func, target.TypeName())
		return model.Ref{}, false
	}
	if obj.Func == "Ref" {
		return ref, a.valid
	}
	ref.Attr = a.str("attr", "")
	if ref.Attr == "" {
		l.d.Add(diag.E10, obj.Span, "GetAtt() needs an attribute name")
		return model.Ref{}, false
	}
	return ref, a.valid
}

// setRaw sets key in m, replacing an earlier value in place (as a Python
// dict literal with a repeated key does).
func setRaw(m model.RawMap, key string, v model.Raw) model.RawMap {
	for i, k := range m.Keys {
		if k == key {
			m.Values[i] = v
			return m
		}
	}
	m.Keys = append(m.Keys, key)
	m.Values = append(m.Values, v)
	return m
}
