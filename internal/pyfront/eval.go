package pyfront

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// The static evaluator (SPEC.md §1). A module scope maps each module-level
// name to the statements that bind it, in order; a name used at statement i
// resolves to its last binding before i (or, seen from another module that
// imports it, to its final binding). Values are computed on demand and
// memoized, so names that deployless never needs are never evaluated and
// never produce diagnostics.

// MaxStrLen bounds the strings the evaluator builds: nothing a template or
// an environment can hold comes near it (CloudFormation takes 1 MB).
const MaxStrLen = 8 << 20

// DeploylessAPI lists every public name of the deployless module.
var DeploylessAPI = map[string]bool{
	"configure": true, "route": true, "cron": true, "lambda_function": true,
	"shared_resource": true, "DynamoDB": true, "S3": true, "SQS": true, "KMS": true,
	"SSMParameter": true, "SSMParam": true, "Ref": true, "GetAtt": true,
}

// sym is a reference to something that is not a value: a module or a member
// of a module that is not part of the project (deployless.configure,
// flask.Blueprint, os.getenv, os.environ).
type sym struct {
	module string
	member string // "" for the module itself
}

func (s sym) String() string {
	if s.member == "" {
		return s.module
	}
	return s.module + "." + s.member
}

type binding struct {
	idx    int
	assign *Assign
	imp    *sym // import binding: module (member "") or from-import member
	class  *ClassDef
	span   source.Span

	memo       *Value
	memoSym    *sym
	done, busy bool
}

type scope struct {
	an       *analyzer
	mod      *Module
	bindings map[string][]*binding
}

// evalErr is a value that could not be evaluated statically.
type evalErr struct {
	span source.Span
	msg  string
}

func (e *evalErr) Error() string { return e.msg }

func errAt(span source.Span, format string, args ...any) *evalErr {
	return &evalErr{span: span, msg: fmt.Sprintf(format, args...)}
}

func newScope(an *analyzer, mod *Module) *scope {
	s := &scope{an: an, mod: mod, bindings: map[string][]*binding{}}
	for i, st := range mod.Stmts {
		switch st := st.(type) {
		case *Assign:
			for _, t := range st.Targets {
				s.bindings[t] = append(s.bindings[t], &binding{idx: i, assign: st, span: st.Span})
			}
		case *Import:
			if !st.From {
				name, target := st.Alias, st.Module
				if name == "" { // import a.b binds a
					name, _, _ = strings.Cut(st.Module, ".")
					target = name
				}
				s.bindings[name] = append(s.bindings[name], &binding{idx: i, imp: &sym{module: target}, span: st.Span})
				continue
			}
			base := s.resolveRelative(st)
			for _, n := range st.Names {
				name := n.Alias
				if name == "" {
					name = n.Name
				}
				s.bindings[name] = append(s.bindings[name], &binding{idx: i, imp: &sym{module: base, member: n.Name}, span: n.Span})
			}
		case *FuncDef:
			// A def shadows earlier bindings; it is never a static value.
			s.bindings[st.Name] = append(s.bindings[st.Name], &binding{idx: i, span: st.Span, done: true,
				memoSym: &sym{module: mod.Name, member: st.Name}})
		case *ClassDef:
			s.bindings[st.Name] = append(s.bindings[st.Name], &binding{idx: i, span: st.Span, done: true,
				memoSym: &sym{module: mod.Name, member: st.Name}, class: st})
		}
	}
	return s
}

// resolveRelative turns `from ..x import y` into an absolute module name.
func (s *scope) resolveRelative(st *Import) string { return resolveFrom(s.mod, st) }

// definition follows name, used in s at statement idx (idx < 0: the final
// binding), through from-imports of project modules and plain aliases
// (`b = a`) to the binding that defines it, with its scope and name there.
// It evaluates nothing. b is nil when the chain ends outside the project
// or at nothing (a name imported from a module that lacks it).
func (s *scope) definition(name string, idx int) (sc *scope, def string, b *binding) {
	sc = s
	for hops := 0; hops < 32 && sc != nil; hops++ {
		b = sc.lookup(name, idx)
		switch {
		case b == nil:
			return nil, "", nil
		case b.assign != nil:
			alias, ok := b.assign.Value.(*Name)
			if !ok {
				return sc, name, b
			}
			name, idx = alias.Id, b.idx
		case b.imp != nil && b.imp.member != "":
			sc, name, idx = sc.an.module(b.imp.module), b.imp.member, -1
		default:
			return sc, name, b
		}
	}
	return nil, "", nil
}

// lookup finds the binding of name visible before statement idx (idx < 0:
// the final binding, as seen by importers).
func (s *scope) lookup(name string, idx int) *binding {
	bs := s.bindings[name]
	for i := len(bs) - 1; i >= 0; i-- {
		if idx < 0 || bs[i].idx < idx {
			return bs[i]
		}
	}
	return nil
}

// eval evaluates e, which appears in statement idx of the scope's module.
// It returns a value, or a symbol (module / foreign member), or an error.
func (s *scope) eval(e Expr, idx int) (*Value, *sym, *evalErr) {
	switch e := e.(type) {
	case *Name:
		if e.Id == "__name__" {
			return &Value{Kind: KStr, Str: s.mod.Name, Span: e.Span}, nil, nil
		}
		b := s.lookup(e.Id, idx)
		if b == nil {
			return nil, nil, errAt(e.Span, "name %q is not defined at module level before this point", e.Id)
		}
		return s.resolveBinding(b, e)
	case *Attribute:
		_, xs, err := s.eval(e.X, idx)
		if err != nil {
			return nil, nil, err
		}
		if xs != nil && xs.member == "" {
			return s.an.moduleMember(xs.module, e.Attr, e.Span)
		}
		if xs != nil && xs.String() == "os.environ" && e.Attr == "get" {
			return nil, &sym{module: "os.environ", member: "get"}, nil
		}
		return nil, nil, errAt(e.Span, "attribute %q cannot be evaluated statically", e.Attr)
	case *Str:
		return s.evalStr(e, idx)
	case *Int:
		return &Value{Kind: KInt, Int: e.Value, Span: e.Span}, nil, nil
	case *Float:
		return &Value{Kind: KFloat, Float: e.Value, Span: e.Span}, nil, nil
	case *Const:
		switch e.Value {
		case "True":
			return &Value{Kind: KBool, Bool: true, Span: e.Span}, nil, nil
		case "False":
			return &Value{Kind: KBool, Span: e.Span}, nil, nil
		}
		return &Value{Kind: KNone, Span: e.Span}, nil, nil
	case *List:
		v := &Value{Kind: KList, Span: e.Span}
		for _, el := range e.Elems {
			ev, err := s.value(el, idx)
			if err != nil {
				return nil, nil, err
			}
			v.Items = append(v.Items, ev)
		}
		return v, nil, nil
	case *Dict:
		v := &Value{Kind: KDict, Span: e.Span}
		for i, k := range e.Keys {
			if k == nil {
				return nil, nil, errAt(e.Vals[i].Pos(), "**-unpacking in a dict cannot be evaluated statically")
			}
			kv, err := s.value(k, idx)
			if err != nil {
				return nil, nil, err
			}
			vv, err := s.value(e.Vals[i], idx)
			if err != nil {
				return nil, nil, err
			}
			v.Keys = append(v.Keys, kv)
			v.Items = append(v.Items, vv)
		}
		return v, nil, nil
	case *Unary:
		x, err := s.value(e.X, idx)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case e.Op == "-" && x.Kind == KInt:
			return &Value{Kind: KInt, Int: -x.Int, Span: e.Span}, nil, nil
		case e.Op == "-" && x.Kind == KFloat:
			return &Value{Kind: KFloat, Float: -x.Float, Span: e.Span}, nil, nil
		case e.Op == "+" && (x.Kind == KInt || x.Kind == KFloat):
			return x, nil, nil
		}
		return nil, nil, errAt(e.Span, "unary %q on %s cannot be evaluated statically", e.Op, x.TypeName())
	case *Binary:
		x, err := s.value(e.X, idx)
		if err != nil {
			return nil, nil, err
		}
		y, err := s.value(e.Y, idx)
		if err != nil {
			return nil, nil, err
		}
		if e.Op == "+" && x.Kind == KStr && y.Kind == KStr {
			if len(x.Str)+len(y.Str) > MaxStrLen {
				// A = A + A, repeated, doubles at every line.
				return nil, nil, errAt(e.Span, "string longer than %d bytes: too large to evaluate statically", MaxStrLen)
			}
			return &Value{Kind: KStr, Str: x.Str + y.Str, Span: e.Span}, nil, nil
		}
		if e.Op == "+" && x.Kind == KInt && y.Kind == KInt {
			return &Value{Kind: KInt, Int: x.Int + y.Int, Span: e.Span}, nil, nil
		}
		return nil, nil, errAt(e.Span, "%s %s %s cannot be evaluated statically (only + on str or int)", x.TypeName(), e.Op, y.TypeName())
	case *Subscript:
		_, xs, err := s.eval(e.X, idx)
		if err != nil {
			return nil, nil, err
		}
		if xs != nil && xs.String() == "os.environ" {
			key, err := s.value(e.Index, idx)
			if err != nil {
				return nil, nil, err
			}
			if key.Kind != KStr {
				return nil, nil, errAt(e.Index.Pos(), "os.environ key must be a string")
			}
			return s.an.getenv(key.Str, nil, e.Span), nil, nil
		}
		return nil, nil, errAt(e.Span, "subscript cannot be evaluated statically")
	case *Call:
		return s.evalCall(e, idx)
	case *Other:
		return nil, nil, errAt(e.Span, "%s expression %q cannot be evaluated statically", strings.ReplaceAll(e.Kind, "_", " "), short(e.Text))
	}
	return nil, nil, errAt(e.Pos(), "expression cannot be evaluated statically")
}

// value evaluates e and requires a value (not a module or function).
func (s *scope) value(e Expr, idx int) (*Value, *evalErr) {
	v, sy, err := s.eval(e, idx)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errAt(e.Pos(), "%s is not a static value", sy)
	}
	return v, nil
}

func (s *scope) resolveBinding(b *binding, at Expr) (*Value, *sym, *evalErr) {
	if b.done {
		return b.memo, b.memoSym, nil
	}
	if b.busy {
		return nil, nil, errAt(at.Pos(), "circular definition")
	}
	b.busy = true
	defer func() { b.busy = false }()
	var (
		v   *Value
		sy  *sym
		err *evalErr
	)
	if b.imp != nil {
		if b.imp.member == "" {
			sy = b.imp
		} else {
			v, sy, err = s.an.moduleMember(b.imp.module, b.imp.member, at.Pos())
		}
	} else {
		v, sy, err = s.eval(b.assign.Value, b.idx)
	}
	if err != nil {
		return nil, nil, err
	}
	b.memo, b.memoSym, b.done = v, sy, true
	return v, sy, nil
}

func (s *scope) evalStr(e *Str, idx int) (*Value, *sym, *evalErr) {
	if e.Bytes {
		return nil, nil, errAt(e.Span, "bytes literal cannot be used here")
	}
	var b strings.Builder
	for _, p := range e.Parts {
		if p.Expr == nil {
			b.WriteString(p.Lit)
			continue
		}
		if p.Spec {
			return nil, nil, errAt(p.Expr.Pos(), "f-string conversion or format spec cannot be evaluated statically")
		}
		v, err := s.value(p.Expr, idx)
		if err != nil {
			return nil, nil, err
		}
		switch v.Kind {
		case KStr:
			b.WriteString(v.Str)
		case KInt, KFloat, KBool, KNone:
			b.WriteString(strings.Trim(v.Repr(), `"`))
		default:
			return nil, nil, errAt(p.Expr.Pos(), "f-string field of type %s cannot be evaluated statically", v.TypeName())
		}
	}
	return &Value{Kind: KStr, Str: b.String(), Span: e.Span}, nil, nil
}

func (s *scope) evalCall(e *Call, idx int) (*Value, *sym, *evalErr) {
	_, fs, err := s.eval(e.Func, idx)
	if err != nil {
		return nil, nil, err
	}
	if fs == nil {
		return nil, nil, errAt(e.Span, "call cannot be evaluated statically")
	}
	switch {
	case fs.module == "deployless" && DeploylessAPI[fs.member]:
		obj, err := s.deploylessCall(fs.member, e, idx)
		if err != nil {
			return nil, nil, err
		}
		return &Value{Kind: KObj, Obj: obj, Span: e.Span}, nil, nil
	case fs.module == "deployless":
		return nil, nil, errAt(e.Func.Pos(), "deployless has no %q", fs.member)
	case fs.String() == "os.getenv" || fs.String() == "os.environ.get":
		if e.Splat || len(e.Kwargs) > 0 || len(e.Args) == 0 || len(e.Args) > 2 {
			return nil, nil, errAt(e.Span, "%s() takes a name and an optional default", fs)
		}
		name, err := s.value(e.Args[0], idx)
		if err != nil {
			return nil, nil, err
		}
		if name.Kind != KStr {
			return nil, nil, errAt(e.Args[0].Pos(), "%s() name must be a string", fs)
		}
		var def *Value
		if len(e.Args) == 2 {
			if def, err = s.value(e.Args[1], idx); err != nil {
				return nil, nil, err
			}
		}
		return s.an.getenv(name.Str, def, e.Span), nil, nil
	}
	return nil, nil, errAt(e.Span, "call to %s() cannot be evaluated statically", fs)
}

func (s *scope) deploylessCall(fn string, e *Call, idx int) (*Object, *evalErr) {
	if e.Splat {
		return nil, errAt(e.Span, "*args/**kwargs in a deployless call cannot be evaluated statically")
	}
	obj := &Object{Func: fn, Span: e.Span}
	for _, a := range e.Args {
		v, err := s.value(a, idx)
		if err != nil {
			return nil, err
		}
		obj.Args = append(obj.Args, v)
	}
	for _, k := range e.Kwargs {
		v, err := s.value(k.Value, idx)
		if err != nil {
			return nil, err
		}
		obj.Kwargs = append(obj.Kwargs, KwValue{Name: k.Name, Span: k.Span, Value: v})
	}
	return obj, nil
}

// symOf resolves an expression that should name a foreign symbol (a
// decorator like pc.route or flask's Blueprint) without reporting errors.
func (s *scope) symOf(e Expr, idx int) *sym {
	_, sy, err := s.eval(e, idx)
	if err != nil {
		return nil
	}
	return sy
}

// report adds an evaluation error as E10.
func (s *scope) report(err *evalErr) { s.an.diags.Add(diag.E10, err.span, "%s", err.msg) }

// argOrKw evaluates positional argument pos (pos < 0: keyword only) or the
// keyword name; nil when absent or not evaluable (reported as E10).
func (s *scope) argOrKw(call *Call, idx, pos int, name string) *Value {
	e := argExpr(call, pos, name)
	if e == nil {
		return nil
	}
	v, err := s.value(e, idx)
	if err != nil {
		s.report(err)
		return nil
	}
	return v
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// getenv resolves os.getenv at build time (SPEC.md §1): the build
// environment first, then the env_file; unset without default is None with a
// W01 warning, as importing the module would give.
func (an *analyzer) getenv(name string, def *Value, span source.Span) *Value {
	if strings.HasPrefix(name, "SECRET_") {
		// A secret read at build time would be written into the template.
		an.diags.Add(diag.E10, span, "os.getenv(%s): SECRET_* variables are never read at build time (their value would end up in template.yaml); read it at run time instead", strconv.Quote(name))
		return &Value{Kind: KNone, Span: span}
	}
	if an.opts.Getenv != nil {
		if v, ok := an.opts.Getenv(name); ok {
			return &Value{Kind: KStr, Str: v, Span: span}
		}
	}
	if def != nil {
		return def
	}
	an.warnOnce(span, "os.getenv(%s) is unset at build time and has no default; it evaluates to None", strconv.Quote(name))
	return &Value{Kind: KNone, Span: span}
}

func (an *analyzer) warnOnce(span source.Span, format string, args ...any) {
	key := span.String() + format
	if an.warned[key] {
		return
	}
	an.warned[key] = true
	an.diags.Warn(diag.W01, span, format, args...)
}
