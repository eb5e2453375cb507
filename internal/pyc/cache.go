package pyc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/deployless/deployless/internal/artifact"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// Source is one module to compile: its path in the package (slash-separated,
// below the folder that prefix names) and its bytes.
type Source struct {
	Path string
	Data []byte
}

// cacheFormat is part of every cache key: bump it when what Compile writes
// changes.
const cacheFormat = 1

// CachePath is where a source's .pyc goes in its package:
// a/b.py → a/__pycache__/b.cpython-313.pyc for runtime python3.13.
func CachePath(runtime, src string) string {
	tag := "cpython-" + strings.ReplaceAll(strings.TrimPrefix(runtime, "python"), ".", "")
	dir, file := path.Split(src)
	return dir + "__pycache__/" + strings.TrimSuffix(file, ".py") + "." + tag + ".pyc"
}

// driver compiles the files its list names (one "source\tpyc\trecorded
// path" line each) with py_compile, as compileall does, but for any mix of
// files: the same package path may come with different contents (every
// function's bootstrap.py), which one compileall tree cannot hold. A
// batch's composition and order do not change any file's bytes (checked on
// 3.11–3.13 when this was written; TestCompileCachedReproducible keeps it).
const driver = `import sys, py_compile
mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
for line in open(sys.argv[1], encoding="utf-8"):
    src, cfile, dfile = line.rstrip("\n").split("\t")
    py_compile.compile(src, cfile=cfile, dfile=dfile, doraise=True, invalidation_mode=mode)
`

// CompileCached returns the .pyc of each source, in order, for runtime
// (each recorded as prefix + "/" + its Path), keeping each in dir keyed by
// the runtime, the recorded path and the source's bytes, so an unchanged
// file is never compiled again and a build whose files are all known runs
// no interpreter. Sources may repeat. python is called (once) only when some
// source is not in the cache; when it returns "", ok is false and nothing
// is returned: the caller ships sources only, for all files alike, rather
// than bytecode for some. compiled is how many sources were compiled.
func CompileCached(ctx context.Context, runtime, prefix string, srcs []Source, dir string, python func() string) (out [][]byte, compiled int, ok bool, err error) {
	out = make([][]byte, len(srcs))
	keys := make([]string, len(srcs))
	first := map[string]int{} // key → first source with it
	var missing []int
	for i, s := range srcs {
		h := sha256.New()
		fmt.Fprintf(h, "deployless pyc %d\x00%s\x00%s/%s\x00", cacheFormat, runtime, prefix, s.Path)
		h.Write(s.Data)
		keys[i] = hex.EncodeToString(h.Sum(nil))
		if _, seen := first[keys[i]]; seen {
			continue
		}
		first[keys[i]] = i
		if b, err := os.ReadFile(filepath.Join(dir, keys[i][:2], keys[i]+".pyc")); err == nil && valid(b) {
			out[i] = b
		} else {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		py := python()
		if py == "" {
			return nil, 0, false, nil
		}
		if err := compileFiles(ctx, py, prefix, srcs, missing, dir, out); err != nil {
			return nil, 0, false, err
		}
		for _, i := range missing {
			if err := store(filepath.Join(dir, keys[i][:2]), keys[i]+".pyc", out[i]); err != nil {
				return nil, 0, false, err
			}
		}
	}
	for i := range srcs {
		out[i] = out[first[keys[i]]]
	}
	return out, len(missing), true, nil
}

// valid reports whether b looks like an unchecked-hash .pyc: a 16-byte
// header whose flags (bytes 4–7) say hash-based without the source check.
func valid(b []byte) bool {
	return len(b) > 16 && b[4] == 1 && b[5] == 0 && b[6] == 0 && b[7] == 0 && b[2] == '\r' && b[3] == '\n'
}

// compileFiles compiles srcs[which…] with python in one process, into out.
func compileFiles(ctx context.Context, python, prefix string, srcs []Source, which []int, cacheDir string, out [][]byte) error {
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(cacheDir, ".compile-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var list strings.Builder
	for _, i := range which {
		src := filepath.Join(tmp, fmt.Sprintf("%d.py", i))
		if err := os.WriteFile(src, srcs[i].Data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(&list, "%s\t%s\t%s\n", src, filepath.Join(tmp, fmt.Sprintf("%d.pyc", i)), prefix+"/"+srcs[i].Path)
	}
	listFile := filepath.Join(tmp, "files.tsv")
	if err := os.WriteFile(listFile, []byte(list.String()), 0o644); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, python, "-I", "-c", driver, listFile)
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0", "SOURCE_DATE_EPOCH=315532800")
	if msg, err := cmd.CombinedOutput(); err != nil {
		// A file the runtime's Python cannot compile (syntax newer than
		// the runtime): py_compile names the recorded path.
		return fmt.Errorf("%s could not compile the bytecode: %v\n%s", python, err, strings.TrimSpace(string(msg)))
	}
	for _, i := range which {
		b, err := os.ReadFile(filepath.Join(tmp, fmt.Sprintf("%d.pyc", i)))
		if err != nil {
			return fmt.Errorf("%s made no bytecode for %s: %w", python, srcs[i].Path, err)
		}
		out[i] = b
	}
	return nil
}

// store writes data to dir/name atomically, creating dir.
func store(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return artifact.WriteAtomic(filepath.Join(dir, name), data)
}

// FindCached is Find, remembered in dir: looking for an interpreter can
// cost half a second (pyenv's shims run a shell, uv inspects every Python
// it sees), which a build that must compile one new file should not pay
// every time. The answer, found or not, is kept under a key of everything
// that could change it: the runtime, PATH, the uv binary (path, size,
// mtime) and the modification time of every PATH folder and of uv's own
// Python folder (installing a Python changes one of them); a found
// interpreter must also still be the same file.
func FindCached(ctx context.Context, runtime, uv, dir string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "deployless find %d\x00%s\x00%s\x00", cacheFormat, runtime, os.Getenv("PATH"))
	stamp := func(p string) {
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintf(h, "%s %d %d\x00", p, st.Size(), st.ModTime().UnixNano())
		} else {
			fmt.Fprintf(h, "%s -\x00", p)
		}
	}
	stamp(uv)
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		stamp(d)
	}
	if home, err := os.UserHomeDir(); err == nil {
		stamp(filepath.Join(home, ".local", "share", "uv", "python"))
	}
	if d := os.Getenv("UV_PYTHON_INSTALL_DIR"); d != "" {
		stamp(d)
	}
	key := hex.EncodeToString(h.Sum(nil))
	memo := filepath.Join(dir, "find-"+key+".txt")
	if b, err := os.ReadFile(memo); err == nil {
		found, st, _ := strings.Cut(string(b), "\n")
		if found == "" {
			return "", nil
		}
		if info, err := os.Stat(found); err == nil && fmt.Sprintf("%d %d", info.Size(), info.ModTime().UnixNano()) == st {
			return found, nil
		}
	}
	found, err := Find(ctx, runtime, uv)
	if err != nil {
		return "", err
	}
	line := found + "\n"
	if found != "" {
		if info, err := os.Stat(found); err == nil {
			line += fmt.Sprintf("%d %d", info.Size(), info.ModTime().UnixNano())
		}
	}
	_ = store(dir, filepath.Base(memo), []byte(line)) // advisory
	return found, nil
}
