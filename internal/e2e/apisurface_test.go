package e2e

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

// TestAPISurfaceHandler runs testdata/apisurface (a list of CORS origins with
// credentials, image/png as a binary media type, a custom domain with base
// path /v1) through its real artifacts, laid out as Lambda does: binary responses come back base64,
// requests through the base path reach their route, CORS answers each
// allowed origin with its own value and a disallowed one with nothing, and
// preflights are answered by the function.
func TestAPISurfaceHandler(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds a virtualenv and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	testenv.Tool(t, "uv")
	root, res := buildProject(t, filepath.Join(testenv.RepoRoot(), "internal", "e2e", "testdata", "apisurface"))
	if !strings.Contains(string(res.YAML), "Method: options") {
		t.Errorf("with several origins the template must route OPTIONS to the function:\n%s", res.YAML)
	}
	l := newLambda(t, root, res.YAML, "MediaFunction", nil)

	const a, b, evil = "https://a.example.com", "https://b.example.com", "https://evil.example.com"
	// Behind the custom domain, API Gateway keeps the base path in "path".
	get := func(path, origin string) map[string]any {
		r := request{Method: "GET", Path: "/v1" + path, Resource: path}
		if origin != "" {
			r.Headers = map[string]string{"Origin": origin}
		}
		return apiEvent(r)
	}
	preflight := func(origin string) map[string]any {
		return apiEvent(request{Method: "OPTIONS", Path: "/v1/media/info", Resource: "/media/info",
			Headers: map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type"}})
	}
	labels := []string{"GET /v1/media/pixel", "GET /v1/media/info (origin a)", "GET /v1/media/info (origin b)",
		"GET /v1/media/info (evil origin)", "OPTIONS /v1/media/info (origin b)", "OPTIONS /v1/media/info (evil origin)"}
	r := l.invoke(t, labels, []any{get("/media/pixel", ""), get("/media/info", a), get("/media/info", b),
		get("/media/info", evil), preflight(b), preflight(evil)})

	png := r[0].response(t)
	if png.StatusCode != 200 || !png.IsBase64Encoded {
		t.Fatalf("%s: status %d, isBase64Encoded %v; want 200 and true", r[0].label, png.StatusCode, png.IsBase64Encoded)
	}
	body, err := png.bodyBytes()
	if err != nil || !bytes.HasPrefix(body, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("%s: body is not the PNG (err %v): %q", r[0].label, err, body)
	}
	wantHeader(t, r[0].label, png, "Content-Type", "image/png")

	for i, origin := range []string{a, b} {
		resp, info := r[1+i].expect(t, 200)
		wantField(t, r[1+i].label, info, "service", "media")
		wantHeader(t, r[1+i].label, resp, "Access-Control-Allow-Origin", origin)
		wantHeader(t, r[1+i].label, resp, "Access-Control-Allow-Credentials", "true")
		if v, _ := resp.header("Vary"); !strings.Contains(v, "Origin") {
			t.Errorf("%s: Vary = %q, want it to name Origin", r[1+i].label, v)
		}
	}
	resp, _ := r[3].expect(t, 200)
	if v, ok := resp.header("Access-Control-Allow-Origin"); ok {
		t.Errorf("%s: a disallowed origin got Access-Control-Allow-Origin %q", r[3].label, v)
	}

	pre := r[4].response(t)
	if pre.StatusCode != 204 && pre.StatusCode != 200 {
		t.Errorf("%s: status %d, want 204", r[4].label, pre.StatusCode)
	}
	wantHeader(t, r[4].label, pre, "Access-Control-Allow-Origin", b)
	wantHeader(t, r[4].label, pre, "Access-Control-Max-Age", "600")
	if v, _ := pre.header("Access-Control-Allow-Methods"); !strings.Contains(v, "POST") {
		t.Errorf("%s: Access-Control-Allow-Methods = %q, want POST in it", r[4].label, v)
	}
	if v, ok := r[5].response(t).header("Access-Control-Allow-Origin"); ok {
		t.Errorf("%s: a disallowed origin's preflight got Access-Control-Allow-Origin %q", r[5].label, v)
	}
}
