// Package output writes a compilation result to disk atomically: packages
// are written into a fresh temporary folder beside .dist and swapped in with
// renames, the template goes to a temporary file renamed over the old one.
// A failure before the swap leaves the previous template.yaml and .dist/ as
// they were (SPEC.md §6).
package output

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/deployless/deployless/internal/packager"
)

// DistDir is the packages' folder name under the project root.
const DistDir = ".dist"

// Write writes the packages under root/.dist and the template to
// templatePath (absolute, or relative to root).
func Write(root, templatePath string, tmpl []byte, pkgs []packager.Package) error {
	if !filepath.IsAbs(templatePath) {
		templatePath = filepath.Join(root, templatePath)
	}
	dist := filepath.Join(root, DistDir)
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

// Clean removes .dist and the template.
func Clean(root, templatePath string) ([]string, error) {
	if !filepath.IsAbs(templatePath) {
		templatePath = filepath.Join(root, templatePath)
	}
	var removed []string
	for _, p := range []string{filepath.Join(root, DistDir), templatePath} {
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
