package pyfront

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/deployless/deployless/internal/source"
)

// Kind is the type of a statically evaluated value.
type Kind int

const (
	KNone Kind = iota
	KStr
	KInt
	KFloat
	KBool
	KList // list or tuple
	KDict
	KObj // the result of a deployless call (pc.DynamoDB(...), pc.Ref(...), …)
)

func (k Kind) String() string {
	return [...]string{"None", "str", "int", "float", "bool", "list", "dict", "deployless object"}[k]
}

// Value is a Python value known at build time, with the span of the
// expression that produced it. Values produced by evaluating the same
// module-level name are the same pointer, so resource identity survives
// (`t = pc.DynamoDB(...)` used in resources= and in pc.Ref(t)).
type Value struct {
	Kind  Kind
	Span  source.Span
	Str   string
	Int   int64
	Float float64
	Bool  bool
	Items []*Value // list items, or dict values
	Keys  []*Value // dict keys (same length as Items)
	Obj   *Object
}

// Object is a deployless call evaluated statically.
type Object struct {
	Func   string // canonical name: configure, DynamoDB, Ref, cron, …
	Span   source.Span
	Args   []*Value
	Kwargs []KwValue
}

// KwValue is one keyword argument of a deployless call.
type KwValue struct {
	Name  string
	Span  source.Span // of the keyword
	Value *Value
}

// Kwarg returns the keyword argument with the given name, or nil.
func (o *Object) Kwarg(name string) *KwValue {
	for i := range o.Kwargs {
		if o.Kwargs[i].Name == name {
			return &o.Kwargs[i]
		}
	}
	return nil
}

// Get returns the value of a dict for a string key, or nil.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != KDict {
		return nil
	}
	for i, k := range v.Keys {
		if k.Kind == KStr && k.Str == key {
			return v.Items[i]
		}
	}
	return nil
}

// Repr renders the value the way Python would print it (for messages).
func (v *Value) Repr() string {
	if v == nil {
		return "None"
	}
	switch v.Kind {
	case KNone:
		return "None"
	case KStr:
		return strconv.Quote(v.Str)
	case KInt:
		return strconv.FormatInt(v.Int, 10)
	case KFloat:
		return strconv.FormatFloat(v.Float, 'g', -1, 64)
	case KBool:
		if v.Bool {
			return "True"
		}
		return "False"
	case KList:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = it.Repr()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case KDict:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = v.Keys[i].Repr() + ": " + it.Repr()
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case KObj:
		return fmt.Sprintf("pc.%s(…)", v.Obj.Func)
	}
	return "?"
}

// TypeName names the value's type for "expected X, got Y" messages.
func (v *Value) TypeName() string {
	if v.Kind == KObj {
		return "pc." + v.Obj.Func + "(…)"
	}
	return v.Kind.String()
}
