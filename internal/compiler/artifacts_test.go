package compiler_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/output"
)

// TestArtifactsOnDisk writes every fixture's artifact set and checks the
// files on disk against want/: the template's bytes and, for .dist, each
// file's path, mode, size and sha256 (dist.txt).
func TestArtifactsOnDisk(t *testing.T) {
	lists, _ := filepath.Glob(filepath.Join(projectsDir(), "*", "want", "dist.txt"))
	if len(lists) < 3 {
		t.Fatalf("expected several fixtures with packages, found %v", lists)
	}
	for _, list := range lists {
		dir := filepath.Dir(filepath.Dir(list))
		t.Run(filepath.Base(dir), func(t *testing.T) {
			res, diags := compileFixture(t, dir)
			if diags.HasErrors() || res.Artifacts == nil {
				t.Fatalf("no artifact set: %v", diags)
			}
			if n := 1 + countFiles(res); res.Artifacts.Len() != n {
				t.Errorf("the set holds %d artifacts, want the template and %d package files", res.Artifacts.Len(), n-1)
			}
			out := t.TempDir()
			if _, err := output.Write(out, res.Artifacts); err != nil {
				t.Fatal(err)
			}
			tmpl, _ := os.ReadFile(filepath.Join(out, "template.yaml"))
			want, _ := os.ReadFile(filepath.Join(dir, "want", "template.yaml"))
			if !bytes.Equal(tmpl, want) {
				t.Error("template.yaml on disk differs from want/template.yaml")
			}
			got := diskManifest(t, filepath.Join(out, output.DistDir))
			wantList, _ := os.ReadFile(list)
			wantLines := strings.Split(strings.TrimSpace(string(wantList)), "\n")
			slices.Sort(wantLines)
			if strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
				t.Errorf(".dist on disk differs from want/dist.txt:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

func countFiles(res *compiler.Result) int {
	n := 0
	for _, p := range res.Packages {
		n += len(p.Files)
	}
	return n
}

// diskManifest is dist.txt's lines for the files under dist, sorted.
func diskManifest(t *testing.T, dist string) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dist, p)
		lines = append(lines, fmt.Sprintf("%s %v %d %x", filepath.ToSlash(rel), info.Mode(), len(b), sha256.Sum256(b)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return lines
}

func TestArtifactsTemplatePath(t *testing.T) {
	dir := filepath.Join(projectsDir(), "minimal")
	for _, c := range []struct {
		opts compiler.Options
		want string // the template's artifact path; "" for none
		code diag.Code
	}{
		{compiler.Options{}, "template.yaml", ""},
		{compiler.Options{TemplateDir: "infra"}, "infra/template.yaml", ""},
		{compiler.Options{TemplateDir: "..", TemplatePath: "../stack.yaml"}, "../stack.yaml", ""},
		{compiler.Options{TemplatePath: ".dist/template.yaml"}, "", diag.E32},
		{compiler.Options{TemplatePath: ".dist/HelloFunction/template.yaml"}, "", diag.E32},
		{compiler.Options{TemplatePath: "/abs/template.yaml"}, "", diag.E32},
		{compiler.Options{SkipPackages: true}, "", ""},
	} {
		c.opts.DefaultName, c.opts.Getenv = "minimal", fixtureEnv
		res, diags := compiler.Compile(context.Background(), os.DirFS(dir), c.opts)
		var codes []diag.Code
		for _, d := range diags {
			codes = append(codes, d.Code)
		}
		if c.code != "" {
			if !slices.Contains(codes, c.code) || res.Artifacts != nil {
				t.Errorf("%+v: codes %v, set %v; want %s and no set", c.opts, codes, res.Artifacts != nil, c.code)
			}
			continue
		}
		if diags.HasErrors() {
			t.Fatalf("%+v: %v", c.opts, diags)
		}
		if c.want == "" {
			if res.Artifacts != nil {
				t.Errorf("%+v: an artifact set without packages", c.opts)
			}
			continue
		}
		if a, ok := res.Artifacts.Lookup(c.want); !ok || !bytes.Equal(a.Data, res.YAML) || a.Mode != 0o644 {
			t.Errorf("%+v: template artifact at %s: %v", c.opts, c.want, ok)
		}
	}
}
