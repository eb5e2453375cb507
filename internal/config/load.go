package config

import (
	"bytes"
	"errors"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// Load parses deployless.yaml. It always returns a Config (defaults where
// the file is silent or wrong) so that callers can keep checking the rest of
// the project; the list holds every shape problem as E30.
func Load(file *source.File) (*Config, diag.List) {
	c := defaults(file)
	d := &decoder{file: file, spans: c.spans}

	// Duplicate keys are reported by the decoder, all of them, rather than by
	// the parser, which would stop at the first.
	// A UTF-8 byte order mark (Windows editors) would otherwise become part
	// of the first key.
	content := bytes.TrimPrefix(file.Content, []byte(bom))
	if at, b, ok := file.InvalidUTF8(); !ok {
		d.diags.Add(diag.E30, at, "deployless.yaml is not valid UTF-8 (byte 0x%02x); save it as UTF-8", b)
		return c, d.diags
	}
	f, err := parser.ParseBytes(content, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		var ye yaml.Error
		span, msg := source.Span{Path: file.Path}, err.Error()
		if errors.As(err, &ye) {
			span, msg = d.span(ye.GetToken()), ye.GetMessage()
		}
		// goccy quotes a stray tab verbatim; make it visible on one line.
		msg = strings.ReplaceAll(msg, "\t", `\t`)
		d.diags.Add(diag.E30, span, "YAML syntax error: %s", msg)
		return c, d.diags
	}
	var docs []*ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			docs = append(docs, doc)
		}
	}
	if len(docs) == 0 {
		return c, nil // empty file or only comments: all defaults
	}
	if len(docs) > 1 {
		d.errorf(docs[1].Body, "deployless.yaml must hold a single YAML document")
	}
	d.collectAnchors(docs[0].Body)
	if d.expandedTooLarge(docs[0].Body) {
		return c, d.diags
	}
	d.object("", docs[0].Body, c.topFields(d))
	return c, d.diags
}

func (c *Config) topFields(d *decoder) []field {
	return []field{
		{"name", func(p string, n ast.Node) { setStr(d, p, n, &c.Name) }},
		{"provider", func(p string, n ast.Node) {
			if s, ok := d.str(p, n); ok {
				if s != "aws" {
					d.errorf(n, "provider must be \"aws\" (the only one supported), got %q", s)
					return
				}
				c.Provider = s
			}
		}},
		{"stage", func(p string, n ast.Node) { setStr(d, p, n, &c.Stage) }},
		{"tags", func(p string, n ast.Node) { c.Tags = d.scalarMap(p, n) }},
		{"paths", func(p string, n ast.Node) {
			d.object(p, n, []field{
				{"features", func(p string, n ast.Node) { setStr(d, p, n, &c.Paths.Features) }},
				{"shared", func(p string, n ast.Node) { setStr(d, p, n, &c.Paths.Shared) }},
			})
		}},
		{"globals", func(p string, n ast.Node) {
			g := &c.Globals
			d.object(p, n, []field{
				{"runtime", func(p string, n ast.Node) { setStr(d, p, n, &g.Runtime) }},
				{"memory", func(p string, n ast.Node) { setInt(d, p, n, &g.Memory) }},
				{"timeout", func(p string, n ast.Node) { setInt(d, p, n, &g.Timeout) }},
				{"log_retention", func(p string, n ast.Node) { setInt(d, p, n, &g.LogRetention) }},
			})
		}},
		{"api", func(p string, n ast.Node) { d.object(p, n, c.API.fields(d)) }},
		{"env", func(p string, n ast.Node) { c.Env = d.scalarMap(p, n) }},
		{"env_file", func(p string, n ast.Node) { setStr(d, p, n, &c.EnvFile) }},
		{"secrets_kms", func(p string, n ast.Node) { setStr(d, p, n, &c.SecretsKMS) }},
		{"alarms", func(p string, n ast.Node) { c.Alarms = d.alarms(p, n) }},
		{"app_factory", func(p string, n ast.Node) {
			if s, ok := d.str(p, n); ok {
				mod, fn, found := strings.Cut(s, ":")
				if !found || !dottedName(mod) || !identifier(fn) {
					d.errorf(n, "app_factory must be \"module:function\" (for example \"app:create_app\"), got %q", s)
					return
				}
				c.AppFactory = s
			}
		}},
		{"init_app", func(p string, n ast.Node) {
			list, _ := d.strList(p, n)
			for i, s := range list {
				// The original's rule: a dotted module.function, each
				// called with the Flask app at cold start.
				mod, fn, found := cutLast(s, ".")
				if !found || !dottedName(mod) || !identifier(fn) {
					d.errorf(d.itemNode(n, i), "init_app[%d] must be a dotted \"module.function\" (for example \"app.shared.errors.register_error_handlers\"), got %q", i, s)
					continue
				}
				c.InitApp = append(c.InitApp, Located{s, d.nodeSpan(d.itemNode(n, i))})
			}
		}},
	}
}

// cutLast splits s around its last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// identifier reports whether s is a Python identifier (ASCII letters,
// digits and _, not starting with a digit).
func identifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}

// dottedName reports whether s is a dotted module name (a.b.c).
func dottedName(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !identifier(part) {
			return false
		}
	}
	return true
}

// alarms accepts true/false (defaults on/off, as pc.configure(alarms=True)
// does) or a mapping whose missing parts take the defaults.
func (d *decoder) alarms(path string, n ast.Node) *Alarms {
	if _, ok := d.resolve(n).(*ast.BoolNode); ok {
		if on, _ := d.boolean(path, n); on {
			a := DefaultAlarms()
			return &a
		}
		return nil
	}
	if _, ok := d.resolve(n).(*ast.MappingNode); !ok {
		d.errorf(n, "%s must be true, false or a mapping, got %s", path, d.describe(n))
		return nil
	}
	a := DefaultAlarms()
	threshold := func(t *AlarmThreshold) func(string, ast.Node) {
		return func(p string, n ast.Node) {
			d.object(p, n, []field{
				{"threshold", func(p string, n ast.Node) { setInt(d, p, n, &t.Threshold) }},
				{"period", func(p string, n ast.Node) { setInt(d, p, n, &t.Period) }},
			})
		}
	}
	d.object(path, n, []field{
		{"errors", threshold(&a.Errors)},
		{"throttles", threshold(&a.Throttles)},
		{"duration", func(p string, n ast.Node) {
			d.object(p, n, []field{
				{"threshold_pct", func(p string, n ast.Node) { setInt(d, p, n, &a.Duration.ThresholdPct) }},
				{"period", func(p string, n ast.Node) { setInt(d, p, n, &a.Duration.Period) }},
			})
		}},
		{"sns_topic_arn", func(p string, n ast.Node) { setStr(d, p, n, &a.SNSTopicARN) }},
	})
	return &a
}

// The set* helpers leave the default in place when the value is wrong.

func setStr(d *decoder, path string, n ast.Node, dst *string) {
	if s, ok := d.str(path, n); ok {
		*dst = s
	}
}

func setInt(d *decoder, path string, n ast.Node, dst *int) {
	if i, ok := d.integer(path, n); ok {
		*dst = i
	}
}

func setIntPtr(d *decoder, path string, n ast.Node, dst **int) {
	if i, ok := d.integer(path, n); ok {
		*dst = &i
	}
}

func setList(d *decoder, path string, n ast.Node, dst *[]string) {
	if l, ok := d.strList(path, n); ok {
		*dst = l
	}
}
