// Package envfile reads a .env file with the usual rules: comments and blank
// lines skipped, an optional "export " prefix, KEY=VALUE with "=" allowed in
// the value, single quotes literal, double quotes with \n \t \" \\ escapes,
// inline " #" comments after unquoted values, and nothing executed (no
// $VAR or $(…) expansion). Every entry keeps its line for diagnostics.
package envfile

import (
	"regexp"
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/source"
)

// SecretPrefix marks variables that go to SSM Parameter Store, never into
// the template (SPEC.md §7).
const SecretPrefix = "SECRET_"

// Entry is one KEY=VALUE line.
type Entry struct {
	Key, Value string
	Span       source.Span // of the key
}

// Secret reports whether the entry is a SECRET_* variable.
func (e Entry) Secret() bool { return strings.HasPrefix(e.Key, SecretPrefix) }

var keyRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Parse reads the file. A line that is not KEY=VALUE is E36; an empty
// SECRET_* value is E28. A key given twice keeps its last value, as shells do.
func Parse(f *source.File) ([]Entry, diag.List) {
	var d diag.List
	var out []Entry
	if at, _, ok := f.InvalidUTF8(); !ok {
		// Neither the line nor the byte is printed: it may be a secret.
		d.Add(diag.E36, source.At(f.Path, at.Line, 1), "the env file is not valid UTF-8 on this line; save it as UTF-8")
		return nil, d
	}
	index := map[string]int{}
	lines := strings.Split(strings.ReplaceAll(string(f.Content), "\r\n", "\n"), "\n")
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		if rest, ok := strings.CutPrefix(line, "export "); ok {
			indent += len(line) - len(strings.TrimLeft(rest, " \t"))
			line = strings.TrimLeft(rest, " \t")
		}
		at := source.At(f.Path, i+1, indent+1)
		key, value, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || !keyRe.MatchString(key) {
			// Never echo the line: it may hold a secret.
			d.Add(diag.E36, at, "expected KEY=VALUE (a key of letters, digits and _)")
			continue
		}
		val, msg := unquote(strings.TrimSpace(value))
		if msg != "" {
			d.Add(diag.E36, at, "%s: %s", key, msg)
			continue
		}
		e := Entry{Key: key, Value: val, Span: at}
		if e.Secret() && val == "" {
			d.Add(diag.E28, at, "%s is empty: a secret needs a value", key)
		}
		if j, seen := index[key]; seen {
			out[j] = e
			continue
		}
		index[key] = len(out)
		out = append(out, e)
	}
	return out, d
}

func unquote(v string) (string, string) {
	if v == "" {
		return "", ""
	}
	switch q := v[0]; q {
	case '\'', '"':
		end := strings.LastIndexByte(v, q)
		if end == 0 {
			return "", "unterminated quote"
		}
		rest := strings.TrimSpace(v[end+1:])
		if rest != "" && !strings.HasPrefix(rest, "#") {
			return "", "text after the closing quote"
		}
		inner := v[1:end]
		if q == '\'' {
			return inner, ""
		}
		return strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\"`, `"`, `\\`, `\`).Replace(inner), ""
	}
	if strings.HasPrefix(v, "#") { // KEY= # comment: empty
		return "", ""
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v, ""
}
