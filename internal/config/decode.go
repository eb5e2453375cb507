package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// decoder turns AST nodes into Go values, recording spans and collecting
// every problem as an E30 instead of returning at the first one. Each helper
// returns ok=false after reporting, and the caller keeps the default.
type decoder struct {
	file    *source.File
	diags   diag.List
	spans   map[string]spanPair
	anchors map[string]ast.Node
}

// field is one known key of a fixed-shape mapping; set receives the value's
// dotted path and node (never a null: null means "use the default").
type field struct {
	key string
	set func(path string, n ast.Node)
}

// span converts a goccy token position into a source span. goccy counts
// columns in runes; source.Span counts bytes (like every other stage), so the
// column is re-measured on the line's text.
func (d *decoder) span(tk *token.Token) source.Span {
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 {
		return source.Span{Path: d.file.Path}
	}
	line, col := tk.Position.Line, tk.Position.Column
	text := d.file.Line(line)
	if line == 1 {
		text = strings.TrimPrefix(text, bom) // columns start after it, as in editors
	}
	byteCol := 0
	for r := 1; r < col; r++ {
		if byteCol >= len(text) {
			byteCol++ // past the text (should not happen): keep goccy's count
			continue
		}
		_, size := utf8.DecodeRuneInString(text[byteCol:])
		byteCol += size
	}
	return source.At(d.file.Path, line, byteCol+1)
}

const bom = "\ufeff"

// nodeSpan is where a value starts as the user sees it. A block mapping's own
// token is the first ':' — pointing at its first key reads better.
func (d *decoder) nodeSpan(n ast.Node) source.Span {
	if m, ok := n.(*ast.MappingNode); ok && !m.IsFlowStyle && len(m.Values) > 0 {
		return d.span(m.Values[0].Key.GetToken())
	}
	return d.span(n.GetToken())
}

func (d *decoder) errorf(n ast.Node, format string, args ...any) {
	d.diags.Add(diag.E30, d.nodeSpan(n), format, args...)
}

// collectAnchors records every &anchor so that *aliases resolve wherever they
// appear, including inside keys the decoder otherwise skips.
func (d *decoder) collectAnchors(root ast.Node) {
	d.anchors = map[string]ast.Node{}
	ast.Walk(visitFunc(func(n ast.Node) {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil {
			d.anchors[a.Name.GetToken().Value] = a.Value
		}
	}), root)
}

type visitFunc func(ast.Node)

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	f(n)
	return f
}

// maxExpanded bounds the size of the document once its aliases are
// expanded: aliases multiply (a 110 KB file can stand for a 100 MB
// template), and hand-written configs are far smaller.
const maxExpanded = 1 << 20

// expandedTooLarge reports (with one E30 at the first alias) whether the
// document, aliases expanded, would exceed maxExpanded bytes of values.
func (d *decoder) expandedTooLarge(root ast.Node) bool {
	memo := map[ast.Node]int{}
	var first ast.Node
	var size func(n ast.Node, depth int) int
	size = func(n ast.Node, depth int) int {
		if n == nil || depth > 64 {
			return 0 // resolve bounds cycles the same way
		}
		if s, ok := memo[n]; ok {
			return s
		}
		total := 0
		add := func(k int) { total = min(total+k, maxExpanded+1) }
		switch v := n.(type) {
		case *ast.AliasNode:
			if first == nil {
				first = v
			}
			add(size(d.anchors[v.Value.GetToken().Value], depth+1))
		case *ast.AnchorNode:
			add(size(v.Value, depth+1))
		case *ast.TagNode:
			add(size(v.Value, depth+1))
		case *ast.MappingNode:
			for _, mv := range v.Values {
				add(size(mv, depth+1))
			}
		case *ast.MappingValueNode:
			add(size(v.Key, depth+1))
			add(size(v.Value, depth+1))
		case *ast.SequenceNode:
			for _, it := range v.Values {
				add(size(it, depth+1))
			}
		default:
			if tk := n.GetToken(); tk != nil {
				add(len(tk.Value) + 1)
			}
		}
		memo[n] = total
		return total
	}
	if size(root, 0) <= maxExpanded || first == nil {
		return false
	}
	d.errorf(first, "with its YAML aliases expanded, deployless.yaml would hold more than %d bytes of values: do not use aliases to multiply its content", maxExpanded)
	return true
}

// resolve strips anchors, aliases and tags so that callers only see data
// nodes. "!!str 12" becomes the string "12", as YAML says it should.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range 32 { // bounded: an alias cycle must not hang the compiler
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			target, ok := d.anchors[v.Value.GetToken().Value]
			if !ok {
				return &ast.NullNode{BaseNode: &ast.BaseNode{}, Token: v.Start}
			}
			n = target
		case *ast.TagNode:
			if v.Start != nil && v.Start.Value == "!!str" {
				if tk := v.Value.GetToken(); tk != nil && isScalar(v.Value) {
					return &ast.StringNode{BaseNode: &ast.BaseNode{}, Token: tk, Value: tk.Value}
				}
			}
			n = v.Value
		default:
			return n
		}
	}
	return n
}

func isScalar(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.SequenceNode:
		return false
	}
	return true
}

func (d *decoder) isNull(n ast.Node) bool {
	_, ok := d.resolve(n).(*ast.NullNode)
	return ok
}

// describe names a node's kind and value for "got …" in messages.
func (d *decoder) describe(n ast.Node) string {
	switch v := d.resolve(n).(type) {
	case *ast.StringNode:
		return fmt.Sprintf("string %q", v.Value)
	case *ast.LiteralNode:
		return fmt.Sprintf("string %q", v.Value.Value)
	case *ast.IntegerNode:
		return "integer " + v.Token.Value
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "float " + v.GetToken().Value
	case *ast.BoolNode:
		return "boolean " + v.Token.Value
	case *ast.NullNode:
		return "null"
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	return "a " + n.Type().String()
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// where names a path in messages ("globals", or the top level).
func where(path string) string {
	if path == "" {
		return "at the top level"
	}
	return "in " + path
}

// entries walks a mapping's key/value pairs, reporting non-string and
// duplicate keys and recording the spans of every key it passes on.
func (d *decoder) entries(path string, n ast.Node, what string, each func(key string, k, v ast.Node)) {
	m, ok := d.resolve(n).(*ast.MappingNode)
	if !ok {
		if path == "" {
			d.errorf(n, "deployless.yaml must be a mapping of settings, got %s", d.describe(n))
		} else {
			d.errorf(n, "%s must be %s, got %s", path, what, d.describe(n))
		}
		return
	}
	seen := map[string]source.Span{}
	for _, mv := range m.Values {
		var kn ast.Node = mv.Key
		if mk, ok := kn.(*ast.MappingKeyNode); ok {
			kn = mk.Value
		}
		if _, ok := kn.(*ast.MergeKeyNode); ok {
			d.errorf(kn, "merge keys (<<) are not supported %s", where(path))
			continue
		}
		rk := d.resolve(kn)
		if !isScalar(rk) || rk.GetToken() == nil {
			d.errorf(kn, "keys %s must be strings, got %s", where(path), d.describe(kn))
			continue
		}
		key := rk.GetToken().Value
		if s, ok := rk.(*ast.StringNode); ok {
			key = s.Value
		}
		ks := d.nodeSpan(kn)
		if first, dup := seen[key]; dup {
			d.diags.Add(diag.E30, ks, "duplicate key %q %s", key, where(path)).Note(first, "first defined here")
			continue
		}
		seen[key] = ks
		d.spans[join(path, key)] = spanPair{key: ks, value: d.nodeSpan(mv.Value)}
		each(key, kn, mv.Value)
	}
}

// object decodes a mapping with a fixed set of keys.
func (d *decoder) object(path string, n ast.Node, fields []field) {
	d.entries(path, n, "a mapping", func(key string, k, v ast.Node) {
		for _, f := range fields {
			if f.key == key {
				if !d.isNull(v) {
					f.set(join(path, key), v)
				}
				return
			}
		}
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.key
		}
		d.errorf(k, "unknown key %q %s (expected one of %s)", key, where(path), strings.Join(names, ", "))
	})
}

func (d *decoder) str(path string, n ast.Node) (string, bool) {
	switch v := d.resolve(n).(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode:
		// "hosted_zone_id: 123" or "stage: 2024" mean the text as written.
		return v.GetToken().Value, true
	}
	d.errorf(n, "%s must be a string, got %s", path, d.describe(n))
	return "", false
}

func (d *decoder) integer(path string, n ast.Node) (int, bool) {
	if v, ok := d.resolve(n).(*ast.IntegerNode); ok {
		switch x := v.Value.(type) {
		case int64:
			if x >= math.MinInt && x <= math.MaxInt {
				return int(x), true
			}
		case uint64:
			if x <= math.MaxInt {
				return int(x), true
			}
		}
	}
	d.errorf(n, "%s must be an integer, got %s", path, d.describe(n))
	return 0, false
}

func (d *decoder) number(path string, n ast.Node) (float64, bool) {
	switch v := d.resolve(n).(type) {
	case *ast.FloatNode:
		return v.Value, true
	case *ast.IntegerNode:
		if i, ok := d.integer(path, n); ok {
			return float64(i), true
		}
		return 0, false
	}
	d.errorf(n, "%s must be a number, got %s", path, d.describe(n))
	return 0, false
}

func (d *decoder) boolean(path string, n ast.Node) (bool, bool) {
	if v, ok := d.resolve(n).(*ast.BoolNode); ok {
		return v.Value, true
	}
	d.errorf(n, "%s must be true or false, got %s", path, d.describe(n))
	return false, false
}

// strList decodes a list of strings, recording each item's span as path.N.
func (d *decoder) strList(path string, n ast.Node) ([]string, bool) {
	seq, ok := d.resolve(n).(*ast.SequenceNode)
	if !ok {
		d.errorf(n, "%s must be a list of strings, got %s", path, d.describe(n))
		return nil, false
	}
	out := []string{}
	all := true
	for i, item := range seq.Values {
		p := join(path, strconv.Itoa(i))
		d.spans[p] = spanPair{key: d.nodeSpan(item), value: d.nodeSpan(item)}
		if s, ok := d.str(p, item); ok {
			out = append(out, s)
		} else {
			all = false
		}
	}
	return out, all
}

// stringOrList accepts "x" or [x, y]; isList tells which was written.
func (d *decoder) stringOrList(path string, n ast.Node) (vals []string, isList, ok bool) {
	if _, seq := d.resolve(n).(*ast.SequenceNode); seq {
		vals, ok = d.strList(path, n)
		return vals, true, ok
	}
	switch d.resolve(n).(type) {
	case *ast.StringNode, *ast.LiteralNode:
		s, _ := d.str(path, n)
		return []string{s}, false, true
	}
	d.errorf(n, "%s must be a string or a list of strings, got %s", path, d.describe(n))
	return nil, false, false
}

// scalarMap decodes a mapping of names to scalars (tags, env), keeping file
// order and turning every value into the string the template will carry
// (SPEC §4: 3 → "3", true → "true").
func (d *decoder) scalarMap(path string, n ast.Node) []KV {
	var out []KV
	d.entries(path, n, "a mapping of names to values", func(key string, _, v ast.Node) {
		p := join(path, key)
		var s string
		switch x := d.resolve(v).(type) {
		case *ast.StringNode:
			s = x.Value
		case *ast.LiteralNode:
			s = x.Value.Value
		case *ast.IntegerNode:
			s = fmt.Sprint(x.Value) // decimal, whatever base was written
		case *ast.FloatNode:
			s = x.Token.Value
		case *ast.BoolNode:
			s = strconv.FormatBool(x.Value)
		default:
			d.errorf(v, "%s must be a string, number or boolean, got %s", p, d.describe(v))
			return
		}
		out = append(out, KV{Key: key, Value: s})
	})
	return out
}

// itemNode is item i of the sequence n (n itself when it is not one), for
// a diagnostic at the item.
func (d *decoder) itemNode(n ast.Node, i int) ast.Node {
	if seq, ok := d.resolve(n).(*ast.SequenceNode); ok && i < len(seq.Values) {
		return seq.Values[i]
	}
	return n
}
