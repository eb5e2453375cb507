// Package output writes a compilation's artifact set to disk. The set's
// files under .dist/<unit>/ (one unit per function package) are compared and
// replaced unit by unit: only the units whose files differ from what .dist/
// holds are rewritten, each in full into a temporary folder beside .dist,
// then swapped in with renames; units no longer in the set are removed.
// Every other artifact (the template; later several) is written into a
// temporary folder beside its path and renamed over the old file. A failure
// while writing leaves the previous template.yaml and .dist/ as they were
// (SPEC.md §6); a failure during the renames restores what it had moved,
// old files included. A compilation error never gets here at all.
//
// Files get exactly their artifact's mode (0644 or 0755), whatever the
// umask: Lambda runs the code as another user, which must read it.
package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/deployless/deployless/internal/artifact"
)

// DistDir is the packages' folder name under the project root.
const DistDir = artifact.DistDir

// rename is os.Rename, replaced by tests to fail a given rename.
var rename = os.Rename

// workers bounds concurrent package comparisons and writes: the work is
// file-system latency more than CPU, so a few more than the cores helps.
const workers = 8

// unit is one sub-folder of .dist: its artifacts, with paths relative to it.
type unit struct {
	id    string
	files []artifact.Artifact
}

// single is an artifact outside .dist and the file it goes to.
type single struct {
	a   artifact.Artifact
	dst string
}

// Write writes set under root. Unchanged units and files are not touched,
// so their mtimes stay (sam build's cache stays warm); written reports
// whether anything was rewritten. Callers hold Lock(root).
func Write(root string, set *artifact.Set) (written bool, err error) {
	if set == nil {
		// An empty set would remove every package; no caller means that.
		return false, errors.New("no artifact set to write (the compilation stopped before packaging)")
	}
	dist := filepath.Join(root, DistDir)
	pkgs, singles := split(root, set)
	removeLeftovers(root, singles)

	// Which units differ from .dist, and which folders there are stale.
	stale := make([]bool, len(pkgs))
	parallel(len(pkgs), func(i int) error {
		stale[i] = !samePackage(filepath.Join(dist, pkgs[i].id), pkgs[i])
		return nil
	})
	keep := map[string]bool{}
	for _, p := range pkgs {
		keep[p.id] = true
	}
	var obsolete []string
	if entries, err := os.ReadDir(dist); err == nil {
		for _, e := range entries {
			if !keep[e.Name()] {
				obsolete = append(obsolete, e.Name())
			}
		}
	}
	var changed []int
	for i, s := range stale {
		if s {
			changed = append(changed, i)
		}
	}
	var files []single
	for _, s := range singles {
		if info, err := os.Lstat(s.dst); err != nil || !sameFile(s.dst, info, s.a) {
			files = append(files, s)
		}
	}
	if len(changed) == 0 && len(obsolete) == 0 && len(files) == 0 {
		return false, nil
	}

	// Write the changed units into a temporary folder beside .dist, and
	// each changed file into a temporary folder beside it, with a link to
	// (or copy of) the file it replaces so that a failure can put it back.
	// The names are unique per build; Write removes a killed build's.
	_, statErr := os.Stat(dist)
	fresh := os.IsNotExist(statErr)
	tmp, err := os.MkdirTemp(root, ".dist.tmp-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	newDir := filepath.Join(tmp, "new")
	if err := os.Mkdir(newDir, 0o755); err != nil {
		return false, err
	}
	// A umask that strips 0755's bits strips 0644's too: then every folder
	// and file is chmod'ed to its mode (otherwise that costs a call each).
	exact := true
	if info, err := os.Stat(newDir); err != nil || info.Mode().Perm() != 0o755 {
		exact = false
		if err := os.Chmod(newDir, 0o755); err != nil {
			return false, err
		}
	}
	if err := writePackages(newDir, pkgs, changed, exact); err != nil {
		return false, err
	}
	temps := make([]string, len(files)) // each holds new and, if dst exists, old
	defer func() {
		for _, t := range temps {
			if t != "" {
				os.RemoveAll(t)
			}
		}
	}()
	backedUp := make([]bool, len(files))
	for i, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.dst), 0o755); err != nil {
			return false, err
		}
		if temps[i], err = os.MkdirTemp(filepath.Dir(f.dst), tmpPrefix(f.dst)); err != nil {
			return false, err
		}
		if err := writeFile(filepath.Join(temps[i], "new"), f.a, true); err != nil {
			return false, err
		}
		if backedUp[i], err = backup(f.dst, filepath.Join(temps[i], "old")); err != nil {
			return false, err
		}
	}

	// Renames, each recorded so that a failure undoes the earlier ones.
	var undos []func()
	undo := func() {
		for i := len(undos) - 1; i >= 0; i-- {
			undos[i]()
		}
	}
	mv := func(from, to string) error {
		if err := rename(from, to); err != nil {
			undo()
			return fmt.Errorf("replace %s: %w", from, err)
		}
		undos = append(undos, func() { _ = os.Rename(to, from) })
		return nil
	}
	replaceFiles := func() error {
		for i, f := range files {
			if err := rename(filepath.Join(temps[i], "new"), f.dst); err != nil {
				undo()
				return err
			}
			if backedUp[i] {
				undos = append(undos, func() { _ = os.Rename(filepath.Join(temps[i], "old"), f.dst) })
			} else {
				undos = append(undos, func() { _ = os.Remove(f.dst) })
			}
		}
		return nil
	}

	if fresh {
		// No .dist yet: the whole new tree becomes .dist with one rename.
		if err := rename(newDir, dist); err != nil {
			return false, fmt.Errorf("create %s: %w", dist, err)
		}
		undos = append(undos, func() { _ = os.Rename(dist, newDir) })
		if err := replaceFiles(); err != nil {
			return false, err
		}
		return true, nil
	}

	// Swap: old folders move to tmp/old, new ones into .dist.
	if err := os.Mkdir(filepath.Join(tmp, "old"), 0o755); err != nil {
		return false, err
	}
	for _, name := range obsolete {
		if err := mv(filepath.Join(dist, name), filepath.Join(tmp, "old", name)); err != nil {
			return false, err
		}
	}
	for _, i := range changed {
		id := pkgs[i].id
		if _, err := os.Lstat(filepath.Join(dist, id)); err == nil {
			if err := mv(filepath.Join(dist, id), filepath.Join(tmp, "old", id)); err != nil {
				return false, err
			}
		}
		if err := mv(filepath.Join(newDir, id), filepath.Join(dist, id)); err != nil {
			return false, err
		}
	}
	if err := replaceFiles(); err != nil {
		return false, err
	}
	return true, nil
}

// split sorts the set's artifacts into units of .dist (in path order) and
// the other files.
func split(root string, set *artifact.Set) ([]unit, []single) {
	var pkgs []unit
	var singles []single
	files := set.Files() // sorted, so a unit's files are adjacent; ours to edit
	for i := 0; i < len(files); {
		id, _ := artifact.Unit(files[i].Path)
		if id == "" {
			singles = append(singles, single{files[i], filepath.Join(root, filepath.FromSlash(files[i].Path))})
			i++
			continue
		}
		j := i
		for ; j < len(files); j++ {
			u, rest := artifact.Unit(files[j].Path)
			if u != id {
				break
			}
			files[j].Path = rest
		}
		pkgs = append(pkgs, unit{id: id, files: files[i:j:j]})
		i = j
	}
	return pkgs, singles
}

// tmpPrefix begins the names of dst's temporary folders: hidden, beside it.
func tmpPrefix(dst string) string { return "." + filepath.Base(dst) + ".tmp-" }

// removeLeftovers deletes what a build killed before its last rename left:
// .dist.tmp-* in root and the temporary folders of the set's other files
// (callers hold Lock(root), so no running build owns them).
func removeLeftovers(root string, singles []single) {
	remove := func(dir, prefix string) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), prefix) {
				_ = os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		}
	}
	remove(root, ".dist.tmp-")
	for _, s := range singles {
		remove(filepath.Dir(s.dst), tmpPrefix(s.dst))
	}
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
