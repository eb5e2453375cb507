package e2e

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/testenv"
)

// layoutProbe is what testdata/layout.py reports after running the events.
type layoutProbe struct {
	Results           []json.RawMessage `json:"results"`
	SysPath           []string          `json:"sys_path"`
	BasePrefix        string            `json:"base_prefix"`
	Prefix            string            `json:"prefix"`
	Magic             string            `json:"magic"`
	DontWriteBytecode bool              `json:"dont_write_bytecode"`
	Boto3             bool              `json:"boto3"`
	Modules           map[string]struct {
		File   string  `json:"file"`
		Cached *string `json:"cached"`
	} `json:"modules"`
	FromBytecode []string `json:"from_bytecode"`
	FromSource   []string `json:"from_source"`
}

// probe runs the events through testdata/layout.py (one cold process) and
// returns its report, with the results labelled.
func (l *lambda) probe(t *testing.T, labels []string, events []any) ([]result, layoutProbe) {
	t.Helper()
	out := l.runScript(t, "layout.py", events)
	var p layoutProbe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("%s: layout.py printed no JSON object: %v\n%s", l.name, err, out)
	}
	if len(p.Results) != len(events) {
		t.Fatalf("%s: %d results for %d events", l.name, len(p.Results), len(events))
	}
	rs := make([]result, len(events))
	for i := range events {
		rs[i] = result{label: labels[i], raw: p.Results[i]}
		rs[i].failIfError(t)
	}
	return rs, p
}

// pycName is the .pyc CPython 3.X imports for a .py entry of a zip.
func pycName(runtime, py string) string {
	tag := "cpython-" + strings.ReplaceAll(strings.TrimPrefix(runtime, "python"), ".", "")
	dir, file := path.Split(py)
	return dir + "__pycache__/" + strings.TrimSuffix(file, ".py") + "." + tag + ".pyc"
}

// checkBytecode requires a .pyc beside every .py of a zip's entries, for
// the runtime's tag and no other, each an unchecked-hash .pyc (PEP 552:
// flags 0b01, valid whatever the source's mtime) of the runtime's magic
// number, read from the extracted folder dir. It returns how many .pyc
// there are.
func checkBytecode(t *testing.T, what, runtime string, names []string, dir, magic string) int {
	t.Helper()
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	n := 0
	for _, name := range names {
		switch {
		case strings.HasSuffix(name, ".py"):
			if !have[pycName(runtime, name)] {
				t.Errorf("%s: %s has no %s", what, name, pycName(runtime, name))
			}
		case strings.HasSuffix(name, ".pyc"):
			n++
			src := regexp.MustCompile(`__pycache__/([^/]+)\.cpython-\d+\.pyc$`).ReplaceAllString(name, "$1.py")
			if !have[src] || pycName(runtime, src) != name {
				t.Errorf("%s: %s is not the %s bytecode of a shipped source", what, name, runtime)
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil || len(b) < 16 {
				t.Errorf("%s: %s: %v (%d bytes)", what, name, err, len(b))
				continue
			}
			if got := hex.EncodeToString(b[:4]); got != magic {
				t.Errorf("%s: %s: magic %s, want %s (%s's)", what, name, got, magic, runtime)
			}
			if flags := binary.LittleEndian.Uint32(b[4:8]); flags != 1 {
				t.Errorf("%s: %s: flags %#b, want 0b1 (unchecked-hash)", what, name, flags)
			}
		}
	}
	return n
}

// listFiles is every file under the roots with its size and mtime.
func listFiles(t *testing.T, roots ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			out[p] = info.ModTime().String() + " " + info.Mode().String()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// within reports whether p is dir or below it.
func within(p, dir string) (string, bool) {
	rel, err := filepath.Rel(dir, p)
	if err != nil || !filepath.IsLocal(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// TestZipLayout is issue 12's "Done when" for examples/ums-api: every
// function laid out as Lambda does — its code zip extracted to a task root,
// its dependency layer's zip to an /opt whose python/ comes next on the
// path — and bootstrap.handler invoked from a clean interpreter (an empty
// virtualenv of python3.13, -I -B) with API Gateway events for a few routes
// of each function, the split route and the cron included. Both zips carry
// unchecked-hash bytecode for every source, and every module the function
// imports from them (bootstrap first) is loaded from that bytecode with the
// sources' mtimes changed, writing nothing; nothing but the task root, the
// layer and the standard library is importable.
func TestZipLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds a layer and virtualenvs and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	for _, name := range []string{"invoke.py", "layout.py"} {
		mustRead(t, testdataFile(name)) // only Python reads them: keep go test's cache honest
	}
	root, res := buildExample(t)
	tmpl := res.YAML

	// ---- .dist holds the zips, and only them ---------------------------------------
	ids := []string{"AuthFunction", "UserFunction", "TenantFunction", "ExportUsersRouteFunction", "CleanupSessionsFunction"}
	want := []string{"DepsLayer.zip"}
	for _, id := range ids {
		want = append(want, id+".zip")
	}
	sort.Strings(want)
	entries, err := os.ReadDir(filepath.Join(root, ".dist"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			got = append(got, e.Name())
		} else {
			got = append(got, e.Name()+"/")
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf(".dist holds %v, want exactly %v", got, want)
	}

	// ---- each function's layout ------------------------------------------------------
	lambdas := map[string]*lambda{}
	for _, id := range ids {
		if c := functionCode(t, tmpl, id); c.runtime != "python3.13" || c.code != ".dist/"+id+".zip" || !slices.Equal(c.layers, []string{".dist/DepsLayer.zip"}) {
			t.Errorf("%s: runtime %s, CodeUri %s, layers %v; want python3.13, .dist/%s.zip, [.dist/DepsLayer.zip]", id, c.runtime, c.code, c.layers, id)
		}
		l := newLambda(t, root, tmpl, id, map[string]string{"STORAGE_BACKEND": "memory"})
		lambdas[id] = l
		for _, name := range l.layout.code {
			if path.Base(name) == "requirements.txt" || strings.HasPrefix(name, "python/") ||
				strings.HasPrefix(name, "flask/") || strings.HasPrefix(name, "apig_wsgi/") {
				t.Errorf("%s's code zip holds %s: dependencies belong in the layer", id, name)
			}
		}
		for _, name := range []string{"bootstrap.py", "__pycache__/bootstrap.cpython-313.pyc", "app/__init__.py"} {
			if !slices.Contains(l.layout.code, name) {
				t.Errorf("%s's code zip has no %s", id, name)
			}
		}
		for _, name := range []string{"deployless.py", "_deployless_http.py", "_deployless_event.py"} {
			if slices.Contains(l.layout.code, name) {
				t.Errorf("%s's code zip holds %s: the deployless runtime belongs in the layer", id, name)
			}
		}
		layer := l.layout.layers[0]
		for _, name := range layer {
			if !strings.HasPrefix(name, "python/") || strings.HasPrefix(name, "python/bin/") {
				t.Errorf("%s's layer holds %s, outside python/ or a script", id, name)
			}
		}
		for _, name := range []string{"python/flask/__init__.py", "python/apig_wsgi/__init__.py", "python/werkzeug/__init__.py",
			"python/deployless.py", "python/_deployless_http.py", "python/_deployless_event.py", "python/_deployless_secure.py"} {
			if !slices.Contains(layer, name) {
				t.Errorf("%s's layer has no %s", id, name)
			}
		}
	}

	// The runtime's magic number, from its own importlib.
	magicOut, err := runCmd(t, runtimePython(t, "python3.13"), "-I", "-c", "import importlib.util; print(importlib.util.MAGIC_NUMBER.hex())")
	if err != nil {
		t.Fatal(err)
	}
	magic := strings.TrimSpace(magicOut)
	for i, id := range ids {
		l := lambdas[id]
		if n := checkBytecode(t, id+"'s code zip", "python3.13", l.layout.code, l.dir, magic); n == 0 {
			t.Errorf("%s's code zip has no bytecode", id)
		}
		if i == 0 {
			if n := checkBytecode(t, "DepsLayer.zip", "python3.13", l.layout.layers[0], l.layout.opt, magic); n < 50 {
				t.Errorf("DepsLayer.zip has %d .pyc, want one per module of flask and its dependencies", n)
			}
		}
		// Sources newer than anything: a timestamp .pyc would be stale;
		// an unchecked-hash one is still used.
		later := time.Now().Add(time.Hour)
		for _, dir := range []string{l.dir, l.layout.opt} {
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(p, ".py") {
					err = os.Chtimes(p, later, later)
				}
				return err
			})
		}
	}

	// ---- invoked from a clean interpreter ----------------------------------------------
	checkProbe := func(t *testing.T, l *lambda, p layoutProbe) {
		t.Helper()
		opt := filepath.Join(l.layout.opt, "python")
		if len(p.SysPath) < 2 || p.SysPath[0] != l.dir || p.SysPath[1] != opt {
			t.Errorf("%s: sys.path starts %v, want [%s %s …]", l.name, p.SysPath, l.dir, opt)
		}
		for _, e := range p.SysPath[min(2, len(p.SysPath)):] {
			_, std := within(e, p.BasePrefix)
			_, venv := within(e, p.Prefix)
			if !std && !venv {
				t.Errorf("%s: sys.path holds %s, neither the standard library (%s) nor the empty venv (%s)", l.name, e, p.BasePrefix, p.Prefix)
			}
		}
		if p.Boto3 {
			t.Errorf("%s: boto3 is importable: the interpreter is not clean", l.name)
		}
		if !p.DontWriteBytecode {
			t.Errorf("%s: not run with -B", l.name)
		}
		if p.Magic != magic {
			t.Errorf("%s: the interpreter's magic %s, want %s", l.name, p.Magic, magic)
		}
		loaded := map[string]bool{}
		for _, f := range p.FromBytecode {
			loaded[f] = true
		}
		for _, f := range p.FromSource {
			_, task := within(f, l.dir)
			_, layer := within(f, opt)
			if task || layer {
				t.Errorf("%s: %s was compiled from its source at import: its shipped .pyc was missing or not accepted", l.name, f)
			}
		}
		fromPyc := map[string]bool{}
		for name, m := range p.Modules {
			if name == "__main__" {
				continue
			}
			_, task := within(m.File, l.dir)
			_, layer := within(m.File, opt)
			if !task && !layer {
				if _, ok := within(m.File, p.BasePrefix); !ok {
					t.Errorf("%s: module %s comes from %s, outside the task root, the layer and the standard library", l.name, name, m.File)
				}
				continue
			}
			if !strings.HasSuffix(m.File, ".py") {
				continue // an extension module (markupsafe._speedups)
			}
			if m.Cached == nil || !loaded[*m.Cached] {
				t.Errorf("%s: module %s (%s) was not loaded from its .pyc (__cached__ %v)", l.name, name, m.File, m.Cached)
				continue
			}
			fromPyc[name] = true
		}
		for _, name := range []string{"bootstrap", "deployless", "flask.app", "werkzeug.routing.map"} {
			if !fromPyc[name] {
				t.Errorf("%s: module %s was not imported from its shipped .pyc (%d modules)", l.name, name, len(p.Modules))
			}
		}
		t.Logf("%s: %d modules of the task root and the layer, all loaded from their shipped bytecode", l.name, len(fromPyc))
	}
	run := func(t *testing.T, id string, labels []string, events []any) []result {
		t.Helper()
		l := lambdas[id]
		before := listFiles(t, l.dir, l.layout.opt)
		r, p := l.probe(t, labels, events)
		checkProbe(t, l, p)
		after := listFiles(t, l.dir, l.layout.opt)
		for f := range after {
			if _, ok := before[f]; !ok {
				t.Errorf("%s: the run wrote %s", id, f)
			}
		}
		return r
	}

	var token string
	t.Run("AuthFunction", func(t *testing.T) {
		good := jsonRequest("POST", "/auth/token", "/auth/token",
			map[string]any{"client_id": clientID, "client_secret": clientSecret, "tenant_id": tenantID}, nil)
		bad := jsonRequest("POST", "/auth/token", "/auth/token",
			map[string]any{"client_id": clientID, "client_secret": "wrong", "tenant_id": tenantID}, nil)
		r := run(t, "AuthFunction", []string{"POST /auth/token", "POST /auth/token (bad secret)"}, []any{apiEvent(good), apiEvent(bad)})
		_, body := r[0].expect(t, 200)
		token = mustString(t, r[0].label+": access_token", field(t, r[0].label, body, "access_token"))
		wantField(t, r[0].label, body, "scopes", allScopes)
		_, body = r[1].expect(t, 401)
		wantField(t, r[1].label, body, "message", "invalid client credentials")
	})
	if token == "" {
		t.Fatal("no access token: the AuthFunction subtest failed")
	}
	t.Run("UserFunction", func(t *testing.T) {
		create := jsonRequest("POST", "/users", "/users", map[string]any{"email": "grace@example.com", "password": "correct horse battery"}, bearer(token))
		missing := request{Method: "GET", Path: "/users/nope", Resource: "/users/{user_id}", PathParams: map[string]string{"user_id": "nope"}, Headers: bearer(token)}
		anon := request{Method: "GET", Path: "/users", Resource: "/users"}
		r := run(t, "UserFunction", []string{"POST /users", "GET /users/nope", "GET /users (no token)"}, []any{apiEvent(create), apiEvent(missing), apiEvent(anon)})
		_, body := r[0].expect(t, 201)
		wantField(t, r[0].label, body, "email", "grace@example.com")
		_, body = r[1].expect(t, 404)
		wantField(t, r[1].label, body, "error", "not_found")
		_, body = r[2].expect(t, 401)
		wantField(t, r[2].label, body, "message", "missing bearer token")
	})
	t.Run("TenantFunction", func(t *testing.T) {
		index := request{Method: "GET", Path: "/tenants", Resource: "/tenants"}
		file := request{Method: "GET", Path: "/tenants/acme/files/a/b.txt", Resource: "/tenants/{tenant_id}/files/{key+}",
			PathParams: map[string]string{"tenant_id": tenantID, "key": "a/b.txt"}}
		r := run(t, "TenantFunction", []string{"GET /tenants", "GET /tenants/acme/files/a/b.txt"}, []any{apiEvent(index), apiEvent(file)})
		_, body := r[0].expect(t, 200)
		wantField(t, r[0].label, body, "service", "tenants")
		_, body = r[1].expect(t, 200)
		wantField(t, r[1].label, body, "key", "a/b.txt")
	})
	t.Run("ExportUsersRouteFunction", func(t *testing.T) {
		export := request{Method: "POST", Path: "/users/export", Resource: "/users/export", Headers: bearer(token)}
		anon := request{Method: "POST", Path: "/users/export", Resource: "/users/export"}
		r := run(t, "ExportUsersRouteFunction", []string{"POST /users/export", "POST /users/export (no token)"}, []any{apiEvent(export), apiEvent(anon)})
		_, body := r[0].expect(t, 200)
		wantField(t, r[0].label, body, "tenant_id", tenantID)
		wantField(t, r[0].label, body, "count", 0)
		r[1].expect(t, 401)
	})
	t.Run("CleanupSessionsFunction", func(t *testing.T) {
		var event map[string]any
		if err := json.Unmarshal(mustRead(t, testdataFile("scheduled_event.json")), &event); err != nil {
			t.Fatal(err)
		}
		r := run(t, "CleanupSessionsFunction", []string{"scheduled event"}, []any{event})
		var out map[string]any
		if err := json.Unmarshal(r[0].raw, &out); err != nil {
			t.Fatalf("%s: %v\n%s", r[0].label, err, r[0].raw)
		}
		wantField(t, r[0].label, out, "status", "ok")
		wantField(t, r[0].label, out, "backend", "memory")
	})
}

// runCmd runs a command and returns its stdout.
func runCmd(t *testing.T, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	return string(out), err
}
