package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// The swap is a small transaction, so that a build killed at any moment
// leaves the previous output or the new one, never a mix:
//
//  1. the complete new .dist is built in .dist.tmp-*/dist (changed units
//     written, unchanged ones hard-linked from the current .dist), and each
//     changed file beside its path;
//  2. a journal naming every rename still to do is written to
//     .dist.tmp-*/journal with one rename: from then on the build is
//     committed;
//  3. the new .dist replaces the old one in one atomic exchange
//     (renameat2 RENAME_EXCHANGE; two renames where the file system lacks it);
//  4. each file is renamed over its path;
//  5. the journal goes, then the temporary folders.
//
// A kill before step 2 leaves the old output and temporaries, which the
// next build removes. A kill after it leaves a journal, and the next build
// (Recover, under the project lock) finishes steps 3–5 before anything
// else: the new output, whole. Between steps 3 and 4 .dist is new and the
// template old for the time of one rename; that is the only window, and the
// journal closes it. An error (not a kill) after step 2 undoes the renames
// done so far and removes the journal, so the old output stays.

// journalName is the commit record inside a build's temporary folder;
// planName lists, before they exist, the temporary folders the build makes
// beside other files (removed by Recover when there is no journal).
const (
	journalName = "journal"
	planName    = "plan"
)

// journal lists a committed build's renames, paths relative to the root.
type journal struct {
	// Dist is the new .dist's folder in the temporary folder, with its
	// identity: once .dist is that folder, step 3 is done. Empty when no
	// package changed.
	Dist string `json:"dist,omitempty"`
	Dev  uint64 `json:"dev,omitempty"`
	Ino  uint64 `json:"ino,omitempty"`
	// Files are the other artifacts: New is renamed over Dst; Old is Dst's
	// previous file (a link) or "" when Dst did not exist.
	Files []journalFile `json:"files"`
}

type journalFile struct {
	New string `json:"new"`
	Dst string `json:"dst"`
	Old string `json:"old,omitempty"`
}

// identity is a folder's (device, inode): it survives renames.
func identity(p string) (dev, ino uint64, err error) {
	info, err := os.Lstat(p)
	if err != nil {
		return 0, 0, err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, fmt.Errorf("%s: no inode to record", p)
	}
	return uint64(st.Dev), uint64(st.Ino), nil
}

// record writes j into tmp under name with one rename, so that it exists
// whole or not at all; under journalName, that is the build's commit.
func record(tmp, name string, j *journal) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	part := filepath.Join(tmp, name+".part")
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync() // the journal is whole before it exists under its name
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if name != journalName {
		return os.Rename(part, filepath.Join(tmp, name))
	}
	return rename(part, filepath.Join(tmp, name))
}

// swapDist makes the folder next the project's .dist and reports where the
// old .dist went ("" when there was none): with an atomic exchange, next
// holds it in the same step; without, it is renamed to old first.
func swapDist(next, dist, old string) (string, error) {
	if _, err := os.Lstat(dist); errors.Is(err, fs.ErrNotExist) {
		return "", rename(next, dist)
	}
	err := exchange(next, dist)
	if err == nil {
		return next, nil
	}
	if !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOSYS) && !errors.Is(err, errors.ErrUnsupported) {
		return "", err
	}
	if err := rename(dist, old); err != nil {
		return "", err
	}
	if err := rename(next, dist); err != nil {
		_ = os.Rename(old, dist)
		return "", err
	}
	return old, nil
}

// exchange is exchangeDirs; tests replace it (and rename) to fail or kill a
// build at a given step.
var exchange = exchangeDirs

// Recover finishes the output swap of a build that was killed after it
// committed (see the transaction above), so the new output is whole, and
// removes the temporary folders of builds killed before. Callers hold
// Lock(root); Write calls it first.
func Recover(root string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".dist.tmp-") {
			continue
		}
		tmp := filepath.Join(root, e.Name())
		b, err := os.ReadFile(filepath.Join(tmp, journalName))
		if err == nil {
			var j journal
			if err := json.Unmarshal(b, &j); err != nil {
				return fmt.Errorf("the journal of an interrupted build, %s, is damaged (%v): remove %s and build again", filepath.Join(tmp, journalName), err, tmp)
			}
			if err := rollForward(root, tmp, &j); err != nil {
				return fmt.Errorf("finish the interrupted build's output (%s): %w", tmp, err)
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		} else if b, err := os.ReadFile(filepath.Join(tmp, planName)); err == nil {
			var j journal
			if json.Unmarshal(b, &j) == nil {
				for _, f := range j.Files {
					os.RemoveAll(filepath.Dir(abs(root, f.New)))
				}
			}
		}
		if err := os.RemoveAll(tmp); err != nil {
			return err
		}
	}
	return nil
}

// rollForward does what is left of j's renames; each step checks whether
// it was done, so a kill during Recover is recovered by the next one.
func rollForward(root, tmp string, j *journal) error {
	at := func(p string) string { return abs(root, p) }
	if j.Dist != "" {
		dist := filepath.Join(root, DistDir)
		dev, ino, err := identity(dist)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if err != nil || dev != j.Dev || ino != j.Ino {
			if _, err := swapDist(at(j.Dist), dist, filepath.Join(tmp, "old")); err != nil {
				return err
			}
		}
	}
	for _, f := range j.Files {
		if _, err := os.Lstat(at(f.New)); err == nil {
			if err := rename(at(f.New), at(f.Dst)); err != nil {
				return err
			}
		}
	}
	if err := os.Remove(filepath.Join(tmp, journalName)); err != nil {
		return err
	}
	for _, f := range j.Files {
		os.RemoveAll(filepath.Dir(at(f.New)))
	}
	return nil
}

// abs is a journal path as a path.
func abs(root, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(root, filepath.FromSlash(p))
}
