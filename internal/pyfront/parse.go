// Package pyfront is the Python front end: it parses routes.py files (and the
// project modules they import) with tree-sitter's Python grammar, evaluates the
// module-level values deployless needs without running any user code
// (SPEC.md §1), and returns per-feature facts: blueprints, routes, and the
// deployless calls with their evaluated arguments. The deployless calls are
// read the same way for every framework (feature.go); only the routers and
// route shapes (Flask's Blueprints, flask.go) sit behind the framework
// interface in framework.go, so FastAPI can be added beside flask.go.
package pyfront

import (
	"fmt"
	"strconv"
	"strings"

	ts "github.com/tree-sitter/go-tree-sitter"
	tspy "github.com/tree-sitter/tree-sitter-python/bindings/go"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

var pythonLanguage = ts.NewLanguage(tspy.Language())

// GrammarID names the grammar, the converter and the cache codec: the parse
// cache keeps one pack per GrammarID, so a build never decodes what another
// grammar or codec produced. Bump converterVersion whenever Parse's output
// for the same source changes.
func GrammarID() string {
	l := pythonLanguage
	return fmt.Sprintf("python-abi%d-k%d-s%d-f%d-c%d.%d", l.AbiVersion(), l.NodeKindCount(), l.ParseStateCount(), l.FieldCount(), converterVersion, codecVersion)
}

const converterVersion = 1

// Parse parses one Python file into a Module. A file with any ERROR or
// MISSING node yields E31 diagnostics (one per node) and a nil module: we
// never build from a partly parsed file.
func Parse(file *source.File, moduleName string) (*Module, diag.List) {
	parser := ts.NewParser()
	defer parser.Close()
	if err := parser.SetLanguage(pythonLanguage); err != nil {
		var d diag.List
		d.Add(diag.E31, source.Span{Path: file.Path}, "cannot load the Python grammar: %v", err)
		return nil, d
	}
	if at, b, ok := file.InvalidUTF8(); !ok {
		var d diag.List
		d.Add(diag.E31, at, "the file is not valid UTF-8 (byte 0x%02x), so Python refuses it; save it as UTF-8", b)
		return nil, d
	}
	tree := parser.Parse(file.Content, nil)
	defer tree.Close()
	root := tree.RootNode()
	c := &converter{file: file}
	if root.HasError() {
		c.syntaxErrors(root)
		return nil, c.diags
	}
	m := newModule(file, moduleName)
	for i := uint(0); i < root.NamedChildCount(); i++ {
		ch := root.NamedChild(i)
		if s := c.stmt(ch); s != nil {
			m.Stmts = append(m.Stmts, s...)
		}
		m.Stmts = c.withNested(ch, m.Stmts)
	}
	if c.diags.HasErrors() {
		return nil, c.diags // nothing is built from a file Python would refuse
	}
	return m, c.diags
}

func newModule(file *source.File, name string) *Module {
	return &Module{File: file, Name: name, IsPkg: strings.HasSuffix(file.Path, "/__init__.py") || file.Path == "__init__.py"}
}

type converter struct {
	file    *source.File
	diags   diag.List
	depth   int  // of expr calls, bounded by MaxExprDepth
	tooDeep bool // reported once per file
}

// MaxExprDepth bounds how deeply expressions may nest (a chain 1+1+…+1 is
// as deep as it is long). CPython itself fails to compile far shallower
// chains with a RecursionError; a bound keeps the converter, the cache
// codec and the evaluator from exhausting the stack.
const MaxExprDepth = 1000

func (c *converter) span(n *ts.Node) source.Span {
	p := n.StartPosition()
	// tree-sitter columns are 0-based byte offsets within the row.
	return source.At(c.file.Path, int(p.Row)+1, int(p.Column)+1)
}

func (c *converter) text(n *ts.Node) string { return n.Utf8Text(c.file.Content) }

// syntaxErrors reports every ERROR and MISSING node, innermost first; an
// ERROR node that contains another ERROR is reported only through its child.
func (c *converter) syntaxErrors(n *ts.Node) {
	if !n.HasError() {
		return
	}
	before := len(c.diags)
	for i := uint(0); i < n.ChildCount(); i++ {
		c.syntaxErrors(n.Child(i))
	}
	if len(c.diags) > before {
		return
	}
	switch {
	case n.IsMissing():
		c.diags.Add(diag.E31, c.span(n), "syntax error: missing %q", n.Kind())
	case n.IsError():
		txt := strings.TrimSpace(c.text(n))
		if i := strings.IndexByte(txt, '\n'); i >= 0 {
			txt = txt[:i]
		}
		if len(txt) > 40 {
			txt = txt[:40] + "…"
		}
		c.diags.Add(diag.E31, c.span(n), "syntax error: unexpected %q", txt)
	}
}

func (c *converter) stmt(n *ts.Node) []Stmt {
	switch n.Kind() {
	case "import_statement":
		var out []Stmt
		for i := uint(0); i < n.NamedChildCount(); i++ {
			ch := n.NamedChild(i)
			imp := &Import{Span: c.span(ch)}
			if ch.Kind() == "aliased_import" {
				imp.Module = c.text(ch.ChildByFieldName("name"))
				imp.Alias = c.text(ch.ChildByFieldName("alias"))
			} else {
				imp.Module = c.text(ch)
			}
			out = append(out, imp)
		}
		return out
	case "import_from_statement":
		imp := &Import{Span: c.span(n), From: true}
		mod := n.ChildByFieldName("module_name")
		if mod.Kind() == "relative_import" {
			for i := uint(0); i < mod.NamedChildCount(); i++ {
				ch := mod.NamedChild(i)
				if ch.Kind() == "import_prefix" {
					imp.Level = len(strings.TrimSpace(c.text(ch)))
				} else {
					imp.Module = c.text(ch)
				}
			}
		} else {
			imp.Module = c.text(mod)
		}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			ch := n.NamedChild(i)
			if n.FieldNameForNamedChild(uint32(i)) != "name" {
				continue
			}
			in := ImportName{Span: c.span(ch)}
			if ch.Kind() == "aliased_import" {
				in.Name = c.text(ch.ChildByFieldName("name"))
				in.Alias = c.text(ch.ChildByFieldName("alias"))
			} else {
				in.Name = c.text(ch)
			}
			imp.Names = append(imp.Names, in)
		}
		return []Stmt{imp}
	case "expression_statement":
		if n.NamedChildCount() != 1 {
			return nil
		}
		x := n.NamedChild(0)
		if x.Kind() == "assignment" {
			return c.assignment(x)
		}
		return []Stmt{&ExprStmt{Span: c.span(x), X: c.expr(x)}}
	case "decorated_definition":
		def := n.ChildByFieldName("definition")
		if def == nil || def.Kind() != "function_definition" {
			return nil
		}
		fd := &FuncDef{Name: c.text(def.ChildByFieldName("name")), Span: c.span(def.ChildByFieldName("name"))}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			ch := n.NamedChild(i)
			if ch.Kind() == "decorator" && ch.NamedChildCount() > 0 {
				fd.Decorators = append(fd.Decorators, c.expr(ch.NamedChild(0)))
			}
		}
		return []Stmt{fd}
	case "function_definition":
		return []Stmt{&FuncDef{Name: c.text(n.ChildByFieldName("name")), Span: c.span(n.ChildByFieldName("name"))}}
	}
	return nil
}

// compound statements whose insides deployless does not evaluate, with
// the words a diagnostic uses for them.
var compound = map[string]string{
	"if_statement": "an if statement", "for_statement": "a for loop", "while_statement": "a while loop",
	"with_statement": "a with block", "try_statement": "a try block", "match_statement": "a match statement",
}

// withNested adds, after a module-level statement, what stmt does not
// model of it: the calls and decorators inside a compound statement, a
// def's body (and a decorated def's) or a class's body; and a class's
// shape.
func (c *converter) withNested(n *ts.Node, out []Stmt) []Stmt {
	kind := n.Kind()
	def := n
	if kind == "decorated_definition" {
		if def = n.ChildByFieldName("definition"); def == nil {
			return out
		}
		kind = def.Kind()
	}
	switch {
	case compound[kind] != "":
		return c.nested(n, compound[kind], "", out)
	case kind == "function_definition":
		name := c.text(def.ChildByFieldName("name"))
		return c.nested(def.ChildByFieldName("body"), "the body of function "+name, name, out)
	case kind == "class_definition":
		cd := &ClassDef{Name: c.text(def.ChildByFieldName("name")), Span: c.span(def.ChildByFieldName("name"))}
		if sup := def.ChildByFieldName("superclasses"); sup != nil {
			for i := uint(0); i < sup.NamedChildCount(); i++ {
				if ch := sup.NamedChild(i); ch.Kind() != "keyword_argument" && ch.Kind() != "comment" {
					cd.Bases = append(cd.Bases, c.expr(ch))
				}
			}
		}
		body := def.ChildByFieldName("body")
		for i := uint(0); body != nil && i < body.NamedChildCount(); i++ {
			st := body.NamedChild(i)
			if st.Kind() == "decorated_definition" {
				st = st.ChildByFieldName("definition")
			}
			switch {
			case st == nil:
			case st.Kind() == "function_definition":
				cd.Methods = append(cd.Methods, c.text(st.ChildByFieldName("name")))
			case st.Kind() == "expression_statement" && st.NamedChildCount() == 1 && st.NamedChild(0).Kind() == "assignment":
				a := st.NamedChild(0)
				if l := a.ChildByFieldName("left"); l != nil && l.Kind() == "identifier" && c.text(l) == "methods" {
					if r := a.ChildByFieldName("right"); r != nil {
						cd.MethodsAttr = c.expr(r)
					}
				}
			}
		}
		out = append(out, cd)
		return c.nested(body, "the body of class "+cd.Name, "", out)
	}
	return out
}

// nested appends a Nested statement holding every call and decorator
// under n (none: nothing appended).
func (c *converter) nested(n *ts.Node, kind, fn string, out []Stmt) []Stmt {
	if n == nil {
		return out
	}
	ns := &Nested{Span: c.span(n), Kind: kind, Func: fn}
	// Iterative, in source order, and not into calls (c.expr converts a
	// call whole, its arguments included, within MaxExprDepth): a long
	// expression chain must not exhaust the stack here either.
	stack := []*ts.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch n.Kind() {
		case "call":
			ns.Exprs = append(ns.Exprs, c.expr(n))
			continue
		case "import_statement", "import_from_statement":
			for _, st := range c.stmt(n) {
				if imp, ok := st.(*Import); ok {
					ns.Imports = append(ns.Imports, imp)
				}
			}
			continue
		case "decorator":
			if n.NamedChildCount() > 0 && n.NamedChild(0).Kind() != "call" {
				ns.Exprs = append(ns.Exprs, c.expr(n.NamedChild(0)))
				continue
			}
		}
		for i := n.NamedChildCount(); i > 0; i-- {
			stack = append(stack, n.NamedChild(i-1))
		}
	}
	if len(ns.Exprs) == 0 && len(ns.Imports) == 0 {
		return out
	}
	return append(out, ns)
}

// assignment handles `a = v`, `a: T = v` and chains `a = b = v`.
func (c *converter) assignment(n *ts.Node) []Stmt {
	var targets []string
	for {
		left := n.ChildByFieldName("left")
		if left != nil && left.Kind() == "identifier" {
			targets = append(targets, c.text(left))
		}
		right := n.ChildByFieldName("right")
		if right == nil {
			return nil // annotation only
		}
		if right.Kind() == "assignment" {
			n = right
			continue
		}
		if len(targets) == 0 {
			return nil
		}
		return []Stmt{&Assign{Span: c.span(n), Targets: targets, Value: c.expr(right)}}
	}
}

func (c *converter) expr(n *ts.Node) Expr {
	sp := c.span(n)
	if c.depth++; c.depth > MaxExprDepth {
		c.depth--
		if !c.tooDeep {
			c.tooDeep = true
			c.diags.Add(diag.E31, sp, "expression nested more than %d levels deep: Python cannot compile it reliably; split it into several statements", MaxExprDepth)
		}
		return &Other{Span: sp, Kind: "expression", Text: "…"}
	}
	defer func() { c.depth-- }()
	switch n.Kind() {
	case "identifier":
		return &Name{Span: sp, Id: c.text(n)}
	case "attribute":
		return &Attribute{Span: sp, X: c.expr(n.ChildByFieldName("object")), Attr: c.text(n.ChildByFieldName("attribute"))}
	case "call":
		call := &Call{Span: sp, Func: c.expr(n.ChildByFieldName("function"))}
		args := n.ChildByFieldName("arguments")
		if args == nil || args.Kind() != "argument_list" {
			// a generator argument: f(x for x in y)
			call.Splat = true
			return call
		}
		for i := uint(0); i < args.NamedChildCount(); i++ {
			a := args.NamedChild(i)
			switch a.Kind() {
			case "keyword_argument":
				name := a.ChildByFieldName("name")
				call.Kwargs = append(call.Kwargs, Keyword{Span: c.span(name), Name: c.text(name), Value: c.expr(a.ChildByFieldName("value"))})
			case "list_splat", "dictionary_splat":
				call.Splat = true
			case "comment":
			default:
				call.Args = append(call.Args, c.expr(a))
			}
		}
		return call
	case "string", "concatenated_string":
		return c.str(n)
	case "integer":
		txt := strings.ReplaceAll(strings.ToLower(c.text(n)), "_", "")
		v, err := strconv.ParseInt(txt, 0, 64)
		if err != nil {
			return &Other{Span: sp, Kind: "integer", Text: c.text(n)}
		}
		return &Int{Span: sp, Value: v, Text: c.text(n)}
	case "float":
		v, err := strconv.ParseFloat(strings.ReplaceAll(c.text(n), "_", ""), 64)
		if err != nil {
			return &Other{Span: sp, Kind: "float", Text: c.text(n)}
		}
		return &Float{Span: sp, Value: v}
	case "true", "false", "none":
		return &Const{Span: sp, Value: c.text(n)}
	case "list", "tuple":
		l := &List{Span: sp, Tuple: n.Kind() == "tuple"}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			ch := n.NamedChild(i)
			if ch.Kind() == "comment" {
				continue
			}
			l.Elems = append(l.Elems, c.expr(ch))
		}
		return l
	case "dictionary":
		d := &Dict{Span: sp}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			ch := n.NamedChild(i)
			switch ch.Kind() {
			case "pair":
				d.Keys = append(d.Keys, c.expr(ch.ChildByFieldName("key")))
				d.Vals = append(d.Vals, c.expr(ch.ChildByFieldName("value")))
			case "dictionary_splat":
				d.Keys = append(d.Keys, nil)
				d.Vals = append(d.Vals, &Other{Span: c.span(ch), Kind: "dictionary_splat", Text: c.text(ch)})
			}
		}
		return d
	case "parenthesized_expression":
		if n.NamedChildCount() == 1 {
			return c.expr(n.NamedChild(0))
		}
	case "unary_operator":
		return &Unary{Span: sp, Op: c.text(n.ChildByFieldName("operator")), X: c.expr(n.ChildByFieldName("argument"))}
	case "binary_operator":
		return &Binary{Span: sp, Op: c.text(n.ChildByFieldName("operator")), X: c.expr(n.ChildByFieldName("left")), Y: c.expr(n.ChildByFieldName("right"))}
	case "subscript":
		sub := n.ChildByFieldName("subscript")
		if sub == nil {
			break
		}
		return &Subscript{Span: sp, X: c.expr(n.ChildByFieldName("value")), Index: c.expr(sub)}
	}
	return &Other{Span: sp, Kind: n.Kind(), Text: c.text(n)}
}

// str converts a string or an implicit concatenation of strings.
func (c *converter) str(n *ts.Node) Expr {
	s := &Str{Span: c.span(n)}
	var lit strings.Builder // consecutive literals, joined once: linear in the pieces
	flush := func() {
		if lit.Len() > 0 {
			s.Parts = append(s.Parts, StrPart{Lit: lit.String()})
			lit.Reset()
		}
	}
	var pieces []*ts.Node
	if n.Kind() == "concatenated_string" {
		for i := uint(0); i < n.NamedChildCount(); i++ {
			pieces = append(pieces, n.NamedChild(i))
		}
	} else {
		pieces = []*ts.Node{n}
	}
	for _, p := range pieces {
		if p.Kind() != "string" {
			continue
		}
		var prefix string
		var litStart uint
		raw, fstr := false, false
		for i := uint(0); i < p.ChildCount(); i++ {
			ch := p.Child(i)
			switch ch.Kind() {
			case "string_start":
				prefix = strings.ToLower(strings.TrimRight(c.text(ch), "'\""))
				raw = strings.Contains(prefix, "r")
				fstr = strings.Contains(prefix, "f")
				if strings.Contains(prefix, "b") {
					s.Bytes = true
				}
				litStart = ch.EndByte()
			case "interpolation":
				lit.WriteString(literal(c.file.Content[litStart:ch.StartByte()], raw, fstr))
				flush()
				part := StrPart{Spec: ch.ChildByFieldName("type_conversion") != nil || ch.ChildByFieldName("format_specifier") != nil}
				if e := ch.ChildByFieldName("expression"); e != nil {
					part.Expr = c.expr(e)
				} else {
					part.Expr = &Other{Span: c.span(ch), Kind: "interpolation", Text: c.text(ch)}
				}
				s.Parts = append(s.Parts, part)
				litStart = ch.EndByte()
			case "string_end":
				lit.WriteString(literal(c.file.Content[litStart:ch.StartByte()], raw, fstr))
			}
		}
	}
	flush()
	return s
}

// literal decodes the text of a string literal between its quotes or
// interpolations.
func literal(b []byte, raw, fstr bool) string {
	txt := string(b)
	if !raw {
		txt = unescape(txt)
	}
	if fstr {
		txt = fstrBraces.Replace(txt)
	}
	return txt
}

var fstrBraces = strings.NewReplacer("{{", "{", "}}", "}")

// unescape decodes Python's backslash escapes. Hand-written because Go's
// strconv.Unquote follows Go's rules (no \N{}, different octal handling,
// rejects unknown escapes that Python keeps verbatim).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch ch := s[i]; ch {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(ch)
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case 'x', 'u', 'U':
			width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[ch]
			if i+width < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+1+width], 16, 32); err == nil {
					b.WriteRune(rune(v))
					i += width
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(ch)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 32)
			b.WriteRune(rune(v))
			i = j - 1
		default:
			b.WriteByte('\\')
			b.WriteByte(ch)
		}
	}
	return b.String()
}
