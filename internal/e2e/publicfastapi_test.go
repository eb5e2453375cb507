package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/testenv"
)

// TestPublicFastAPIApp builds testdata/realapps/fullstack-fastapi — the
// backend of fastapi/full-stack-fastapi-template (MIT), which nobody here
// wrote, ported with the README's moves (its PORTING.md lists every change)
// — and replays its REQUESTS.md through the four functions as Lambda would:
// each laid out from its code zip and dependency layer zip (python3.13, the
// port's pinned requirements) with an empty virtualenv of Python 3.13, one
// warm process per function whose working directory is the task root. The
// app is a module-level FastAPI() with SQLModel on sqlite, pydantic-settings,
// Depends everywhere, OAuth2 password login issuing JWTs (PyJWT) and argon2
// hashing (pwdlib). The functions share only the sqlite file (DATABASE_URL)
// and SECRET_KEY, which signs the tokens: a token LoginFunction issues opens
// UsersFunction and ItemsFunction.
//
// REQUESTS.md is parsed here, so it stays the one statement of what the
// port must answer: its Setup section gives the environment and the setup
// command, each request's `expect` block the function, the API resource,
// the status and the body's fields.
func TestPublicFastAPIApp(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds layers and virtualenvs and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	testenv.Tool(t, "uv")
	// Only Python reads the drivers (warm.py loads invoke.py); reading them
	// here too makes an edit of either invalidate go test's cached result.
	for _, name := range []string{"invoke.py", "warm.py"} {
		if _, err := os.ReadFile(testdataFile(name)); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	src := filepath.Join(testenv.RepoRoot(), "testdata", "realapps", "fullstack-fastapi")
	setup, steps := parseRequestsMD(t, filepath.Join(src, "REQUESTS.md"))

	root, res := buildProject(t, src)
	tmpl := res.YAML
	t.Logf("built in %v", time.Since(start).Round(time.Millisecond))

	// ---- the build and its template -----------------------------------------
	ids := map[string]bool{}
	for _, p := range res.Packages {
		ids[p.LogicalID] = true
	}
	fns := []string{"ItemsFunction", "LoginFunction", "UsersFunction", "UtilsFunction"}
	if got := slices.Sorted(maps.Keys(ids)); !slices.Equal(got, fns) {
		t.Fatalf("packages %v, want %v (one function per feature)", got, fns)
	}
	routes := map[string][]string{}
	for _, id := range fns {
		routes[id] = templateAPIRoutes(t, tmpl, id)
		for _, r := range routes[id] {
			if _, p, _ := strings.Cut(r, " "); p != "/" && strings.HasSuffix(p, "/") {
				t.Errorf("%s: template path %q keeps a trailing slash", id, r)
			}
		}
	}
	for id, want := range map[string][]string{
		"ItemsFunction": {"GET /api/v1/items", "POST /api/v1/items",
			"GET /api/v1/items/{id}", "PUT /api/v1/items/{id}", "DELETE /api/v1/items/{id}"},
		"LoginFunction": {"POST /api/v1/login/access-token", "POST /api/v1/login/test-token",
			"POST /api/v1/password-recovery/{email}", "POST /api/v1/reset-password"},
		"UsersFunction": {"GET /api/v1/users", "POST /api/v1/users", "POST /api/v1/users/signup", "GET /api/v1/users/me",
			"PATCH /api/v1/users/me/password", "GET /api/v1/users/{user_id}", "DELETE /api/v1/users/{user_id}"},
		"UtilsFunction": {"GET /api/v1/utils/health-check", "POST /api/v1/utils/test-email"},
	} {
		for _, r := range want {
			if !slices.Contains(routes[id], r) {
				t.Errorf("%s: the template has no %s (its API events: %v)", id, r, routes[id])
			}
		}
	}
	// SECRET_KEY comes from deploy.env, a SECRET_*: the template only
	// references SSM; the rest is deployless.yaml's env.
	for _, id := range fns {
		env := templateEnv(t, tmpl, id)
		for k, want := range map[string]string{
			"SECRET_KEY":               "{{resolve:ssm:/fullstack-fastapi/SECRET_KEY}}",
			"DATABASE_URL":             "sqlite:////tmp/fullstack-fastapi.db",
			"ENVIRONMENT":              "production",
			"FIRST_SUPERUSER":          "admin@example.com",
			"FIRST_SUPERUSER_PASSWORD": "set-when-running-initial-data",
		} {
			if env[k] != want {
				t.Errorf("%s's %s = %q, want %q", id, k, env[k], want)
			}
		}
	}
	const secret = "change-me-before-deploying-to-32-random-bytes" // deploy.env's placeholder
	if strings.Contains(string(tmpl), secret) {
		t.Error("template.yaml holds the SECRET_KEY value of deploy.env")
	}
	if t.Failed() {
		t.FailNow()
	}

	// Every request goes to a route of its function's template.
	for _, s := range steps {
		if !slices.Contains(routes[s.function], s.method+" "+s.resource) {
			t.Errorf("REQUESTS.md:%d (%s): %s has no API event %s %s (its events: %v)",
				s.expectLine, s.title, s.function, s.method, s.resource, routes[s.function])
		}
	}
	for _, id := range fns {
		if !slices.ContainsFunc(steps, func(s fastapiStep) bool { return s.function == id }) {
			t.Errorf("REQUESTS.md has no request served by %s", id)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// ---- the functions, laid out as Lambda does -----------------------------
	// The functions get the database and the key of the Setup section (not
	// the template's machine-wide /tmp file and SSM reference); the setup
	// step gets the whole section, with the superuser's real password.
	tmp := t.TempDir()
	setupEnv := map[string]string{}
	for k, v := range setup.env {
		setupEnv[k] = strings.ReplaceAll(v, "<tmp>", tmp)
	}
	for _, k := range []string{"DATABASE_URL", "SECRET_KEY", "FIRST_SUPERUSER_PASSWORD"} {
		if setupEnv[k] == "" {
			t.Fatalf("REQUESTS.md's Setup section sets no %s", k)
		}
	}
	fnEnv := map[string]string{"DATABASE_URL": setupEnv["DATABASE_URL"], "SECRET_KEY": setupEnv["SECRET_KEY"]}
	lambdas := map[string]*lambda{}
	for _, id := range fns {
		l := newLambda(t, root, tmpl, id, fnEnv)
		if l.layout.runtime != "python3.13" {
			t.Errorf("%s runs on %s, want python3.13 (deployless.yaml)", id, l.layout.runtime)
		}
		lambdas[id] = l
	}
	// Neither a package nor a layer holds deploy.env's value: every file as
	// Lambda gets it.
	for _, id := range fns {
		l := lambdas[id]
		for _, dir := range []string{l.dir, l.layout.opt} {
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
						t.Errorf("%s of %s holds the SECRET_KEY value of deploy.env", p, id)
					}
				}
				return nil
			})
		}
	}

	// The setup step (upstream's scripts/prestart.sh after its Postgres-only
	// migrations): `python -m app.initial_data` creates the tables and the
	// first superuser. It runs inside one laid-out function — every code zip
	// holds the whole app package — from its task root with its layer on the
	// path and the template's environment for it, plus the Setup section's.
	// -I would drop PYTHONPATH and, with -m, the working directory; the
	// empty venv and the fresh HOME keep the process as isolated.
	setupFn := lambdas["UsersFunction"]
	ctx, cancel := context.WithTimeout(context.Background(), invokeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, setupFn.python, append([]string{"-B", "-m"}, setup.module...)...)
	cmd.Dir = setupFn.dir
	cmd.Env = append(lambdaEnv(t, tmpl, setupFn.name, setupEnv),
		"PYTHONPATH="+strings.Join(append([]string{setupFn.dir}, setupFn.path...), string(os.PathListSeparator)))
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python -m %s in %s: %v\n%s", strings.Join(setup.module, " "), setupFn.name, err, out)
	}
	if !strings.Contains(string(out), "Initial data created") {
		t.Errorf("python -m %s did not log \"Initial data created\":\n%s", strings.Join(setup.module, " "), out)
	}
	t.Logf("python -m %s (in %s): %v", strings.Join(setup.module, " "), setupFn.name, time.Since(t0).Round(time.Millisecond))

	// ---- REQUESTS.md, in order ----------------------------------------------
	// One warm process per function (one container each, started after the
	// setup step), fed one event at a time: later requests use the ids and
	// tokens earlier responses generated, whichever function made them.
	warms := map[string]*warm{}
	for _, id := range fns {
		warms[id] = lambdas[id].startWarm(t)
	}
	saved := map[string]string{}
	t0 = time.Now()
	for i, s := range steps {
		label := fmt.Sprintf("REQUESTS.md #%d %q (%s %s in %s)", i+1, s.title, s.method, s.target, s.function)
		target := substitute(t, label, s.target, saved)
		p, rawQuery, _ := strings.Cut(target, "?")
		params, ok := matchResource(s.resource, p)
		if !ok {
			t.Fatalf("%s: the path %s does not match the resource %s", label, p, s.resource)
		}
		// The event's path is the client's, trailing slash included; the
		// resource is the template's.
		req := request{Method: s.method, Path: p, Resource: s.resource, PathParams: params, Headers: map[string]string{}}
		if rawQuery != "" {
			q, err := url.ParseQuery(rawQuery)
			if err != nil {
				t.Fatalf("%s: query %q: %v", label, rawQuery, err)
			}
			req.Query = map[string]string{}
			for k, v := range q {
				req.Query[k] = v[0]
			}
		}
		for _, h := range s.headers {
			req.Headers[h[0]] = substitute(t, label, h[1], saved)
		}
		if s.body != "" {
			req.Body = []byte(substitute(t, label, s.body, saved))
		}
		r := warms[s.function].send(t, label, apiEvent(req))
		resp := r.response(t)
		if resp.StatusCode != s.status {
			t.Fatalf("%s: status %d, want %d\nresponse: %s", label, resp.StatusCode, s.status, r.raw)
		}
		if ct, _ := resp.header("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q, want application/json", label, ct)
		}
		b, err := resp.bodyBytes()
		if err != nil {
			t.Fatalf("%s: body is not valid base64: %v\nresponse: %s", label, err, r.raw)
		}
		var body any
		if err := json.Unmarshal(b, &body); err != nil {
			t.Fatalf("%s: body is not JSON: %v\nresponse: %s", label, err, r.raw)
		}
		for _, c := range s.checks {
			c.check(t, label, body, saved)
		}
		for _, sv := range s.saves {
			v, ok := jsonAt(body, sv.path)
			if !ok || v == nil {
				t.Fatalf("%s: save %s: the body has no %s: %s", label, sv.name, sv.path, b)
			}
			if str, ok := v.(string); ok {
				saved[sv.name] = str
			} else {
				vb, _ := json.Marshal(v)
				saved[sv.name] = string(vb)
			}
		}
	}
	t.Logf("%d requests through %d functions in %v; total %v", len(steps), len(fns),
		time.Since(t0).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// ---- REQUESTS.md ----------------------------------------------------------------

// fastapiSetup is REQUESTS.md's Setup section: the environment of the
// functions and of the setup step, and the setup command's module.
type fastapiSetup struct {
	env    map[string]string
	module []string // after `python -m`: the module and its arguments
}

// fastapiStep is one request of REQUESTS.md: its http block and its
// expect block.
type fastapiStep struct {
	title              string // the section's heading, without "## N. "
	httpLine           int
	expectLine         int
	method, target     string // the request line; target is the path and query
	headers            [][2]string
	body               string
	function, resource string
	status             int
	checks             []fastapiCheck
	saves              []fastapiSave
}

// fastapiCheck is one `json… ==|contains|exists` line of an expect block.
type fastapiCheck struct {
	line int
	path string // "" for the whole body, else members and list indexes joined by "."
	op   string // "==", "contains" or "exists"
	want string // JSON, with {{name}} placeholders
}

type fastapiSave struct{ name, path string }

var (
	mdHeading  = regexp.MustCompile(`^## (?:(\d+)\. )?(.+)$`)
	mdCheck    = regexp.MustCompile(`^json((?:\.[^\s.]+)*)\s+(==|contains|exists)(?:\s+(.*))?$`)
	mdSave     = regexp.MustCompile(`^save:\s*(\w+)\s*=\s*json((?:\.[^\s.]+)+)$`)
	mdEnv      = regexp.MustCompile(`^([A-Z][A-Z0-9_]*)=(.*)$`)
	mdVariable = regexp.MustCompile(`\{\{(\w+)\}\}`)
)

// parseRequestsMD reads REQUESTS.md: the indented lines of its "Setup"
// section (KEY=value, and the `python -m …` command), and each numbered
// section's ```http block followed by its ```expect block. Anything it
// cannot read fails the test with the line.
func parseRequestsMD(t *testing.T, path string) (fastapiSetup, []fastapiStep) {
	t.Helper()
	data := mustRead(t, path)
	fail := func(line int, format string, args ...any) {
		t.Helper()
		t.Fatalf("%s:%d: %s", path, line, fmt.Sprintf(format, args...))
	}
	setup := fastapiSetup{env: map[string]string{}}
	var steps []fastapiStep
	var section, number string
	var pending *fastapiStep // an http block waiting for its expect block
	sc := bufio.NewScanner(bytes.NewReader(data))
	lineNo := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		lineNo++
		return sc.Text(), true
	}
	for {
		line, ok := next()
		if !ok {
			break
		}
		if m := mdHeading.FindStringSubmatch(line); m != nil {
			if pending != nil {
				fail(pending.httpLine, "the http block of %q has no expect block", pending.title)
			}
			number, section = m[1], m[2]
			if number != "" {
				if n, _ := strconv.Atoi(number); n != len(steps)+1 {
					fail(lineNo, "section %s after %d requests: the numbering skips or repeats", number, len(steps))
				}
			}
			continue
		}
		if section == "Setup" && strings.HasPrefix(line, "    ") {
			s := strings.TrimSpace(line)
			if m := mdEnv.FindStringSubmatch(s); m != nil {
				setup.env[m[1]] = m[2]
			} else if rest, ok := strings.CutPrefix(s, "python -m "); ok {
				setup.module = strings.Fields(rest)
			} else {
				fail(lineNo, "the Setup section's line %q is neither KEY=value nor `python -m …`", s)
			}
			continue
		}
		info, isFence := strings.CutPrefix(line, "```")
		if !isFence {
			continue
		}
		start := lineNo
		var block []string
		closed := false
		for {
			l, ok := next()
			if !ok {
				break
			}
			if strings.TrimSpace(l) == "```" {
				closed = true
				break
			}
			block = append(block, l)
		}
		if !closed {
			fail(start, "the ```%s block is not closed", info)
		}
		switch info {
		case "http":
			if number == "" {
				fail(start, "an http block outside a numbered section (%q)", section)
			}
			if pending != nil {
				fail(start, "a second http block in %q before its expect block", section)
			}
			s := fastapiStep{title: section, httpLine: start}
			parseHTTPBlock(start, block, &s, fail)
			pending = &s
		case "expect":
			if pending == nil {
				fail(start, "an expect block without an http block before it")
			}
			pending.expectLine = start
			parseExpectBlock(start, block, pending, fail)
			steps = append(steps, *pending)
			pending = nil
		default:
			fail(start, "a ```%s block: want ```http or ```expect", info)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if pending != nil {
		fail(pending.httpLine, "the http block of %q has no expect block", pending.title)
	}
	if len(steps) == 0 {
		t.Fatalf("%s: no requests", path)
	}
	if len(setup.module) == 0 {
		t.Fatalf("%s: the Setup section has no `python -m …` command", path)
	}
	return setup, steps
}

// parseHTTPBlock reads a request line, headers, a blank line and a body.
func parseHTTPBlock(start int, block []string, s *fastapiStep, fail func(int, string, ...any)) {
	if len(block) == 0 {
		fail(start, "an empty http block")
	}
	f := strings.Fields(block[0])
	if len(f) < 2 || len(f) > 3 || strings.ToUpper(f[0]) != f[0] || !strings.HasPrefix(f[1], "/") {
		fail(start+1, "request line %q: want METHOD /path [HTTP/1.1]", block[0])
	}
	s.method, s.target = f[0], f[1]
	i := 1
	for ; i < len(block) && block[i] != ""; i++ {
		k, v, ok := strings.Cut(block[i], ":")
		if !ok || strings.TrimSpace(k) == "" || strings.ContainsAny(k, " \t") {
			fail(start+1+i, "header line %q: want Name: value", block[i])
		}
		s.headers = append(s.headers, [2]string{k, strings.TrimSpace(v)})
	}
	if i < len(block) {
		s.body = strings.TrimRight(strings.Join(block[i+1:], "\n"), "\n")
	}
}

// parseExpectBlock reads function:, resource:, status:, the json checks
// and save: lines.
func parseExpectBlock(start int, block []string, s *fastapiStep, fail func(int, string, ...any)) {
	for i, raw := range block {
		n := start + 1 + i
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
		case strings.HasPrefix(line, "function:"):
			s.function = strings.TrimSpace(strings.TrimPrefix(line, "function:"))
		case strings.HasPrefix(line, "resource:"):
			s.resource = strings.TrimSpace(strings.TrimPrefix(line, "resource:"))
		case strings.HasPrefix(line, "status:"):
			v, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "status:")))
			if err != nil || v < 100 || v > 599 {
				fail(n, "%q: want status: <an HTTP status code>", line)
			}
			s.status = v
		case strings.HasPrefix(line, "save:"):
			m := mdSave.FindStringSubmatch(line)
			if m == nil {
				fail(n, "%q: want save: name = json.path", line)
			}
			s.saves = append(s.saves, fastapiSave{name: m[1], path: strings.TrimPrefix(m[2], ".")})
		default:
			m := mdCheck.FindStringSubmatch(line)
			if m == nil {
				fail(n, "%q is not a line of an expect block", line)
			}
			c := fastapiCheck{line: n, path: strings.TrimPrefix(m[1], "."), op: m[2], want: strings.TrimSpace(m[3])}
			switch {
			case c.op == "exists" && c.want != "":
				fail(n, "%q: exists takes no value", line)
			case c.op != "exists" && !json.Valid([]byte(c.want)):
				fail(n, "%q: the value %q is not JSON", line, c.want)
			case c.op == "contains" && !strings.HasPrefix(c.want, `"`):
				fail(n, "%q: contains takes a JSON string", line)
			}
			s.checks = append(s.checks, c)
		}
	}
	if s.function == "" || s.resource == "" || s.status == 0 {
		fail(start, "the expect block of %q needs function:, resource: and status:", s.title)
	}
	if !strings.HasPrefix(s.resource, "/") {
		fail(start, "resource %q does not start with /", s.resource)
	}
}

// substitute replaces each {{name}} by a value saved by an earlier request.
func substitute(t *testing.T, label, s string, saved map[string]string) string {
	t.Helper()
	return mdVariable.ReplaceAllStringFunc(s, func(m string) string {
		name := mdVariable.FindStringSubmatch(m)[1]
		v, ok := saved[name]
		if !ok {
			t.Fatalf("%s: {{%s}} is not saved by an earlier request", label, name)
		}
		return v
	})
}

// check compares the body with one expectation, reporting a mismatch.
func (c fastapiCheck) check(t *testing.T, label string, body any, saved map[string]string) {
	t.Helper()
	name := "json"
	if c.path != "" {
		name += "." + c.path
	}
	got, ok := jsonAt(body, c.path)
	gb, _ := json.Marshal(got)
	bb, _ := json.Marshal(body)
	if !ok {
		t.Errorf("%s: REQUESTS.md:%d: the body has no %s: %s", label, c.line, name, bb)
		return
	}
	switch c.op {
	case "exists":
		empty := got == nil
		switch x := got.(type) {
		case string:
			empty = x == ""
		case []any:
			empty = len(x) == 0
		case map[string]any:
			empty = len(x) == 0
		}
		if empty {
			t.Errorf("%s: REQUESTS.md:%d: %s is %s, want a value (body %s)", label, c.line, name, gb, bb)
		}
	case "==", "contains":
		var want any
		if err := json.Unmarshal([]byte(substitute(t, label, c.want, saved)), &want); err != nil {
			t.Fatalf("%s: REQUESTS.md:%d: %s after substitution is not JSON: %v", label, c.line, c.want, err)
		}
		if c.op == "==" && !reflect.DeepEqual(got, want) {
			wb, _ := json.Marshal(want)
			t.Errorf("%s: REQUESTS.md:%d: %s = %s, want %s (body %s)", label, c.line, name, gb, wb, bb)
		}
		if c.op == "contains" {
			s, isStr := got.(string)
			if !isStr || !strings.Contains(s, want.(string)) {
				t.Errorf("%s: REQUESTS.md:%d: %s = %s, want a string containing %q (body %s)", label, c.line, name, gb, want, bb)
			}
		}
	}
}

// jsonAt is the member of v at path: object members and list indexes
// joined by "." ("" is v itself).
func jsonAt(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[seg]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// matchResource matches a request path with an API Gateway resource
// ("/api/v1/items/{id}", "/files/{p+}") and returns the path parameters,
// decoded as API Gateway gives them. The template drops a route's trailing
// slash, so the path's is ignored here.
func matchResource(resource, path string) (map[string]string, bool) {
	if path != "/" {
		path = strings.TrimSuffix(path, "/")
	}
	rs, ps := strings.Split(resource, "/"), strings.Split(path, "/")
	params := map[string]string{}
	for i, r := range rs {
		if strings.HasPrefix(r, "{") && strings.HasSuffix(r, "+}") && i == len(rs)-1 {
			if i >= len(ps) {
				return nil, false
			}
			v, err := url.PathUnescape(strings.Join(ps[i:], "/"))
			if err != nil || v == "" {
				return nil, false
			}
			params[r[1:len(r)-2]] = v
			return params, true
		}
		if i >= len(ps) {
			return nil, false
		}
		if strings.HasPrefix(r, "{") && strings.HasSuffix(r, "}") {
			v, err := url.PathUnescape(ps[i])
			if err != nil || v == "" {
				return nil, false
			}
			params[r[1:len(r)-1]] = v
		} else if r != ps[i] {
			return nil, false
		}
	}
	if len(ps) != len(rs) {
		return nil, false
	}
	if len(params) == 0 {
		params = nil
	}
	return params, true
}
