package compiler_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/testenv"
)

// measuredCodes are codes whose condition no small fixture can produce,
// each with the test that covers it instead.
var measuredCodes = map[diag.Code]string{diag.E46: "compiler.TestUnzippedLimit"}

var marker = regexp.MustCompile(`# ERROR(-NOPOS)?: ([EW]\d\d)`)

// TestCodes compiles testdata/codes/<CODE>/, a project whose offending lines
// carry "# ERROR: CODE" markers, and checks that the diagnostics are exactly
// those: the same codes on the same lines, nothing else. Every implemented
// code of diag.Codes must have such a fixture.
func TestCodes(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(), "testdata", "codes")
	for _, info := range diag.Codes {
		dir := filepath.Join(root, string(info.Code))
		if _, err := os.Stat(dir); err != nil && info.Issue != "" {
			continue // not implemented yet: see its issue
		}
		if test, ok := measuredCodes[info.Code]; ok {
			t.Logf("%s is tested by %s (a fixture would need 250 MB of dependencies)", info.Code, test)
			continue
		}
		t.Run(string(info.Code), func(t *testing.T) {
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("code %s has no example fixture in %s", info.Code, dir)
			}
			want := markers(t, dir)
			if !strings.Contains(strings.Join(want, " "), string(info.Code)) {
				t.Fatalf("fixture %s has no marker for its own code", dir)
			}
			opts := compiler.Options{DefaultName: "demo", Getenv: func(string) (string, bool) { return "", false }}
			if _, err := os.Stat(filepath.Join(dir, ".packaging")); err == nil {
				// The layer codes: the fixture is built with real uv
				// against the package index, into a fresh cache.
				if testing.Short() {
					t.Skip("needs uv and the package index (-short)")
				}
				opts.Packaging = &compiler.Packaging{UV: testenv.Tool(t, "uv"), CacheDir: t.TempDir(), NoBytecode: true}
			}
			_, diags := compiler.Compile(context.Background(), os.DirFS(dir), opts)
			var got []string
			for _, d := range diags.Sorted() {
				if d.Span.Line == 0 {
					got = append(got, fmt.Sprintf("(no position) %s", d.Code))
					continue
				}
				got = append(got, fmt.Sprintf("%s:%d %s", d.Span.Path, d.Span.Line, d.Code))
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				var b bytes.Buffer
				diag.Text(&b, diags, nil, false)
				t.Errorf("diagnostics differ\n got: %q\nwant: %q\n%s", got, want, b.String())
			}
		})
	}
}

func markers(t *testing.T, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, p)
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			if m := marker.FindStringSubmatch(sc.Text()); m != nil {
				if m[1] != "" {
					out = append(out, "(no position) "+m[2])
				} else {
					out = append(out, fmt.Sprintf("%s:%d %s", filepath.ToSlash(rel), line, m[2]))
				}
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}
