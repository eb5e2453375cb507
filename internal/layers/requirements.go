package layers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// reqName matches the project name at the start of a requirement line
// (PEP 508), before extras, a version, a URL or markers.
var reqName = regexp.MustCompile(`^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)`)

// separators is PEP 503's run of -, _ and . inside a name.
var separators = regexp.MustCompile(`[-_.]+`)

// NormName applies PEP 503 name normalisation (Flask_Login → flask-login).
func NormName(name string) string { return strings.ToLower(separators.ReplaceAllString(name, "-")) }

// refused are requirement-file options whose effect the layer's digest
// cannot see (another file's content, a local folder) or that would let uv
// build source distributions with the build machine's Python.
var refused = []string{"-r", "--requirement", "-c", "--constraint", "--constraints", "-e", "--editable",
	"--no-binary", "--only-binary", "--no-build"}

// findLinks returns the folder of a --find-links/-f line ("" when the line
// is not one) and whether it is acceptable: a relative path inside the
// project (Request.Dir), whose files the layer's digest covers. It is how
// a project supplies wheels of its own (a pure-Python package published
// only as an sdist, built once with `pip wheel --no-deps`); URLs and paths
// outside the project are refused, as their content cannot be digested.
func findLinks(line string) (dir string, ok bool) {
	flag, val, _ := strings.Cut(line, " ")
	if f, v, eq := strings.Cut(flag, "="); eq {
		flag, val = f, v
	}
	if flag != "-f" && flag != "--find-links" {
		return "", false
	}
	val = strings.TrimSpace(val)
	clean := filepath.ToSlash(filepath.Clean(val))
	if val == "" || strings.Contains(val, "://") || filepath.IsAbs(val) || clean == ".." || strings.HasPrefix(clean, "../") {
		return val, false
	}
	return clean, true
}

// normalize turns requirement text (a requirements.txt, as
// packager.Requirements merges it) into the lines uv is given and the
// digest covers: comments, blank lines and surrounding spaces dropped, the
// project name PEP 503-normalised, options (--index-url …) first in their
// order, then the requirements sorted, duplicates removed. uv sees exactly
// these lines, so equal digests mean equal installs. problems lists the
// lines a layer cannot take.
func normalize(text string) (lines, problems []string) {
	var opts, reqs []string
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.Join(strings.Fields(line), " ")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if dir, isFL := findLinks(line); dir != "" || strings.HasPrefix(line, "-f ") || strings.HasPrefix(line, "--find-links") {
			if !isFL {
				problems = append(problems, fmt.Sprintf("%q: --find-links must name a folder inside the project (relative to it), whose wheels the layer's digest covers; URLs and outside folders cannot be digested", line))
				continue
			}
			opts = append(opts, "--find-links "+dir)
			continue
		}
		if strings.HasPrefix(line, "-") {
			flag, _, _ := strings.Cut(line, " ")
			flag, _, _ = strings.Cut(flag, "=")
			for _, r := range refused {
				if flag == r {
					problems = append(problems, fmt.Sprintf("%q: %s", line, refusedWhy(flag)))
				}
			}
			opts = append(opts, line)
			continue
		}
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "/") || strings.HasPrefix(line, "file:") ||
			strings.Contains(line, "@ file:") {
			problems = append(problems, fmt.Sprintf("%q: a local path is not part of the layer's digest and may hold a source tree; publish it as a wheel on an index", line))
			continue
		}
		if m := reqName.FindString(line); m != "" {
			line = NormName(m) + line[len(m):]
		}
		if !seen[line] {
			seen[line] = true
			reqs = append(reqs, line)
		}
	}
	sort.Strings(reqs)
	return append(opts, reqs...), problems
}

func refusedWhy(flag string) string {
	switch flag {
	case "-e", "--editable":
		return "editable installs build a source tree with the build machine's Python"
	case "--no-binary", "--only-binary", "--no-build":
		return "layers install wheels only (--only-binary :all:), so Lambda never gets a package built for the build machine"
	}
	return "its content is not part of the layer's digest; list the requirements themselves"
}

// Key is the digest of a request's inputs that do not depend on the uv
// binary: the normalised requirement lines, the runtime, the architecture
// and the builder's format version. Requests with equal keys get one layer;
// Dedupe groups by it. The layer's Digest adds uv's version.
func (r Request) Key() string {
	lines, _ := normalize(r.Requirements)
	h := sha256.New()
	fmt.Fprintf(h, "deployless layer\x00format %d\x00%s\x00%s\x00", formatVersion, r.Runtime, r.Arch)
	for _, l := range lines {
		h.Write([]byte(l + "\n"))
		if dir, ok := strings.CutPrefix(l, "--find-links "); ok {
			hashFolder(h, filepath.Join(r.Dir, filepath.FromSlash(dir)))
		}
	}
	files := slices.Clone(r.Files)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		fmt.Fprintf(h, "file %s %x\x00", f.Path, sum)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hashFolder adds the names and SHA-256 of the files directly in dir (a
// --find-links folder) to h; a folder that cannot be read adds its error,
// and the install then reports it.
func hashFolder(h io.Writer, dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		fmt.Fprintf(h, "unreadable %v\x00", err)
		return
	}
	for _, e := range entries { // sorted by name
		if !e.Type().IsRegular() {
			continue
		}
		sum, n, err := fileSHA256(filepath.Join(dir, e.Name()))
		fmt.Fprintf(h, "%s %s %d %v\x00", e.Name(), sum, n, err)
	}
}

// digest is a layer's identity and cache key: the request's Key and the
// version of the uv that installs it.
func digest(key, uvVersion string) string {
	sum := sha256.Sum256([]byte(key + "\x00uv " + uvVersion))
	return hex.EncodeToString(sum[:])
}

// Dedupe returns the distinct requests (by Key, first occurrence first) and,
// for each request of reqs, the index of its distinct request, so that
// functions with equal dependency sets share one layer.
func Dedupe(reqs []Request) (distinct []Request, index []int) {
	at := map[string]int{}
	index = make([]int, len(reqs))
	for i, r := range reqs {
		k := r.Key()
		j, ok := at[k]
		if !ok {
			j = len(distinct)
			at[k] = j
			distinct = append(distinct, r)
		}
		index[i] = j
	}
	return distinct, index
}

// Unpinned is the warning that some requirements are not pinned to exact
// versions, so uv may resolve them to other versions later and the layer is
// not reproducible over time. It is a plain value: the caller reports it
// under its warning code (W06) at the requirements file.
type Unpinned struct {
	Requirements []string // the lines without an exact pin, as normalised
	Fix          string   // a command that pins them
}

func (u *Unpinned) Error() string {
	return fmt.Sprintf("%s not pinned to an exact version (==), so the layer may change whenever uv resolves %s again; pin %s: %s",
		strings.Join(u.Requirements, ", "), plural(len(u.Requirements), "it", "them"), plural(len(u.Requirements), "it", "them"), u.Fix)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// exactPin matches a requirement pinned to one version: name[extras]==1.2.3
// (no wildcard) or ===, optionally followed by markers; or a direct URL.
var exactPin = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*(\[[^\]]*\])? ?(===? ?[^ ,;*]+|@ ?\S+) ?(;.*)?$`)

// CheckPinned returns nil when every requirement of text is pinned to an
// exact version, else the warning. file names the requirements file in the
// suggested command (uv pip compile, which pins the whole set for target in
// place); a project with a uv.lock gets its pins from LockedRequirements
// instead, which are exact by construction.
func CheckPinned(text, file string, target Target) *Unpinned {
	lines, _ := normalize(text)
	var loose []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "-") && !exactPin.MatchString(l) {
			loose = append(loose, l)
		}
	}
	if len(loose) == 0 {
		return nil
	}
	return &Unpinned{Requirements: loose, Fix: fmt.Sprintf("uv pip compile %s --python-version %s --python-platform %s --only-binary :all: -o %s",
		file, target.PythonVersion(), target.Platform, file)}
}
