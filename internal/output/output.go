// Package output writes a compilation's artifact set to disk. The set's
// files under .dist/<unit>/ (one unit per function package) are compared
// with what .dist/ holds; when any differs, a complete new .dist is built
// (changed units written, unchanged ones hard-linked) and swapped in as one
// transaction with the other artifacts (the template; later several), each
// written beside its path (swap.go): killed at any point, the build leaves
// the old output or, once the next build has rolled its journal forward,
// the new one. A failure while writing leaves the previous template.yaml
// and .dist/ as they were (SPEC.md §6); a failure during the renames
// restores what it had moved. A compilation error never gets here at all.
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

// rename is os.Rename, replaced by tests to fail (or kill the build at) a
// given rename.
var rename = os.Rename

// workers bounds concurrent package comparisons and writes: the work is
// file-system latency more than CPU, so a few more than the cores helps.
const workers = 8

// unit is one entry of .dist: a folder with its artifacts, paths relative
// to it, or a file (a zip), one artifact with the path "".
type unit struct {
	id    string
	files []artifact.Artifact
}

func (u unit) isFile() bool { return len(u.files) == 1 && u.files[0].Path == "" }

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
	if err := Recover(root); err != nil {
		return false, err
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

	// Step 1 of the swap (swap.go): the whole new .dist in a temporary
	// folder, and each changed file in a temporary folder beside it with a
	// link to (or copy of) the file it replaces, so that an error can put
	// it back. The names are unique per build; Recover removes a killed
	// build's.
	tmp, err := os.MkdirTemp(root, ".dist.tmp-")
	if err != nil {
		return false, err
	}
	j := &journal{}
	temps := make([]string, len(files)) // each holds new and, if dst exists, old
	committed := false
	defer func() {
		if !committed { // else Recover's job: the journal says what to finish
			for _, t := range temps {
				if t != "" {
					os.RemoveAll(t)
				}
			}
			os.RemoveAll(tmp)
		}
	}()
	if len(changed) > 0 || len(obsolete) > 0 {
		newDir := filepath.Join(tmp, "dist")
		if err := os.Mkdir(newDir, 0o755); err != nil {
			return false, err
		}
		// A umask that strips 0755's bits strips 0644's too: then every
		// folder and file is chmod'ed to its mode (otherwise that costs a
		// call each).
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
		var same []int
		for i, s := range stale {
			if !s {
				same = append(same, i)
			}
		}
		if err := linkPackages(dist, newDir, pkgs, same, exact); err != nil {
			return false, err
		}
		if j.Dev, j.Ino, err = identity(newDir); err != nil {
			return false, err
		}
		j.Dist = rel(root, newDir)
	}
	// The files' temporary folders share tmp's random suffix and are listed
	// in a plan before they exist, so that Recover finds a killed build's.
	suffix := strings.TrimPrefix(filepath.Base(tmp), ".dist.tmp-")
	for i, f := range files {
		temps[i] = filepath.Join(filepath.Dir(f.dst), tmpPrefix(f.dst)+suffix)
		j.Files = append(j.Files, journalFile{New: rel(root, filepath.Join(temps[i], "new")), Dst: rel(root, f.dst)})
	}
	if len(files) > 0 {
		if err := record(tmp, planName, j); err != nil {
			return false, err
		}
	}
	backedUp := make([]bool, len(files))
	for i, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.dst), 0o755); err != nil {
			return false, err
		}
		if err := os.Mkdir(temps[i], 0o755); err != nil {
			temps[i] = "" // not ours
			return false, err
		}
		if err := writeFile(filepath.Join(temps[i], "new"), f.a, true); err != nil {
			return false, err
		}
		if backedUp[i], err = backup(f.dst, filepath.Join(temps[i], "old")); err != nil {
			return false, err
		}
		if backedUp[i] {
			j.Files[i].Old = rel(root, filepath.Join(temps[i], "old"))
		}
	}

	// Step 2: commit.
	if err := record(tmp, journalName, j); err != nil {
		return false, err
	}

	// Steps 3 and 4, each recorded so that an error undoes the earlier ones
	// (and then the journal goes: the old output stays).
	var undos []func()
	fail := func(err error) (bool, error) {
		for i := len(undos) - 1; i >= 0; i-- {
			undos[i]()
		}
		os.Remove(filepath.Join(tmp, journalName))
		return false, err
	}
	if j.Dist != "" {
		next := filepath.Join(root, filepath.FromSlash(j.Dist))
		oldAt, err := swapDist(next, dist, filepath.Join(tmp, "old"))
		if err != nil {
			return fail(fmt.Errorf("replace %s: %w", dist, err))
		}
		undos = append(undos, func() {
			if oldAt == "" {
				_ = os.Rename(dist, next)
			} else if exchange(oldAt, dist) != nil {
				_ = os.Rename(dist, next+".new")
				_ = os.Rename(oldAt, dist)
			}
		})
	}
	for i, f := range files {
		if err := rename(filepath.Join(temps[i], "new"), f.dst); err != nil {
			return fail(fmt.Errorf("replace %s: %w", f.dst, err))
		}
		if backedUp[i] {
			undos = append(undos, func() { _ = os.Rename(filepath.Join(temps[i], "old"), f.dst) })
		} else {
			undos = append(undos, func() { _ = os.Remove(f.dst) })
		}
	}

	// Step 5.
	committed = true
	if err := os.Remove(filepath.Join(tmp, journalName)); err != nil {
		return true, err
	}
	for _, t := range temps {
		os.RemoveAll(t)
	}
	os.RemoveAll(tmp)
	return true, nil
}

// rel is p relative to root, with slashes (journal paths move with the
// project).
func rel(root, p string) string {
	r, err := filepath.Rel(root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(r)
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
