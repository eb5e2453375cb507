package layers

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// installerFiles are .dist-info files an installer writes about the
// installation rather than the package (uv skips them with
// --no-installer-metadata; older installers may not).
var installerFiles = map[string]bool{"INSTALLER": true, "REQUESTED": true, "direct_url.json": true}

// prune removes from the installed tree root (the layer's python/) what
// is specific to the build machine or useless on Lambda: bin/ (console
// scripts whose shebang names the build machine's interpreter), the .lock
// file uv keeps at the top of a --target folder,
// __pycache__ folders and .pyc files (bytecode of the wrong Python; they
// come from a separate compile step), and installer metadata. Each
// .dist-info/RECORD loses the lines of the files removed, so it lists what
// the layer holds and no longer carries the hash of a script that named the
// build machine's interpreter.
func prune(root string) error {
	removed := map[string]bool{} // slash paths relative to root
	var drop []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		switch {
		case d.IsDir() && (rel == "bin" || name == "__pycache__"):
			drop = append(drop, p)
			return markRemoved(p, rel, removed)
		case !d.IsDir() && (rel == ".lock" || strings.HasSuffix(name, ".pyc") ||
			installerFiles[name] && strings.HasSuffix(path.Dir(rel), ".dist-info")):
			drop = append(drop, p)
			removed[rel] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range drop {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	records, _ := filepath.Glob(filepath.Join(root, "*.dist-info", "RECORD"))
	for _, rec := range records {
		if err := pruneRecord(rec, removed); err != nil {
			return err
		}
	}
	return nil
}

// markRemoved records every file under the folder p (rel from the root).
func markRemoved(p, rel string, removed map[string]bool) error {
	err := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			r, _ := filepath.Rel(p, q)
			removed[rel+"/"+filepath.ToSlash(r)] = true
		}
		return err
	})
	if err != nil {
		return err
	}
	return filepath.SkipDir
}

// pruneRecord rewrites a RECORD (CSV: path,hash,size) without the lines of
// removed files. Paths are relative to the install root; a path may be
// quoted when it holds a comma.
func pruneRecord(file string, removed map[string]bool) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if line == "" {
			continue
		}
		p := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(p, `"`) {
			if i := strings.Index(p[1:], `"`); i >= 0 {
				p = p[1 : i+1]
			}
		} else if i := strings.LastIndex(p, ","); i >= 0 {
			p = p[:i]
			if j := strings.LastIndex(p, ","); j >= 0 {
				p = p[:j]
			}
		}
		if removed[path.Clean(p)] || strings.HasPrefix(path.Clean(p), "../") {
			continue
		}
		out.WriteString(line)
	}
	if bytes.Equal(out.Bytes(), b) {
		return nil
	}
	return os.WriteFile(file, out.Bytes(), 0o644)
}

// dist is one installed distribution: its .dist-info folder, name, version
// and wheel tags.
type dist struct {
	name, version string
	tags          []string
}

// dists reads every .dist-info of the installed tree root, sorted by name.
func dists(root string) ([]dist, error) {
	infos, err := filepath.Glob(filepath.Join(root, "*.dist-info"))
	if err != nil {
		return nil, err
	}
	sort.Strings(infos)
	var ds []dist
	for _, info := range infos {
		base := strings.TrimSuffix(filepath.Base(info), ".dist-info")
		name, version, _ := strings.Cut(base, "-")
		d := dist{name: NormName(name), version: version}
		f, err := os.Open(filepath.Join(info, "WHEEL"))
		if err != nil {
			return nil, fmt.Errorf("%s has no WHEEL file, so its platform cannot be checked: %w", filepath.Base(info), err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "Tag:"); ok {
				d.tags = append(d.tags, strings.TrimSpace(v))
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// incompatible returns the distributions none of whose wheel tags loads on
// t (a wheel with no Tag line counts as incompatible).
func incompatible(ds []dist, t Target) []dist {
	var bad []dist
	for _, d := range ds {
		ok := false
		for _, tag := range d.tags {
			if t.Compatible(tag) {
				ok = true
				break
			}
		}
		if !ok {
			bad = append(bad, d)
		}
	}
	return bad
}
