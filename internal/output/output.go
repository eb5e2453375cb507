// Package output writes a compilation result to disk atomically: packages
// are written into a fresh temporary folder beside .dist and swapped in with
// renames, the template goes to a temporary file renamed over the old one.
// A failure before the swap leaves the previous template.yaml and .dist/ as
// they were (SPEC.md §6).
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/deployless/deployless/internal/packager"
)

// DistDir is the packages' folder name under the project root.
const DistDir = ".dist"

// Write writes the packages under root/.dist and the template to
// templatePath (absolute, or relative to root). When both are already on
// disk byte for byte it touches nothing (reported as false), so a no-op
// rebuild keeps every mtime and tools that cache on them (sam build) stay warm.
func Write(root, templatePath string, tmpl []byte, pkgs []packager.Package) (bool, error) {
	if !filepath.IsAbs(templatePath) {
		templatePath = filepath.Join(root, templatePath)
	}
	dist := filepath.Join(root, DistDir)
	if upToDate(dist, templatePath, tmpl, pkgs) {
		return false, nil
	}
	return true, write(root, dist, templatePath, tmpl, pkgs)
}

// upToDate reports whether the template and .dist hold exactly these bytes
// and files (no more, no fewer, same modes).
func upToDate(dist, templatePath string, tmpl []byte, pkgs []packager.Package) bool {
	if b, err := os.ReadFile(templatePath); err != nil || !bytes.Equal(b, tmpl) {
		return false
	}
	want := map[string]packager.File{}
	for _, p := range pkgs {
		for _, f := range p.Files {
			want[filepath.Join(p.LogicalID, filepath.FromSlash(f.Path))] = f
		}
	}
	seen := 0
	err := filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dist, p)
		f, ok := want[rel]
		if !ok {
			return errStale
		}
		info, err := d.Info()
		if err != nil || info.Mode().Perm() != f.Mode.Perm() || info.Size() != int64(len(f.Data)) {
			return errStale
		}
		b, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(b, f.Data) {
			return errStale
		}
		seen++
		return nil
	})
	return err == nil && seen == len(want)
}

var errStale = errors.New("stale")

func write(root, dist, templatePath string, tmpl []byte, pkgs []packager.Package) error {
	tmp, err := os.MkdirTemp(root, ".dist.tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, p := range pkgs {
		for _, f := range p.Files {
			dst := filepath.Join(tmp, p.LogicalID, filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(dst, f.Data, f.Mode); err != nil {
				return err
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(templatePath), 0o755); err != nil {
		return err
	}
	tmplTmp := templatePath + ".tmp"
	if err := os.WriteFile(tmplTmp, tmpl, 0o644); err != nil {
		return err
	}
	defer os.Remove(tmplTmp)

	// Swap: .dist → .dist.old, tmp → .dist, then the template.
	old := dist + ".old"
	_ = os.RemoveAll(old)
	hadOld := false
	if _, err := os.Stat(dist); err == nil {
		if err := os.Rename(dist, old); err != nil {
			return fmt.Errorf("replace %s: %w", dist, err)
		}
		hadOld = true
	}
	if err := os.Rename(tmp, dist); err != nil {
		if hadOld {
			_ = os.Rename(old, dist)
		}
		return fmt.Errorf("replace %s: %w", dist, err)
	}
	if err := os.Rename(tmplTmp, templatePath); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

// Clean removes .dist, the template and sam build's .aws-sam folder.
func Clean(root, templatePath string) ([]string, error) {
	if !filepath.IsAbs(templatePath) {
		templatePath = filepath.Join(root, templatePath)
	}
	var removed []string
	for _, p := range []string{filepath.Join(root, DistDir), templatePath, filepath.Join(root, ".aws-sam")} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return removed, err
		}
		removed = append(removed, p)
	}
	return removed, nil
}
