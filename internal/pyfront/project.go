package pyfront

import (
	"errors"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/parsecache"
	"github.com/deployless/deployless/internal/source"
)

// Options configure Analyze.
type Options struct {
	FeaturesDir string // e.g. "app/features" (slash-separated, relative to the fsys root)
	SharedDir   string // e.g. "app/shared"; its .py files are syntax-checked
	// Getenv resolves os.getenv() at build time (build environment, then env_file).
	Getenv func(name string) (string, bool)
	// Cache holds earlier builds' parse results (nil: parse every file).
	// The caller saves it.
	Cache Cache
	// AppFactory is app_factory: ("module:function"), "" for the default
	// (create_app in the app package, if defined); AppFactoryAt is where it
	// is written.
	AppFactory   string
	AppFactoryAt source.Span
	// InitApp are the init_app: hooks, each with its YAML position.
	InitApp []Hook
}

// Cache is what the front end needs of a parse cache (*parsecache.Cache;
// the fuzz test of damaged entries uses a map). Get may return anything:
// a value that does not decode is a miss.
type Cache interface {
	Get(parsecache.Key) ([]byte, bool)
	Put(parsecache.Key, []byte)
}

// Project is what the front end learned about the project.
type Project struct {
	// AppDir is the app package's folder ("app"), "" when the features
	// folder is not inside a package; every package ships it (minus the
	// other features' folders).
	AppDir string
	// Factory is the app factory the bootstrap calls, nil when none.
	Factory *Hook
	// App is the module-level FastAPI app the bootstrap serves when there
	// is no factory (Func is its variable), nil when none.
	App *Hook
	// InitApp are the init_app hooks, checked.
	InitApp []Hook
	// ExtraFiles are the project modules outside the app package that
	// shipped code imports (a config.py beside app/): every package ships
	// them.
	ExtraFiles []string
	Features   []*Feature
	// Files is every Python file that was read, by path (sorted), so later
	// stages do not read them again.
	Files map[string]*source.File
}

// Feature holds the facts of one app/features/<name>/routes.py.
type Feature struct {
	Name string // folder name, e.g. "user"
	// Framework is "flask" or "fastapi", decided by what the feature's
	// modules define (featureFramework).
	Framework  string
	Dir        string // "app/features/user"
	RoutesPath string // "app/features/user/routes.py"
	Module     string // "app.features.user.routes"
	Blueprints []*Blueprint
	Routes     []*Route
	Configure  *Object   // pc.configure(...), nil when absent
	Shared     []*Object // pc.shared_resource(...) calls
	// Declared are the resource objects bound to module-level names of
	// routes.py (assigned there or imported into it), in source order; the
	// original deployless deploys them even when resources= omits them.
	Declared  []*Object
	Functions []*Function
}

// Blueprint is a Flask Blueprint or a FastAPI router (an APIRouter, or a
// FastAPI app defined in the feature). For FastAPI, Name is the variable,
// URLPrefix the router's prefix=, and RegPrefix the include_router
// prefix=, which FastAPI adds to the router's own (Flask's replaces it).
type Blueprint struct {
	Var       string // module-level variable
	Module    string // dotted name of the module that defines it
	Name      string
	URLPrefix string
	Parent    string  // key of the blueprint it is registered on, "" for roots
	RegPrefix *string // url_prefix= given to register_blueprint, nil when none
	RegSpan   source.Span
	Span      source.Span
	App       bool // a FastAPI app (FastAPI(...)), not an APIRouter
}

// Key names the Blueprint uniquely in the project: module:var.
func (b *Blueprint) Key() string { return b.Module + ":" + b.Var }

// Route is one URL rule of the feature.
type Route struct {
	Methods   []string // upper case, without HEAD/OPTIONS
	Rule      string   // the full framework rule, prefixes applied (/users/<user_id>)
	LocalRule string   // the rule as written on its blueprint
	Endpoint  string   // the endpoint within the blueprint (url_for("bp.endpoint"))
	Path      string   // API Gateway path (/users/{user_id})
	Func      string   // Python view function name
	Blueprint string   // key of its Blueprint
	Span      source.Span
}

// Function is a Python function with a deployless decorator.
type Function struct {
	Name   string        // Python name
	Module string        // dotted module that defines it
	Kind   kind.Function // Split, Cron or Standalone
	Call   *Object
	Span   source.Span // of the def's name
	Routes []*Route    // for splits: the routes this function serves
}

type analyzer struct {
	fsys    fs.FS
	opts    Options
	diags   diag.List
	warned  map[string]bool
	modules map[string]*scope // by dotted name; nil entry = not a project module or unparsable
	files   map[string]*source.File
	// parsed holds every packaged .py file, parsed up front in parallel;
	// reported marks the files whose diagnostics were already added.
	parsed     map[string]parseResult
	reported   map[string]bool
	unreadable map[string]bool // files whose read error was reported
	featureSet map[string]bool // the features' folder names
	// app is the module-level FastAPI app (findFactory sets it).
	app *Hook
	// factoryPrefix are the url_prefix= the app factory registers
	// Blueprints with, by Blueprint key.
	factoryPrefix map[string]factoryPrefix
	prefixUsed    map[string]bool // the keys of factoryPrefix a feature's root router took
}

type parseResult struct {
	mod   *Module
	diags diag.List
}

// Analyze discovers the features (SPEC.md and the seed's discovery rules:
// sub-folders of FeaturesDir holding a routes.py, "_"-prefixed ones skipped,
// alphabetical), parses and evaluates each routes.py, and returns their
// facts. It never executes user code.
func Analyze(fsys fs.FS, opts Options) (*Project, diag.List) {
	an := &analyzer{fsys: fsys, opts: opts, warned: map[string]bool{}, modules: map[string]*scope{}, files: map[string]*source.File{},
		parsed: map[string]parseResult{}, reported: map[string]bool{}, unreadable: map[string]bool{}}
	proj := &Project{Files: an.files}

	entries, err := fs.ReadDir(fsys, opts.FeaturesDir)
	if err != nil {
		an.diags.Add(diag.E32, source.Span{Path: opts.FeaturesDir}, "features directory %q not found (paths.features)", opts.FeaturesDir)
		return proj, an.diags
	}
	names := an.featureNames(entries)
	sort.Strings(names) // ReadDir is sorted already; keep the rule explicit
	an.featureSet = map[string]bool{}
	for _, n := range names {
		an.featureSet[n] = true
	}
	if len(names) == 0 {
		an.diags.Add(diag.E32, source.Span{Path: opts.FeaturesDir}, "no features found: expected %s/<name>/routes.py", opts.FeaturesDir)
	}
	// Every file that will be packaged is parsed once, up front, on all
	// cores: a syntax error anywhere in it stops the build (it would fail the
	// Lambda at import time), and the evaluator reuses the parsed modules.
	// With an app package, that is the whole package: every package ships
	// it (its own feature, the app's modules), so a syntax error anywhere
	// in it would fail some Lambda at import time.
	dirs := []string{}
	proj.AppDir = appDir(opts.FeaturesDir)
	if proj.AppDir != "" {
		dirs = append(dirs, proj.AppDir)
	} else {
		for _, name := range names {
			dirs = append(dirs, path.Join(opts.FeaturesDir, name))
		}
	}
	if opts.SharedDir != "" && (proj.AppDir == "" || !strings.HasPrefix(opts.SharedDir+"/", proj.AppDir+"/")) {
		dirs = append(dirs, opts.SharedDir)
	}
	an.parseAll(dirs)
	an.featureSet = map[string]bool{}
	for _, n := range names {
		an.featureSet[n] = true
	}
	proj.Factory = an.findFactory(proj.AppDir)
	proj.App = an.app
	proj.InitApp = an.checkHooks()
	an.factoryPrefix, an.prefixUsed = an.factoryPrefixes(proj.Factory, proj.App), map[string]bool{}
	for _, name := range names {
		dir := path.Join(opts.FeaturesDir, name)
		f := &Feature{Name: name, Dir: dir, RoutesPath: dir + "/routes.py", Module: moduleName(dir + "/routes.py")}
		sc := an.module(f.Module)
		if sc == nil {
			continue // syntax errors already reported
		}
		readFeature(an, sc, f)
		proj.Features = append(proj.Features, f)
	}
	an.checkImports(proj)
	an.checkAppRoutes()
	an.checkAppIncludes()
	proj.ExtraFiles = an.extraModules(proj)
	// Syntax errors of the files no evaluation needed, in path order.
	paths := make([]string, 0, len(an.parsed))
	for p := range an.parsed {
		paths = append(paths, p)
	}
	sort.Strings(paths) // sorted for determinism
	for _, p := range paths {
		an.report(p)
	}
	return proj, an.diags
}

// featureNames picks the feature folders among the entries of the
// features folder: sub-folders holding a routes.py, "_"- and "."-prefixed
// ones skipped (the seed's rule). Nothing that looks like a feature is
// dropped without a word: a linked folder or a routes.py that cannot be
// read is E32, a folder whose name cannot be a Python package is W03.
func (an *analyzer) featureNames(entries []fs.DirEntry) []string {
	dir := an.opts.FeaturesDir
	var names []string
	for _, e := range entries {
		name, p := e.Name(), path.Join(dir, e.Name())
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			if st, err := fs.Stat(an.fsys, p); err != nil || st.IsDir() {
				an.diags.Add(diag.E32, source.Span{Path: p}, "%s is a symbolic link; deployless does not follow linked feature folders (move the folder into place)", p)
			}
			continue // a linked file is not a feature
		}
		if !e.IsDir() {
			continue // __init__.py, README…
		}
		routes := p + "/routes.py"
		st, err := fs.Stat(an.fsys, routes)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // a folder of helpers, not a feature
		case err != nil:
			an.diags.Add(diag.E32, source.Span{Path: routes}, "cannot read %s: %v", routes, source.FileError(err))
			continue
		case st.IsDir():
			an.diags.Add(diag.E32, source.Span{Path: routes}, "%s is a folder, not a file", routes)
			continue
		}
		if strings.Contains(name, ".") {
			an.diags.Warn(diag.W03, source.At(routes, 1, 1), "folder %s cannot be a feature: a dot in its name makes it no Python package (rename it)", p)
			continue
		}
		names = append(names, name)
	}
	return names
}

// moduleName maps a project-relative .py path to its dotted import name.
func moduleName(p string) string {
	p = strings.TrimSuffix(p, ".py")
	p = strings.TrimSuffix(p, "/__init__")
	return strings.ReplaceAll(p, "/", ".")
}

// module returns the scope of a project module, parsing it on first use, or
// nil when the name is not a module of the project (or failed to parse).
func (an *analyzer) module(name string) *scope {
	if sc, ok := an.modules[name]; ok {
		return sc
	}
	an.modules[name] = nil
	base := strings.ReplaceAll(name, ".", "/")
	for _, p := range []string{base + ".py", base + "/__init__.py"} {
		file := an.read(p)
		if file == nil {
			continue
		}
		r, ok := an.parsed[p]
		if !ok { // a project module outside the packaged folders
			r = an.parse(file, name)
			an.parsed[p] = r
		}
		an.report(p)
		mod := r.mod
		if mod == nil {
			return nil
		}
		sc := newScope(an, mod)
		an.modules[name] = sc
		return sc
	}
	return nil
}

func (an *analyzer) read(p string) *source.File {
	if f, ok := an.files[p]; ok {
		return f
	}
	b, err := fs.ReadFile(an.fsys, p)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !an.unreadable[p] {
			// An unreadable module must fail the build: silently skipping
			// it would drop its routes (and a deploy would delete them).
			an.unreadable[p] = true
			an.diags.Add(diag.E32, source.Span{Path: p}, "cannot read %s: %v", p, source.FileError(err))
		}
		return nil
	}
	f := source.NewFile(p, b)
	an.files[p] = f
	return f
}

// moduleMember resolves `module.member` (an attribute of an imported module,
// or a from-import).
func (an *analyzer) moduleMember(module, member string, at source.Span) (*Value, *sym, *evalErr) {
	switch module {
	case "deployless":
		if !DeploylessAPI[member] {
			return nil, nil, errAt(at, "deployless has no %q", member)
		}
		return nil, &sym{module: module, member: member}, nil
	case "os":
		return nil, &sym{module: module, member: member}, nil
	}
	if sc := an.module(module); sc != nil {
		if b := sc.lookup(member, -1); b != nil {
			return sc.resolveBinding(b, &Name{Span: at, Id: member})
		}
		if an.module(module+"."+member) != nil {
			return nil, &sym{module: module + "." + member}, nil
		}
		return nil, nil, errAt(at, "module %s has no module-level name %q", module, member)
	}
	if an.module(module+"."+member) != nil { // from app.shared import config
		return nil, &sym{module: module + "." + member}, nil
	}
	return nil, &sym{module: module, member: member}, nil
}

// report adds a parsed file's diagnostics, once.
func (an *analyzer) report(p string) {
	if !an.reported[p] {
		an.reported[p] = true
		an.diags.Append(an.parsed[p].diags)
	}
}

// parse parses file, or decodes it from the parse cache; clean parses go
// into the cache. Safe for concurrent use.
func (an *analyzer) parse(file *source.File, name string) parseResult {
	cache := an.opts.Cache
	if _, _, ok := file.InvalidUTF8(); !ok {
		cache = nil // Parse refuses it; never serve an older build's parse
	}
	var key parsecache.Key
	if cache != nil {
		key = parsecache.Sum(file.Content)
		if b, ok := cache.Get(key); ok {
			if m, err := decodeModule(b, file, name); err == nil && wellFormed(m) {
				return parseResult{mod: m}
			}
		}
	}
	mod, d := Parse(file, name)
	if cache != nil && mod != nil && len(d) == 0 {
		if b, ok := encodeModule(mod); ok {
			cache.Put(key, b)
		}
	}
	return parseResult{mod, d}
}

// parseAll reads every .py file under dirs (skipping hidden folders and
// caches) and parses them with one parser per core.
func (an *analyzer) parseAll(dirs []string) {
	var files []*source.File
	for _, dir := range dirs {
		_ = fs.WalkDir(an.fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if p != dir && (strings.HasPrefix(d.Name(), ".") || d.Name() == "__pycache__") {
					return fs.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(p, ".py") {
				if f := an.read(p); f != nil {
					files = append(files, f)
				}
			}
			return nil
		})
	}
	results := make([]parseResult, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = an.parse(files[i], moduleName(files[i].Path))
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, f := range files {
		an.parsed[f.Path] = results[i]
	}
}
