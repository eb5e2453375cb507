// Package output writes a compilation result to disk. Only the packages
// whose files differ from what .dist/ holds are rewritten: each is written
// in full into a temporary folder beside .dist, then swapped in with
// renames, and the template goes to a temporary file renamed over the old
// one. A failure while writing leaves the previous template.yaml and .dist/
// as they were (SPEC.md §6); a failure during the renames restores what it
// had moved. A compilation error never gets here at all.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/deployless/deployless/internal/packager"
)

// DistDir is the packages' folder name under the project root.
const DistDir = ".dist"

// workers bounds concurrent package comparisons and writes: the work is
// file-system latency more than CPU, so a few more than the cores helps.
const workers = 8

// Write writes the packages under root/.dist and the template to
// templatePath (absolute, or relative to root). Unchanged packages and an
// unchanged template are not touched, so their mtimes stay (sam build's
// cache stays warm); written reports whether anything was rewritten.
func Write(root, templatePath string, tmpl []byte, pkgs []packager.Package) (written bool, err error) {
	if !filepath.IsAbs(templatePath) {
		templatePath = filepath.Join(root, templatePath)
	}
	dist := filepath.Join(root, DistDir)

	// Which packages differ from .dist, and which folders there are stale.
	stale := make([]bool, len(pkgs))
	parallel(len(pkgs), func(i int) error {
		stale[i] = !samePackage(filepath.Join(dist, pkgs[i].LogicalID), pkgs[i])
		return nil
	})
	keep := map[string]bool{}
	for _, p := range pkgs {
		keep[p.LogicalID] = true
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
	tmplSame := false
	if b, err := os.ReadFile(templatePath); err == nil && bytes.Equal(b, tmpl) {
		tmplSame = true
	}
	if len(changed) == 0 && len(obsolete) == 0 && tmplSame {
		return false, nil
	}

	// Write the changed packages into a temporary folder beside .dist.
	_, statErr := os.Stat(dist)
	fresh := os.IsNotExist(statErr)
	tmp, err := os.MkdirTemp(root, ".dist.tmp-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	if err := os.Mkdir(filepath.Join(tmp, "new"), 0o755); err != nil {
		return false, err
	}
	if err := writePackages(filepath.Join(tmp, "new"), pkgs, changed); err != nil {
		return false, err
	}
	tmplTmp := templatePath + ".tmp"
	if !tmplSame {
		if err := os.MkdirAll(filepath.Dir(templatePath), 0o755); err != nil {
			return false, err
		}
		if err := os.WriteFile(tmplTmp, tmpl, 0o644); err != nil {
			return false, err
		}
		defer os.Remove(tmplTmp)
	}

	if fresh {
		// No .dist yet: the whole new tree becomes .dist with one rename.
		if err := os.Rename(filepath.Join(tmp, "new"), dist); err != nil {
			return false, fmt.Errorf("create %s: %w", dist, err)
		}
		if !tmplSame {
			if err := os.Rename(tmplTmp, templatePath); err != nil {
				_ = os.Rename(dist, filepath.Join(tmp, "new"))
				return false, err
			}
		}
		return true, nil
	}

	// Swap: old folders move to tmp/old, new ones into .dist.
	if err := os.Mkdir(filepath.Join(tmp, "old"), 0o755); err != nil {
		return false, err
	}
	type move struct{ from, to string }
	var done []move
	undo := func() {
		for i := len(done) - 1; i >= 0; i-- {
			_ = os.Rename(done[i].to, done[i].from)
		}
	}
	mv := func(from, to string) error {
		if err := os.Rename(from, to); err != nil {
			undo()
			return fmt.Errorf("replace %s: %w", from, err)
		}
		done = append(done, move{from, to})
		return nil
	}
	for _, name := range obsolete {
		if err := mv(filepath.Join(dist, name), filepath.Join(tmp, "old", name)); err != nil {
			return false, err
		}
	}
	for _, i := range changed {
		id := pkgs[i].LogicalID
		if _, err := os.Lstat(filepath.Join(dist, id)); err == nil {
			if err := mv(filepath.Join(dist, id), filepath.Join(tmp, "old", id)); err != nil {
				return false, err
			}
		}
		if err := mv(filepath.Join(tmp, "new", id), filepath.Join(dist, id)); err != nil {
			return false, err
		}
	}
	if !tmplSame {
		if err := os.Rename(tmplTmp, templatePath); err != nil {
			undo()
			return false, err
		}
	}
	return true, nil
}

// samePackage reports whether dir holds exactly the package's files, bytes
// and modes (no more, no fewer).
func samePackage(dir string, p packager.Package) bool {
	want := make(map[string]packager.File, len(p.Files))
	for _, f := range p.Files {
		want[filepath.FromSlash(f.Path)] = f
	}
	seen := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		f, ok := want[rel]
		if !ok {
			return errStale
		}
		info, err := d.Info()
		if err != nil || info.Mode() != f.Mode || info.Size() != int64(len(f.Data)) {
			return errStale
		}
		b, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(b, f.Data) {
			return errStale
		}
		seen++
		return nil
	})
	return err == nil && seen == len(want)
}

var errStale = errors.New("stale")

// writePackages writes the packages pkgs[changed...] under dir, one folder
// per logical ID. Each distinct file body is created once, in the first
// package that has it; the same file in later packages is a hard link to it.
// Every package repeats the runtime, app/shared and the empty __init__.py
// files, and on some file systems creating a file costs several times more
// than adding a name to an existing one (ext4 without a journal, measured:
// 18–150 µs against 16 µs, because the inode allocator scans past recently
// freed inodes). Where a link fails (a file system without hard links), the
// file is written instead. Packages are replaced whole by later builds,
// never edited in place, so a link never changes another package's bytes.
func writePackages(dir string, pkgs []packager.Package, changed []int) error {
	type ref struct{ pkg, file int }
	// Bodies are matched by their backing array (the packager shares one
	// slice per project file across packages), small generated ones by
	// content; the mode is part of the key since links share it.
	type shared struct {
		data *byte
		n    int
		mode fs.FileMode
	}
	type small struct {
		body string
		mode fs.FileMode
	}
	byArray := map[shared]ref{}
	byBody := map[small]ref{}
	first := make([][]ref, len(pkgs)) // per package and file: where its body is created
	for _, i := range changed {
		first[i] = make([]ref, len(pkgs[i].Files))
		for j, f := range pkgs[i].Files {
			here := ref{i, j}
			var at ref
			var seen bool
			if len(f.Data) <= 4096 {
				k := small{string(f.Data), f.Mode}
				if at, seen = byBody[k]; !seen {
					byBody[k] = here
				}
			} else {
				k := shared{&f.Data[0], len(f.Data), f.Mode}
				if at, seen = byArray[k]; !seen {
					byArray[k] = here
				}
			}
			if !seen {
				at = here
			}
			first[i][j] = at
		}
	}
	at := func(r ref) string {
		return filepath.Join(dir, pkgs[r.pkg].LogicalID, filepath.FromSlash(pkgs[r.pkg].Files[r.file].Path))
	}
	// Folders level by level, then first copies, then links to them, each
	// step spread over all workers rather than one package per worker: on a
	// slow file system creating inodes is kernel CPU time, and packages
	// differ in size.
	var dirs [][]string // by depth below dir
	seenDir := map[string]bool{}
	var copies, links []ref
	for _, i := range changed {
		for j, f := range pkgs[i].Files {
			rel := pkgs[i].LogicalID + "/" + f.Path
			for d, depth := path.Dir(rel), strings.Count(rel, "/")-1; d != "." && !seenDir[d]; d, depth = path.Dir(d), depth-1 {
				seenDir[d] = true
				for len(dirs) <= depth {
					dirs = append(dirs, nil)
				}
				dirs[depth] = append(dirs[depth], filepath.Join(dir, filepath.FromSlash(d)))
			}
			if first[i][j] == (ref{i, j}) {
				copies = append(copies, ref{i, j})
			} else {
				links = append(links, ref{i, j})
			}
		}
	}
	for _, level := range dirs {
		if err := parallel(len(level), func(k int) error { return os.Mkdir(level[k], 0o755) }); err != nil {
			return err
		}
	}
	if err := parallel(len(copies), func(k int) error {
		f := pkgs[copies[k].pkg].Files[copies[k].file]
		return os.WriteFile(at(copies[k]), f.Data, f.Mode)
	}); err != nil {
		return err
	}
	return parallel(len(links), func(k int) error {
		r := links[k]
		dst := at(r)
		if os.Link(at(first[r.pkg][r.file]), dst) != nil {
			f := pkgs[r.pkg].Files[r.file]
			return os.WriteFile(dst, f.Data, f.Mode)
		}
		return nil
	})
}

// parallel runs fn(0..n-1) on up to workers goroutines; the first error wins.
func parallel(n int, fn func(int) error) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	next := make(chan int)
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
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
