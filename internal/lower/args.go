package lower

import (
	"sort"
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/pyfront"
	"github.com/deployless/deployless/internal/source"
)

// args binds a deployless call's arguments to its parameter list the way
// Python would (positional then keyword), reporting unknown or repeated
// parameters as E10, and offers typed getters that report wrong types.
type args struct {
	fn    string
	obj   *pyfront.Object
	vals  map[string]*pyfront.Value
	d     *diag.List
	valid bool
}

// bind checks obj against params; positional lists the parameters that may
// be passed by position, in order.
func bind(obj *pyfront.Object, params []string, positional int, d *diag.List) *args {
	a := &args{fn: obj.Func, obj: obj, vals: map[string]*pyfront.Value{}, d: d, valid: true}
	for i, v := range obj.Args {
		if i >= positional {
			d.Add(diag.E10, v.Span, "%s() takes at most %d positional argument(s)", obj.Func, positional)
			a.valid = false
			break
		}
		a.vals[params[i]] = v
	}
	known := map[string]bool{}
	for _, p := range params {
		known[p] = true
	}
	for _, kw := range obj.Kwargs {
		if !known[kw.Name] {
			sorted := append([]string(nil), params...)
			sort.Strings(sorted)
			d.Add(diag.E10, kw.Span, "%s() has no parameter %q (expected one of %s)", obj.Func, kw.Name, strings.Join(sorted, ", "))
			a.valid = false
			continue
		}
		if _, dup := a.vals[kw.Name]; dup {
			d.Add(diag.E10, kw.Span, "%s() got multiple values for %q", obj.Func, kw.Name)
			a.valid = false
			continue
		}
		a.vals[kw.Name] = kw.Value
	}
	return a
}

func (a *args) has(name string) bool { return a.vals[name] != nil }

// span of the value of name (the call itself when absent).
func (a *args) span(name string) source.Span {
	if v := a.vals[name]; v != nil {
		return v.Span
	}
	return a.obj.Span
}

func (a *args) typeErr(name, want string, v *pyfront.Value) {
	a.d.Add(diag.E10, v.Span, "%s() %s must be %s, got %s %s", a.fn, name, want, v.TypeName(), v.Repr())
	a.valid = false
}

// str returns the string parameter (def when absent or None).
func (a *args) str(name, def string) string {
	v := a.vals[name]
	if v == nil || v.Kind == pyfront.KNone {
		return def
	}
	if v.Kind != pyfront.KStr {
		a.typeErr(name, "a str", v)
		return def
	}
	return v.Str
}

// intp returns the int parameter, nil when absent or None.
func (a *args) intp(name string) *int {
	v := a.vals[name]
	if v == nil || v.Kind == pyfront.KNone {
		return nil
	}
	if v.Kind != pyfront.KInt {
		a.typeErr(name, "an int", v)
		return nil
	}
	n := int(v.Int)
	return &n
}

func (a *args) intOr(name string, def int) int {
	if p := a.intp(name); p != nil {
		return *p
	}
	return def
}

func (a *args) boolean(name string, def bool) bool {
	v := a.vals[name]
	if v == nil || v.Kind == pyfront.KNone {
		return def
	}
	if v.Kind != pyfront.KBool {
		a.typeErr(name, "a bool", v)
		return def
	}
	return v.Bool
}

// list returns the list parameter's items (nil when absent or None).
func (a *args) list(name string) []*pyfront.Value {
	v := a.vals[name]
	if v == nil || v.Kind == pyfront.KNone {
		return nil
	}
	if v.Kind != pyfront.KList {
		a.typeErr(name, "a list", v)
		return nil
	}
	return v.Items
}

func (a *args) strList(name string) []string {
	var out []string
	for _, it := range a.list(name) {
		if it.Kind != pyfront.KStr {
			a.typeErr(name+" item", "a str", it)
			continue
		}
		out = append(out, it.Str)
	}
	return out
}

// dict returns the dict parameter (nil when absent or None).
func (a *args) dict(name string) *pyfront.Value {
	v := a.vals[name]
	if v == nil || v.Kind == pyfront.KNone {
		return nil
	}
	if v.Kind != pyfront.KDict {
		a.typeErr(name, "a dict", v)
		return nil
	}
	return v
}
