// Package packager lays out one Lambda package per function (SPEC.md §7):
// the whole feature folder, the shared folder at its import path and a
// generated bootstrap.py. Dependencies and the deployless runtime
// (RuntimeModules) are not in it: they are the function's dependency layer (model.DepLayer, built by
// package layers), so a change to requirements never changes a code
// package. It returns file trees in memory; package output writes
// them. Files are sorted and modes fixed so the same input always yields the
// same bytes.
package packager

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/source"
)

//go:embed runtime/deployless.py runtime/bootstrap_boot.py runtime/bootstrap_apigw.py runtime/bootstrap_http.py runtime/bootstrap_asgi.py runtime/bootstrap_event.py runtime/secure_secrets.py
var runtimeFS embed.FS

// secureMarkerPlaceholder stands in runtime/secure_secrets.py for
// model.SecureMarker.
const secureMarkerPlaceholder = "@SECURE_MARKER@"

// File is one file of a package.
type File struct {
	Path string // relative to the package root, slash-separated
	Data []byte
	Mode fs.FileMode
}

// Package is the file tree of one function, sorted by path.
type Package struct {
	LogicalID string
	Files     []File
}

// Build returns the package of every function, in the model's order. fsys is
// the project root.
//
// Each package holds the app as its author wrote it (SPEC.md §9): the whole
// app package (p.AppDir: its __init__.py, models, config, extensions,
// templates, static files…) minus the features' folders, then its own
// feature's folder, and for every other feature a stand-in (standin.go)
// that defines that feature's Blueprints, so that the app factory's imports
// and url_for() work without the other features' code.
func Build(p *model.Project, fsys fs.FS) ([]Package, error) {
	featureDirs := map[string]bool{}
	for _, f := range p.Features {
		featureDirs[f.Dir] = true
	}
	var common []File // the same in every package
	if p.AppDir != "" {
		app, err := tree(fsys, p.AppDir, featureDirs)
		if err != nil {
			return nil, err
		}
		common = append(common, app...)
	}
	if p.SharedDir != "" && (p.AppDir == "" || !strings.HasPrefix(p.SharedDir+"/", p.AppDir+"/")) {
		shared, err := tree(fsys, p.SharedDir, nil)
		if err != nil {
			return nil, err
		}
		common = append(common, shared...)
	}
	for _, p := range p.ExtraFiles {
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		common = append(common, File{Path: p, Data: data, Mode: 0o644})
	}
	features := map[*model.Feature][]File{}
	// Stand-ins only serve an app factory (it imports and registers every
	// feature's Blueprints, and url_for needs them registered); without
	// one the bootstrap registers this feature's alone.
	standins := map[*model.Feature][]File{}
	if p.AppDir != "" && (p.Factory != "" || p.App != "") {
		for _, f := range p.Features {
			standins[f] = standin(f)
		}
	}
	known := knownRules(p) // the same in every HTTP bootstrap
	var out []Package
	for _, fn := range p.Functions {
		feat, ok := features[fn.Feature]
		if !ok {
			var err error
			if feat, err = tree(fsys, fn.Feature.Dir, nil); err != nil {
				return nil, err
			}
			// The feature's requirements.txt is its dependency layer's,
			// not code: a change to it must not change the code zips.
			feat = slices.DeleteFunc(slices.Clone(feat), func(f File) bool { return f.Path == fn.Feature.Dir+"/requirements.txt" })
			features[fn.Feature] = feat
		}
		files := map[string]File{}
		// Parent packages without an __init__.py of their own get an empty
		// one (written first, so the project's win).
		dirs := []string{fn.Feature.Dir, p.SharedDir}
		for _, f := range p.Features {
			dirs = append(dirs, f.Dir)
		}
		for _, dir := range dirs {
			for d := path.Dir(dir); d != "." && d != "/" && d != ""; d = path.Dir(d) {
				files[d+"/__init__.py"] = File{Path: d + "/__init__.py", Mode: 0o644}
			}
		}
		for _, f := range common {
			files[f.Path] = f
		}
		if len(standins) > 0 {
			for _, other := range p.Features {
				if other != fn.Feature {
					for _, f := range standins[other] {
						files[f.Path] = f
					}
				}
			}
		}
		for _, f := range feat {
			files[f.Path] = f
		}
		files["bootstrap.py"] = File{Path: "bootstrap.py", Data: bootstrap(p, fn, known), Mode: 0o644}
		pkg := Package{LogicalID: fn.LogicalID}
		for _, f := range files {
			pkg.Files = append(pkg.Files, f)
		}
		sort.Slice(pkg.Files, func(i, j int) bool { return pkg.Files[i].Path < pkg.Files[j].Path })
		out = append(out, pkg)
	}
	return out, nil
}

// tree reads every file under dir, skipping caches, hidden entries and the
// folders in skip.
func tree(fsys fs.FS, dir string, skip map[string]bool) ([]File, error) {
	if dir == "" {
		return nil, nil
	}
	if _, err := fs.Stat(fsys, dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil // no shared folder: nothing to copy
	} else if err != nil {
		return nil, err
	}
	var out []File
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, ".") || name == "__pycache__" || d.IsDir() && skip[p]) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || strings.HasSuffix(name, ".pyc") {
			return nil
		}
		if !d.Type().IsRegular() {
			if err := followLink(fsys, p, d); err != nil {
				return err
			}
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out = append(out, File{Path: p, Data: data, Mode: 0o644})
		return nil
	})
	return out, err
}

// followLink decides what a non-regular entry of a packaged folder is: a
// symbolic link to a file inside the project is packaged as that file's
// content; a link that leads out of the project (the file system refuses
// it), a linked folder (walking it could loop) and anything else (sockets,
// devices) are errors naming the entry, never silently dropped.
func followLink(fsys fs.FS, p string, d fs.DirEntry) error {
	if d.Type()&fs.ModeSymlink == 0 {
		return fmt.Errorf("%s is not a regular file (%s)", p, d.Type())
	}
	st, err := fs.Stat(fsys, p)
	switch {
	case err != nil:
		return fmt.Errorf("symbolic link %s points outside the project or to nothing (%v); deployless packages only files inside the project", p, source.FileError(err))
	case st.IsDir():
		return fmt.Errorf("symbolic link %s points to a folder; deployless does not follow linked folders (copy or move the folder into place)", p)
	case !st.Mode().IsRegular():
		return fmt.Errorf("symbolic link %s points to something that is not a regular file", p)
	}
	return nil
}

// bootstrap generates bootstrap.py: a header carrying the function's
// settings as JSON, then the static body from runtime/.
func bootstrap(p *model.Project, fn *model.Function, known []string) []byte {
	var cfg any
	body := HTTPModule
	switch fn.Kind {
	case kind.Cron, kind.Standalone:
		body = EventModule
		module := fn.PyModule
		if module == "" {
			module = fn.Feature.Module
		}
		cfg = map[string]any{"framework": fn.Feature.Framework, "module": module, "function": fn.PyName, "factory": p.FactoryFor(fn.Feature), "init_app": hooks(p)}
		if fn.Feature.Framework == "fastapi" {
			// No Flask app context to push; a FastAPI app's lifespan is
			// the HTTP functions'.
			cfg = map[string]any{"framework": "fastapi", "module": module, "function": fn.PyName, "factory": "", "init_app": []string{}}
		}
	default:
		var cors any
		if c := p.API.CORS; c != nil {
			cors = map[string]any{
				"allow_origins": c.AllowOrigins, "allow_methods": c.AllowMethods, "allow_headers": c.AllowHeaders,
				"max_age": c.MaxAge, "allow_credentials": c.AllowCredentials, "preflight": c.Preflight(),
			}
		}
		blueprints := fn.Feature.Blueprints
		if blueprints == nil {
			blueprints = []string{}
		}
		types := p.API.BinaryMediaTypes
		if types == nil {
			types = []string{}
		}
		basePath := ""
		if d := p.API.Domain; d != nil {
			// Behind a custom domain's base path mapping the event's path
			// starts with it; the bootstrap strips it before Flask routes.
			basePath = d.BasePath
		}
		routes := [][2]string{} // what the template routes here: the app must serve each
		for _, r := range fn.Routes {
			routes = append(routes, [2]string{r.Method, r.Rule})
		}
		cfg = map[string]any{"framework": "flask", "module": fn.Feature.Module, "blueprints": blueprints,
			"cors": cors, "binary_media_types": types, "base_path": basePath,
			"factory": p.FactoryFor(fn.Feature), "init_app": hooks(p), "routes": routes, "known_rules": known}
		if fn.Feature.Framework == "fastapi" {
			body = ASGIModule
			cfg = map[string]any{"framework": "fastapi", "module": fn.Feature.Module, "routers": blueprints,
				"cors": cors, "binary_media_types": types, "base_path": basePath,
				"factory": p.FactoryFor(fn.Feature), "app": p.App, "init_app": hooks(p), "routes": routes, "known_rules": known}
		}
	}
	// encoding/json sorts map keys, so the header is deterministic.
	js, _ := json.MarshalIndent(cfg, "", "  ")
	var b strings.Builder
	b.WriteString("# Generated by deployless for " + fn.LogicalID + " — do not edit.\n")
	b.WriteString("import json as _json\n\n")
	b.WriteString("_CONFIG = _json.loads(r\"\"\"" + string(js) + "\"\"\")\n\n")
	if fn.ReadsSecureParameters() {
		b.WriteString("import " + strings.TrimSuffix(SecureModule, ".py") + "  # noqa: E402,F401 (resolves SecureString parameters first)\n")
	}
	b.WriteString("from " + strings.TrimSuffix(body, ".py") + " import handler  # noqa: E402,F401\n")
	return []byte(b.String())
}

// The bootstrap's static modules: every package has the one its bootstrap
// imports, byte-identical across packages.
const (
	HTTPModule   = "_deployless_http.py" // Flask (apig-wsgi)
	ASGIModule   = "_deployless_asgi.py" // FastAPI (Mangum)
	EventModule  = "_deployless_event.py"
	SecureModule = "_deployless_secure.py"
	// ApigwModule is the API Gateway side both HTTP bootstraps share
	// (base path, CORS, binary bodies); bootstrap.py never imports it.
	ApigwModule = "_deployless_apigw.py"
	// BootModule reads _CONFIG back and puts the task root first on
	// sys.path: what every bootstrap module does first.
	BootModule = "_deployless_boot.py"
)

// RuntimeModules are the modules every function imports from its
// dependency layer (python/ of the layer, /opt/python in Lambda): the pc
// API (deployless.py) and the static bootstraps that bootstrap.py imports.
// They are the same for every function of every project built by one
// deployless version, so they live in the layer, not in each code zip: a
// code change then uploads only the code the user wrote (and its small
// bootstrap.py).
func RuntimeModules() []File {
	read := func(name, src string) File {
		b, _ := runtimeFS.ReadFile(src)
		return File{Path: name, Data: b, Mode: 0o644}
	}
	// The SecureString marker is defined once, in the model; the runtime
	// file holds a placeholder for it.
	prelude, _ := runtimeFS.ReadFile("runtime/secure_secrets.py")
	return []File{
		read("deployless.py", "runtime/deployless.py"),
		read(BootModule, "runtime/bootstrap_boot.py"),
		read(ApigwModule, "runtime/bootstrap_apigw.py"),
		read(EventModule, "runtime/bootstrap_event.py"),
		read(HTTPModule, "runtime/bootstrap_http.py"),
		read(ASGIModule, "runtime/bootstrap_asgi.py"),
		{Path: SecureModule, Data: []byte(strings.Replace(string(prelude), secureMarkerPlaceholder, model.SecureMarker, 1)), Mode: 0o644},
	}
}

func hooks(p *model.Project) []string {
	if p.InitApp == nil {
		return []string{}
	}
	return p.InitApp
}

// knownRules are every feature's rules, sorted, when the app has a factory:
// the bootstrap refuses an app whose factory adds a route outside them (it
// would be served by no function: API Gateway routes only the template's
// paths). nil without a factory (the bootstrap builds the app itself).
func knownRules(p *model.Project) []string {
	if p.Factory == "" && p.App == "" {
		return []string{}
	}
	seen := map[string]bool{}
	out := []string{}
	for _, fn := range p.Functions {
		for _, r := range fn.Routes {
			if !seen[r.Rule] {
				seen[r.Rule] = true
				out = append(out, r.Rule)
			}
		}
	}
	sort.Strings(out)
	return out
}
