package e2e

import (
	"bytes"
	"debug/elf"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/testenv"
)

// shopToken is the default of SHOP_API_TOKEN (examples/fastapi-shop,
// app/security.py); no function of the template sets the variable.
const shopToken = "shop-dev-token"

// pixelPNG is the example's built-in sample (app/features/files/samples.py),
// a 73-byte 2x2 PNG.
const pixelPNG = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mPQqzUCIgYIBQAYKgN1rtrmCgAAAABJRU5ErkJggg=="

// missingToken is FastAPI's 422 body for a request without X-Api-Token
// (the require_token dependency's Header()).
const missingToken = `{"detail":[{"type":"missing","loc":["header","x-api-token"],"msg":"Field required","input":null}]}`

var requestIDForm = regexp.MustCompile(`^[0-9a-f]{32}$`)

// shopCase is one request to a fastapi-shop function and the response it
// must get, as recorded through the Lambda handlers.
type shopCase struct {
	label   string
	req     request
	status  int
	ctype   string            // Content-Type ("" for a response without one)
	body    string            // the body as the client gets it (decoded when base64), byte for byte
	anyBody bool              // do not check the body
	binary  bool              // isBase64Encoded
	headers map[string]string // more headers, exact values
	absent  []string          // headers the response must not have
	gateway bool              // answered by the bootstrap (a CORS preflight), not by the app
}

// check compares a result with the case: status, encoding, body, the
// headers the case names, and the headers every answer of the app carries
// (the middleware's X-App and X-Request-Id, and Vary: Origin from the
// bootstrap's CORS). Mismatches are reported, not fatal, so one run shows
// them all.
func (c shopCase) check(t *testing.T, r result) apiResponse {
	t.Helper()
	resp := r.response(t)
	if resp.StatusCode != c.status {
		t.Errorf("%s: status %d, want %d\nresponse: %s", c.label, resp.StatusCode, c.status, r.raw)
		return resp
	}
	body, err := resp.bodyBytes()
	if err != nil {
		t.Errorf("%s: body is not valid base64: %v\nresponse: %s", c.label, err, r.raw)
		return resp
	}
	// A HEAD answer without a body may say either: no client sees it.
	if resp.IsBase64Encoded != c.binary && !(c.req.Method == "HEAD" && len(body) == 0) {
		t.Errorf("%s: isBase64Encoded %v, want %v\nresponse: %s", c.label, resp.IsBase64Encoded, c.binary, r.raw)
	}
	if !c.anyBody && string(body) != c.body {
		t.Errorf("%s: body\n  %q\nwant\n  %q", c.label, body, c.body)
	}
	if c.ctype != "" {
		wantHeader(t, c.label, resp, "Content-Type", c.ctype)
	}
	for name, want := range c.headers {
		wantHeader(t, c.label, resp, name, want)
	}
	for _, name := range c.absent {
		if v, ok := resp.header(name); ok {
			t.Errorf("%s: has %s %q, want none", c.label, name, v)
		}
	}
	if n, ok := resp.header("Content-Length"); ok && c.req.Method != "HEAD" && c.headers["Content-Length"] == "" {
		if want := len(body); n != strconv.Itoa(want) {
			t.Errorf("%s: Content-Length %s, but the body has %d bytes", c.label, n, want)
		}
	}
	vary, _ := resp.header("Vary")
	if !slices.ContainsFunc(strings.Split(vary, ","), func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "Origin") }) {
		t.Errorf("%s: Vary %q, want Origin in it (the CORS answer depends on it)", c.label, vary)
	}
	if c.gateway {
		return resp
	}
	wantHeader(t, c.label+" (middleware)", resp, "X-App", "fastapi-shop")
	id, _ := resp.header("X-Request-Id")
	if sent := c.req.Headers["X-Request-Id"]; sent != "" {
		if id != sent {
			t.Errorf("%s: X-Request-Id %q, want the request's %q echoed", c.label, id, sent)
		}
	} else if !requestIDForm.MatchString(id) {
		t.Errorf("%s: X-Request-Id %q, want 32 lowercase hex digits (uuid4().hex)", c.label, id)
	}
	return resp
}

// runShopCases sends the cases through one process of l (invoke.py: one
// container, the in-memory store carrying over from one to the next), in
// order, checks each and returns the results.
func runShopCases(t *testing.T, l *lambda, cases []shopCase) []result {
	t.Helper()
	labels := make([]string, len(cases))
	events := make([]any, len(cases))
	for i, c := range cases {
		labels[i], events[i] = c.label, apiEvent(c.req)
	}
	rs := l.invoke(t, labels, events)
	for i, c := range cases {
		c.check(t, rs[i])
	}
	return rs
}

// withHeaders is h and more (key, value pairs), a new map.
func withHeaders(h map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// withJSON is r with a JSON body (jsonRequest's), keeping its path
// parameters and query.
func withJSON(r request, body any) request {
	j := jsonRequest(r.Method, r.Path, r.Resource, body, r.Headers)
	j.PathParams, j.Query = r.PathParams, r.Query
	return j
}

// templateAPIRoutes is the API events of function id in the template, each
// "METHOD /path" (API Gateway's path), sorted.
func templateAPIRoutes(t *testing.T, tmpl []byte, id string) []string {
	t.Helper()
	_, fn := templateFunction(t, tmpl, id)
	events, _ := fn.Properties["Events"].(map[string]any)
	var out []string
	for name, e := range events {
		ev, _ := e.(map[string]any)
		if ev["Type"] != "Api" {
			continue
		}
		props, _ := ev["Properties"].(map[string]any)
		path, _ := props["Path"].(string)
		method, _ := props["Method"].(string)
		if path == "" || method == "" {
			t.Fatalf("%s: event %s has no Path or Method: %v", id, name, ev)
		}
		out = append(out, strings.ToUpper(method)+" "+path)
	}
	slices.Sort(out)
	return out
}

// TestFastAPIHandlers builds examples/fastapi-shop (FastAPI: an app factory
// with a lifespan, a middleware and an exception handler, APIRouters with
// router-level and per-route dependencies, a nested router, a {p:path}
// route with binary bodies, a split route and a cron) and drives every
// function as Lambda would, as TestHandlers does for the Flask example:
// each laid out from its code zip and its dependency layer's zip with an
// empty virtualenv of python3.13, bootstrap.handler called with API Gateway
// REST proxy events (or an EventBridge schedule) in a clean process whose
// working directory is the task root. The expected responses are byte for
// byte those recorded through the handlers (status, key headers, bodies).
func TestFastAPIHandlers(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds layers and virtualenvs and runs Python; skipped with -short")
	}
	testenv.Venv(t) // skips when the test virtualenv is missing
	testenv.Tool(t, "uv")
	// Only Python reads the drivers; reading them here too makes an edit of
	// either invalidate go test's cached result.
	for _, name := range []string{"invoke.py", "warm.py"} {
		if _, err := os.ReadFile(testdataFile(name)); err != nil {
			t.Fatal(err)
		}
	}

	start := time.Now()
	root, res := buildProject(t, filepath.Join(testenv.RepoRoot(), "examples", "fastapi-shop"))
	tmpl := res.YAML

	// ---- the build and its template ------------------------------------------
	want := map[string][]string{
		"ItemsFunction": {
			"DELETE /api/items/{item_id}",
			"GET /api/items", "GET /api/items/{item_id}", "GET /api/items/{item_id}/reviews",
			"OPTIONS /api/items", "OPTIONS /api/items/{item_id}", "OPTIONS /api/items/{item_id}/reviews",
			"PATCH /api/items/{item_id}",
			"POST /api/items", "POST /api/items/{item_id}/reviews",
			"PUT /api/items/{item_id}",
		},
		// {p:path}: API Gateway's greedy {p+}.
		"FilesFunction": {"GET /api/files/{p+}", "HEAD /api/files/{p+}", "OPTIONS /api/files/{p+}", "PUT /api/files/{p+}"},
		"ReportsFunction": {
			"GET /api/reports/status", "GET /api/reports/summary",
			"OPTIONS /api/reports/status", "OPTIONS /api/reports/summary",
		},
		// The split route: its own function, not ReportsFunction's.
		"ExportCatalogFunction": {"GET /api/reports/export", "OPTIONS /api/reports/export"},
		"RefreshFunction":       nil,
	}
	built := map[string]bool{}
	for _, p := range res.Packages {
		built[p.LogicalID] = true
	}
	for id := range want {
		if !built[id] {
			t.Fatalf("the build has no package %s (packages: %v)", id, built)
		}
	}
	if len(built) != len(want) {
		t.Errorf("the build has %d packages, want %d: %v", len(built), len(want), built)
	}
	for id, routes := range want {
		wantSet(t, id+"'s API events", templateAPIRoutes(t, tmpl, id), routes...)
	}
	for _, p := range []struct{ id, key, val string }{
		{"ExportCatalogFunction", "MemorySize", "1024"},
		{"ExportCatalogFunction", "Timeout", "60"},
		{"FilesFunction", "MemorySize", "512"},
		{"RefreshFunction", "MemorySize", "128"},
		{"RefreshFunction", "Timeout", "60"},
	} {
		_, fn := templateFunction(t, tmpl, p.id)
		if got, _ := json.Marshal(fn.Properties[p.key]); string(got) != p.val {
			t.Errorf("%s: %s %s, want %s", p.id, p.key, got, p.val)
		}
	}
	_, refresh := templateFunction(t, tmpl, "RefreshFunction")
	if got, _ := json.Marshal(refresh.Properties["Events"]); !strings.Contains(string(got), `"Schedule":"rate(1 hour)"`) {
		t.Errorf("RefreshFunction: events %s, want a Schedule of rate(1 hour)", got)
	}
	if !strings.Contains(string(tmpl), "image~1png") {
		t.Errorf("the template's API has no binary media type image/png (image~1png):\n%s", tmpl)
	}

	setup := func(t *testing.T, id string) *lambda {
		t.Helper()
		return newLambda(t, root, tmpl, id, nil)
	}
	tok := map[string]string{"X-Api-Token": shopToken}

	t.Run("ItemsFunction", func(t *testing.T) {
		l := setup(t, "ItemsFunction")
		coll := func(method string, h map[string]string, query map[string]string) request {
			return request{Method: method, Path: "/api/items", Resource: "/api/items", Query: query, Headers: h}
		}
		one := func(method, id string, h map[string]string) request {
			return request{Method: method, Path: "/api/items/" + id, Resource: "/api/items/{item_id}",
				PathParams: map[string]string{"item_id": id}, Headers: h}
		}
		reviews := func(method, id string, h map[string]string) request {
			return request{Method: method, Path: "/api/items/" + id + "/reviews", Resource: "/api/items/{item_id}/reviews",
				PathParams: map[string]string{"item_id": id}, Headers: h}
		}
		const js = "application/json"
		const mug = `{"id":1,"name":"Mug","price":12.5,"tags":["kitchen"],"in_stock":true}`
		const teapot = `{"id":2,"name":"Teapot","price":30.0,"tags":["kitchen","gift"],"in_stock":false}`
		const teapot2 = `{"id":2,"name":"Teapot","price":27.5,"tags":["kitchen","gift"],"in_stock":false}`
		// The collection routes are written "/" under prefix="/items"
		// (FastAPI's tutorial style): FastAPI's path is /api/items/, the
		// template's /api/items, and the bootstrap serves both forms (no
		// redirect_slashes 307).
		cases := []shopCase{
			// The router-level dependency: a missing header fails FastAPI's
			// validation, a wrong one is the dependency's 401.
			{label: "GET /api/items (no token)", req: coll("GET", nil, nil), status: 422, ctype: js, body: missingToken},
			{label: "GET /api/items (wrong token)", req: coll("GET", map[string]string{"X-Api-Token": "wrong"}, nil), status: 401, ctype: js,
				body: `{"detail":"invalid API token"}`, headers: map[string]string{"WWW-Authenticate": "X-Api-Token"}},
			{label: "POST /api/items (Mug)", req: withJSON(coll("POST", tok, nil), map[string]any{"name": "Mug", "price": 12.5, "tags": []string{"kitchen"}}),
				status: 201, ctype: js, body: mug},
			{label: "POST /api/items (Teapot)", req: withJSON(coll("POST", tok, nil), map[string]any{"name": "Teapot", "price": 30, "tags": []string{"kitchen", "gift"}, "in_stock": false}),
				status: 201, ctype: js, body: teapot},
			// ShopError, rendered by the app-wide exception handler.
			{label: "POST /api/items (mug: a duplicate name)", req: withJSON(coll("POST", tok, nil), map[string]any{"name": "mug", "price": 3}),
				status: 409, ctype: js, body: `{"error":"conflict","message":"an item named 'Mug' already exists (id 1)"}`},
			// pydantic Field constraints: FastAPI's 422 body, both errors.
			{label: "POST /api/items (invalid)", req: withJSON(coll("POST", tok, nil), map[string]any{"name": "", "price": 0}), status: 422, ctype: js,
				body: `{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}},{"type":"greater_than","loc":["body","price"],"msg":"Input should be greater than 0","input":0,"ctx":{"gt":0.0}}]}`},
			// Query defaults limit=10, offset=0, echoed.
			{label: "GET /api/items", req: coll("GET", tok, nil), status: 200, ctype: js,
				body: `{"items":[` + mug + `,` + teapot + `],"total":2,"limit":10,"offset":0}`},
			{label: "GET /api/items/ (the trailing slash as the client wrote it)",
				req: request{Method: "GET", Path: "/api/items/", Resource: "/api/items", Headers: tok}, status: 200, ctype: js,
				body: `{"items":[` + mug + `,` + teapot + `],"total":2,"limit":10,"offset":0}`},
			{label: "GET /api/items?limit=1&offset=1", req: coll("GET", tok, map[string]string{"limit": "1", "offset": "1"}), status: 200, ctype: js,
				body: `{"items":[` + teapot + `],"total":2,"limit":1,"offset":1}`},
			{label: "GET /api/items?tag=gift", req: coll("GET", tok, map[string]string{"tag": "gift"}), status: 200, ctype: js,
				body: `{"items":[` + teapot + `],"total":1,"limit":10,"offset":0}`},
			{label: "GET /api/items?limit=0", req: coll("GET", tok, map[string]string{"limit": "0"}), status: 422, ctype: js,
				body: `{"detail":[{"type":"greater_than_equal","loc":["query","limit"],"msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}}]}`},
			{label: "GET /api/items/1", req: one("GET", "1", tok), status: 200, ctype: js, body: mug},
			{label: "GET /api/items/99", req: one("GET", "99", tok), status: 404, ctype: js, body: `{"detail":"item 99 not found"}`},
			{label: "GET /api/items/abc", req: one("GET", "abc", tok), status: 422, ctype: js,
				body: `{"detail":[{"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"}]}`},
			{label: "PUT /api/items/1", req: withJSON(one("PUT", "1", tok), map[string]any{"name": "Big mug", "price": 14}), status: 200, ctype: js,
				body: `{"id":1,"name":"Big mug","price":14.0,"tags":[],"in_stock":true}`},
			{label: "PATCH /api/items/2", req: withJSON(one("PATCH", "2", tok), map[string]any{"price": 27.5}), status: 200, ctype: js, body: teapot2},
			// The nested router (reviews.py) under /{item_id}/reviews.
			{label: "POST /api/items/1/reviews", req: withJSON(reviews("POST", "1", tok), map[string]any{"rating": 5, "comment": "Holds a lot of tea"}),
				status: 201, ctype: js, body: `{"id":1,"item_id":1,"rating":5,"comment":"Holds a lot of tea"}`},
			{label: "POST /api/items/1/reviews (rating 6)", req: withJSON(reviews("POST", "1", tok), map[string]any{"rating": 6}), status: 422, ctype: js,
				body: `{"detail":[{"type":"less_than_equal","loc":["body","rating"],"msg":"Input should be less than or equal to 5","input":6,"ctx":{"le":5}}]}`},
			{label: "GET /api/items/1/reviews", req: reviews("GET", "1", tok), status: 200, ctype: js,
				body: `[{"id":1,"item_id":1,"rating":5,"comment":"Holds a lot of tea"}]`},
			{label: "GET /api/items/99/reviews", req: reviews("GET", "99", tok), status: 404, ctype: js, body: `{"detail":"item 99 not found"}`},
			// status_code=204: no body.
			{label: "DELETE /api/items/1", req: one("DELETE", "1", tok), status: 204, absent: []string{"Content-Type"}},
			{label: "GET /api/items/1 (deleted)", req: one("GET", "1", tok), status: 404, ctype: js, body: `{"detail":"item 1 not found"}`},
			// The middleware echoes X-Request-Id (check compares it).
			{label: "GET /api/items/2 (X-Request-Id)", req: one("GET", "2", withHeaders(tok, "X-Request-Id", "req-42")), status: 200, ctype: js, body: teapot2},
			// CORS from deployless.yaml, added by the bootstrap.
			{label: "GET /api/items/2 (allowed origin)", req: one("GET", "2", withHeaders(tok, "Origin", "https://shop.example.com")), status: 200, ctype: js,
				body: teapot2, headers: map[string]string{"Access-Control-Allow-Origin": "https://shop.example.com"}},
			{label: "GET /api/items/2 (other origin)", req: one("GET", "2", withHeaders(tok, "Origin", "https://evil.example.com")), status: 200, ctype: js,
				body: teapot2, absent: []string{"Access-Control-Allow-Origin"}},
			{label: "GET /api/items?limit=5", req: coll("GET", tok, map[string]string{"limit": "5"}), status: 200, ctype: js,
				body: `{"items":[` + teapot2 + `],"total":1,"limit":5,"offset":0}`},
			// The nested router inherits the parent's dependency.
			{label: "GET /api/items/2/reviews (no token)", req: reviews("GET", "2", nil), status: 422, ctype: js, body: missingToken},
			// Preflights, answered by the bootstrap (cors.preflight).
			{label: "OPTIONS /api/items/2 (preflight, allowed origin)", gateway: true, status: 204,
				req: one("OPTIONS", "2", map[string]string{"Origin": "https://admin.shop.example.com",
					"Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "content-type,x-api-token"}),
				headers: map[string]string{
					"Access-Control-Allow-Origin":  "https://admin.shop.example.com",
					"Access-Control-Allow-Methods": "GET,POST,PUT,PATCH,DELETE,OPTIONS",
					"Access-Control-Allow-Headers": "Content-Type,X-Api-Token,X-Request-Id",
					"Access-Control-Max-Age":       "600",
				}},
			{label: "OPTIONS /api/items (preflight, other origin)", gateway: true, status: 204,
				req:    coll("OPTIONS", map[string]string{"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"}, nil),
				absent: []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"}},
		}
		// One warm process, one event at a time: the ids and the store
		// carry over, as in one container.
		w := l.startWarm(t)
		for _, c := range cases {
			c.check(t, w.send(t, c.label, apiEvent(c.req)))
		}
	})

	t.Run("FilesFunction", func(t *testing.T) {
		l := setup(t, "FilesFunction")
		png, err := base64.StdEncoding.DecodeString(pixelPNG)
		if err != nil || len(png) != 73 || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("pixelPNG is not the 73-byte PNG (%v)", err)
		}
		file := func(method, p string, h map[string]string, body []byte, binary bool) request {
			return request{Method: method, Path: "/api/files/" + p, Resource: "/api/files/{p+}",
				PathParams: map[string]string{"p": p}, Headers: h, Body: body, Binary: binary}
		}
		const js = "application/json"
		pngType := map[string]string{"Content-Type": "image/png"}
		cases := []shopCase{
			// A binary response: image/png is a binary media type, so the
			// body is base64 and isBase64Encoded (check decodes it).
			{label: "GET /api/files/samples/pixel.png", req: file("GET", "samples/pixel.png", nil, nil, false),
				status: 200, ctype: "image/png", binary: true, body: string(png)},
			{label: "HEAD /api/files/samples/pixel.png", req: file("HEAD", "samples/pixel.png", nil, nil, false),
				status: 200, ctype: "image/png", binary: true, body: "", headers: map[string]string{"Content-Length": "73"}},
			// {p:path} takes several segments (API Gateway's {p+}).
			{label: "PUT /api/files/docs/2026/notes.txt", req: file("PUT", "docs/2026/notes.txt", map[string]string{"Content-Type": "text/plain"}, []byte("hello"), false),
				status: 201, ctype: js,
				body: `{"path":"docs/2026/notes.txt","size":5,"content_type":"text/plain","sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}`},
			{label: "GET /api/files/docs/2026/notes.txt", req: file("GET", "docs/2026/notes.txt", nil, nil, false),
				status: 200, ctype: "text/plain; charset=utf-8", body: "hello"},
			// A binary request body (the event's isBase64Encoded), and the
			// same bytes back.
			{label: "PUT /api/files/img/logo.png", req: file("PUT", "img/logo.png", pngType, png, true),
				status: 201, ctype: js,
				body: `{"path":"img/logo.png","size":73,"content_type":"image/png","sha256":"fbaa4eaac082dcbcbd9c7db9010541352c903ca018212b11660608900b7feb81"}`},
			{label: "GET /api/files/img/logo.png", req: file("GET", "img/logo.png", nil, nil, false),
				status: 200, ctype: "image/png", binary: true, body: string(png)},
			{label: "GET /api/files/nothing/here.txt", req: file("GET", "nothing/here.txt", nil, nil, false),
				status: 404, ctype: js, body: `{"detail":"no file at nothing/here.txt"}`},
			{label: "PUT /api/files/samples/pixel.png (a sample)", req: file("PUT", "samples/pixel.png", pngType, png, true),
				status: 403, ctype: js, body: `{"error":"forbidden","message":"samples/pixel.png is a built-in sample and cannot be replaced"}`},
			{label: "PUT /api/files/empty.bin (no body)", req: file("PUT", "empty.bin", map[string]string{"Content-Type": "application/octet-stream"}, []byte{}, false),
				status: 400, ctype: js, body: `{"detail":"the request body is empty: send the file's bytes"}`},
			// The body of a HEAD answer is not checked: no client reads it
			// (the handler returns the GET's JSON error body today).
			{label: "HEAD /api/files/nothing/here.txt", req: file("HEAD", "nothing/here.txt", nil, nil, false),
				status: 404, ctype: js, anyBody: true, headers: map[string]string{"Content-Length": "40"}},
		}
		rs := runShopCases(t, l, cases)
		// Byte for byte what API Gateway decodes for the client.
		for _, i := range []int{0, 5} {
			if b := rs[i].response(t).Body; b == nil || *b != pixelPNG {
				t.Errorf("%s: body %v, want the base64 of the PNG, %s", cases[i].label, rs[i].raw, pixelPNG)
			}
		}
	})

	t.Run("ReportsFunction", func(t *testing.T) {
		l := setup(t, "ReportsFunction")
		status := request{Method: "GET", Path: "/api/reports/status", Resource: "/api/reports/status"}
		summary := func(h, query map[string]string) request {
			return request{Method: "GET", Path: "/api/reports/summary", Resource: "/api/reports/summary", Headers: h, Query: query}
		}
		const js = "application/json"
		const up = `{"status":"ok","startups":1,"currency":"EUR"}`
		const empty = `{"items":0,"in_stock":0,"inventory_value":0.0,"currency":"EUR","tags":[]}`
		// One container: the lifespan's startup ran once for both status
		// requests, and what it yielded is request.state (currency). The
		// store is the function's own: ItemsFunction's items are not here.
		cases := []shopCase{
			{label: "GET /api/reports/status", req: status, status: 200, ctype: js, body: up},
			{label: "GET /api/reports/status (again, same container)", req: status, status: 200, ctype: js, body: up},
			// The per-route dependency.
			{label: "GET /api/reports/summary (no token)", req: summary(nil, nil), status: 422, ctype: js, body: missingToken},
			{label: "GET /api/reports/summary (wrong token)", req: summary(map[string]string{"X-Api-Token": "wrong"}, nil), status: 401, ctype: js,
				body: `{"detail":"invalid API token"}`, headers: map[string]string{"WWW-Authenticate": "X-Api-Token"}},
			{label: "GET /api/reports/summary", req: summary(tok, nil), status: 200, ctype: js, body: empty},
			{label: "GET /api/reports/summary?in_stock_only=true", req: summary(tok, map[string]string{"in_stock_only": "true"}), status: 200, ctype: js, body: empty},
		}
		rs := runShopCases(t, l, cases)
		// The lifespan's counter, said plainly: startup once per process.
		for _, r := range rs[:2] {
			_, body := r.expect(t, 200)
			wantField(t, r.label, body, "startups", 1)
			wantField(t, r.label, body, "currency", "EUR")
		}

		// A second process is a new cold start: its own startup, counted
		// from 1 again.
		rs = l.invoke(t, []string{"GET /api/reports/status (a new container)"}, []any{apiEvent(status)})
		_, body := rs[0].expect(t, 200)
		wantField(t, rs[0].label, body, "startups", 1)
		wantField(t, rs[0].label, body, "currency", "EUR")
	})

	t.Run("ExportCatalogFunction", func(t *testing.T) {
		l := setup(t, "ExportCatalogFunction")
		export := func(h map[string]string) request {
			return request{Method: "GET", Path: "/api/reports/export", Resource: "/api/reports/export", Headers: h}
		}
		runShopCases(t, l, []shopCase{
			{label: "GET /api/reports/export (no token)", req: export(nil), status: 422, ctype: "application/json", body: missingToken},
			// Its own, fresh store: the header line only.
			{label: "GET /api/reports/export", req: export(tok), status: 200, ctype: "text/csv; charset=utf-8",
				body: "id,name,price,tags,in_stock\n", headers: map[string]string{"Content-Disposition": `attachment; filename="catalog.csv"`}},
			{label: "OPTIONS /api/reports/export (preflight)", gateway: true, status: 204,
				req: request{Method: "OPTIONS", Path: "/api/reports/export", Resource: "/api/reports/export",
					Headers: map[string]string{"Origin": "https://shop.example.com", "Access-Control-Request-Method": "GET"}},
				headers: map[string]string{"Access-Control-Allow-Origin": "https://shop.example.com", "Access-Control-Max-Age": "600"}},
		})
	})

	t.Run("RefreshFunction", func(t *testing.T) {
		l := setup(t, "RefreshFunction")
		scheduled := func(id, at string) map[string]any {
			return map[string]any{
				"version": "0", "id": id, "detail-type": "Scheduled Event", "source": "aws.events",
				"account": "123456789012", "time": at, "region": "us-east-1",
				"resources": []any{"arn:aws:events:us-east-1:123456789012:rule/r"}, "detail": map[string]any{},
			}
		}
		// A fresh container's store is empty: nothing to restock, twice.
		rs := l.invoke(t, []string{"scheduled event", "scheduled event (same container)"},
			[]any{scheduled("x", "2026-01-01T00:00:00Z"), scheduled("y", "2026-01-01T01:00:00Z")})
		for _, r := range rs {
			var out map[string]any
			if err := json.Unmarshal(r.raw, &out); err != nil {
				t.Fatalf("%s: result is not a JSON object: %v\n%s", r.label, err, r.raw)
			}
			wantField(t, r.label, out, "refreshed", 0)
			if len(out) != 1 {
				t.Errorf("%s: returned %s, want {\"refreshed\": 0}", r.label, r.raw)
			}
		}
	})

	t.Run("DepsLayer", func(t *testing.T) {
		// Every function has the one dependency layer; its content is
		// checked once, laid out as Lambda does it (/opt).
		for id := range want {
			c := functionCode(t, tmpl, id)
			if len(c.layers) != 1 || c.layers[0] != ".dist/DepsLayer.zip" {
				t.Errorf("%s: layers %v, want [.dist/DepsLayer.zip]", id, c.layers)
			}
		}
		lay := layOut(t, root, tmpl, "ItemsFunction")
		if len(lay.layers) != 1 {
			t.Fatalf("ItemsFunction: %d layers laid out, want 1", len(lay.layers))
		}
		top := map[string]bool{} // the top-level names under python/, lower case
		var so []string
		for _, name := range lay.layers[0] {
			rest, ok := strings.CutPrefix(name, "python/")
			if !ok {
				continue
			}
			first, _, _ := strings.Cut(rest, "/")
			top[strings.ToLower(first)] = true
			if strings.HasPrefix(rest, "pydantic_core/") && strings.HasSuffix(rest, ".so") {
				so = append(so, name)
			}
		}
		for _, name := range []string{"fastapi", "pydantic", "pydantic_core", "starlette", "mangum", "_deployless_asgi.py", "_deployless_apigw.py"} {
			if !top[name] {
				t.Errorf("the layer has no python/%s", name)
			}
		}
		for name := range top {
			for _, bad := range []string{"flask", "apig_wsgi", "apig-wsgi", "werkzeug"} {
				if strings.HasPrefix(name, bad) {
					t.Errorf("the layer of a FastAPI project has python/%s (a Flask-side package)", name)
				}
			}
		}
		// pydantic_core's extension, built for Lambda's x86_64 and python3.13.
		if len(so) != 1 || !strings.HasSuffix(so[0], ".cpython-313-x86_64-linux-gnu.so") {
			t.Fatalf("pydantic_core's compiled modules in the layer: %v, want one *.cpython-313-x86_64-linux-gnu.so", so)
		}
		f, err := elf.Open(filepath.Join(lay.opt, filepath.FromSlash(so[0])))
		if err != nil {
			t.Fatalf("%s: %v", so[0], err)
		}
		defer f.Close()
		if f.Machine != elf.EM_X86_64 || f.Class != elf.ELFCLASS64 || f.Type != elf.ET_DYN {
			t.Errorf("%s: %v %v %v, want a 64-bit x86-64 shared object", so[0], f.Class, f.Machine, f.Type)
		}
	})

	t.Logf("total %v", time.Since(start).Round(time.Millisecond))
}
