package compiler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/deployless/deployless/internal/artifact"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/layers"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/packager"
	"github.com/deployless/deployless/internal/pyc"
	"github.com/deployless/deployless/internal/source"
)

// Packaging is what a build adds to the packages to make them deployable
// (issue 12): the dependency layers, installed by uv, and bytecode. Without
// it (validate, tests, fuzzing) the artifact set holds each function's code
// zip, without bytecode, and no layer zips.
type Packaging struct {
	UV         string // uv executable ("": on PATH)
	CacheDir   string // holds layers/ and pyc/ ("": layers.DefaultCacheDir's parent)
	NoBytecode bool   // ship sources only
	// Python finds the runtime's interpreter for bytecode (default
	// pyc.Find with uv); called only when something must be compiled.
	Python func(runtime string) string
	// Progress is told about each step (nil: quiet).
	Progress func(Step)
}

// Step is one packaging step, for progress output.
type Step struct {
	What   string // "layer", "bytecode", "zip"
	Detail string
	// Notice marks what the user should see even without a terminal (the
	// one line saying bytecode was skipped).
	Notice bool
}

func (p *Packaging) progress(what, format string, args ...any) {
	if p != nil && p.Progress != nil {
		p.Progress(Step{What: what, Detail: fmt.Sprintf(format, args...)})
	}
}

// MaxUnzipped is Lambda's limit on a function's code and layers, unzipped.
const MaxUnzipped = 262_144_000

// Deployable is one function's deployable artifacts, for build --verbose.
type Deployable struct {
	LogicalID string
	CodeZip   int64 // bytes of the code zip
	Code      int64 // its files unzipped
	Layers    []layers.Layer
	Unzipped  int64 // code and dependency layer unzipped (user layers unknown)
}

// pack turns the packages into zips: bytecode added when it can be, one
// dependency layer per model.DepLayer when pk is set.
func pack(ctx context.Context, res *Result, opts Options, d *diag.List) {
	m, pk := res.Model, opts.Packaging
	var built map[*model.DepLayer]layers.Layer
	if pk != nil {
		built = buildLayers(ctx, m, pk, opts.ProjectDir, d)
		if d.HasErrors() {
			return
		}
		if !pk.NoBytecode {
			addBytecode(ctx, m, res.Packages, pk, d)
			if d.HasErrors() {
				return
			}
		}
	}
	pk.progress("zip", "%d function %s", len(res.Packages), plural(len(res.Packages), "package", "packages"))
	zips := zipPackages(res.Packages, pk)
	byID := map[string]*model.Function{}
	for _, fn := range m.Functions {
		byID[fn.LogicalID] = fn
	}
	for i, p := range res.Packages {
		z := zips[i]
		if z.err != nil {
			d.Add(diag.E32, source.Span{}, "cannot zip the package of %s: %v", p.LogicalID, z.err)
			return
		}
		res.Zips = append(res.Zips, z.artifact)
		fn := byID[p.LogicalID]
		dep := Deployable{LogicalID: p.LogicalID, CodeZip: z.size, Code: z.unzipped, Unzipped: z.unzipped}
		if l, ok := built[fn.DepLayer]; ok {
			dep.Layers = append(dep.Layers, l)
			dep.Unzipped += l.Unzipped
		}
		res.Deployables = append(res.Deployables, dep)
		unzippedLimit(d, fn, dep)
	}
	for _, l := range m.DepLayers {
		if b, ok := built[l]; ok {
			res.Zips = append(res.Zips, artifact.Artifact{Path: artifact.DistDir + "/" + l.LogicalID + ".zip", Source: b.Zip, Mode: 0o644})
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// buildLayers builds (or reuses) every dependency layer, and warns (W06)
// about each requirements file with requirements not pinned exactly.
func buildLayers(ctx context.Context, m *model.Project, pk *Packaging, dir string, d *diag.List) map[*model.DepLayer]layers.Layer {
	if len(m.DepLayers) == 0 {
		return nil
	}
	warnUnpinned(m, d)
	var runtimeFiles []layers.File
	for _, f := range packager.RuntimeModules() {
		runtimeFiles = append(runtimeFiles, layers.File{Path: f.Path, Data: f.Data})
	}
	reqs := make([]layers.Request, len(m.DepLayers))
	for i, l := range m.DepLayers {
		reqs[i] = layers.Request{Requirements: l.Requirements, Runtime: l.Runtime, Arch: l.Arch, Span: l.Span, Dir: dir,
			Locate: locator(m, l), Files: runtimeFiles}
	}
	lopts := layers.Options{UV: pk.UV, Python: pk.finder(ctx), Progress: func(e layers.Event) {
		pk.progress("layer", "%s %s/%s: %s", e.Step, e.Runtime, e.Arch, e.Detail)
	}}
	if pk.NoBytecode {
		lopts.Python = nil
	}
	if pk.CacheDir != "" {
		lopts.CacheDir = filepath.Join(pk.CacheDir, "layers")
	}
	got, ld := layers.Build(ctx, reqs, lopts)
	d.Append(ld)
	out := map[*model.DepLayer]layers.Layer{}
	for i, l := range m.DepLayers {
		if got[i].Zip != "" {
			out[l] = got[i]
		}
	}
	return out
}

// warnUnpinned is W06 for each requirements file, the project's and every
// feature's, at the first line not pinned with ==, whichever layers use it
// (a project whose features all have their own files has no DepsLayer, yet
// its lines are in every layer). uv.lock pins are exact by construction.
func warnUnpinned(m *model.Project, d *diag.List) {
	check := func(text, file string, fn *model.Function) {
		t, err := layers.NewTarget(m.Runtime, fn.Arch())
		if text == "" || err != nil {
			return // layers.Build reports a bad target
		}
		if u := layers.CheckPinned(text, file, t); u != nil {
			d.Warn(diag.W06, lineOf(text, file, u.Requirements[0]), "%s", u.Error())
		}
	}
	if m.RequirementsFile != lockFile && len(m.Functions) > 0 {
		check(m.Requirements, m.RequirementsFile, m.Functions[0])
	}
	for _, f := range m.Features {
		for _, fn := range m.Functions {
			if fn.Feature == f { // the suggested command targets its first function's platform
				check(f.Requirements, path.Join(f.Dir, "requirements.txt"), fn)
				break
			}
		}
	}
}

// lockFile is the span path of requirements that come from uv.lock.
const lockFile = "uv.lock"

// lineOf is the span of the line of text (the file's content) that names
// requirement req ("flask>=3", normalised), else the file's first line.
func lineOf(text, file, req string) source.Span {
	end := strings.IndexAny(req, "<>=!~;[ @")
	if end < 0 {
		end = len(req)
	}
	if s, ok := findRequirement(text, file, layers.NormName(req[:end])); ok {
		return s
	}
	return source.Span{Path: file, Line: 1, Col: 1}
}

// finder memoises the runtime's interpreter lookup: it runs at most once
// per runtime per build, and only when something needs compiling.
func (pk *Packaging) finder(ctx context.Context) func(string) string {
	var mu sync.Mutex
	found := map[string]string{}
	return func(rt string) string {
		mu.Lock()
		defer mu.Unlock()
		if p, ok := found[rt]; ok {
			return p
		}
		var p string
		if pk.Python != nil {
			p = pk.Python(rt)
		} else {
			uv := pk.UV
			if uv == "" {
				uv, _ = exec.LookPath("uv")
			}
			p, _ = pyc.FindCached(ctx, rt, uv, filepath.Join(pk.cacheRoot(), "pyc"))
		}
		if p == "" && pk.Progress != nil {
			pk.Progress(Step{What: "bytecode", Notice: true, Detail: fmt.Sprintf("skipped: no %s on this machine, so the packages ship sources only and every cold start compiles them; `uv python install %s` adds it (--no-bytecode silences this)", rt, strings.TrimPrefix(rt, "python"))})
		}
		found[rt] = p
		return p
	}
}

// addBytecode adds each package's .pyc (recorded at /var/task, Lambda's
// task root), from the bytecode cache or compiled by the runtime's Python
// in one process; without that Python every package ships sources only.
func addBytecode(ctx context.Context, m *model.Project, pkgs []packager.Package, pk *Packaging, d *diag.List) {
	var srcs []pyc.Source
	type at struct{ pkg, file int }
	var where []at
	for i, p := range pkgs {
		for j, f := range p.Files {
			if strings.HasSuffix(f.Path, ".py") {
				srcs = append(srcs, pyc.Source{Path: f.Path, Data: f.Data})
				where = append(where, at{i, j})
			}
		}
	}
	if len(srcs) == 0 {
		return
	}
	dir := filepath.Join(pk.cacheRoot(), "pyc")
	find := pk.finder(ctx)
	out, compiled, ok, err := pyc.CompileCached(ctx, m.Runtime, "/var/task", srcs, dir, func() string { return find(m.Runtime) })
	if err != nil {
		d.Add(diag.E31, source.Span{}, "bytecode for %s: %v", m.Runtime, err)
		return
	}
	if !ok {
		return
	}
	pk.progress("bytecode", "%d modules: %d compiled, %d from the cache", len(srcs), compiled, len(srcs)-compiled)
	added := make([][]packager.File, len(pkgs))
	for k, w := range where {
		f := pkgs[w.pkg].Files[w.file]
		added[w.pkg] = append(added[w.pkg], packager.File{Path: pyc.CachePath(m.Runtime, f.Path), Data: out[k], Mode: 0o644})
	}
	for i := range pkgs {
		pkgs[i].Files = append(pkgs[i].Files, added[i]...)
	}
}

func (pk *Packaging) cacheRoot() string {
	if pk.CacheDir != "" {
		return pk.CacheDir
	}
	d, err := layers.DefaultCacheDir()
	if err != nil {
		return filepath.Join(".", ".deployless-cache") // layers.Build reports the missing cache folder
	}
	return filepath.Dir(d)
}

// lockedRequirements returns the project's pins from uv.lock and
// pyproject.toml (uv export, cached by their content) when the project has
// both: they replace requirements.txt as the project's requirements.
func lockedRequirements(ctx context.Context, opts Options, d *diag.List) (string, bool) {
	if opts.ProjectDir == "" {
		return "", false
	}
	lopts := layers.Options{}
	if pk := opts.Packaging; pk != nil {
		lopts.UV = pk.UV
		if pk.CacheDir != "" {
			lopts.CacheDir = filepath.Join(pk.CacheDir, "layers")
		}
	}
	text, ok, err := layers.LockedRequirements(ctx, opts.ProjectDir, lopts)
	if !ok {
		return "", false
	}
	if err != nil {
		dg := d.Add(diag.E43, source.Span{Path: lockFile, Line: 1, Col: 1}, "%v", err)
		var ee *layers.ExportError
		if errors.As(err, &ee) {
			dg.Note(source.Span{}, "uv export said:\n%s", ee.Output)
		}
		return "", false
	}
	return text, true
}

// zipped is one package's zip: bytes in memory, or a file of the zip cache.
type zipped struct {
	artifact       artifact.Artifact
	size, unzipped int64
	err            error
}

// zipFormat is part of every zip cache key: bump it when the zip layout
// changes.
const zipFormat = 1

// zipPackages zips every package, in parallel. With packaging, each zip is
// kept in the cache folder (zips/<digest>.zip) under the SHA-256 of its
// entries' names, modes and bytes: a package that did not change is not
// compressed again, and its artifact is that cache file, which output
// hard-links into .dist, so the next no-op build finds .dist's zip to be the
// same file by its inode without reading it (seed 004: no-op rebuilds do
// no work). The zips are byte-identical either way.
func zipPackages(pkgs []packager.Package, pk *Packaging) []zipped {
	z := artifact.NewZipper()
	out := make([]zipped, len(pkgs))
	cache := ""
	if pk != nil {
		cache = filepath.Join(pk.cacheRoot(), "zips")
		if os.MkdirAll(cache, 0o755) != nil {
			cache = ""
		}
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = zipOne(z, pkgs[i], cache)
			}
		}()
	}
	for i := range pkgs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func zipOne(z *artifact.Zipper, p packager.Package, cache string) zipped {
	path := artifact.DistDir + "/" + p.LogicalID + ".zip"
	files := make([]artifact.ZipFile, len(p.Files))
	var unzipped int64
	h := sha256.New()
	fmt.Fprintf(h, "deployless zip %d\x00", zipFormat)
	for j, f := range p.Files {
		files[j] = artifact.ZipFile{Name: f.Path, Mode: f.Mode, Data: f.Data}
		unzipped += int64(len(f.Data))
		fmt.Fprintf(h, "%s\x00%o\x00%d\x00", f.Path, f.Mode, len(f.Data))
		h.Write(f.Data)
	}
	var cached string
	if cache != "" {
		sum := hex.EncodeToString(h.Sum(nil))
		cached = filepath.Join(cache, sum+".zip")
		if st, err := os.Stat(cached); err == nil && st.Mode().IsRegular() && st.Mode().Perm() == 0o644 {
			return zipped{artifact: artifact.Artifact{Path: path, Source: cached, Mode: 0o644}, size: st.Size(), unzipped: unzipped}
		}
	}
	data, st, err := z.Zip(files)
	if err != nil {
		return zipped{err: err}
	}
	if cached != "" && artifact.WriteAtomic(cached, data) == nil {
		return zipped{artifact: artifact.Artifact{Path: path, Source: cached, Mode: 0o644}, size: st.Size, unzipped: unzipped}
	}
	return zipped{artifact: artifact.Artifact{Path: path, Data: data, Mode: 0o644}, size: st.Size, unzipped: unzipped}
}

// unzippedLimit is E46: Lambda refuses a function whose code and layers
// unzipped exceed MaxUnzipped (user layers= are not counted: their sizes
// are not known at build time).
func unzippedLimit(d *diag.List, fn *model.Function, dep Deployable) {
	if dep.Unzipped <= MaxUnzipped {
		return
	}
	at := fn.Span
	if s, ok := fn.At["layers"]; ok {
		at = s
	}
	msg := fmt.Sprintf("%s unzipped is %d bytes (code %d", dep.LogicalID, dep.Unzipped, dep.Code)
	for _, l := range dep.Layers {
		msg += fmt.Sprintf(", %s %d", fn.DepLayer.LogicalID, l.Unzipped)
	}
	d.Add(diag.E46, at, "%s), over Lambda's limit of %d bytes for a function's code and layers: move large dependencies out of requirements.txt (or into a container image), or split the feature", msg, MaxUnzipped)
}

// locator finds the line naming a package in the requirements files a
// layer's set comes from: the feature's file first (its line wins the
// merge), then the project's.
func locator(m *model.Project, l *model.DepLayer) func(string) (source.Span, bool) {
	type file struct{ path, text string }
	var files []file
	if len(l.Functions) > 0 {
		if f := l.Functions[0].Feature; f.Requirements != "" {
			files = append(files, file{path.Join(f.Dir, "requirements.txt"), f.Requirements})
		}
	}
	if m.Requirements != "" && m.RequirementsFile != lockFile {
		files = append(files, file{m.RequirementsFile, m.Requirements})
	}
	return func(pkg string) (source.Span, bool) {
		for _, f := range files {
			if s, ok := findRequirement(f.text, f.path, pkg); ok {
				return s, true
			}
		}
		return source.Span{}, false
	}
}

// findRequirement is the position of the line of text (a requirements
// file) whose requirement is package pkg (PEP 503 name).
func findRequirement(text, file, pkg string) (source.Span, bool) {
	for i, line := range strings.Split(text, "\n") {
		l := strings.TrimSpace(line)
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "-") {
			continue
		}
		end := strings.IndexAny(l, "<>=!~;[ @")
		if end < 0 {
			end = len(l)
		}
		if layers.NormName(l[:end]) == pkg {
			return source.Span{Path: file, Line: i + 1, Col: 1 + strings.Index(line, l[:1])}, true
		}
	}
	return source.Span{}, false
}
