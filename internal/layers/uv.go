package layers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// MinUV is the oldest uv Build runs. Older ones are refused: the flags
// below, the manylinux_2_34 targets and the resolver hints Build reads
// (uvProblems) must all be there, and this is the oldest release the tests
// ran against.
const MinUV = "0.5.10"

// PinnedUV is the uv the project's tests use (scripts/requirements-test.txt),
// suggested when uv is missing or too old.
const PinnedUV = "0.13.9"

// installHint says how to get a usable uv.
const installHint = "install it with `pip install uv==" + PinnedUV + "` (or `pipx install uv`) or the official installer " +
	"(`curl -LsSf https://astral.sh/uv/install.sh | sh`), then check `uv --version`"

// uvBinary is a located uv and its version.
type uvBinary struct {
	path, version string
}

// uvError says why no usable uv was found; Build then falls back to a
// cached layer built by an earlier uv.
type uvError struct{ msg string }

func (e *uvError) Error() string { return e.msg }

// findUV locates uv (opts.UV, else PATH) and reads its version, from the
// version memo when the binary did not change since it was last asked
// (so a build that reuses every cached layer runs no uv at all), else by
// running uv --version.
func findUV(ctx context.Context, opts Options, cacheDir string) (uvBinary, error) {
	path := opts.UV
	if path == "" || !strings.ContainsRune(path, filepath.Separator) {
		name := path
		if name == "" {
			name = "uv"
		}
		p, err := exec.LookPath(name)
		if err != nil {
			return uvBinary{}, &uvError{"uv is not installed (no " + name + " on PATH): dependency layers are installed with uv " + MinUV + " or later; " + installHint}
		}
		path = p
	} else if _, err := os.Stat(path); err != nil {
		return uvBinary{}, &uvError{fmt.Sprintf("uv %s does not exist: dependency layers are installed with uv %s or later; %s", path, MinUV, installHint)}
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	stamp := binaryStamp(path)
	memo := filepath.Join(cacheDir, "uv-versions.json")
	versions := map[string]string{}
	if b, err := os.ReadFile(memo); err == nil {
		_ = json.Unmarshal(b, &versions) // a damaged memo is a miss
	}
	v, ok := versions[stamp]
	if !ok || stamp == "" {
		out, err := exec.CommandContext(ctx, path, "--version").Output()
		if err != nil {
			return uvBinary{}, &uvError{fmt.Sprintf("%s --version failed (%v): dependency layers need uv %s or later; %s", path, err, MinUV, installHint)}
		}
		v, ok = parseUVVersion(string(out))
		if !ok {
			return uvBinary{}, &uvError{fmt.Sprintf("%s --version printed no uv version: dependency layers need uv %s or later; %s", path, MinUV, installHint)}
		}
		if stamp != "" {
			versions[stamp] = v
			if b, err := json.Marshal(versions); err == nil {
				_ = writeAtomic(memo, b) // only a cache: a failed write costs one uv --version later
			}
		}
	}
	if versionLess(v, MinUV) {
		return uvBinary{}, &uvError{fmt.Sprintf("uv %s (%s) is older than %s, the oldest that builds dependency layers; upgrade it: %s", v, path, MinUV, installHint)}
	}
	return uvBinary{path: path, version: v}, nil
}

// binaryStamp identifies one build of a binary without running it: its
// resolved path, size and modification time. Upgrading uv replaces the file,
// which changes the stamp.
func binaryStamp(path string) string {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return ""
	}
	st, err := os.Stat(real)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s|%d|%d", real, st.Size(), st.ModTime().UnixNano())
}

var uvVersion = regexp.MustCompile(`^uv (\d+\.\d+\.\d+)\b`)

// parseUVVersion reads "uv 0.13.9 (x86_64-unknown-linux-gnu)".
func parseUVVersion(out string) (string, bool) {
	m := uvVersion.FindStringSubmatch(strings.TrimSpace(out))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// versionLess compares dotted numeric versions.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// installArgs is the uv command line that installs requirements for t into
// dir/python (every flag checked against uv's CLI reference, uv-cli
// src/lib.rs, and its AWS Lambda guide):
//   - --target: packages at the top of python/, which Lambda puts on
//     sys.path from a layer as /opt/python; uv only needs some Python to
//     resolve with, not the runtime's;
//   - --python-platform, --python-version: wheels for Lambda, not for the
//     build machine;
//   - --only-binary :all:: never build a source distribution (that would
//     build it with the build machine's Python, for the build machine);
//   - --no-installer-metadata: no INSTALLER, REQUESTED or direct_url.json,
//     which differ between machines;
//   - --no-compile-bytecode: .pyc for the runtime's Python is a separate
//     step (the build machine's Python would write the wrong ones);
//   - --color never, --no-progress: plain output to read errors from.
func installArgs(t Target, dir string) []string {
	return []string{"pip", "install",
		"--target", filepath.Join(dir, "python"),
		"--python-platform", t.Platform,
		"--python-version", t.PythonVersion(),
		"--only-binary", ":all:",
		"--no-installer-metadata",
		"--no-compile-bytecode",
		"--color", "never", "--no-progress",
		"-r", filepath.Join(dir, "requirements.txt"),
	}
}

// runUV runs uv in dir (a fresh temporary folder, so that no project's
// pyproject.toml or uv.toml near the caller applies) and returns its
// combined output.
func runUV(ctx context.Context, uv uvBinary, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, uv.path, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// Patterns of uv's resolver errors ("No solution found when resolving
// dependencies" and its causes and hints, uv ≥ 0.5.10), matched against
// the output with its whitespace collapsed.
var (
	uvHintWheels = regexp.MustCompile("Wheels are required for `([^`]+)`")
	uvNoWheels   = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?((?:[<>=!~]=?=?[^\s,]+,?)*) has no usable wheels`)
	uvNotFound   = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9._-]*) was not found in the package registry`)
	uvNoVersion  = regexp.MustCompile(`there (?:is|are) no versions? of ([A-Za-z0-9][A-Za-z0-9._-]*)(\S*)`)
)

// problem is one thing uv could not do, parsed from its output.
type problem struct {
	pkg, spec string
	kind      int // noWheel, notFound, noVersion
}

const (
	noWheel = iota
	notFound
	noVersion
)

// uvProblems reads the packages uv's resolver failed on; none when the
// output has no resolver error it recognises.
func uvProblems(out string) []problem {
	// uv may draw the error as a report wrapped at the terminal's width
	// (uv < 0.6 even with --color never): read it as one line of words.
	out = strings.Join(strings.Fields(out), " ")
	var ps []problem
	seen := map[string]bool{}
	add := func(p problem) {
		p.pkg = NormName(p.pkg)
		if !seen[p.pkg] {
			seen[p.pkg] = true
			ps = append(ps, p)
		}
	}
	for _, m := range uvNoWheels.FindAllStringSubmatch(out, -1) {
		add(problem{pkg: m[1], spec: strings.TrimSuffix(m[3], ","), kind: noWheel})
	}
	for _, m := range uvHintWheels.FindAllStringSubmatch(out, -1) {
		add(problem{pkg: m[1], kind: noWheel})
	}
	for _, m := range uvNotFound.FindAllStringSubmatch(out, -1) {
		add(problem{pkg: m[1], kind: notFound})
	}
	for _, m := range uvNoVersion.FindAllStringSubmatch(out, -1) {
		add(problem{pkg: m[1], spec: strings.TrimRight(m[2], ",."), kind: noVersion})
	}
	return ps
}

// exportArgs is the uv command line that turns a uv.lock into pinned
// requirement lines (uv's CLI reference and AWS Lambda guide): --frozen
// reads the lock as it is (never re-locks, so no network), --no-dev leaves
// the dev group out, --no-editable and --no-emit-workspace leave out the
// project itself and its workspace members (the app's own code ships in
// the function's package, not in the layer), --no-hashes keeps one
// requirement per line (hashes continue lines with a backslash), --no-header
// drops the header comment. The "# via" annotations stay: --no-annotate is
// newer than MinUV, and normalize drops comments anyway. requirements-txt
// is the format's name in every uv since MinUV (later ones also accept
// requirements.txt).
var exportArgs = []string{"export", "--frozen", "--no-dev", "--no-editable", "--no-emit-workspace", "--no-hashes",
	"--no-header", "--format", "requirements-txt"}

// ExportError is a failed uv export; the caller reports it as an E43 at
// uv.lock, with Output (uv's own words) as a note.
type ExportError struct {
	Dir    string
	Output string
}

func (e *ExportError) Error() string {
	return "uv export could not read the pins of " + filepath.Join(e.Dir, "uv.lock") +
		" (if pyproject.toml changed since the lock was written, run `uv lock`)"
}

// LockedRequirements returns the requirement lines pinned by dir's uv.lock
// and pyproject.toml, as uv export writes them (see exportArgs); ok is
// false when dir lacks either file. The export is cached by the two files'
// content (in the layer cache), so an unchanged lock runs no uv. A missing
// or too old uv is an error saying how to install it; a failed export an
// *ExportError. The caller reports both as E43.
func LockedRequirements(ctx context.Context, dir string, opts Options) (requirements string, ok bool, err error) {
	lock, err1 := os.ReadFile(filepath.Join(dir, "uv.lock"))
	pyproject, err2 := os.ReadFile(filepath.Join(dir, "pyproject.toml"))
	if errors.Is(err1, os.ErrNotExist) || errors.Is(err2, os.ErrNotExist) {
		return "", false, nil
	}
	if err := errors.Join(err1, err2); err != nil {
		return "", true, err
	}
	cacheDir, err := opts.cacheDir()
	if err != nil {
		return "", true, err
	}
	h := hashOf("deployless uv export\x00", strings.Join(exportArgs, " "), "\x00", string(lock), "\x00", string(pyproject))
	cached := filepath.Join(cacheDir, "export-"+h+".txt")
	if b, err := os.ReadFile(cached); err == nil {
		return string(b), true, nil
	}
	uv, err := findUV(ctx, opts, cacheDir)
	if err != nil {
		return "", true, err
	}
	cmd := exec.CommandContext(ctx, uv.path, append(exportArgs, "--project", dir)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", true, &ExportError{Dir: dir, Output: strings.TrimSpace(stderr.String() + "\n" + err.Error())}
	}
	_ = writeAtomic(cached, out)
	return string(out), true, nil
}
