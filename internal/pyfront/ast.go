package pyfront

import "github.com/deployless/deployless/internal/source"

// The front end converts tree-sitter's concrete tree into this small AST at
// once and closes the tree: later phases never touch cgo memory, and the
// evaluator only has to know the handful of shapes deployless reads. Anything
// else becomes an Other expression that evaluates to a diagnostic when (and
// only when) a deployless call needs its value.

// Expr is an expression node.
type Expr interface{ Pos() source.Span }

type (
	Name struct {
		Span source.Span
		Id   string
	}
	Attribute struct {
		Span source.Span
		X    Expr
		Attr string
	}
	Call struct {
		Span   source.Span
		Func   Expr
		Args   []Expr
		Kwargs []Keyword
		// Splat is set when the call uses *args or **kwargs, which cannot be
		// read statically.
		Splat bool
	}
	Keyword struct {
		Span  source.Span // of the keyword name
		Name  string
		Value Expr
	}
	// Str is a string literal, possibly implicitly concatenated; an f-string
	// keeps its parts, a plain string has one literal part.
	Str struct {
		Span  source.Span
		Parts []StrPart
		Bytes bool
	}
	StrPart struct {
		Lit  string // literal text (already unescaped) when Expr is nil
		Expr Expr   // an f-string replacement field
		Spec bool   // the field has a conversion or format spec (unsupported)
	}
	Int struct {
		Span  source.Span
		Value int64
		Text  string
	}
	Float struct {
		Span  source.Span
		Value float64
	}
	Const struct { // True, False, None
		Span  source.Span
		Value string
	}
	List struct {
		Span  source.Span
		Elems []Expr
		Tuple bool
	}
	Dict struct {
		Span source.Span
		Keys []Expr // nil key marks a **splat
		Vals []Expr
	}
	Unary struct {
		Span source.Span
		Op   string
		X    Expr
	}
	Binary struct {
		Span source.Span
		Op   string
		X, Y Expr
	}
	Subscript struct {
		Span  source.Span
		X     Expr
		Index Expr
	}
	// Other is any expression the evaluator does not model.
	Other struct {
		Span source.Span
		Kind string // tree-sitter node kind, for the diagnostic
		Text string
	}
)

func (e *Name) Pos() source.Span      { return e.Span }
func (e *Attribute) Pos() source.Span { return e.Span }
func (e *Call) Pos() source.Span      { return e.Span }
func (e *Str) Pos() source.Span       { return e.Span }
func (e *Int) Pos() source.Span       { return e.Span }
func (e *Float) Pos() source.Span     { return e.Span }
func (e *Const) Pos() source.Span     { return e.Span }
func (e *List) Pos() source.Span      { return e.Span }
func (e *Dict) Pos() source.Span      { return e.Span }
func (e *Unary) Pos() source.Span     { return e.Span }
func (e *Binary) Pos() source.Span    { return e.Span }
func (e *Subscript) Pos() source.Span { return e.Span }
func (e *Other) Pos() source.Span     { return e.Span }

// Stmt is a module-level statement the front end cares about.
type Stmt interface{ Pos() source.Span }

type (
	// Import is `import a.b as c` (Names nil) or `from a.b import x as y`.
	Import struct {
		Span   source.Span
		Module string // dotted; for relative imports Level > 0
		Level  int
		Alias  string // import a.b as c → "c"; import a.b → "" (binds "a")
		Names  []ImportName
		From   bool
	}
	ImportName struct {
		Name, Alias string
		Span        source.Span
	}
	Assign struct {
		Span    source.Span
		Targets []string // `a = b = v` binds both; tuple targets are not modelled
		Value   Expr
	}
	ExprStmt struct {
		Span source.Span
		X    Expr
	}
	FuncDef struct {
		Span       source.Span // of the name
		Name       string
		Decorators []Expr // top to bottom
	}
)

type (
	// ClassDef is a module-level class: its bases, the names of the
	// methods its body defines and its `methods = …` attribute (Flask's
	// MethodView derives its routes' methods from them).
	ClassDef struct {
		Span        source.Span // of the name
		Name        string
		Bases       []Expr
		Methods     []string
		MethodsAttr Expr // nil when the body does not assign methods
	}
	// Nested stands for a compound statement (if, for, while, with, try,
	// match) or a def's or class's body: deployless never evaluates what is
	// inside, so it keeps every call and decorator found there, to refuse
	// any route registration or deployless call among them (E10).
	Nested struct {
		Span    source.Span
		Kind    string    // "a for loop", "the body of function setup"…
		Func    string    // the function whose body it is ("" for other statements)
		Exprs   []Expr    // calls and decorators, in source order
		Imports []*Import // import statements inside, in source order
	}
)

func (s *ClassDef) Pos() source.Span { return s.Span }
func (s *Nested) Pos() source.Span   { return s.Span }

func (s *Import) Pos() source.Span   { return s.Span }
func (s *Assign) Pos() source.Span   { return s.Span }
func (s *ExprStmt) Pos() source.Span { return s.Span }
func (s *FuncDef) Pos() source.Span  { return s.Span }

// Module is one parsed Python file.
type Module struct {
	File  *source.File
	Name  string // dotted import name, e.g. app.features.user.routes
	IsPkg bool   // the file is a package's __init__.py
	Stmts []Stmt
}
