package cfn

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// Encode renders a template as block-style YAML with the maps' own key order
// (see emit.go). Ambiguous scalars (YAML 1.1 booleans, floats such as 1e3 or
// .inf, sexagesimals, dates) are double-quoted so every string reads back as
// a string under any YAML version.
func Encode(v any) ([]byte, error) {
	m, ok := v.(*Map)
	if !ok {
		return nil, fmt.Errorf("cfn: a template must be a map, got %T", v)
	}
	var b strings.Builder
	if err := emitMapBody(&b, m, 0); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// encodeGoccy is the previous, goccy-based encoder, kept for the test that
// proves the hand-written emitter gives the same bytes.
func encodeGoccy(v any) ([]byte, error) {
	conv, err := toYAML(v)
	if err != nil {
		return nil, err
	}
	return yaml.MarshalWithOptions(conv, yaml.Indent(2), yaml.IndentSequence(true))
}

// quoted is a string that must be emitted in double quotes.
type quoted string

func (q quoted) MarshalYAML() ([]byte, error) { return []byte(strconv.Quote(string(q))), nil }

// ambiguous matches plain scalars that some YAML reader would not take as a
// string: YAML 1.1 bools, nulls, numbers (incl. exponents, underscores,
// base prefixes, sexagesimals, .inf/.nan) and timestamps.
var ambiguous = regexp.MustCompile(`^(?i:y|n|yes|no|on|off|true|false|null|~|[-+]?\.(inf|nan)|[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+([eE][-+]?[0-9]+)?|0[xob][0-9a-f_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|\d{4}-\d\d?-\d\d?([Tt ].*)?)$`)

func toYAML(v any) (any, error) {
	switch v := v.(type) {
	case nil, bool, int, int64, float64:
		return v, nil
	case string:
		if ambiguous.MatchString(v) {
			return quoted(v), nil
		}
		return v, nil
	case []any:
		out := make([]any, len(v))
		for i, it := range v {
			c, err := toYAML(it)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case []string:
		out := make([]any, len(v))
		for i, it := range v {
			out[i], _ = toYAML(it)
		}
		return out, nil
	case *Map:
		out := make(yaml.MapSlice, 0, len(v.keys))
		for _, k := range v.keys {
			c, err := toYAML(v.vals[k])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out = append(out, yaml.MapItem{Key: k, Value: c})
		}
		return out, nil
	}
	return nil, fmt.Errorf("cfn: cannot encode %T", v)
}
