// Package artifact is what a compilation produces for the disk: a set of
// files, each a path with its bytes (or a file on disk that holds them) and
// its mode. The compiler returns one Set and writes nothing (STYLE.md rules
// 2 and 15); writers consume it: package output lays it out as folders
// today, and later writers add zip files and several templates without the
// compiler or output.Write's signature changing.
package artifact

import (
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// DistDir is the packages' folder under the project root. Each of its
// sub-folders is one unit (a function's package) that writers compare and
// replace as a whole.
const DistDir = ".dist"

// Artifact is one output file.
type Artifact struct {
	// Path is slash-separated and relative to the project root:
	// "template.yaml", ".dist/UserFunction/app/x.py". It may start with
	// "../" for a template written outside the project (build --output).
	Path string
	// Data is the file's bytes when Source is empty (nil: an empty file).
	Data []byte
	// Source, when set, is a file on disk whose bytes are the artifact's
	// (later: cached layer zips); Data is then nil. Writers copy it or link
	// to it, so its owner must replace it by rename, never edit it in place.
	Source string
	// Mode is 0o644, or 0o755 for an executable.
	Mode fs.FileMode
}

// Set is a compilation's output files, unique by path. Add is not safe for
// concurrent use; the other methods are once the set is built.
type Set struct {
	files  []Artifact
	index  map[string]int      // path → position in files
	dirs   map[string]struct{} // every folder some path implies
	sorted bool                // files is in path order (kept while Adds come in order)
}

// Add adds a. Its path must be clean and relative, and neither another
// artifact's path nor the folder of one; under DistDir it must name a file
// inside a unit. Its mode must be 0o644 or 0o755.
func (s *Set) Add(a Artifact) error {
	if s.index == nil {
		s.index, s.dirs, s.sorted = map[string]int{}, map[string]struct{}{}, true
	}
	p := a.Path
	unit, _ := Unit(p)
	switch {
	case !clean(p):
		return fmt.Errorf("artifact path %q is not a clean relative file path", p)
	case p == DistDir || (strings.HasPrefix(p, DistDir+"/") && unit == ""):
		return fmt.Errorf("artifact path %q is not a unit of %s/ (a file in it, or a file inside one of its folders)", p, DistDir)
	case a.Mode != 0o644 && a.Mode != 0o755:
		return fmt.Errorf("artifact %q has mode %#o, want 0644 or 0755", p, a.Mode)
	case a.Source != "" && a.Data != nil:
		return fmt.Errorf("artifact %q has both bytes and a source file", p)
	}
	if _, dup := s.index[p]; dup {
		return fmt.Errorf("artifact path %q is produced twice", p)
	}
	if _, dir := s.dirs[p]; dir {
		return fmt.Errorf("artifact path %q is also a folder of other artifacts", p)
	}
	// Ancestors, nearest first; once one is known, so are all above it.
	var added []string
	for d := p; ; {
		i := strings.LastIndexByte(d, '/')
		if i < 0 {
			break
		}
		d = d[:i]
		if d == ".." || strings.HasSuffix(d, "/..") {
			break
		}
		if _, file := s.index[d]; file {
			for _, a := range added {
				delete(s.dirs, a)
			}
			return fmt.Errorf("artifact path %q is inside the artifact %q", p, d)
		}
		if _, known := s.dirs[d]; known {
			break
		}
		s.dirs[d] = struct{}{}
		added = append(added, d)
	}
	if n := len(s.files); n > 0 && s.files[n-1].Path > p {
		s.sorted = false
	}
	s.index[p] = len(s.files)
	s.files = append(s.files, a)
	return nil
}

// clean reports whether p is a clean relative path ("../" allowed only in
// front): what path.Clean leaves unchanged, without allocating.
func clean(p string) bool {
	if p == "" || p[0] == '/' {
		return false
	}
	front := true // still among leading ".." segments
	for seg, rest, more := "", p, true; more; {
		seg, rest, more = strings.Cut(rest, "/")
		switch {
		case seg == "" || seg == ".":
			return false
		case seg == "..":
			if !front {
				return false
			}
		default:
			front = false
		}
	}
	return !front // not only ".." segments
}

// Lookup returns the artifact at path p.
func (s *Set) Lookup(p string) (Artifact, bool) {
	if s == nil {
		return Artifact{}, false
	}
	i, ok := s.index[p]
	if !ok {
		return Artifact{}, false
	}
	return s.files[i], true
}

// Len is the number of artifacts.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.files)
}

// Files returns the artifacts sorted by path, in a new slice.
func (s *Set) Files() []Artifact {
	if s == nil {
		return nil
	}
	out := slices.Clone(s.files)
	if !s.sorted {
		slices.SortFunc(out, func(a, b Artifact) int { return cmp.Compare(a.Path, b.Path) })
	}
	return out
}

// Unit splits a path under DistDir into its unit (the package folder's
// name, or the name of a file directly in DistDir, such as a zip) and the
// path inside it ("" for a file unit); for any other path, unit is "".
func Unit(p string) (unit, rest string) {
	after, ok := strings.CutPrefix(p, DistDir+"/")
	if !ok {
		return "", p
	}
	unit, rest, _ = strings.Cut(after, "/")
	return unit, rest
}
