package testenv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// pythonVersion is a Lambda runtime's Python version: "3.13".
var pythonVersion = regexp.MustCompile(`^3\.\d+$`)

// pythons memoises FindPython per version: every test of a package asks
// for the same few interpreters.
var pythons sync.Map // version → pythonResult

type pythonResult struct {
	path string
	err  error
}

// Python returns an interpreter of Python version ("3.13"): a base
// installation (not a virtualenv's python), as its real path, so that its
// folder holds python3.X and a virtualenv made from it holds nothing but
// the standard library. It skips the test when the machine has none (fails
// under DEPLOYLESS_REQUIRE_TOOLS=1). See FindPython for where it looks.
func Python(t testing.TB, version string) string {
	t.Helper()
	p, err := FindPython(version)
	if err != nil {
		if os.Getenv("DEPLOYLESS_REQUIRE_TOOLS") == "1" {
			t.Fatalf("Python %s: %v", version, err)
		}
		t.Skipf("Python %s: %v", version, err)
	}
	return p
}

// FindPython is Python without a testing.TB, safe to call from any
// goroutine: the interpreter of Python version, or an error saying where
// it looked. In order: python3.X on PATH, ~/.pyenv/versions/3.X*/bin
// (or $PYENV_ROOT's; pyenv's shims fail when no version is selected, so
// the versions are looked at directly), then `uv python find
// --no-python-downloads 3.X` with the test virtualenv's uv (or uv on PATH).
// A candidate counts only when it runs, reports that sys.version_info and
// is not a virtualenv's interpreter.
func FindPython(version string) (string, error) {
	if !pythonVersion.MatchString(version) {
		return "", fmt.Errorf("%q is not a Python version such as 3.13", version)
	}
	if r, ok := pythons.Load(version); ok {
		r := r.(pythonResult)
		return r.path, r.err
	}
	p, err := findPython(version)
	pythons.Store(version, pythonResult{p, err})
	return p, err
}

func findPython(version string) (string, error) {
	var tried []string
	try := func(candidate string) string {
		if candidate == "" {
			return ""
		}
		p, err := checkPython(candidate, version)
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s (%v)", candidate, err))
			return ""
		}
		return p
	}
	exe := "python" + version
	// Every python3.X on PATH, in order: the first may be a virtualenv's
	// (the test venv's bin/ is first on PATH) or a failing pyenv shim.
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir == "" {
			continue
		}
		c := filepath.Join(dir, exe)
		if st, err := os.Stat(c); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			if p := try(c); p != "" {
				return p, nil
			}
		}
	}
	root := os.Getenv("PYENV_ROOT")
	if root == "" {
		if home, err := os.UserHomeDir(); err == nil {
			root = filepath.Join(home, ".pyenv")
		}
	}
	if root != "" {
		var found []string
		for _, pattern := range []string{version, version + ".*", version + "-*"} {
			m, _ := filepath.Glob(filepath.Join(root, "versions", pattern, "bin", exe))
			found = append(found, m...)
		}
		sortNewestFirst(found, root)
		for _, c := range found {
			if p := try(c); p != "" {
				return p, nil
			}
		}
	}
	uv := filepath.Join(venvDir(), "bin", "uv")
	if _, err := os.Stat(uv); err != nil {
		uv, _ = exec.LookPath("uv")
	}
	if uv != "" {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, uv, "python", "find", "--no-python-downloads", version)
		cmd.Dir = os.TempDir()
		cmd.Env = append(os.Environ(), "UV_PYTHON_DOWNLOADS=never")
		out, err := cmd.Output()
		if err != nil {
			tried = append(tried, fmt.Sprintf("uv python find %s (%v)", version, err))
		} else if p := try(strings.TrimSpace(string(out))); p != "" {
			return p, nil
		}
	}
	if len(tried) == 0 {
		tried = append(tried, "no "+exe+" on PATH or in "+filepath.Join(root, "versions")+", and no uv")
	}
	return "", fmt.Errorf("no interpreter found (install it with `uv python install %s` or pyenv); tried: %s", version, strings.Join(tried, "; "))
}

// checkPython runs candidate and returns its sys.executable when it is
// Python version and a base installation.
func checkPython(candidate, version string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, candidate, "-I", "-c",
		"import sys; print('%d.%d' % sys.version_info[:2]); print(int(sys.prefix != sys.base_prefix)); print(sys.executable)")
	cmd.Dir = os.TempDir()
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("does not run: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 {
		return "", fmt.Errorf("unexpected output %q", out)
	}
	if lines[0] != version {
		return "", fmt.Errorf("is Python %s", lines[0])
	}
	if lines[1] != "0" {
		return "", fmt.Errorf("is a virtualenv's interpreter")
	}
	p := strings.TrimSpace(lines[2])
	if p == "" || !filepath.IsAbs(p) {
		p = candidate
	}
	// Keep the versioned name: the folder then finds it as python3.X.
	if filepath.Base(p) != "python"+version {
		if alt := filepath.Join(filepath.Dir(p), "python"+version); alt != p {
			if _, err := os.Stat(alt); err == nil {
				p = alt
			}
		}
	}
	return p, nil
}

// sortNewestFirst orders pyenv interpreters by their version folder,
// newest patch release first (3.13.10 before 3.13.9).
func sortNewestFirst(paths []string, root string) {
	key := func(p string) []int {
		rel, _ := filepath.Rel(filepath.Join(root, "versions"), p)
		v := strings.SplitN(rel, string(filepath.Separator), 2)[0]
		var out []int
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '-' }) {
			n, err := strconv.Atoi(part)
			if err != nil {
				n = -1 // pre-release or a suffix: after the plain releases
			}
			out = append(out, n)
		}
		return out
	}
	sort.SliceStable(paths, func(i, j int) bool {
		a, b := key(paths[i]), key(paths[j])
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] > b[k]
			}
		}
		return len(a) < len(b)
	})
}

// venvDir is the test virtualenv's folder, without checking it exists.
func venvDir() string {
	if dir := os.Getenv("DEPLOYLESS_TEST_VENV"); dir != "" {
		return dir
	}
	return filepath.Join(RepoRoot(), ".venv")
}
