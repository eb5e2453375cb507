package output

import (
	"bytes"
	"errors"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/deployless/deployless/internal/artifact"
)

// samePackage reports whether dir holds exactly the unit's files, bytes
// and modes (no more, no fewer).
func samePackage(dir string, p unit) bool {
	if p.isFile() {
		info, err := os.Lstat(dir)
		return err == nil && info.Mode().IsRegular() && sameFile(dir, info, p.files[0])
	}
	want := make(map[string]artifact.Artifact, len(p.files))
	for _, f := range p.files {
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
		if err != nil || !sameFile(path, info, f) {
			return errStale
		}
		seen++
		return nil
	})
	return err == nil && seen == len(want)
}

var errStale = errors.New("stale")

// writePackages writes the units pkgs[changed...] under dir, one folder
// each. Each distinct file body is created once, in the first unit that has
// it; every later file with the same bytes and mode is a hard link to it.
// Every package repeats the runtime, app/shared and the empty __init__.py
// files, and on some file systems creating a file costs several times more
// than adding a name to an existing one (ext4 without a journal, measured:
// 18–150 µs against 16 µs, because the inode allocator scans past recently
// freed inodes). Where a link fails (a file system without hard links), the
// file is written instead. With exact false (a umask that strips bits),
// every folder and file is chmod'ed to its mode.
//
// The rule that makes the links safe: a link is only ever made between
// files whose bytes compare equal and whose modes are equal (a link shares
// its mode), wherever the bytes live in memory; the key below only finds
// the candidates. And units are replaced whole by later builds, never
// edited in place, so a link never changes another package's bytes.
func writePackages(dir string, pkgs []unit, changed []int, exact bool) error {
	type ref struct{ pkg, file int }
	file := func(r ref) artifact.Artifact { return pkgs[r.pkg].files[r.file] }
	keys := newKeyer()
	bodies := map[key][]ref{}         // the distinct bodies with a key: where each is created
	first := make([][]ref, len(pkgs)) // per unit and file: where its body is created
	for _, i := range changed {
		first[i] = make([]ref, len(pkgs[i].files))
		for j, f := range pkgs[i].files {
			k, err := keys.of(f)
			if err != nil {
				return err
			}
			at := ref{i, j}
			for _, r := range bodies[k] {
				same, err := sameBody(file(r), f)
				if err != nil {
					return err
				}
				if same {
					at = r
					break
				}
			}
			if at == (ref{i, j}) {
				bodies[k] = append(bodies[k], at)
			}
			first[i][j] = at
		}
	}
	at := func(r ref) string {
		return filepath.Join(dir, pkgs[r.pkg].id, filepath.FromSlash(pkgs[r.pkg].files[r.file].Path))
	}
	// Folders level by level, then first copies, then links to them, each
	// step spread over all workers rather than one package per worker: on a
	// slow file system creating inodes is kernel CPU time, and packages
	// differ in size.
	var dirs [][]string // by depth below dir
	seenDir := map[string]bool{}
	var copies, links []ref
	for _, i := range changed {
		for j, f := range pkgs[i].files {
			rel := unitRel(pkgs[i].id, f.Path)
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
		if err := parallel(len(level), func(k int) error {
			if err := os.Mkdir(level[k], 0o755); err != nil || exact {
				return err
			}
			return os.Chmod(level[k], 0o755)
		}); err != nil {
			return err
		}
	}
	if err := parallel(len(copies), func(k int) error {
		return writeFile(at(copies[k]), file(copies[k]), !exact)
	}); err != nil {
		return err
	}
	return parallel(len(links), func(k int) error {
		r := links[k]
		if os.Link(at(first[r.pkg][r.file]), at(r)) != nil {
			return writeFile(at(r), file(r), !exact)
		}
		return nil
	})
}

// key narrows the search for a file's body among those already seen: equal
// bytes and mode give equal keys, and equal keys are then compared byte by
// byte (a seeded maphash runs at memory speed; a cryptographic hash would
// cost more than the comparisons it saves).
type key struct {
	size int64
	hash uint64
	mode fs.FileMode
}

// keyer computes keys, reading each source file once.
type keyer struct {
	seed     maphash.Seed
	bySource map[string]key
}

func newKeyer() *keyer { return &keyer{seed: maphash.MakeSeed(), bySource: map[string]key{}} }

func (k *keyer) of(a artifact.Artifact) (key, error) {
	if a.Source == "" {
		return key{int64(len(a.Data)), maphash.Bytes(k.seed, a.Data), a.Mode}, nil
	}
	c, ok := k.bySource[a.Source]
	if !ok {
		f, err := os.Open(a.Source)
		if err != nil {
			return key{}, err
		}
		defer f.Close()
		var h maphash.Hash
		h.SetSeed(k.seed)
		if c.size, err = io.Copy(&h, f); err != nil {
			return key{}, err
		}
		c.hash = h.Sum64()
		k.bySource[a.Source] = c
	}
	c.mode = a.Mode
	return c, nil
}

// sameBody reports whether two artifacts with equal keys have equal bytes
// and modes.
func sameBody(a, b artifact.Artifact) (bool, error) {
	switch {
	case a.Mode != b.Mode:
		return false, nil
	case a.Source == "" && b.Source == "":
		return bytes.Equal(a.Data, b.Data), nil // immediate when they share an array
	case a.Source == b.Source:
		return true, nil
	case a.Source != "" && b.Source != "":
		return sameBytes(a.Source, b.Source), nil
	case a.Source == "":
		a, b = b, a
	}
	got, err := os.ReadFile(a.Source) // rare: bytes in memory equal to a source file's
	return err == nil && bytes.Equal(got, b.Data), err
}

// linkPackages adds the units pkgs[same...], which the current .dist (from)
// holds exactly, to the new tree under dir: each file is a hard link to the
// current one (the build replaces .dist whole, never edits a file in place,
// so the link shares nothing that changes), else a copy of the artifact.
func linkPackages(from, dir string, pkgs []unit, same []int, exact bool) error {
	return parallel(len(same), func(k int) error {
		p := pkgs[same[k]]
		made := map[string]bool{}
		for _, f := range p.files {
			rel := filepath.FromSlash(unitRel(p.id, f.Path))
			dst := filepath.Join(dir, rel)
			if d := filepath.Dir(dst); !made[d] {
				if err := mkdirs(dir, filepath.Dir(rel), exact); err != nil {
					return err
				}
				made[d] = true
			}
			if os.Link(filepath.Join(from, rel), dst) != nil {
				if err := writeFile(dst, f, !exact); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// mkdirs creates rel's folders under dir with mode 0755 (chmod'ed unless
// exact), like os.MkdirAll.
func mkdirs(dir, rel string, exact bool) error {
	if rel == "." || rel == "" {
		return nil
	}
	p := filepath.Join(dir, rel)
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		return nil
	}
	if err := mkdirs(dir, filepath.Dir(rel), exact); err != nil {
		return err
	}
	if err := os.Mkdir(p, 0o755); err != nil && !os.IsExist(err) {
		return err
	}
	if exact {
		return nil
	}
	return os.Chmod(p, 0o755)
}

// unitRel is the path below .dist of a unit's file ("" for a file unit).
func unitRel(id, p string) string {
	if p == "" {
		return id
	}
	return id + "/" + p
}
