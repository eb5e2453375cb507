package e2e

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

// stage is the prefix of every URL the app builds for a request through
// the execute-api domain (apiEvent's): API Gateway removes it from the
// event's path, and the bootstrap gives it back to the app as SCRIPT_NAME.
const stage = "/dev"

// TestRealApp builds examples/notes-app (an app factory with
// Flask-SQLAlchemy on sqlite, Flask-Login, Flask-WTF CSRF, HTML pages
// linking across features, a JSON API, routes in sibling modules, a
// MethodView and a cron in an imported module), lays out each function as
// Lambda does (code zip, dependency layer, an empty venv of the runtime's
// interpreter) and drives it as Lambda would, one
// cold process per batch of events: the functions share only the database
// file and the signed session cookie, as they would on AWS.
func TestRealApp(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds virtualenvs and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	testenv.Tool(t, "uv")
	root, res := buildProject(t, filepath.Join(testenv.RepoRoot(), "examples", "notes-app"))
	tmpl := res.YAML
	ids := map[string]bool{}
	for _, p := range res.Packages {
		ids[p.LogicalID] = true
	}
	for _, id := range []string{"AccountsFunction", "NotesFunction", "ArchiveOldNotesFunction"} {
		if !ids[id] {
			t.Fatalf("no package %s (packages: %v)", id, ids)
		}
	}
	if len(ids) != 3 {
		t.Errorf("packages %v, want 3", ids)
	}
	// The cron defined in tasks.py (imported by notes/routes.py) is in the
	// template with its schedule.
	if !strings.Contains(string(tmpl), "rate(1 day)") {
		t.Error("the template has no schedule for archive_old_notes")
	}
	db := filepath.Join(t.TempDir(), "notes.db")
	extra := map[string]string{"DATABASE_URL": "sqlite:///" + db, "SECRET_KEY": "e2e-secret"}
	setup := func(t *testing.T, id string) *lambda {
		t.Helper()
		return newLambda(t, root, tmpl, id, extra)
	}
	accounts := setup(t, "AccountsFunction")
	notes := setup(t, "NotesFunction")
	cron := setup(t, "ArchiveOldNotesFunction")

	// Other features' code is not shipped: the notes package has the
	// accounts stand-ins, not views.py or forms.py.
	for _, p := range []string{"app/features/accounts/views.py", "app/features/accounts/forms.py"} {
		if _, err := os.Stat(filepath.Join(notes.dir, p)); err == nil {
			t.Errorf("NotesFunction ships %s, another feature's code", p)
		}
	}
	for _, p := range []string{"app/models.py", "app/extensions.py", "app/templates/base.html", "app/features/notes/tasks.py"} {
		if _, err := os.Stat(filepath.Join(notes.dir, p)); err != nil {
			t.Errorf("NotesFunction does not ship %s: %v", p, err)
		}
	}

	// 1. Register through the JSON API (CSRF-exempt).
	reg := jsonRequest("POST", "/api/accounts/users", "/api/accounts/users",
		map[string]any{"email": "Ada@Example.com", "password": "correct horse"}, nil)
	r := accounts.invoke(t, []string{"POST /api/accounts/users"}, []any{apiEvent(reg)})
	_, body := r[0].expect(t, 201)
	wantField(t, r[0].label, body, "email", "ada@example.com")

	// 2. The log-in page: a CSRF token in the form and in the session.
	page := request{Method: "GET", Path: "/accounts/login", Resource: "/accounts/login", Headers: map[string]string{"Accept": "text/html"}}
	r = accounts.invoke(t, []string{"GET /accounts/login"}, []any{apiEvent(page)})
	resp := r[0].response(t)
	html := bodyString(t, r[0].label, resp, 200)
	token := regexp.MustCompile(`name="csrf_token" type="hidden" value="([^"]+)"`).FindStringSubmatch(html)
	if token == nil {
		t.Fatalf("%s: no CSRF token in the form:\n%s", r[0].label, html)
	}
	wantLinks(t, r[0].label, html, stage+"/notes/", stage+"/accounts/login")
	cookie := sessionCookie(t, r[0].label, resp)

	// Through a custom domain (no stage in the client's URL), the links
	// have no prefix.
	custom := apiEvent(page)
	custom["headers"].(map[string]any)["Host"] = "notes.example.com"
	custom["requestContext"].(map[string]any)["domainName"] = "notes.example.com"
	r = accounts.invoke(t, []string{"GET /accounts/login (custom domain)"}, []any{custom})
	wantLinks(t, r[0].label, bodyString(t, r[0].label, r[0].response(t), 200), "/notes/", "/accounts/login")

	// 3. Posting the form without the token is refused; with it, logs in.
	form := func(csrf string) request {
		v := url.Values{"email": {"ada@example.com"}, "password": {"correct horse"}}
		if csrf != "" {
			v.Set("csrf_token", csrf)
		}
		return request{Method: "POST", Path: "/accounts/login", Resource: "/accounts/login",
			// A browser sends the page it posts from; over HTTPS Flask-WTF
			// requires it (same origin).
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
				"Referer": "https://abc123defg.execute-api.us-east-1.amazonaws.com/accounts/login"}, Body: []byte(v.Encode())}
	}
	r = accounts.invoke(t, []string{"POST /accounts/login (no CSRF token)", "POST /accounts/login"}, []any{apiEvent(form("")), apiEvent(form(token[1]))})
	if resp := r[0].response(t); resp.StatusCode != 400 {
		t.Errorf("%s: status %d, want 400 (CSRF)\n%s", r[0].label, resp.StatusCode, r[0].raw)
	}
	resp = r[1].response(t)
	if resp.StatusCode != 302 {
		t.Fatalf("%s: status %d, want 302\n%s", r[1].label, resp.StatusCode, r[1].raw)
	}
	if loc, _ := resp.header("Location"); loc != stage+"/notes/" {
		t.Errorf("%s: Location %q, want %s/notes/ (url_for of another feature)", r[1].label, loc, stage)
	}
	cookie = sessionCookie(t, r[1].label, resp)

	// 4. The session cookie opens pages of another function.
	withCookie := map[string]string{"Cookie": cookie}
	create := jsonRequest("POST", "/notes/api", "/notes/api", map[string]any{"text": "buy milk"}, withCookie)
	index := request{Method: "GET", Path: "/notes/", Resource: "/notes", Headers: map[string]string{"Cookie": cookie, "Accept": "text/html"}}
	anon := request{Method: "GET", Path: "/notes/", Resource: "/notes", Headers: map[string]string{"Accept": "text/html"}}
	elsewhere := request{Method: "GET", Path: "/accounts/login", Resource: "/{proxy+}", PathParams: map[string]string{"proxy": "accounts/login"}}
	r = notes.invoke(t, []string{"POST /notes/api", "GET /notes/", "GET /notes/ (anonymous)", "GET /accounts/login (in NotesFunction)"},
		[]any{apiEvent(create), apiEvent(index), apiEvent(anon), apiEvent(elsewhere)})
	_, body = r[0].expect(t, 201)
	wantField(t, r[0].label, body, "text", "buy milk")
	id := int(body["id"].(float64))
	html = bodyString(t, r[1].label, r[1].response(t), 200)
	if !strings.Contains(html, "Notes of ada@example.com") || !strings.Contains(html, "buy milk") {
		t.Errorf("%s: the page does not show the user's notes:\n%s", r[1].label, html)
	}
	wantLinks(t, r[1].label, html, stage+"/notes/", stage+"/accounts/logout", stage+"/api/accounts/me", stage+"/notes/api/1")
	resp = r[2].response(t)
	if loc, _ := resp.header("Location"); resp.StatusCode != 302 || !strings.HasPrefix(loc, stage+"/accounts/login?next=") {
		t.Errorf("%s: status %d Location %q, want a redirect to the log-in page of the accounts feature", r[2].label, resp.StatusCode, loc)
	}
	if resp := r[3].response(t); resp.StatusCode != 404 {
		t.Errorf("%s: status %d, want 404 (a stand-in route)\n%s", r[3].label, resp.StatusCode, r[3].raw)
	}

	// 5. The MethodView: GET and DELETE of one note (the template has both).
	for _, m := range []string{"GET", "DELETE"} {
		if !strings.Contains(string(tmpl), "Path: /notes/api/{note_id}\n            Method: "+strings.ToLower(m)) {
			t.Errorf("the template has no %s /notes/api/{note_id} event", m)
		}
	}
	one := request{Method: "GET", Path: "/notes/api/1", Resource: "/notes/api/{note_id}", PathParams: map[string]string{"note_id": "1"}, Headers: withCookie}
	r = notes.invoke(t, []string{"GET /notes/api/1"}, []any{apiEvent(one)})
	_, body = r[0].expect(t, 200)
	wantField(t, r[0].label, body, "id", float64(id))
	wantField(t, r[0].label, body, "archived", false)

	// 6. The account API answers the same session in its own function.
	me := request{Method: "GET", Path: "/api/accounts/me", Resource: "/api/accounts/me", Headers: withCookie}
	r = accounts.invoke(t, []string{"GET /api/accounts/me"}, []any{apiEvent(me)})
	_, body = r[0].expect(t, 200)
	wantField(t, r[0].label, body, "email", "ada@example.com")

	// 7. The cron runs in the app's context, against the same database.
	r = cron.invoke(t, []string{"scheduled event"}, []any{map[string]any{"days": 0, "source": "aws.events", "detail-type": "Scheduled Event"}})
	var out map[string]any
	if err := json.Unmarshal(r[0].raw, &out); err != nil {
		t.Fatalf("%s: %v\n%s", r[0].label, err, r[0].raw)
	}
	wantField(t, r[0].label, out, "archived", float64(1))
	r = notes.invoke(t, []string{"GET /notes/api/1 (after the cron)"}, []any{apiEvent(one)})
	_, body = r[0].expect(t, 200)
	wantField(t, r[0].label, body, "archived", true)
}

// bodyString is a text response's body, checking its status.
func bodyString(t *testing.T, label string, resp apiResponse, status int) string {
	t.Helper()
	b, err := resp.bodyBytes()
	if err != nil || resp.StatusCode != status {
		t.Fatalf("%s: status %d (want %d), body error %v: %s", label, resp.StatusCode, status, err, b)
	}
	return string(b)
}

// wantLinks checks that html links to each path (url_for's output).
func wantLinks(t *testing.T, label, html string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if !strings.Contains(html, `href="`+p+`"`) && !strings.Contains(html, `action="`+p+`"`) {
			t.Errorf("%s: no link to %s in:\n%s", label, p, html)
		}
	}
}

// sessionCookie is the session=… pair the response sets.
func sessionCookie(t *testing.T, label string, resp apiResponse) string {
	t.Helper()
	var all []string
	for k, vs := range resp.MultiValueHeaders {
		if strings.EqualFold(k, "Set-Cookie") {
			all = append(all, vs...)
		}
	}
	for k, v := range resp.Headers {
		if strings.EqualFold(k, "Set-Cookie") {
			all = append(all, v)
		}
	}
	for _, c := range all {
		if strings.HasPrefix(c, "session=") {
			pair, _, _ := strings.Cut(c, ";")
			return pair
		}
	}
	t.Fatalf("%s: no session cookie in %v", label, all)
	return ""
}

// TestFactoryFailsLoudly: when the app factory raises, the cold start fails
// with its traceback; the bootstrap never falls back to a bare app that
// would answer (404 or worse) without the app's config and extensions.
// And a factory that adds a route no feature declares fails the cold start
// naming it.
func TestFactoryFailsLoudly(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds a virtualenv and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	testenv.Tool(t, "uv")
	for _, tc := range []struct{ name, factory, want string }{
		{"raises", "def create_app():\n    raise RuntimeError('no database configured')\n", "RuntimeError: no database configured"},
		{"extra route", "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    from app.features.f.routes import bp\n    app.register_blueprint(bp)\n    app.add_url_rule('/hidden', 'hidden', lambda: 'x')\n    return app\n",
			"adds routes that no feature declares, so API Gateway would never send them to any function: /hidden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := t.TempDir()
			for p, body := range map[string]string{
				"deployless.yaml":          "name: loud\n",
				"requirements.txt":         "flask==3.1.3\n",
				"app/__init__.py":          tc.factory,
				"app/features/f/routes.py": "from flask import Blueprint\nbp = Blueprint('f', __name__)\n@bp.get('/f')\ndef f():\n    return 'f'\n",
			} {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(src, p)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(src, p), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			root, res := buildProject(t, src)
			l := newLambda(t, root, res.YAML, "FFunction", nil)
			r := l.invokeRaw(t, []string{"GET /f"}, []any{apiEvent(request{Method: "GET", Path: "/f", Resource: "/f"})})
			var out map[string]any
			if err := json.Unmarshal(r[0].raw, &out); err != nil {
				t.Fatal(err)
			}
			tb, _ := out["error"].(string)
			if out["statusCode"] != nil || !strings.Contains(tb, tc.want) {
				t.Errorf("the cold start did not fail with %q:\n%s", tc.want, r[0].raw)
			}
		})
	}
}
