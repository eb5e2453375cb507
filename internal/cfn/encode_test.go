package cfn

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strconv"
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

// TestEmitterRoundTrips encodes random trees of awkward strings with the
// hand-written emitter and reads them back with goccy's decoder: the same
// tree must come back (compared through JSON to ignore number types). The
// golden templates, unchanged by the switch from goccy's encoder, prove the
// bytes are the same on real templates.
func TestEmitterRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	atoms := []string{"", " ", "a", "yes", "No", "1e3", ".5", "-", "- x", "a: b", "a:b", "x #y", "#c", "'q'", "\"d\"",
		"{{resolve:ssm:/a/B}}", "arn:aws:s3:::b", "*", "&a", "!Ref", "%x", "@x", "`x", "tab\there", "line\nbreak",
		"ünï", "2024-01-01", "12:30", "0x1F", "null", "~", "trailing ", "ends:", "Fn::GetAtt", "${AWS::Region}", "100%"}
	var gen func(depth int) any
	gen = func(depth int) any {
		switch n := rng.IntN(10); {
		case depth > 3 || n < 4:
			switch rng.IntN(5) {
			case 0:
				return rng.IntN(1000) - 500
			case 1:
				return rng.IntN(2) == 0
			case 2:
				return float64(rng.IntN(100)) / 4
			default:
				return atoms[rng.IntN(len(atoms))]
			}
		case n < 7:
			l := []any{}
			for i := rng.IntN(4); i > 0; i-- {
				l = append(l, gen(depth+1))
			}
			return l
		default:
			m := NewMap()
			for i := rng.IntN(4); i > 0; i-- {
				m.Set(atoms[rng.IntN(len(atoms))]+"k", gen(depth+1))
			}
			return m
		}
	}
	for i := 0; i < 2000; i++ {
		root := NewMap().Set("Root", gen(0)).Set("Other", gen(1))
		ours, err := Encode(root)
		if err != nil {
			t.Fatal(err)
		}
		var back any
		if err := yaml.Unmarshal(ours, &back); err != nil {
			t.Fatalf("our output does not parse: %v\n%s", err, ours)
		}
		if !reflect.DeepEqual(viaJSON(t, root), viaJSON(t, back)) {
			t.Fatalf("the tree does not read back\nout:\n%s", ours)
		}
	}
}

func viaJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// BenchmarkEncode encodes a template-sized tree with our emitter and, as the
// baseline in the same run, with goccy/go-yaml's encoder it replaced.
func BenchmarkEncode(b *testing.B) {
	res := NewMap()
	for i := 0; i < 300; i++ {
		id := "Function" + strconv.Itoa(i)
		res.Set(id, NewMap().Set("Type", "AWS::Serverless::Function").Set("Properties", NewMap().
			Set("CodeUri", ".dist/"+id+"/").Set("MemorySize", 512).Set("Timeout", 30).
			Set("Environment", NewMap().Set("Variables", NewMap().Set("TABLE", Ref("Table")).Set("MODE", "yes").Set("N", "3"))).
			Set("Policies", []any{NewMap().Set("DynamoDBCrudPolicy", NewMap().Set("TableName", Ref("Table")))}).
			Set("Events", NewMap().Set("Get", NewMap().Set("Type", "Api").Set("Properties", NewMap().
				Set("RestApiId", Ref("Api")).Set("Path", "/items/{id}").Set("Method", "get"))))))
	}
	tmpl := NewMap().Set("AWSTemplateFormatVersion", "2010-09-09").Set("Resources", res)
	b.Run("emitter", func(b *testing.B) {
		for b.Loop() {
			if _, err := Encode(tmpl); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goccy-baseline", func(b *testing.B) {
		for b.Loop() {
			if _, err := encodeGoccy(tmpl); err != nil {
				b.Fatal(err)
			}
		}
	})
}
