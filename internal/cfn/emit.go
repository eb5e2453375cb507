package cfn

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Templates are emitted by this small block-style writer rather than by
// goccy/go-yaml's encoder: our values are only ordered maps, lists and
// scalars, and goccy spent half of a whole compilation deciding whether each
// string needs quotes (it tries every time.Parse layout per string; see
// BenchmarkCompile and the commit that introduced this file). The output is
// the same bytes goccy produced for every golden template, and a test reads
// random trees back with goccy's decoder.

// emit writes v (already checked by toYAML's type rules) at the given indent.
func emit(b *strings.Builder, v any, indent int) error {
	switch v := v.(type) {
	case *Map:
		if len(v.keys) == 0 {
			b.WriteString(" {}\n")
			return nil
		}
		b.WriteByte('\n')
		return emitMapBody(b, v, indent)
	case []any:
		if len(v) == 0 {
			b.WriteString(" []\n")
			return nil
		}
		b.WriteByte('\n')
		return emitListBody(b, v, indent)
	case []string:
		items := make([]any, len(v))
		for i, s := range v {
			items[i] = s
		}
		return emit(b, items, indent)
	}
	s, err := scalar(v)
	if err != nil {
		return err
	}
	b.WriteByte(' ')
	b.WriteString(s)
	b.WriteByte('\n')
	return nil
}

func emitMapBody(b *strings.Builder, m *Map, indent int) error {
	pad := strings.Repeat(" ", indent)
	for _, k := range m.keys {
		b.WriteString(pad)
		b.WriteString(quoteIfNeeded(k))
		b.WriteByte(':')
		if err := emit(b, m.vals[k], indent+2); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

func emitListBody(b *strings.Builder, items []any, indent int) error {
	pad := strings.Repeat(" ", indent)
	for _, it := range items {
		b.WriteString(pad)
		b.WriteByte('-')
		switch it := it.(type) {
		case *Map:
			if len(it.keys) == 0 {
				b.WriteString(" {}\n")
				continue
			}
			// The first key sits on the dash's line, the rest align with it.
			var inner strings.Builder
			if err := emitMapBody(&inner, it, indent+2); err != nil {
				return err
			}
			b.WriteByte(' ')
			b.WriteString(strings.TrimPrefix(inner.String(), strings.Repeat(" ", indent+2)))
		case []any:
			if len(it) == 0 {
				b.WriteString(" []\n")
				continue
			}
			var inner strings.Builder
			if err := emitListBody(&inner, it, indent+2); err != nil {
				return err
			}
			b.WriteByte(' ')
			b.WriteString(strings.TrimPrefix(inner.String(), strings.Repeat(" ", indent+2)))
		default:
			if err := emit(b, it, indent+2); err != nil {
				return err
			}
		}
	}
	return nil
}

func scalar(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "null", nil
	case bool:
		return strconv.FormatBool(v), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		switch {
		case math.IsInf(v, 1):
			return ".inf", nil
		case math.IsInf(v, -1):
			return "-.inf", nil
		case math.IsNaN(v):
			return ".nan", nil
		}
		f := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(f, ".eE") {
			f += ".0" // stays a float when read back
		}
		return f, nil
	case string:
		return quoteIfNeeded(v), nil
	case quoted:
		return strconv.Quote(string(v)), nil
	}
	return "", fmt.Errorf("cfn: cannot encode %T", v)
}

// quoteIfNeeded double-quotes a string that a YAML reader would not read
// back as that same plain string.
func quoteIfNeeded(s string) string {
	if needsQuotes(s) {
		return strconv.Quote(s)
	}
	return s
}

func needsQuotes(s string) bool {
	if s == "" || ambiguous.MatchString(s) || !utf8.ValidString(s) {
		return true
	}
	if strings.TrimSpace(s) != s {
		return true
	}
	switch s[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return true
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return true
	}
	for _, r := range s {
		if r == '\t' || !unicode.IsPrint(r) && r != ' ' {
			return true
		}
	}
	return false
}
