package pyfront

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/deployless/deployless/internal/source"
)

// The parse cache stores modules in this compact binary form (hand-written:
// encoding/gob and JSON need reflection and type registration for the
// interface-typed nodes, and decode slower than the parse they replace).
// Spans store line and column only: the path is the file's, given back on
// decode. Bump codecVersion (part of GrammarID) with any change here.
const codecVersion = 3

// Node tags. 0 is a nil Expr.
const (
	tagNil byte = iota
	tagName
	tagAttribute
	tagCall
	tagStr
	tagInt
	tagFloat
	tagConst
	tagList
	tagDict
	tagUnary
	tagBinary
	tagSubscript
	tagOther
	tagImport
	tagAssign
	tagExprStmt
	tagFuncDef
	tagClassDef
	tagNested
)

type encoder struct {
	b    []byte
	path string
	bad  bool // a span of another file: not representable, not cached
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }

// span writes 0 for a zero span, else line+1 and the column.
func (e *encoder) span(s source.Span) {
	switch {
	case s.IsZero():
		e.uint(0)
	case s.Path != e.path:
		e.bad = true
		e.uint(0)
	default:
		e.uint(uint64(s.Line) + 1)
		e.uint(uint64(s.Col))
	}
}
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// encodeModule encodes m's statements; ok is false when m cannot be
// represented (then it is not cached).
func encodeModule(m *Module) (b []byte, ok bool) {
	e := &encoder{b: make([]byte, 0, 256), path: m.File.Path}
	e.uint(uint64(len(m.Stmts)))
	for _, s := range m.Stmts {
		e.stmt(s)
	}
	return e.b, !e.bad
}

func (e *encoder) stmt(s Stmt) {
	switch s := s.(type) {
	case *Import:
		e.b = append(e.b, tagImport)
		e.span(s.Span)
		e.str(s.Module)
		e.uint(uint64(s.Level))
		e.str(s.Alias)
		e.bool(s.From)
		encList(e, s.Names, func(n ImportName) {
			e.str(n.Name)
			e.str(n.Alias)
			e.span(n.Span)
		})
	case *Assign:
		e.b = append(e.b, tagAssign)
		e.span(s.Span)
		encList(e, s.Targets, e.str)
		e.expr(s.Value)
	case *ExprStmt:
		e.b = append(e.b, tagExprStmt)
		e.span(s.Span)
		e.expr(s.X)
	case *FuncDef:
		e.b = append(e.b, tagFuncDef)
		e.span(s.Span)
		e.str(s.Name)
		e.exprs(s.Decorators)
	case *ClassDef:
		e.b = append(e.b, tagClassDef)
		e.span(s.Span)
		e.str(s.Name)
		e.exprs(s.Bases)
		encList(e, s.Methods, e.str)
		e.expr(s.MethodsAttr)
	case *Nested:
		e.b = append(e.b, tagNested)
		e.span(s.Span)
		e.str(s.Kind)
		e.str(s.Func)
		e.exprs(s.Exprs)
		encList(e, s.Imports, func(imp *Import) { e.stmt(imp) })
	default:
		panic("pyfront: cannot encode statement " + typeName(s))
	}
}

func (e *encoder) exprs(xs []Expr) { encList(e, xs, e.expr) }

// encList writes a list: whether it is nil, its length, its elements.
func encList[T any](e *encoder, xs []T, elem func(T)) {
	e.bool(xs != nil)
	e.uint(uint64(len(xs)))
	for _, x := range xs {
		elem(x)
	}
}

func (e *encoder) expr(x Expr) {
	switch x := x.(type) {
	case nil:
		e.b = append(e.b, tagNil)
	case *Name:
		e.b = append(e.b, tagName)
		e.span(x.Span)
		e.str(x.Id)
	case *Attribute:
		e.b = append(e.b, tagAttribute)
		e.span(x.Span)
		e.expr(x.X)
		e.str(x.Attr)
	case *Call:
		e.b = append(e.b, tagCall)
		e.span(x.Span)
		e.expr(x.Func)
		e.exprs(x.Args)
		encList(e, x.Kwargs, func(k Keyword) {
			e.span(k.Span)
			e.str(k.Name)
			e.expr(k.Value)
		})
		e.bool(x.Splat)
	case *Str:
		e.b = append(e.b, tagStr)
		e.span(x.Span)
		encList(e, x.Parts, func(p StrPart) {
			e.str(p.Lit)
			e.expr(p.Expr)
			e.bool(p.Spec)
		})
		e.bool(x.Bytes)
	case *Int:
		e.b = append(e.b, tagInt)
		e.span(x.Span)
		e.int(x.Value)
		e.str(x.Text)
	case *Float:
		e.b = append(e.b, tagFloat)
		e.span(x.Span)
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x.Value))
	case *Const:
		e.b = append(e.b, tagConst)
		e.span(x.Span)
		e.str(x.Value)
	case *List:
		e.b = append(e.b, tagList)
		e.span(x.Span)
		e.exprs(x.Elems)
		e.bool(x.Tuple)
	case *Dict:
		e.b = append(e.b, tagDict)
		e.span(x.Span)
		e.exprs(x.Keys)
		e.exprs(x.Vals)
	case *Unary:
		e.b = append(e.b, tagUnary)
		e.span(x.Span)
		e.str(x.Op)
		e.expr(x.X)
	case *Binary:
		e.b = append(e.b, tagBinary)
		e.span(x.Span)
		e.str(x.Op)
		e.expr(x.X)
		e.expr(x.Y)
	case *Subscript:
		e.b = append(e.b, tagSubscript)
		e.span(x.Span)
		e.expr(x.X)
		e.expr(x.Index)
	case *Other:
		e.b = append(e.b, tagOther)
		e.span(x.Span)
		e.str(x.Kind)
		e.str(x.Text)
	default:
		panic("pyfront: cannot encode expression " + typeName(x))
	}
}

var errCorrupt = errors.New("corrupt cached module")

type decoder struct {
	b     []byte
	path  string
	err   error
	depth int // of expr calls: a damaged entry must not nest without bound
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.b = nil
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a length and checks it against the bytes left (every element
// takes at least one byte), so corrupt input cannot ask for a huge slice.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) bool() bool { return d.byte() == 1 }

func (d *decoder) span() source.Span {
	line := d.uint()
	if line == 0 {
		return source.Span{}
	}
	col := d.uint()
	if line > math.MaxInt32 || col > math.MaxInt32 {
		d.fail()
	}
	return source.Span{Path: d.path, Line: int(line - 1), Col: int(col)}
}

// decodeModule rebuilds the module of file from encodeModule's bytes.
func decodeModule(b []byte, file *source.File, name string) (*Module, error) {
	d := &decoder{b: b, path: file.Path}
	m := newModule(file, name)
	n := d.count()
	for i := 0; i < n && d.err == nil; i++ {
		m.Stmts = append(m.Stmts, d.stmt())
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	if d.err != nil {
		return nil, d.err
	}
	return m, nil
}

func (d *decoder) stmt() Stmt {
	switch d.byte() {
	case tagImport:
		s := &Import{Span: d.span(), Module: d.str(), Level: int(d.uint()), Alias: d.str(), From: d.bool()}
		s.Names = decList(d, func() ImportName { return ImportName{Name: d.str(), Alias: d.str(), Span: d.span()} })
		return s
	case tagAssign:
		s := &Assign{Span: d.span()}
		s.Targets = decList(d, d.str)
		s.Value = d.expr()
		return s
	case tagExprStmt:
		return &ExprStmt{Span: d.span(), X: d.expr()}
	case tagFuncDef:
		return &FuncDef{Span: d.span(), Name: d.str(), Decorators: d.exprs()}
	case tagClassDef:
		s := &ClassDef{Span: d.span(), Name: d.str(), Bases: d.exprs()}
		s.Methods = decList(d, d.str)
		s.MethodsAttr = d.expr()
		return s
	case tagNested:
		s := &Nested{Span: d.span(), Kind: d.str(), Func: d.str(), Exprs: d.exprs()}
		s.Imports = decList(d, func() *Import {
			if imp, ok := d.stmt().(*Import); ok {
				return imp
			}
			d.fail()
			return &Import{}
		})
		return s
	}
	d.fail()
	return &ExprStmt{}
}

func (d *decoder) exprs() []Expr { return decList(d, d.expr) }

// decList reads what encList wrote; a nil list stays nil.
func decList[T any](d *decoder, elem func() T) []T {
	has := d.bool()
	n := d.count()
	if !has {
		return nil
	}
	xs := make([]T, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		xs = append(xs, elem())
	}
	return xs
}

func (d *decoder) expr() Expr {
	if d.err != nil {
		return nil
	}
	if d.depth++; d.depth > MaxExprDepth+1 {
		d.fail()
		return nil
	}
	defer func() { d.depth-- }()
	switch d.byte() {
	case tagNil:
		return nil
	case tagName:
		return &Name{Span: d.span(), Id: d.str()}
	case tagAttribute:
		return &Attribute{Span: d.span(), X: d.expr(), Attr: d.str()}
	case tagCall:
		c := &Call{Span: d.span(), Func: d.expr(), Args: d.exprs()}
		c.Kwargs = decList(d, func() Keyword { return Keyword{Span: d.span(), Name: d.str(), Value: d.expr()} })
		c.Splat = d.bool()
		return c
	case tagStr:
		s := &Str{Span: d.span()}
		s.Parts = decList(d, func() StrPart { return StrPart{Lit: d.str(), Expr: d.expr(), Spec: d.bool()} })
		s.Bytes = d.bool()
		return s
	case tagInt:
		return &Int{Span: d.span(), Value: d.int(), Text: d.str()}
	case tagFloat:
		sp := d.span()
		if len(d.b) < 8 {
			d.fail()
			return nil
		}
		v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
		return &Float{Span: sp, Value: v}
	case tagConst:
		return &Const{Span: d.span(), Value: d.str()}
	case tagList:
		return &List{Span: d.span(), Elems: d.exprs(), Tuple: d.bool()}
	case tagDict:
		return &Dict{Span: d.span(), Keys: d.exprs(), Vals: d.exprs()}
	case tagUnary:
		return &Unary{Span: d.span(), Op: d.str(), X: d.expr()}
	case tagBinary:
		return &Binary{Span: d.span(), Op: d.str(), X: d.expr(), Y: d.expr()}
	case tagSubscript:
		return &Subscript{Span: d.span(), X: d.expr(), Index: d.expr()}
	case tagOther:
		return &Other{Span: d.span(), Kind: d.str(), Text: d.str()}
	}
	d.fail()
	return nil
}

func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%T", v)
}
