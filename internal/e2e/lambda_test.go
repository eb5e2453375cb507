package e2e

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/deployless/deployless/internal/compiler"
	"github.com/deployless/deployless/internal/testenv"
)

// invokeTimeout bounds one invoke.py / warm.py run.
const invokeTimeout = 2 * time.Minute

// ---- virtualenvs -------------------------------------------------------------

// uvEnv is the environment of uv: the caller's (proxy, index and cache
// settings stay in effect, so reruns hit uv's cache), never downloading a
// Python.
func uvEnv() []string {
	return append(os.Environ(), "UV_PYTHON_DOWNLOADS=never")
}

// uvRun runs the test venv's uv with args, from an empty folder.
func uvRun(t *testing.T, args ...string) {
	t.Helper()
	uv := testenv.Tool(t, "uv")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, uv, args...)
	cmd.Env = uvEnv()
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", uv, strings.Join(args, " "), err, out)
	}
}

// emptyVenv makes a fresh virtualenv of interpreter base (uv venv) and
// installs pkgs into it; it returns the venv's python. With -I its sys.path
// is the standard library and the venv's own site-packages, nothing else.
func emptyVenv(t *testing.T, base string, pkgs ...string) string {
	t.Helper()
	venv := filepath.Join(t.TempDir(), "venv")
	uvRun(t, "venv", "--quiet", "--python", base, venv)
	python := filepath.Join(venv, "bin", "python")
	if len(pkgs) > 0 {
		uvRun(t, append([]string{"pip", "install", "--quiet", "--python", python}, pkgs...)...)
	}
	return python
}

// projectVenv is a development virtualenv for a project's sources (not a
// Lambda package): the test venv's interpreter, the project's
// requirements.txt and extra (the SDK wheel, pytest).
func projectVenv(t *testing.T, projectDir string, extra ...string) string {
	t.Helper()
	python := emptyVenv(t, filepath.Join(testenv.Venv(t), "bin", "python"))
	uvRun(t, "pip", "install", "--quiet", "--python", python, "-r", filepath.Join(projectDir, "requirements.txt"))
	if len(extra) > 0 {
		uvRun(t, append([]string{"pip", "install", "--quiet", "--python", python}, extra...)...)
	}
	return python
}

// ---- the build, as Lambda gets it ----------------------------------------------

// packaging is what `deployless build` adds to an in-process compile: the
// test venv's uv for the dependency layers, and the runtime's interpreter
// for bytecode. The interpreter is looked up without a testing.TB (the
// compiler may ask from any goroutine); after the compile, the returned func
// skips or fails the test when it was missing, as testenv.Python does.
func packaging(t *testing.T) (*compiler.Packaging, func()) {
	t.Helper()
	uv := testenv.Tool(t, "uv")
	var mu sync.Mutex
	var missing []string
	pk := &compiler.Packaging{UV: uv, Python: func(rt string) string {
		p, err := testenv.FindPython(strings.TrimPrefix(rt, "python"))
		if err != nil {
			mu.Lock()
			missing = append(missing, rt)
			mu.Unlock()
		}
		return p
	}}
	return pk, func() {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		for _, rt := range missing {
			testenv.Python(t, strings.TrimPrefix(rt, "python")) // skips or fails
		}
	}
}

// runtimePython is the interpreter of a Lambda runtime ("python3.13").
func runtimePython(t *testing.T, runtime string) string {
	t.Helper()
	v, ok := strings.CutPrefix(runtime, "python")
	if !ok {
		t.Fatalf("runtime %q is not a Python runtime", runtime)
	}
	return testenv.Python(t, v)
}

// projectRuntime is the runtime a project's deployless.yaml gives its
// functions (globals.runtime, python3.13 by default), read before any
// build so the CLI's PATH can hold that interpreter.
func projectRuntime(t *testing.T, dir string) string {
	t.Helper()
	var cfg struct {
		Globals struct {
			Runtime string `yaml:"runtime"`
		} `yaml:"globals"`
	}
	if err := yaml.Unmarshal(mustRead(t, filepath.Join(dir, "deployless.yaml")), &cfg); err != nil {
		t.Fatalf("%s/deployless.yaml: %v", dir, err)
	}
	if cfg.Globals.Runtime == "" {
		return "python3.13"
	}
	return cfg.Globals.Runtime
}

// cliPath is a PATH for the deployless binary: the test venv's bin/ (uv)
// and the folder of the runtime's interpreter (bytecode: pyc.Find looks for
// python3.X there), then rest.
func cliPath(t *testing.T, runtime string, rest ...string) string {
	t.Helper()
	dirs := []string{filepath.Join(testenv.Venv(t), "bin"), filepath.Dir(runtimePython(t, runtime))}
	return "PATH=" + strings.Join(append(dirs, rest...), string(os.PathListSeparator))
}

// buildEnv are the variables the deployless binary needs on top of a clean
// environment to build as in-process compiles do: the package's temporary
// cache folder (DEPLOYLESS_CACHE_DIR), uv's own cache, index and proxy
// settings (kept so uv need not download again), never a Python download.
func buildEnv(t *testing.T) []string {
	t.Helper()
	out := []string{"UV_PYTHON_DOWNLOADS=never"}
	if d := os.Getenv("DEPLOYLESS_CACHE_DIR"); d != "" {
		out = append(out, "DEPLOYLESS_CACHE_DIR="+d)
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch up := strings.ToUpper(k); {
		case strings.HasPrefix(up, "UV_") && up != "UV_PYTHON_DOWNLOADS",
			up == "HTTP_PROXY", up == "HTTPS_PROXY", up == "ALL_PROXY", up == "NO_PROXY",
			up == "SSL_CERT_FILE", up == "SSL_CERT_DIR", up == "XDG_CACHE_HOME":
			out = append(out, kv)
		}
	}
	if os.Getenv("UV_CACHE_DIR") == "" {
		// A clean HOME would give uv an empty cache: point it at the
		// caller's.
		cmd := exec.Command(testenv.Tool(t, "uv"), "cache", "dir")
		cmd.Env = uvEnv()
		if b, err := cmd.Output(); err == nil && strings.TrimSpace(string(b)) != "" {
			out = append(out, "UV_CACHE_DIR="+strings.TrimSpace(string(b)))
		}
	}
	return out
}

// fnCode is what the template says of one function's code: its runtime,
// its code zip and the zips of the dependency layers it lists, in order
// (paths relative to the template's folder).
type fnCode struct {
	runtime string
	code    string
	layers  []string
}

// functionCode reads function id's code from the template: CodeUri,
// Runtime (the function's or Globals'), and Layers, each a Ref to an
// AWS::Serverless::LayerVersion of the template whose ContentUri is a zip.
// Any other layer (an ARN) cannot be laid out here and fails the test.
func functionCode(t *testing.T, tmpl []byte, id string) fnCode {
	t.Helper()
	doc, fn := templateFunction(t, tmpl, id)
	var c fnCode
	c.runtime, _ = fn.Properties["Runtime"].(string)
	if c.runtime == "" {
		c.runtime, _ = doc.Globals.Function["Runtime"].(string)
	}
	if c.runtime == "" {
		t.Fatalf("%s: no Runtime in the function or Globals", id)
	}
	c.code, _ = fn.Properties["CodeUri"].(string)
	if !strings.HasSuffix(c.code, ".zip") {
		t.Fatalf("%s: CodeUri %#v is not a zip", id, fn.Properties["CodeUri"])
	}
	layers, _ := fn.Properties["Layers"].([]any)
	for _, l := range layers {
		m, _ := l.(map[string]any)
		ref, _ := m["Ref"].(string)
		r, ok := doc.Resources[ref]
		if ref == "" || !ok || r.Type != "AWS::Serverless::LayerVersion" {
			t.Fatalf("%s: layer %#v is not a Ref to a layer of the template: this test cannot lay it out", id, l)
		}
		uri, _ := r.Properties["ContentUri"].(string)
		if !strings.HasSuffix(uri, ".zip") {
			t.Fatalf("%s: layer %s: ContentUri %#v is not a zip", id, ref, r.Properties["ContentUri"])
		}
		c.layers = append(c.layers, uri)
	}
	return c
}

// unzip extracts a zip into dir (made if needed) and returns its entry
// names. An entry that would land outside dir fails the test; files keep
// the zip's permission bits.
func unzip(t *testing.T, zipPath, dir string) []string {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatalf("open %s: %v", zipPath, err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !filepath.IsLocal(f.Name) || strings.Contains(f.Name, "\\") {
			t.Fatalf("%s: entry %q is not a local path", zipPath, f.Name)
		}
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(dst, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !f.Mode().IsRegular() {
			t.Fatalf("%s: entry %q is not a regular file (%v)", zipPath, f.Name, f.Mode())
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %s: %v", zipPath, f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %s: %v", zipPath, f.Name, err)
		}
		if _, err := os.Stat(dst); err == nil {
			t.Fatalf("%s: %s is in the folder already (a duplicate entry, or two layers with the same file)", zipPath, f.Name)
		}
		if err := os.WriteFile(dst, data, f.Mode().Perm()|0o200); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

// layout is one function laid out as Lambda does: its code zip extracted to
// a task root (/var/task), its layers' zips to one /opt, in order.
type layout struct {
	runtime string
	task    string   // the task root
	opt     string   // /opt
	code    []string // the code zip's entries
	layers  [][]string
}

// layOut extracts function id of the build in root (template.yaml there)
// into fresh folders.
func layOut(t *testing.T, root string, tmpl []byte, id string) layout {
	t.Helper()
	c := functionCode(t, tmpl, id)
	base := t.TempDir()
	l := layout{runtime: c.runtime, task: filepath.Join(base, "task"), opt: filepath.Join(base, "opt")}
	if err := os.MkdirAll(l.opt, 0o755); err != nil {
		t.Fatal(err)
	}
	l.code = unzip(t, filepath.Join(root, filepath.FromSlash(c.code)), l.task)
	for _, z := range c.layers {
		l.layers = append(l.layers, unzip(t, filepath.Join(root, filepath.FromSlash(z)), l.opt))
	}
	return l
}

// newLambda lays out function id of the build in root as Lambda does and
// gives it a fresh empty virtualenv of its runtime's interpreter: only the
// task root, /opt/python and the standard library are importable, plus
// runtimePkgs (packages the Lambda runtime itself provides, such as boto3)
// installed into that venv. env is added to the template's variables.
func newLambda(t *testing.T, root string, tmpl []byte, id string, env map[string]string, runtimePkgs ...string) *lambda {
	t.Helper()
	t0 := time.Now()
	lay := layOut(t, root, tmpl, id)
	python := emptyVenv(t, runtimePython(t, lay.runtime), runtimePkgs...)
	l := &lambda{name: id, dir: lay.task, path: []string{filepath.Join(lay.opt, "python")}, python: python, layout: lay}
	l.env = lambdaEnv(t, tmpl, id, env)
	t.Logf("%s: laid out (%s, %d code files, %d layer(s)) in %v", id, lay.runtime, len(lay.code), len(lay.layers), time.Since(t0).Round(time.Millisecond))
	return l
}

// ---- the function's environment --------------------------------------------

// templateEnv returns the environment variables the template gives a
// function (Globals, then the function's own), as the Lambda would see them:
// a Ref to a resource with a literal TableName becomes that name, any other
// Ref the logical id.
func templateEnv(t *testing.T, tmpl []byte, logicalID string) map[string]string {
	t.Helper()
	doc, fn := templateFunction(t, tmpl, logicalID)
	resolve := func(name string, v any) string {
		switch v := v.(type) {
		case string:
			return v
		case map[string]any:
			if ref, ok := v["Ref"].(string); ok {
				if r, ok := doc.Resources[ref]; ok {
					if name, ok := r.Properties["TableName"].(string); ok {
						return name
					}
				}
				return ref
			}
		}
		t.Fatalf("%s: env var %s has a value this test cannot resolve: %#v", logicalID, name, v)
		return ""
	}
	env := map[string]string{}
	for _, props := range []map[string]any{doc.Globals.Function, fn.Properties} { // the function's win
		if e, ok := props["Environment"].(map[string]any); ok {
			if vars, ok := e["Variables"].(map[string]any); ok {
				for k, v := range vars {
					env[k] = resolve(k, v)
				}
			}
		}
	}
	return env
}

// samTemplate is what the e2e tests read of a built template.
type samTemplate struct {
	Globals struct {
		Function map[string]any `yaml:"Function"`
	} `yaml:"Globals"`
	Resources map[string]samResource `yaml:"Resources"`
}

type samResource struct {
	Type       string         `yaml:"Type"`
	Properties map[string]any `yaml:"Properties"`
}

// templateFunction parses a template and returns it with the
// AWS::Serverless::Function id, failing the test when there is none.
func templateFunction(t *testing.T, tmpl []byte, id string) (*samTemplate, samResource) {
	t.Helper()
	var doc samTemplate
	if err := yaml.Unmarshal(tmpl, &doc); err != nil {
		t.Fatalf("template.yaml does not parse: %v", err)
	}
	fn, ok := doc.Resources[id]
	if !ok || fn.Type != "AWS::Serverless::Function" {
		t.Fatalf("template.yaml has no AWS::Serverless::Function %s", id)
	}
	return &doc, fn
}

// lambdaEnv is the clean environment a package runs with: PATH and HOME, a
// few variables the Lambda runtime sets, the template's variables for the
// function, and extra (which wins).
func lambdaEnv(t *testing.T, tmpl []byte, logicalID string, extra map[string]string) []string {
	env := map[string]string{
		"PATH":                     "/usr/local/bin:/usr/bin:/bin",
		"HOME":                     t.TempDir(),
		"LANG":                     "C.UTF-8",
		"TZ":                       "UTC",
		"AWS_REGION":               "us-east-1",
		"AWS_DEFAULT_REGION":       "us-east-1",
		"AWS_LAMBDA_FUNCTION_NAME": "ums-api-dev-" + logicalID,
	}
	for k, v := range templateEnv(t, tmpl, logicalID) {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// ---- API Gateway REST (v1) proxy events -------------------------------------

// request is one HTTP request as API Gateway REST would hand it to Lambda.
type request struct {
	Method     string
	Path       string            // the request path, without the stage
	Resource   string            // the API resource template, e.g. /users/{user_id}
	PathParams map[string]string // nil when the resource has none
	Query      map[string]string
	Headers    map[string]string
	Body       []byte
	Binary     bool // body is base64-encoded (a binary media type)
}

// apiEvent builds a realistic REST API (payload 1.0) proxy event.
func apiEvent(r request) map[string]any {
	headers := map[string]any{
		"Accept":            "application/json",
		"Host":              "abc123defg.execute-api.us-east-1.amazonaws.com",
		"User-Agent":        "deployless-e2e/1.0",
		"X-Amzn-Trace-Id":   "Root=1-67891233-abcdef012345678912345678",
		"X-Forwarded-For":   "203.0.113.7",
		"X-Forwarded-Port":  "443",
		"X-Forwarded-Proto": "https",
	}
	for k, v := range r.Headers {
		headers[k] = v
	}
	multi := map[string]any{}
	for k, v := range headers {
		multi[k] = []any{v}
	}
	var pathParams, query, multiQuery any
	if len(r.PathParams) > 0 {
		m := map[string]any{}
		for k, v := range r.PathParams {
			m[k] = v
		}
		pathParams = m
	}
	if len(r.Query) > 0 {
		q, mq := map[string]any{}, map[string]any{}
		for k, v := range r.Query {
			q[k], mq[k] = v, []any{v}
		}
		query, multiQuery = q, mq
	}
	var body any
	if r.Body != nil {
		if r.Binary {
			body = base64.StdEncoding.EncodeToString(r.Body)
		} else {
			body = string(r.Body)
		}
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return map[string]any{
		"resource":                        r.Resource,
		"path":                            r.Path,
		"httpMethod":                      r.Method,
		"headers":                         headers,
		"multiValueHeaders":               multi,
		"queryStringParameters":           query,
		"multiValueQueryStringParameters": multiQuery,
		"pathParameters":                  pathParams,
		"stageVariables":                  nil,
		"requestContext": map[string]any{
			"accountId":         "123456789012",
			"apiId":             "abc123defg",
			"domainName":        "abc123defg.execute-api.us-east-1.amazonaws.com",
			"domainPrefix":      "abc123defg",
			"extendedRequestId": "EXAMPLEextID=",
			"httpMethod":        r.Method,
			"identity": map[string]any{
				"sourceIp":  "203.0.113.7",
				"userAgent": "deployless-e2e/1.0",
			},
			"path":             "/dev" + r.Path,
			"protocol":         "HTTP/1.1",
			"requestId":        "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			"requestTime":      now.Format("02/Jan/2006:15:04:05 -0700"),
			"requestTimeEpoch": now.UnixMilli(),
			"resourceId":       "a1b2c3",
			"resourcePath":     r.Resource,
			"stage":            "dev",
		},
		"body":            body,
		"isBase64Encoded": r.Binary,
	}
}

// jsonRequest is a request with a JSON body and its Content-Type.
func jsonRequest(method, path, resource string, body any, headers map[string]string) request {
	b, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	return request{Method: method, Path: path, Resource: resource, Headers: h, Body: b}
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// ---- running a package ------------------------------------------------------

// lambda is one built function laid out as Lambda does (newLambda).
type lambda struct {
	name   string   // logical id
	dir    string   // its task root: the code zip, extracted
	path   []string // sys.path entries after the task root: <opt>/python
	python string   // an empty venv's python, of the function's runtime
	env    []string // the clean environment it runs with
	layout layout
}

// result is what the handler returned for one event.
type result struct {
	label string
	raw   json.RawMessage
}

// syncBuffer collects a process's stderr; it may be read while the process
// still writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testdataFile(name string) string {
	return filepath.Join(testenv.RepoRoot(), "internal", "e2e", "testdata", name)
}

// command prepares `python -I -B <script> <task_root> <opt>/python` from an
// empty temporary working directory with the function's clean environment
// (the script makes the task root its working directory).
func (l *lambda) command(t *testing.T, ctx context.Context, script string, stderr *syncBuffer) *exec.Cmd {
	cmd := exec.CommandContext(ctx, l.python, append([]string{"-I", "-B", testdataFile(script), l.dir}, l.path...)...)
	cmd.Dir = t.TempDir()
	cmd.Env = l.env
	cmd.Stderr = stderr
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// logStderrOnFailure prints the package's stderr (its tracebacks and logs)
// at the end of the test if it failed.
func (l *lambda) logStderrOnFailure(t *testing.T, what string, stderr *syncBuffer) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stderr of %s (%s):\n%s", l.name, what, stderr.String())
		}
	})
}

// invokeRaw runs the events through the package with testdata/invoke.py, in one
// process (one warm container). Labels name the events in failure messages.
func (l *lambda) invokeRaw(t *testing.T, labels []string, events []any) []result {
	t.Helper()
	if len(labels) != len(events) {
		t.Fatalf("%d labels for %d events", len(labels), len(events))
	}
	out := l.runScript(t, "invoke.py", events)
	var raws []json.RawMessage
	if err := json.Unmarshal(out, &raws); err != nil {
		t.Fatalf("%s: invoke.py stdout is not a JSON list: %v\nstdout:\n%s", l.name, err, out)
	}
	if len(raws) != len(events) {
		t.Fatalf("%s: invoke.py returned %d results for %d events:\n%s", l.name, len(raws), len(events), out)
	}
	results := make([]result, len(raws))
	for i, raw := range raws {
		results[i] = result{label: labels[i], raw: raw}
	}
	return results
}

// invoke is invokeRaw, failing the test when the handler raised.
func (l *lambda) invoke(t *testing.T, labels []string, events []any) []result {
	t.Helper()
	results := l.invokeRaw(t, labels, events)
	for _, r := range results {
		r.failIfError(t)
	}
	return results
}

// warm is a package process fed one event at a time (testdata/warm.py), for
// requests that depend on an earlier response.
type warm struct {
	l      *lambda
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
}

func (l *lambda) startWarm(t *testing.T) *warm {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), invokeTimeout)
	stderr := &syncBuffer{}
	// Registered first so it runs last, after the process has exited.
	l.logStderrOnFailure(t, "warm.py", stderr)
	cmd := l.command(t, ctx, "warm.py", stderr)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("%s: start %s: %v", l.name, strings.Join(cmd.Args, " "), err)
	}
	w := &warm{l: l, cmd: cmd, stdin: stdin, stdout: bufio.NewReader(stdout)}
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Wait()
		cancel()
	})
	return w
}

// send hands one event to the warm process and returns its result.
func (w *warm) send(t *testing.T, label string, event any) result {
	t.Helper()
	b, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.stdin.Write(append(b, '\n')); err != nil {
		t.Fatalf("%s: %s: write event to warm.py: %v", w.l.name, label, err)
	}
	line, err := w.stdout.ReadBytes('\n')
	if err != nil {
		t.Fatalf("%s: %s: read result from warm.py: %v\nstdout: %q", w.l.name, label, err, line)
	}
	r := result{label: label, raw: json.RawMessage(line)}
	r.failIfError(t)
	return r
}

// failIfError stops the test when the handler raised (invoke.py and warm.py
// answer {"error": "<traceback>"} then).
func (r result) failIfError(t *testing.T) {
	t.Helper()
	var probe map[string]any
	if json.Unmarshal(r.raw, &probe) != nil {
		return
	}
	if tb, ok := probe["error"].(string); ok && probe["statusCode"] == nil {
		t.Fatalf("%s: the handler raised:\n%s", r.label, tb)
	}
}

// ---- API Gateway responses --------------------------------------------------

// apiResponse is a REST (payload 1.0) proxy integration response.
type apiResponse struct {
	StatusCode        int                 `json:"statusCode"`
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Body              *string             `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

// response decodes the result as an API Gateway proxy response.
func (r result) response(t *testing.T) apiResponse {
	t.Helper()
	var resp apiResponse
	if err := json.Unmarshal(r.raw, &resp); err != nil || resp.StatusCode == 0 {
		t.Fatalf("%s: not an API Gateway proxy response (%v):\n%s", r.label, err, r.raw)
	}
	return resp
}

// header returns a response header, looked up case-insensitively in both
// headers and multiValueHeaders (the last value wins, as API Gateway does).
func (a apiResponse) header(name string) (string, bool) {
	val, found := "", false
	for k, v := range a.Headers {
		if strings.EqualFold(k, name) {
			val, found = v, true
		}
	}
	for k, vs := range a.MultiValueHeaders {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			val, found = vs[len(vs)-1], true
		}
	}
	return val, found
}

// bodyBytes is the body as the client would get it.
func (a apiResponse) bodyBytes() ([]byte, error) {
	if a.Body == nil {
		return nil, nil
	}
	if a.IsBase64Encoded {
		return base64.StdEncoding.DecodeString(*a.Body)
	}
	return []byte(*a.Body), nil
}

// expect checks the status and a JSON object body and returns the body.
func (r result) expect(t *testing.T, status int) (apiResponse, map[string]any) {
	t.Helper()
	resp := r.response(t)
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\nresponse: %s", r.label, resp.StatusCode, status, r.raw)
	}
	body, err := resp.bodyBytes()
	if err != nil {
		t.Fatalf("%s: body is not valid base64: %v\nresponse: %s", r.label, err, r.raw)
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatalf("%s: body is not a JSON object: %v\nresponse: %s", r.label, err, r.raw)
	}
	if ct, _ := resp.header("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want application/json\nresponse: %s", r.label, ct, r.raw)
	}
	return resp, obj
}

// field returns body[key] or fails.
func field(t *testing.T, label string, body map[string]any, key string) any {
	t.Helper()
	v, ok := body[key]
	if !ok {
		t.Fatalf("%s: body has no %q: %v", label, key, body)
	}
	return v
}

// wantField checks body[key] == want (compared through JSON).
func wantField(t *testing.T, label string, body map[string]any, key string, want any) {
	t.Helper()
	got := field(t, label, body, key)
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if !bytes.Equal(gb, wb) {
		t.Errorf("%s: %s = %s, want %s (body %v)", label, key, gb, wb, body)
	}
}

// wantHeader checks a response header's value.
func wantHeader(t *testing.T, label string, resp apiResponse, name, want string) {
	t.Helper()
	got, ok := resp.header(name)
	if !ok {
		t.Errorf("%s: no %s header; headers %v, multiValueHeaders %v", label, name, resp.Headers, resp.MultiValueHeaders)
	} else if got != want {
		t.Errorf("%s: %s: %q, want %q", label, name, got, want)
	}
}

func mustString(t *testing.T, label string, v any) string {
	t.Helper()
	s, ok := v.(string)
	if !ok || s == "" {
		t.Fatalf("%s: want a non-empty string, got %#v", label, v)
	}
	return s
}

// runScript runs testdata/<script> in the package with events as JSON on
// stdin, in one process (one cold container), and returns its stdout.
func (l *lambda) runScript(t *testing.T, script string, events []any) []byte {
	t.Helper()
	in, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), invokeTimeout)
	defer cancel()
	stderr := &syncBuffer{}
	l.logStderrOnFailure(t, script, stderr)
	cmd := l.command(t, ctx, script, stderr)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %s failed: %v\nstdout:\n%s", l.name, strings.Join(cmd.Args, " "), err, out)
	}
	return out
}
