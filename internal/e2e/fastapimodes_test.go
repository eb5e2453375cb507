package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

// layerTop is the set of top-level names under a laid-out function's
// /opt/python (packages and modules, lower case, without .py).
func layerTop(l *lambda) map[string]bool {
	top := map[string]bool{}
	for _, entries := range l.layout.layers {
		for _, name := range entries {
			rest, ok := strings.CutPrefix(name, "python/")
			if !ok {
				continue
			}
			first, _, _ := strings.Cut(rest, "/")
			top[strings.ToLower(strings.TrimSuffix(first, ".py"))] = true
		}
	}
	return top
}

// TestFastAPIModes drives the two FastAPI shapes examples/fastapi-shop
// (an app factory) does not: testdata/projects/fastapi, where the routers
// of each feature are served on a bare FastAPI app (and a feature's own
// FastAPI() app as is) beside a Flask feature in the same project, each
// framework in its own layer; testdata/projects/fastapi-flask-factory,
// whose Flask app factory serves only its Flask feature; and testdata/projects/fastapi-app, whose
// module-level FastAPI app (lifespan, middleware, exception handler) in
// app/main.py every function serves, the other features as stand-ins.
func TestFastAPIModes(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds layers and virtualenvs and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	testenv.Tool(t, "uv")

	t.Run("bare routers beside Flask", func(t *testing.T) {
		root, res := buildProject(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "fastapi"))
		tmpl := res.YAML
		token := map[string]string{"X-Token": "t"}

		catalog := newLambda(t, root, tmpl, "CatalogFunction", nil)
		top := layerTop(catalog)
		for _, want := range []string{"fastapi", "pydantic_core", "mangum", "_deployless_asgi"} {
			if !top[want] {
				t.Errorf("CatalogFunction's layer has no python/%s", want)
			}
		}
		for _, not := range []string{"flask", "apig_wsgi", "werkzeug"} {
			if top[not] {
				t.Errorf("CatalogFunction's layer (FastAPI) has python/%s", not)
			}
		}
		r := catalog.invoke(t,
			[]string{"GET /catalog/ (no token)", "GET /catalog/", "GET /catalog/7", "GET /catalog/media/images/a/b.png", "GET /catalog/x (not an int)"},
			[]any{
				apiEvent(request{Method: "GET", Path: "/catalog", Resource: "/catalog"}),
				apiEvent(request{Method: "GET", Path: "/catalog/", Resource: "/catalog", Headers: token,
					Query: map[string]string{"limit": "5"}}),
				apiEvent(request{Method: "GET", Path: "/catalog/7", Resource: "/catalog/{product_id}",
					PathParams: map[string]string{"product_id": "7"}, Headers: token}),
				apiEvent(request{Method: "GET", Path: "/catalog/media/images/a/b.png", Resource: "/catalog/media/images/{key+}",
					PathParams: map[string]string{"key": "a/b.png"}, Headers: token}),
				apiEvent(request{Method: "GET", Path: "/catalog/x", Resource: "/catalog/{product_id}",
					PathParams: map[string]string{"product_id": "x"}, Headers: token}),
			})
		_, body := r[0].expect(t, 422) // the router-level Depends: FastAPI's validation error
		if d, _ := body["detail"].([]any); len(d) != 1 || !strings.Contains(string(r[0].raw), `x-token`) {
			t.Errorf("%s: detail %v, want one error about the x-token header", r[0].label, body["detail"])
		}
		if resp := r[1].response(t); resp.StatusCode != 200 || resp.Body == nil || *resp.Body != "[]" {
			t.Errorf("%s: %d %v, want 200 [] (the \"/\" route under the prefix, trailing slash as sent)", r[1].label, resp.StatusCode, resp.Body)
		}
		r[2].expect(t, 200)
		img := r[3].response(t)
		if b, err := img.bodyBytes(); err != nil || img.StatusCode != 200 || !img.IsBase64Encoded || string(b) != "\x89PNG" {
			t.Errorf("%s: %d base64=%v body %q, want 200 with the PNG bytes base64-encoded", r[3].label, img.StatusCode, img.IsBase64Encoded, b)
		}
		// {product_id:int}: API Gateway's {product_id} takes "x", Starlette's
		// int convertor does not match it: FastAPI's own 404, as uvicorn
		// would answer.
		if resp := r[4].response(t); resp.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", r[4].label, resp.StatusCode)
		}
		wantHeader(t, r[2].label+" (CORS)", r[2].response(t), "Vary", "Origin")

		orders := newLambda(t, root, tmpl, "OrdersFunction", nil)
		r = orders.invoke(t, []string{"POST /orders", "POST /orders (invalid)"}, []any{
			apiEvent(jsonRequest("POST", "/orders", "/orders", map[string]any{"sku": "a-1", "quantity": 2},
				map[string]string{"Origin": "https://shop.example.com"})),
			apiEvent(jsonRequest("POST", "/orders", "/orders", map[string]any{"sku": "a-1", "quantity": "two"}, nil)),
		})
		resp, body := r[0].expect(t, 201) // the feature's own FastAPI() app, served as is
		wantField(t, r[0].label, body, "sku", "a-1")
		wantHeader(t, r[0].label+" (CORS)", resp, "Access-Control-Allow-Origin", "https://shop.example.com")
		r[1].expect(t, 422)

		refresh := newLambda(t, root, tmpl, "RefreshFunction", nil)
		out := refresh.invoke(t, []string{"cron"}, []any{map[string]any{"source": "aws.events", "detail-type": "Scheduled Event", "detail": map[string]any{}}})
		if got := strings.TrimSpace(string(out[0].raw)); got != `{"refreshed": 0}` && got != `{"refreshed":0}` {
			t.Errorf("cron: %s, want {\"refreshed\": 0}", got)
		}

		legacy := newLambda(t, root, tmpl, "LegacyFunction", nil)
		top = layerTop(legacy)
		if !top["flask"] || !top["apig_wsgi"] || top["mangum"] || top["fastapi"] {
			t.Errorf("LegacyFunction's layer (Flask) top-level names: %v; want flask and apig_wsgi, no mangum or fastapi", top)
		}
		r = legacy.invoke(t, []string{"GET /legacy/a/b"}, []any{apiEvent(request{Method: "GET", Path: "/legacy/a/b",
			Resource: "/legacy/{rest+}", PathParams: map[string]string{"rest": "a/b"}})})
		if resp := r[0].response(t); resp.StatusCode != 200 || resp.Body == nil || *resp.Body != "a/b" {
			t.Errorf("%s: %d %v, want 200 a/b from the Flask feature", r[0].label, resp.StatusCode, resp.Body)
		}

	})

	t.Run("Flask factory beside a FastAPI feature", func(t *testing.T) {
		root, res := buildProject(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "fastapi-flask-factory"))
		tmpl := res.YAML
		api := newLambda(t, root, tmpl, "ApiFunction", nil)
		top := layerTop(api)
		// The app package (app/__init__.py imports flask) ships in every
		// function, so flask is in the FastAPI layer too; the WSGI adapter
		// is not.
		if !top["fastapi"] || !top["mangum"] || !top["flask"] || top["apig_wsgi"] {
			t.Errorf("ApiFunction's layer top-level names: %v; want fastapi, mangum and flask, no apig_wsgi", top)
		}
		r := api.invoke(t, []string{"GET /api/ping"}, []any{apiEvent(request{Method: "GET", Path: "/api/ping", Resource: "/api/ping"})})
		_, body := r[0].expect(t, 200) // served without the Flask factory
		wantField(t, r[0].label, body, "pong", true)
		if _, ok := r[0].response(t).header("X-Factory"); ok {
			t.Errorf("%s: answered by the Flask factory's app", r[0].label)
		}

		legacy := newLambda(t, root, tmpl, "LegacyFunction", nil)
		r = legacy.invoke(t, []string{"GET /legacy/a"}, []any{apiEvent(request{Method: "GET", Path: "/legacy/a",
			Resource: "/legacy/{rest+}", PathParams: map[string]string{"rest": "a"}})})
		resp := r[0].response(t)
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d, want 200\n%s", r[0].label, resp.StatusCode, r[0].raw)
		}
		wantHeader(t, r[0].label+" (the app factory)", resp, "X-Factory", "flask")
	})

	t.Run("module-level app", func(t *testing.T) {
		root, res := buildProject(t, filepath.Join(testenv.RepoRoot(), "testdata", "projects", "fastapi-app"))
		tmpl := res.YAML
		items := newLambda(t, root, tmpl, "ItemsFunction", nil)
		r := items.invoke(t, []string{"GET /api/v1/items", "GET /api/v1/items/x", "GET /api/v1/users/me (a stand-in here)"}, []any{
			apiEvent(request{Method: "GET", Path: "/api/v1/items", Resource: "/api/v1/items"}),
			apiEvent(request{Method: "GET", Path: "/api/v1/items/x", Resource: "/api/v1/items/{item_id}",
				PathParams: map[string]string{"item_id": "x"}}),
			apiEvent(request{Method: "GET", Path: "/api/v1/users/me", Resource: "/{proxy+}",
				PathParams: map[string]string{"proxy": "api/v1/users/me"}}),
		})
		for i, want := range []int{200, 200, 404} {
			resp := r[i].response(t)
			if resp.StatusCode != want {
				t.Errorf("%s: status %d, want %d\n%s", r[i].label, resp.StatusCode, want, r[i].raw)
			}
			// app/main.py's middleware runs in every function.
			wantHeader(t, r[i].label, resp, "X-App", "items")
			wantHeader(t, r[i].label+" (CORS *)", resp, "Access-Control-Allow-Origin", "*")
		}

		users := newLambda(t, root, tmpl, "UsersFunction", nil)
		r = users.invoke(t, []string{"GET /api/v1/users/me"}, []any{
			apiEvent(request{Method: "GET", Path: "/api/v1/users/me", Resource: "/api/v1/users/me"}),
		})
		resp, _ := r[0].expect(t, 200)
		wantHeader(t, r[0].label, resp, "X-App", "items")

		sync := newLambda(t, root, tmpl, "SyncFunction", nil)
		out := sync.invoke(t, []string{"lambda_function"}, []any{map[string]any{}})
		if got := strings.ReplaceAll(string(out[0].raw), " ", ""); got != `{"synced":true}` {
			t.Errorf("SyncFunction: %s, want {\"synced\": true}", out[0].raw)
		}
	})
}
