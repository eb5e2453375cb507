package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"

	"github.com/deployless/deployless/internal/artifact"
)

// The two outputs of the kill test: old, then new (A changes, B appears, C
// goes, D stays, the template changes and a second file appears).
func oldOutput(t *testing.T) *artifact.Set {
	return set(t, "t1",
		pkg{"AFunction", []artifact.Artifact{file("bootstrap.py", "a1"), file("app/__init__.py", "")}},
		pkg{"CFunction", []artifact.Artifact{file("bootstrap.py", "c")}},
		pkg{"DFunction", []artifact.Artifact{file("bootstrap.py", "d"), file("app/x.py", "x")}})
}

func newOutput(t *testing.T) *artifact.Set {
	s := set(t, "t2",
		pkg{"AFunction", []artifact.Artifact{file("bootstrap.py", "a2"), file("app/__init__.py", "")}},
		pkg{"BFunction", []artifact.Artifact{file("bootstrap.py", "b")}},
		pkg{"DFunction", []artifact.Artifact{file("bootstrap.py", "d"), file("app/x.py", "x")}})
	if err := s.Add(file("stacks/api.yaml", "api")); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestKilledBuildHelper is the build the kill test kills: run by it in a
// child process, it writes the new output and sends itself SIGKILL before
// (or after) its n-th rename or exchange.
func TestKilledBuildHelper(t *testing.T) {
	root := os.Getenv("DEPLOYLESS_KILL_ROOT")
	if root == "" {
		t.Skip("run by TestKillAtEveryRename")
	}
	at, _ := strconv.Atoi(os.Getenv("DEPLOYLESS_KILL_AT"))
	after := os.Getenv("DEPLOYLESS_KILL_AFTER") == "1"
	noExchange := os.Getenv("DEPLOYLESS_KILL_NOEXCHANGE") == "1"
	n := 0
	step := func(do func() error) error {
		n++
		if n == at && !after {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		err := do()
		if n == at && after {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
		return err
	}
	rename = func(from, to string) error { return step(func() error { return os.Rename(from, to) }) }
	exchange = func(a, b string) error {
		if noExchange {
			return syscall.EINVAL
		}
		return step(func() error { return exchangeDirs(a, b) })
	}
	if _, err := Write(root, newOutput(t)); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("steps=%d\n", n)
}

// snapshot is every file under root (temporaries left out) with its bytes.
func snapshot(t *testing.T, root string, dirs ...string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, d := range dirs {
		filepath.WalkDir(filepath.Join(root, d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					t.Fatal(err)
				}
				return nil
			}
			if !e.IsDir() {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				r, _ := filepath.Rel(root, p)
				got[filepath.ToSlash(r)] = string(b)
			}
			return nil
		})
	}
	return got
}

func same(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var k []string
	for p := range m {
		k = append(k, p)
	}
	sort.Strings(k)
	return k
}

// TestKillAtEveryRename kills a real build process (SIGKILL: no deferred
// clean-up runs) before and after each rename and exchange of its output
// swap, with and without an atomic exchange, and checks: right after the
// kill, .dist is wholly the old one or wholly the new one; after the next
// build's recovery, template, .dist and the other file are all old or all
// new, and all new once the journal was committed; no temporary remains;
// and the next build then writes the new output.
func TestKillAtEveryRename(t *testing.T) {
	// Reference snapshots.
	refs := map[string]map[string]string{}
	for name, s := range map[string]*artifact.Set{"old": oldOutput(t), "new": newOutput(t)} {
		root := t.TempDir()
		if _, err := Write(root, s); err != nil {
			t.Fatal(err)
		}
		refs[name] = snapshot(t, root, DistDir, "template.yaml", "stacks")
		refs[name+" dist"] = snapshot(t, root, DistDir)
	}
	oldDist, newDist := refs["old dist"], refs["new dist"]
	oldAll, newAll := refs["old"], refs["new"]
	if same(oldAll, newAll) {
		t.Fatal("the two outputs are the same")
	}

	for _, noExchange := range []string{"0", "1"} {
		total := -1
		for at := 1; total < 0 || at <= total; at++ {
			for _, after := range []string{"0", "1"} {
				name := fmt.Sprintf("noexchange=%s/at=%d/after=%s", noExchange, at, after)
				root := filepath.Join(t.TempDir(), "project")
				if err := os.Mkdir(root, 0o755); err != nil {
					t.Fatal(err)
				}
				if _, err := Write(root, oldOutput(t)); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(os.Args[0], "-test.run=^TestKilledBuildHelper$", "-test.count=1")
				cmd.Env = append(os.Environ(), "DEPLOYLESS_KILL_ROOT="+root, "DEPLOYLESS_KILL_AT="+strconv.Itoa(at),
					"DEPLOYLESS_KILL_AFTER="+after, "DEPLOYLESS_KILL_NOEXCHANGE="+noExchange)
				out, err := cmd.Output()
				var exit *exec.ExitError
				killed := errors.As(err, &exit) && exit.ProcessState.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
				if !killed {
					if err != nil {
						t.Fatalf("%s: the build was not killed but failed: %v\n%s", name, err, out)
					}
					// It ran to the end: at is past the last step.
					fmt.Sscanf(string(out), "steps=%d", &total)
					if total <= 0 {
						t.Fatalf("%s: the build reported no steps: %s", name, out)
					}
					if got := snapshot(t, root, DistDir, "template.yaml", "stacks"); !same(got, newAll) {
						t.Errorf("%s: a build that ran to the end left %v", name, keys(got))
					}
					continue
				}
				dist := snapshot(t, root, DistDir)
				// Without an atomic exchange, .dist is missing between
				// its two renames (the journal then completes the swap).
				if !same(dist, oldDist) && !same(dist, newDist) && (noExchange == "0" || len(dist) > 0) {
					t.Errorf("%s: after the kill .dist is a mix: %v", name, keys(dist))
				}
				committed := false
				if m, _ := filepath.Glob(filepath.Join(root, ".dist.tmp-*", journalName)); len(m) > 0 {
					committed = true
				}
				if err := Recover(root); err != nil {
					t.Fatalf("%s: recover: %v", name, err)
				}
				got := snapshot(t, root, DistDir, "template.yaml", "stacks")
				switch {
				case committed && !same(got, newAll):
					t.Errorf("%s: a committed build recovered to %v, want the new output", name, keys(got))
				case !committed && !same(got, oldAll):
					t.Errorf("%s: an uncommitted build recovered to %v, want the old output", name, keys(got))
				}
				noTemporaries(t, root)
				if _, err := Write(root, newOutput(t)); err != nil {
					t.Fatalf("%s: the next build: %v", name, err)
				}
				if got := snapshot(t, root, DistDir, "template.yaml", "stacks"); !same(got, newAll) {
					t.Errorf("%s: the next build left %v", name, keys(got))
				}
				noTemporaries(t, root)
				noTemporaries(t, filepath.Join(root, "stacks"))
			}
			if at > 50 {
				t.Fatal("more than 50 renames: the helper never ran to the end")
			}
		}
		t.Logf("noexchange=%s: killed at each of %d steps, before and after", noExchange, total)
	}
}
