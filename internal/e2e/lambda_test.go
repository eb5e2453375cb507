package e2e

import (
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

// newVenv makes a virtualenv for one package with the test venv's uv and
// interpreter and installs the package's own requirements.txt into it, and
// nothing else. It returns the venv's python.
// extra names packages the Lambda runtime itself provides (boto3), for
// packages whose code path needs them.
func newVenv(t *testing.T, pkgDir string, extra ...string) string {
	t.Helper()
	uv := testenv.Tool(t, "uv")
	base := filepath.Join(testenv.Venv(t), "bin", "python")
	venv := filepath.Join(t.TempDir(), "venv")
	run := func(args ...string) {
		t.Helper()
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
	run("venv", "--quiet", "--python", base, venv)
	python := filepath.Join(venv, "bin", "python")
	run("pip", "install", "--quiet", "--python", python, "-r", filepath.Join(pkgDir, "requirements.txt"))
	if len(extra) > 0 {
		run(append([]string{"pip", "install", "--quiet", "--python", python}, extra...)...)
	}
	return python
}

// ---- the function's environment --------------------------------------------

// templateEnv returns the environment variables the template gives a
// function (Globals, then the function's own), as the Lambda would see them:
// a Ref to a resource with a literal TableName becomes that name, any other
// Ref the logical id.
func templateEnv(t *testing.T, tmpl []byte, logicalID string) map[string]string {
	t.Helper()
	var doc struct {
		Globals struct {
			Function struct {
				Environment struct {
					Variables map[string]any `yaml:"Variables"`
				} `yaml:"Environment"`
			} `yaml:"Function"`
		} `yaml:"Globals"`
		Resources map[string]struct {
			Type       string         `yaml:"Type"`
			Properties map[string]any `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(tmpl, &doc); err != nil {
		t.Fatalf("template.yaml does not parse: %v", err)
	}
	fn, ok := doc.Resources[logicalID]
	if !ok || fn.Type != "AWS::Serverless::Function" {
		t.Fatalf("template.yaml has no AWS::Serverless::Function %s", logicalID)
	}
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
	for k, v := range doc.Globals.Function.Environment.Variables {
		env[k] = resolve(k, v)
	}
	if e, ok := fn.Properties["Environment"].(map[string]any); ok {
		if vars, ok := e["Variables"].(map[string]any); ok {
			for k, v := range vars {
				env[k] = resolve(k, v)
			}
		}
	}
	return env
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

// lambda is one built package, installed in its own virtualenv.
type lambda struct {
	name   string   // logical id
	dir    string   // .dist/<name>
	python string   // the venv's python
	env    []string // the clean environment it runs with
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

// command prepares `python -I -B <script> <package_dir>` from an empty
// temporary working directory with the function's clean environment.
func (l *lambda) command(t *testing.T, ctx context.Context, script string, stderr *syncBuffer) *exec.Cmd {
	cmd := exec.CommandContext(ctx, l.python, "-I", "-B", testdataFile(script), l.dir)
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
	in, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), invokeTimeout)
	defer cancel()
	stderr := &syncBuffer{}
	l.logStderrOnFailure(t, "invoke.py", stderr)
	cmd := l.command(t, ctx, "invoke.py", stderr)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %s failed: %v\nstdout:\n%s", l.name, strings.Join(cmd.Args, " "), err, out)
	}
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
