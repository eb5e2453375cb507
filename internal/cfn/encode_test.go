package cfn

import (
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

func TestEncodeQuotesAmbiguousStrings(t *testing.T) {
	in := []string{"yes", "No", "on", "1e3", ".inf", "-.5", "3600", "0x1F", "2024-01-01", "12:30", "null", "~", "'*'", "plain", "rate(1 day)", "{{resolve:ssm:/a/B}}", "a: b", ""}
	m := NewMap().Set("List", func() []any {
		var out []any
		for _, s := range in {
			out = append(out, s)
		}
		return out
	}()).Set("Int", 3).Set("Ref", Ref("Api"))
	b, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		List []any             `yaml:"List"`
		Int  int               `yaml:"Int"`
		Ref  map[string]string `yaml:"Ref"`
	}
	// Read back with YAML 1.1-minded eyes: every item must still be a string.
	if err := yaml.Unmarshal(b, &back); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	for i, s := range in {
		if got, ok := back.List[i].(string); !ok || got != s {
			t.Errorf("item %d: %q came back as %#v\n%s", i, s, back.List[i], b)
		}
	}
	for _, s := range []string{"yes", "1e3", ".inf", "12:30"} {
		if !strings.Contains(string(b), `"`+s+`"`) {
			t.Errorf("%q is not double-quoted:\n%s", s, b)
		}
	}
	if !strings.Contains(string(b), "Ref:\n  Ref: Api\n") {
		t.Errorf("intrinsic not in long form:\n%s", b)
	}
}
