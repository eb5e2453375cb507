// Package layers builds the dependency layers of issue 12 (SPEC.md §10): for
// each distinct set of requirements, runtime and architecture, one Lambda
// layer zip (python/…) installed by uv for the Lambda platform, never for
// the build machine, and kept in a cache across builds. It is a library
// stage after packager; build does not call it yet.
//
// Targets: python3.9–3.11 run on Amazon Linux 2 (glibc 2.26) and get
// wheels for <arch>-manylinux_2_17 (manylinux2014); python3.12 and later
// run on Amazon Linux 2023 (glibc 2.34) and get <arch>-manylinux_2_34 (uv
// also takes older manylinux wheels there); arch is x86_64 or arm64
// (aarch64 wheels). The
// target's Python need not be installed: uv resolves for --python-version
// with whatever Python it finds. Wheels only (--only-binary :all:): a
// requirement without a wheel for the target is an E44 naming it, and every
// installed wheel's tags are checked against the target afterwards.
//
// uv: found on PATH (or Options.UV); MinUV (0.5.10) or later, PinnedUV
// (0.13.9, the tests' version) suggested when it is missing or older.
//
// Cache: DefaultCacheDir (deployless/layers in the user's cache folder),
// one <digest>.zip and <digest>.json manifest per layer, written through
// temporary files and renames so concurrent builds never see half an
// entry. The digest is the SHA-256 of the normalised requirement lines, the
// runtime, the architecture, uv's version and formatVersion. A build whose
// layers are all cached runs no uv: uv's version comes from a memo keyed by
// the binary's path, size and modification time, and when no usable uv is
// at hand a cached layer of the same inputs built by an earlier uv is used.
//
// Zips are byte-identical for identical trees whatever the folder, mtimes,
// umask or machine (zip.go).
//
// Pins: LockedRequirements reads a project's uv.lock through uv export;
// CheckPinned returns the warning (W06 once wired) for requirements not
// pinned to exact versions.
package layers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/pyc"
	"github.com/deployless/deployless/internal/source"
)

// formatVersion is part of every digest: bump it when what Build puts in a
// layer changes (pruning, zip layout), so older cache entries stop matching.
const formatVersion = 2 // 2: zips by artifact.WriteZip (no empty folder entries)

// Codes of Build's diagnostics (registered in diag.Codes, planned until
// build wires layers in).
const (
	// CodeLayer: a dependency layer cannot be built (uv missing, too old or
	// failing, an unsupported requirement line or target, the cache).
	CodeLayer = diag.E43
	// CodeNoWheel: a requirement cannot be installed for the target (no
	// wheel for its Python, glibc or architecture, no such package or
	// version).
	CodeNoWheel = diag.E44
)

// Request is one dependency set for one target.
type Request struct {
	// Requirements is the requirements.txt text of the set, already merged
	// (project, feature, adapter: packager.Requirements).
	Requirements string
	Runtime      string      // python3.9 … python3.14
	Arch         string      // x86_64 or arm64
	Span         source.Span // where its diagnostics point (its requirements.txt); may be zero
	// Dir is the project folder: --find-links folders are relative to it.
	Dir string
	// Files are more files for the layer's python/ folder (the deployless
	// runtime), by path below it; part of the key.
	Files []File
	// Locate, when set, is the position of the line naming package pkg
	// (PEP 503 name) in the requirements files the set comes from; the
	// diagnostics about one package point there instead of at Span.
	Locate func(pkg string) (source.Span, bool)
}

// at is where a diagnostic about package pkg points.
func (r Request) at(pkg string) source.Span {
	if r.Locate != nil {
		if s, ok := r.Locate(NormName(pkg)); ok {
			return s
		}
	}
	return r.Span
}

// Options configures Build.
type Options struct {
	UV       string // the uv executable; empty: uv on PATH
	CacheDir string // empty: DefaultCacheDir()
	// Python returns the interpreter of runtime that compiles a new
	// layer's bytecode (pyc.Find), or "" for none: the layer then ships
	// sources only. It is called only when a layer must be installed, never
	// on a cache hit; nil: no bytecode.
	Python func(runtime string) string
	// Progress, when set, is told about each layer as it is reused,
	// installed or compiled (for the CLI's progress lines).
	Progress func(Event)
}

// Event is one step of Build, for progress output.
type Event struct {
	Step    string // "reused", "installing", "installed", "compiling"
	Runtime string
	Arch    string
	Detail  string // what was installed ("12 packages, 11.8 MB") or reused
}

func (o Options) progress(e Event) {
	if o.Progress != nil {
		o.Progress(e)
	}
}

// File is one file a Request adds to its layer's python/ folder.
type File struct {
	Path string // slash-separated, below python/
	Data []byte
}

// Layer is one built (or reused) dependency layer.
type Layer struct {
	Digest   string   // hex SHA-256 of its inputs, uv's version included: its identity
	Key      string   // Request.Key: the inputs without uv's version
	Runtime  string   // python3.13
	Arch     string   // x86_64 or arm64
	Platform string   // uv's --python-platform, e.g. aarch64-manylinux_2_34
	UV       string   // the version of the uv that installed it
	Zip      string   // the zip in the cache, python/… inside; shared, do not modify
	SHA256   string   // hex SHA-256 of the zip
	Size     int64    // bytes of the zip
	Unzipped int64    // bytes of its files unzipped (toward Lambda's 262,144,000)
	Packages []string // name==version of each installed distribution, sorted
	Bytecode bool     // holds .pyc compiled for /opt/python
	Cached   bool     // reused from the cache: no uv ran for it
}

// Build returns one Layer per request, in order (requests with equal Keys
// share one build and one Layer), and the diagnostics of the requests that
// failed, whose Layers are zero. A request without any requirement gets a
// zero Layer and no diagnostic: it needs no layer.
func Build(ctx context.Context, reqs []Request, opts Options) ([]Layer, diag.List) {
	var ds diag.List
	out := make([]Layer, len(reqs))
	if len(reqs) == 0 {
		return out, nil
	}
	dir, err := opts.cacheDir()
	if err != nil {
		ds.Add(CodeLayer, source.Span{}, "no folder for the dependency layer cache (%v): set DEPLOYLESS_CACHE_DIR to a writable folder", err)
		return out, ds
	}
	b := &builder{ctx: ctx, opts: opts, dir: dir}
	distinct, index := Dedupe(reqs)
	built := make([]Layer, len(distinct))
	for i, r := range distinct {
		if ctx.Err() != nil {
			ds.Add(CodeLayer, source.Span{}, "dependency layers not built: %v", ctx.Err())
			break
		}
		built[i] = b.build(r, &ds)
	}
	if b.missing > 0 {
		ds.Add(CodeLayer, source.Span{}, "%s (%d dependency %s not in the cache)", b.uvErr, b.missing, plural(b.missing, "layer is", "layers are"))
	}
	for i := range reqs {
		out[i] = built[index[i]]
	}
	return out, ds
}

// builder holds what the requests of one Build share: the cache folder
// and the uv binary, looked up once, when the first layer is not cached.
type builder struct {
	ctx     context.Context
	opts    Options
	dir     string
	uv      *uvBinary
	uvErr   error
	missing int // requests that needed uv when none was usable
}

func (b *builder) findUV() (uvBinary, error) {
	if b.uv == nil && b.uvErr == nil {
		uv, err := findUV(b.ctx, b.opts, b.dir)
		if err != nil {
			b.uvErr = err
		} else {
			b.uv = &uv
		}
	}
	if b.uvErr != nil {
		return uvBinary{}, b.uvErr
	}
	return *b.uv, nil
}

func (b *builder) build(r Request, ds *diag.List) Layer {
	t, err := NewTarget(r.Runtime, r.Arch)
	if err != nil {
		ds.Add(CodeLayer, r.Span, "%v", err)
		return Layer{}
	}
	lines, problems := normalize(r.Requirements)
	for _, p := range problems {
		ds.Add(CodeLayer, r.Span, "requirement %s", p)
	}
	if len(problems) > 0 || len(lines) == 0 {
		return Layer{}
	}
	key := r.Key()
	uv, err := b.findUV()
	if err != nil {
		// No usable uv: a layer of the same inputs by an earlier uv will do.
		if l, ok := lookupKey(b.dir, key, b.opts.Python != nil); ok {
			b.opts.progress(Event{Step: "reused", Runtime: t.Runtime, Arch: t.Arch, Detail: l.summary() + ", built by uv " + l.UV})
			return l
		}
		b.missing++
		return Layer{}
	}
	// A layer with bytecode is preferred; one without it is reused only
	// when no interpreter is at hand to compile a new one.
	// (Without Options.Python no bytecode is wanted: only a layer
	// without it will do.)
	withPyc := digest(key+"\x00bytecode", uv.version)
	if l, ok := lookup(b.dir, withPyc); ok && b.opts.Python != nil {
		b.opts.progress(Event{Step: "reused", Runtime: t.Runtime, Arch: t.Arch, Detail: l.summary()})
		return l
	}
	python := ""
	if b.opts.Python != nil {
		python = b.opts.Python(t.Runtime)
	}
	dg := withPyc
	if python == "" {
		dg = digest(key, uv.version)
		if l, ok := lookup(b.dir, dg); ok {
			b.opts.progress(Event{Step: "reused", Runtime: t.Runtime, Arch: t.Arch, Detail: l.summary()})
			return l
		}
	}
	b.opts.progress(Event{Step: "installing", Runtime: t.Runtime, Arch: t.Arch, Detail: fmt.Sprintf("%d requirements for %s", len(lines), t.Platform)})
	l, err := b.install(r, t, lines, key, dg, uv, python, ds)
	if err != nil {
		ds.Add(CodeLayer, r.Span, "dependency layer for %s not built: %v", t, err)
		return Layer{}
	}
	return l
}

// install runs uv into a temporary folder of the cache (the same file
// system as the cache, so the zip's rename is atomic), checks and prunes
// the tree, and stores its zip. Diagnostics about the requirements go to
// ds with a zero Layer and nil error; err is for the machine (I/O).
func (b *builder) install(r Request, t Target, lines []string, key, dg string, uv uvBinary, python string, ds *diag.List) (Layer, error) {
	tmp, err := os.MkdirTemp(b.dir, ".build-")
	if err != nil {
		return Layer{}, err
	}
	defer os.RemoveAll(tmp)
	uvLines := make([]string, len(lines))
	for i, l := range lines {
		uvLines[i] = l
		if dir, ok := strings.CutPrefix(l, "--find-links "); ok {
			abs, err := filepath.Abs(filepath.Join(r.Dir, filepath.FromSlash(dir)))
			if err != nil {
				return Layer{}, err
			}
			uvLines[i] = "--find-links " + abs
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "requirements.txt"), []byte(strings.Join(uvLines, "\n")+"\n"), 0o644); err != nil {
		return Layer{}, err
	}
	out, err := runUV(b.ctx, uv, tmp, installArgs(t, tmp)...)
	if err != nil {
		if b.ctx.Err() != nil {
			return Layer{}, b.ctx.Err()
		}
		reportInstall(r, t, lines, string(out), err, ds)
		return Layer{}, nil
	}
	root := filepath.Join(tmp, "python")
	if err := prune(root); err != nil {
		return Layer{}, err
	}
	for _, f := range r.Files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return Layer{}, err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return Layer{}, err
		}
	}
	installed, err := dists(root)
	if err != nil {
		return Layer{}, err
	}
	if bad := incompatible(installed, t); len(bad) > 0 {
		for _, d := range bad {
			ds.Add(CodeNoWheel, r.at(d.name), "%s %s was installed from a wheel tagged %s, which %s cannot load (%s): pin a version of %s that publishes such a wheel",
				d.name, d.version, strings.Join(d.tags, ", "), t.name(), t.wants(), d.name)
		}
		return Layer{}, nil
	}
	if python != "" {
		b.opts.progress(Event{Step: "compiling", Runtime: t.Runtime, Arch: t.Arch, Detail: "bytecode with " + python})
		// Lambda extracts a layer under /opt: python/ is /opt/python.
		if err := pyc.Compile(b.ctx, python, root, "/opt/python"); err != nil {
			return Layer{}, err
		}
	}
	m := manifest{Format: formatVersion, Key: key, Digest: dg, Runtime: t.Runtime, Arch: t.Arch, Platform: t.Platform,
		UV: uv.version, Requirements: lines, Bytecode: python != ""}
	for _, d := range installed {
		m.Packages = append(m.Packages, d.name+"=="+d.version)
	}
	l, err := store(b.dir, root, m)
	if err == nil {
		b.opts.progress(Event{Step: "installed", Runtime: t.Runtime, Arch: t.Arch, Detail: l.summary()})
	}
	return l, err
}

// reportInstall turns a failed uv pip install into diagnostics: one per
// package uv's resolver names, in our words (uv's own output is a note).
func reportInstall(r Request, t Target, lines []string, out string, runErr error, ds *diag.List) {
	// uv's own words go in a note, from its first error on (before it, uv
	// names the build machine's interpreter it resolved with).
	said := strings.TrimSpace(out)
	if i := strings.IndexAny(said, "×"); i >= 0 && !strings.Contains(said[:i], "error:") {
		said = said[i:]
	} else if i := strings.Index(said, "error:"); i >= 0 {
		said = said[i:]
	}
	note := "uv pip install said:\n" + said
	ps := uvProblems(out)
	if len(ps) == 0 {
		what := "uv could not install them"
		if strings.Contains(out, "No solution found") {
			what = "uv found no set of wheels that satisfies them"
		} else if strings.Contains(out, "Failed to fetch") || strings.Contains(out, "dns error") || strings.Contains(out, "error sending request") {
			what = "uv could not reach the package index (check the network, --index-url and proxy settings)"
		}
		ds.Add(CodeLayer, r.Span, "the requirements for %s cannot be installed: %s (%v)", t, what, runErr).Note(source.Span{}, "%s", note)
		return
	}
	for _, p := range ps {
		// Name the requirement as the user wrote it, else as uv did.
		req, via := requirementOf(lines, p.pkg), ""
		if req == "" {
			req, via = p.pkg+p.spec, " (required by another requirement)"
		}
		var d *diag.Diagnostic
		switch p.kind {
		case noWheel:
			d = ds.Add(CodeNoWheel, r.at(p.pkg), "no wheel of %s%s loads on %s (%s), and deployless never builds source distributions: pin a version of %s that publishes such a wheel (its release files on the package index list them), or remove it; for a pure-Python package published only as an sdist, build its wheel once (`pip wheel --no-deps %s -w wheels`) and add `--find-links wheels` to requirements.txt",
				req, via, t.name(), t.wants(), p.pkg, req)
		case notFound:
			d = ds.Add(CodeNoWheel, r.at(p.pkg), "package %s%s is not on the package index: check its name", p.pkg, via)
		default:
			d = ds.Add(CodeNoWheel, r.at(p.pkg), "no version of %s%s is on the package index: pin one that exists", req, via)
		}
		d.Note(source.Span{}, "%s", note)
	}
}

// requirementOf returns the requirement line naming package pkg.
func requirementOf(lines []string, pkg string) string {
	for _, l := range lines {
		if m := reqName.FindString(l); m != "" && NormName(m) == pkg {
			return l
		}
	}
	return ""
}

// summary is what the layer holds, for progress lines.
func (l Layer) summary() string {
	pyc := ""
	if l.Bytecode {
		pyc = ", bytecode"
	}
	return fmt.Sprintf("%d packages, %s unzipped%s", len(l.Packages), MB(l.Unzipped), pyc)
}

// MB formats a byte count in megabytes (10^6), as Lambda's limits are.
func MB(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// String is the layer's one-line summary, for --verbose and tests.
func (l Layer) String() string {
	if l.Zip == "" {
		return "no layer"
	}
	return fmt.Sprintf("%s %s %s: %d packages, %d bytes zipped, %d unzipped", l.Digest[:12], l.Runtime, l.Arch, len(l.Packages), l.Size, l.Unzipped)
}
