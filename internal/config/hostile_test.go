package config

import (
	"strconv"
	"strings"
	"testing"
)

// Bytes that are not UTF-8 are E30 at their position; the YAML parser
// would turn them into U+FFFD silently.
func TestInvalidUTF8(t *testing.T) {
	_, d := load(t, "name: shop\nstage: dev\ntags:\n  team: caf\xe9\n")
	if got := render(d); got != "deployless.yaml:4:12: E30 deployless.yaml is not valid UTF-8 (byte 0xe9); save it as UTF-8\n" {
		t.Errorf("got %q", got)
	}
}

// Aliases multiply: a small file must not stand for a huge config.
func TestAliasExpansionIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: shop\nenv:\n  A0: &big " + strings.Repeat("x", 100_000) + "\n")
	for i := 1; i <= 30; i++ {
		b.WriteString("  A" + strconv.Itoa(i) + ": *big\n")
	}
	_, d := load(t, b.String())
	got := render(d)
	if strings.Count(got, "aliases expanded") != 1 || strings.Count(got, "E30") != 1 {
		t.Errorf("want exactly one alias-expansion E30, got:\n%.2000s", got)
	}
	if !strings.HasPrefix(got, "deployless.yaml:4:7: ") { // the first alias
		t.Errorf("position: %.200s", got)
	}
}
