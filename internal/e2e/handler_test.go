package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/testenv"
)

// The credentials and signing secret are the example's development defaults
// (examples/ums-api/README.md, app/shared/config.py). No function sets
// AUTH_SIGNING_SECRET, so a token AuthFunction issues is valid everywhere.
const (
	clientID     = "ums-dev"
	clientSecret = "ums-dev-secret"
	tenantID     = "acme"
)

var allScopes = []string{"ums:users:create", "ums:users:read", "ums:users:update", "ums:users:delete", "ums:users:export"}

// TestHandlers builds examples/ums-api, lays out every function as Lambda
// does (its code zip extracted to a task root, its dependency layer's zip to
// an /opt whose python/ is on the path, an empty virtualenv of the runtime's
// interpreter) and invokes it as Lambda would: bootstrap.handler with API
// Gateway REST proxy events (or an EventBridge schedule event), with a clean
// environment made of the template's variables for the function.
func TestHandlers(t *testing.T) {
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
	root, res := buildExample(t)
	tmpl := res.YAML

	want := []string{"AuthFunction", "TenantFunction", "UserFunction", "ExportUsersRouteFunction", "CleanupSessionsFunction"}
	built := map[string]bool{}
	for _, p := range res.Packages {
		built[p.LogicalID] = true
	}
	for _, id := range want {
		if !built[id] {
			t.Fatalf("the build has no package %s (packages: %v)", id, built)
		}
	}
	if len(built) != len(want) {
		t.Errorf("the build has %d packages, want %d: %v", len(built), len(want), built)
	}

	// Each function runs alone, as its own Lambda: its own task root, /opt
	// and venv, its own process. STORAGE_BACKEND=memory keeps the user
	// functions off DynamoDB although the template gives them UMS_USERS_TABLE.
	setup := func(t *testing.T, id string) *lambda {
		t.Helper()
		return newLambda(t, root, tmpl, id, map[string]string{"STORAGE_BACKEND": "memory"})
	}

	var token string
	needToken := func(t *testing.T) {
		t.Helper()
		if token == "" {
			t.Fatal("no access token: the AuthFunction subtest failed")
		}
	}

	t.Run("AuthFunction", func(t *testing.T) {
		l := setup(t, "AuthFunction")
		tokenReq := jsonRequest("POST", "/auth/token", "/auth/token",
			map[string]any{"client_id": clientID, "client_secret": clientSecret, "tenant_id": tenantID}, nil)
		r := l.invoke(t, []string{"POST /auth/token"}, []any{apiEvent(tokenReq)})
		_, body := r[0].expect(t, 200)
		token = mustString(t, "POST /auth/token: access_token", field(t, r[0].label, body, "access_token"))
		wantField(t, r[0].label, body, "token_type", "Bearer")
		wantField(t, r[0].label, body, "tenant_id", tenantID)
		wantField(t, r[0].label, body, "scopes", allScopes)

		bad := jsonRequest("POST", "/auth/token", "/auth/token",
			map[string]any{"client_id": clientID, "client_secret": "wrong", "tenant_id": tenantID}, nil)
		me := request{Method: "GET", Path: "/auth/me", Resource: "/auth/me", Headers: bearer(token)}
		anon := request{Method: "GET", Path: "/auth/me", Resource: "/auth/me"}
		verify := jsonRequest("POST", "/auth/verify", "/auth/verify", map[string]any{"token": token}, nil)
		r = l.invoke(t,
			[]string{"POST /auth/token (bad secret)", "GET /auth/me (token)", "GET /auth/me (no token)", "POST /auth/verify"},
			[]any{apiEvent(bad), apiEvent(me), apiEvent(anon), apiEvent(verify)})

		_, body = r[0].expect(t, 401)
		wantField(t, r[0].label, body, "error", "unauthorized")
		wantField(t, r[0].label, body, "message", "invalid client credentials")

		_, body = r[1].expect(t, 200)
		wantField(t, r[1].label, body, "tenant_id", tenantID)
		wantField(t, r[1].label, body, "user_id", clientID)
		wantField(t, r[1].label, body, "scopes", allScopes)

		resp, body := r[2].expect(t, 401)
		wantField(t, r[2].label, body, "error", "unauthorized")
		wantField(t, r[2].label, body, "message", "missing bearer token")
		wantHeader(t, r[2].label, resp, "WWW-Authenticate", `Bearer realm="ums-api"`)

		_, body = r[3].expect(t, 200)
		wantField(t, r[3].label, body, "active", true)
		wantField(t, r[3].label, body, "tenant_id", tenantID)
	})

	t.Run("UserFunction", func(t *testing.T) {
		needToken(t)
		l := setup(t, "UserFunction")
		const email = "Ada.Lovelace@Example.com"
		origin := map[string]string{"Origin": "https://example.com"}
		withOrigin := func(h map[string]string) map[string]string {
			out := map[string]string{}
			for k, v := range h {
				out[k] = v
			}
			for k, v := range origin {
				out[k] = v
			}
			return out
		}

		// Stateless requests, one batch through invoke.py.
		create := jsonRequest("POST", "/users", "/users",
			map[string]any{"email": email, "password": "correct horse battery", "scopes": []string{"ums:users:read"}},
			withOrigin(bearer(token)))
		missing := request{Method: "GET", Path: "/users/nope", Resource: "/users/{user_id}",
			PathParams: map[string]string{"user_id": "nope"}, Headers: bearer(token)}
		// No such route in the app: reached only through a catch-all
		// resource, Flask must answer 404 itself.
		noRoute := request{Method: "GET", Path: "/users/a/b/c", Resource: "/{proxy+}",
			PathParams: map[string]string{"proxy": "users/a/b/c"}, Headers: bearer(token)}
		anon := request{Method: "GET", Path: "/users", Resource: "/users", Headers: origin}
		r := l.invoke(t,
			[]string{"POST /users", "GET /users/nope", "GET /users/a/b/c", "GET /users (no token)"},
			[]any{apiEvent(create), apiEvent(missing), apiEvent(noRoute), apiEvent(anon)})

		resp, body := r[0].expect(t, 201)
		wantField(t, r[0].label, body, "email", strings.ToLower(email))
		wantField(t, r[0].label, body, "tenant_id", tenantID)
		if id, _ := body["user_id"].(string); len(id) != 32 {
			t.Errorf("%s: user_id %q is not 32 hex digits", r[0].label, id)
		}
		if _, ok := body["password"]; ok {
			t.Errorf("%s: the response carries the password: %v", r[0].label, body)
		}
		wantHeader(t, r[0].label+" (CORS)", resp, "Access-Control-Allow-Origin", "*")

		_, body = r[1].expect(t, 404)
		wantField(t, r[1].label, body, "error", "not_found")

		resp = r[2].response(t)
		if resp.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404\nresponse: %s", r[2].label, resp.StatusCode, r[2].raw)
		}

		resp, body = r[3].expect(t, 401)
		wantField(t, r[3].label, body, "message", "missing bearer token")
		wantHeader(t, r[3].label+" (CORS on an error)", resp, "Access-Control-Allow-Origin", "*")

		// POST then GET by the generated id: the in-memory store lives as
		// long as the process, so these go through one warm process.
		w := l.startWarm(t)
		created := w.send(t, "POST /users (warm)", apiEvent(create))
		_, body = created.expect(t, 201)
		id := mustString(t, created.label+": user_id", field(t, created.label, body, "user_id"))

		get := request{Method: "GET", Path: "/users/" + id, Resource: "/users/{user_id}",
			PathParams: map[string]string{"user_id": id}, Headers: withOrigin(bearer(token))}
		got := w.send(t, "GET /users/{user_id}", apiEvent(get))
		resp, body = got.expect(t, 200)
		wantField(t, got.label, body, "user_id", id)
		wantField(t, got.label, body, "email", strings.ToLower(email))
		wantField(t, got.label, body, "scopes", []string{"ums:users:read"})
		wantHeader(t, got.label+" (CORS)", resp, "Access-Control-Allow-Origin", "*")

		dup := w.send(t, "POST /users (same email)", apiEvent(create))
		_, body = dup.expect(t, 409)
		wantField(t, dup.label, body, "error", "conflict")

		list := w.send(t, "GET /users", apiEvent(request{Method: "GET", Path: "/users", Resource: "/users", Headers: bearer(token)}))
		_, body = list.expect(t, 200)
		wantField(t, list.label, body, "count", 1)
	})

	t.Run("TenantFunction", func(t *testing.T) {
		l := setup(t, "TenantFunction")
		const key = "a/b/c d.txt"
		file := request{Method: "GET", Path: "/tenants/acme/files/" + key, Resource: "/tenants/{tenant_id}/files/{key+}",
			PathParams: map[string]string{"tenant_id": tenantID, "key": key}}

		// PNG signature, an IHDR-like chunk, then every byte value: the body
		// is not valid UTF-8 and must arrive byte for byte.
		logo := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00")
		for i := 0; i < 256; i++ {
			logo = append(logo, byte(i))
		}
		for i := 255; i >= 0; i-- {
			logo = append(logo, byte(i))
		}
		sum := sha256.Sum256(logo)
		upload := request{Method: "PUT", Path: "/tenants/acme/logo", Resource: "/tenants/{tenant_id}/logo",
			PathParams: map[string]string{"tenant_id": tenantID},
			Headers:    map[string]string{"Content-Type": "image/png"}, Body: logo, Binary: true}

		// The rule "/" under the prefix "/tenants" is the API Gateway path
		// /tenants (no trailing slash): it must answer, not redirect.
		index := request{Method: "GET", Path: "/tenants", Resource: "/tenants"}
		r := l.invoke(t, []string{"GET /tenants/acme/files/" + key, "PUT /tenants/acme/logo", "GET /tenants"},
			[]any{apiEvent(file), apiEvent(upload), apiEvent(index)})

		_, body := r[0].expect(t, 200)
		wantField(t, r[0].label, body, "tenant_id", tenantID)
		wantField(t, r[0].label, body, "key", key)

		_, body = r[1].expect(t, 200)
		wantField(t, r[1].label, body, "tenant_id", tenantID)
		wantField(t, r[1].label, body, "bytes", len(logo))
		wantField(t, r[1].label, body, "sha256", hex.EncodeToString(sum[:]))
		wantField(t, r[1].label, body, "content_type", "image/png")

		_, body = r[2].expect(t, 200)
		wantField(t, r[2].label, body, "service", "tenants")
	})

	t.Run("ExportUsersRouteFunction", func(t *testing.T) {
		needToken(t)
		l := setup(t, "ExportUsersRouteFunction")
		export := request{Method: "POST", Path: "/users/export", Resource: "/users/export", Headers: bearer(token)}
		anon := request{Method: "POST", Path: "/users/export", Resource: "/users/export"}
		r := l.invoke(t, []string{"POST /users/export", "POST /users/export (no token)"}, []any{apiEvent(export), apiEvent(anon)})

		_, body := r[0].expect(t, 200)
		wantField(t, r[0].label, body, "tenant_id", tenantID)
		// Its own in-memory store (README: each function has its own).
		wantField(t, r[0].label, body, "count", 0)
		field(t, r[0].label, body, "items")
		mustString(t, r[0].label+": exported_at", field(t, r[0].label, body, "exported_at"))

		r[1].expect(t, 401)
	})

	t.Run("CleanupSessionsFunction", func(t *testing.T) {
		l := setup(t, "CleanupSessionsFunction")
		raw, err := os.ReadFile(testdataFile("scheduled_event.json"))
		if err != nil {
			t.Fatal(err)
		}
		var event map[string]any
		if err := json.Unmarshal(raw, &event); err != nil {
			t.Fatalf("testdata/scheduled_event.json: %v", err)
		}
		r := l.invoke(t, []string{"scheduled event"}, []any{event})
		var out map[string]any
		if err := json.Unmarshal(r[0].raw, &out); err != nil {
			t.Fatalf("%s: result is not a JSON object: %v\n%s", r[0].label, err, r[0].raw)
		}
		wantField(t, r[0].label, out, "status", "ok")
		wantField(t, r[0].label, out, "deleted", 0)
		wantField(t, r[0].label, out, "backend", "memory")
	})

	t.Logf("total %v", time.Since(start).Round(time.Millisecond))
}
