package compiler_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
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
// files on disk against want/: the template's bytes and, for .dist, one zip
// per function whose entries are exactly dist.txt's files (path, mode,
// size, sha256).
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
			if n := 1 + len(res.Packages); res.Artifacts.Len() != n {
				t.Errorf("the set holds %d artifacts, want the template and %d zips", res.Artifacts.Len(), n-1)
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

// diskManifest is dist.txt's lines for the files of the zips under dist
// (<LogicalID>/<path>), sorted; every entry of dist must be a zip.
func diskManifest(t *testing.T, dist string) []string {
	t.Helper()
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".zip")
		if !ok || !e.Type().IsRegular() {
			t.Errorf(".dist/%s is not a zip", e.Name())
			continue
		}
		r, err := zip.OpenReader(filepath.Join(dist, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.File {
			if strings.HasSuffix(f.Name, "/") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%s/%s %v %d %x", id, f.Name, f.Mode(), len(b), sha256.Sum256(b)))
		}
		r.Close()
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
