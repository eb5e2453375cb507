package envfile

import (
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/source"
)

func TestParse(t *testing.T) {
	src := strings.Join([]string{
		"# comment",
		"",
		"APP_ENV=production",
		"export LOG_FORMAT=json",
		"URL=postgres://u:p@h/db?x=1&y=2",
		`QUOTED="a \"b\" c\nd" # note`,
		"SINGLE='$HOME stays $(whoami)'",
		"PLAIN=value # trailing comment",
		"SECRET_DB_PASSWORD=s3cr3t=with=equals",
		"APP_ENV=staging",
		"  INDENTED = spaced ",
	}, "\n")
	entries, d := Parse(source.NewFile(".env", []byte(src)))
	if len(d) != 0 {
		t.Fatalf("diagnostics: %v", d)
	}
	got := map[string]string{}
	var order []string
	for _, e := range entries {
		got[e.Key] = e.Value
		order = append(order, e.Key)
	}
	want := map[string]string{
		"APP_ENV": "staging", "LOG_FORMAT": "json", "URL": "postgres://u:p@h/db?x=1&y=2",
		"QUOTED": "a \"b\" c\nd", "SINGLE": "$HOME stays $(whoami)", "PLAIN": "value",
		"SECRET_DB_PASSWORD": "s3cr3t=with=equals", "INDENTED": "spaced",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if strings.Join(order, ",") != "APP_ENV,LOG_FORMAT,URL,QUOTED,SINGLE,PLAIN,SECRET_DB_PASSWORD,INDENTED" {
		t.Errorf("order = %v", order)
	}
	if e := entries[4]; e.Span.Line != 7 || e.Span.Col != 1 {
		t.Errorf("SINGLE at %v, want line 7 col 1", e.Span)
	}
	if e := entries[1]; e.Span.Col != 8 {
		t.Errorf("export LOG_FORMAT at col %d, want 8", e.Span.Col)
	}
}

func TestParseErrors(t *testing.T) {
	_, d := Parse(source.NewFile(".env", []byte("OK=1\nSECRET_EMPTY=\nnot a line hunter2\nBAD=\"open\n1KEY=x\n")))
	var got []string
	for _, x := range d.Sorted() {
		got = append(got, x.String())
		if strings.Contains(x.Message, "hunter2") {
			t.Errorf("a diagnostic echoes the line's content: %s", x)
		}
	}
	want := []string{
		".env:2:1: E28 SECRET_EMPTY is empty: a secret needs a value",
		".env:3:1: E36 expected KEY=VALUE (a key of letters, digits and _)",
		".env:4:1: E36 BAD: unterminated quote",
		".env:5:1: E36 expected KEY=VALUE (a key of letters, digits and _)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
