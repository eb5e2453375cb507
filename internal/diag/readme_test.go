package diag_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/testenv"
)

var update = flag.Bool("update", os.Getenv("DEPLOYLESS_UPDATE") == "1", "rewrite the README's codes table")

const begin, end = "<!-- codes:begin (generated from internal/diag/codes.go by go test ./internal/diag -update) -->", "<!-- codes:end -->"

// TestReadmeCodesTable keeps the README's diagnostic table generated from
// diag.Codes, so the documented list cannot drift from the enum.
func TestReadmeCodesTable(t *testing.T) {
	path := filepath.Join(testenv.RepoRoot(), "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q … %q", begin, end)
	}
	var tbl strings.Builder
	tbl.WriteString(begin + "\n| Code | Rule | Example |\n|---|---|---|\n")
	for _, c := range diag.Codes {
		rule := c.Summary
		if c.Issue != "" {
			rule += " *(not yet implemented; planned with the " + c.Issue + " work)*"
		}
		tbl.WriteString("| " + string(c.Code) + " | " + rule + " | `" + strings.ReplaceAll(c.Example, "|", "\\|") + "` |\n")
	}
	got := readme[:i] + tbl.String() + readme[j:]
	if got == readme {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's codes table is out of date: run go test ./internal/diag -update")
}
