// Package pyc precompiles Python bytecode for a Lambda package or layer
// (issue 12, deliverable 3; a library, not yet called by build). Lambda's
// task root and /opt are read-only, so without shipped .pyc every cold
// start compiles every module it imports (LAMBDA-FACTS.md: a Flask
// function answers its first request in 453 ms without, 196 ms with).
//
// The .pyc are PEP 552 hash-based with the unchecked-hash invalidation
// mode: valid whatever the files' mtimes (a zip round trip resets them),
// never rechecked against the source at import, and reproducible: their
// bytes depend on the source and the interpreter's version only, since
// the source path each records is rewritten to where Lambda puts the file
// (/var/task for code, /opt/python for a layer), not the build folder.
// They must be made by the runtime's own Python (the magic number and the
// bytecode are per minor version): Find looks for it, and a build without
// it ships sources only.
package pyc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// Find returns the interpreter of runtime ("python3.13") on this machine:
// what `uv python find --no-python-downloads 3.13` reports when uv is given,
// else python3.13 on PATH whose version matches. "" (and no error) when
// there is none: the caller skips bytecode and says so in one line.
func Find(ctx context.Context, runtime, uv string) (string, error) {
	version, ok := strings.CutPrefix(runtime, "python")
	if !ok || !regexp.MustCompile(`^3\.\d+$`).MatchString(version) {
		return "", fmt.Errorf("%q is not a Python runtime", runtime)
	}
	var candidates []string
	if uv != "" {
		out, err := exec.CommandContext(ctx, uv, "python", "find", "--no-python-downloads", version).Output()
		if err == nil {
			candidates = append(candidates, strings.TrimSpace(string(out)))
		}
	}
	if p, err := exec.LookPath("python" + version); err == nil {
		candidates = append(candidates, p)
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		out, err := exec.CommandContext(ctx, c, "-c", "import sys; print('%d.%d' % sys.version_info[:2])").Output()
		if err == nil && strings.TrimSpace(string(out)) == version {
			return c, nil
		}
	}
	return "", nil
}

// Compile writes a __pycache__/<module>.<tag>.pyc beside every .py file
// under root, recording each source path as prefix + its path below root
// (prefix "/var/task" for a function's code, "/opt/python" for a layer's
// python/ folder). python must be the runtime's interpreter (Find).
func Compile(ctx context.Context, python, root, prefix string) error {
	if python == "" {
		return errors.New("no interpreter to compile with")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	// compileall: -q quiet, -f force (no stale check), -s/-p rewrite the
	// recorded path, --invalidation-mode unchecked-hash (PEP 552), -j 1
	// (one process: the output does not depend on it, but it keeps the
	// errors in order). -I: nothing from the environment or the user's
	// site-packages changes how it runs.
	cmd := exec.CommandContext(ctx, python, "-I", "-m", "compileall", "-q", "-f", "-j", "1",
		"--invalidation-mode", "unchecked-hash", "-s", abs, "-p", prefix, abs)
	var stderr, stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0", "SOURCE_DATE_EPOCH=315532800")
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stdout.String() + "\n" + stderr.String())
		return fmt.Errorf("compiling the bytecode of %s with %s failed: %v\n%s", root, python, err, msg)
	}
	return nil
}
