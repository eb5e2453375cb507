package e2e

import (
	"context"
	"encoding/base64"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

// TestPublicApp builds testdata/realapps/microblog — miguelgrinberg/microblog
// (MIT), the Flask Mega-Tutorial's app, which nobody here wrote, ported with
// the README's moves (testdata/realapps/microblog/PORTING.md lists every
// change) — and drives its three functions as Lambda would: each laid out
// from its code zip and dependency layer zip (built for python3.11, the
// app's runtime) with an empty virtualenv of Python 3.11, each event batch
// a cold process whose working directory is the task root. The app has an
// app factory with Flask-SQLAlchemy, Flask-Migrate, Flask-Login, Flask-WTF
// forms, Flask-Babel, Flask-Moment, Flask-Mail, Flask-HTTPAuth, an errors
// Blueprint with app-wide handlers and templates that link across
// Blueprints. The functions share only the sqlite file (DATABASE_URL) and the
// signed session cookie.
func TestPublicApp(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test: builds virtualenvs and runs Python; skipped with -short")
	}
	testenv.Venv(t)
	testenv.Tool(t, "uv")
	src := filepath.Join(testenv.RepoRoot(), "testdata", "realapps", "microblog")
	// The port's one packaging move (PORTING.md): langdetect is published
	// only as an sdist (and a py2 wheel), so its wheel is built once into
	// wheels/, which requirements.txt names with --find-links.
	root, res := buildProject(t, src, func(dir string) {
		cmd := exec.Command(filepath.Join(testenv.Venv(t), "bin", "python"), "-m", "pip", "wheel", "--quiet",
			"--disable-pip-version-check", "--no-deps", "langdetect==1.0.9", "-w", filepath.Join(dir, "wheels"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pip wheel langdetect: %v\n%s", err, out)
		}
	})
	tmpl := string(res.YAML)

	// ---- the build ----------------------------------------------------------
	ids := map[string]bool{}
	for _, p := range res.Packages {
		ids[p.LogicalID] = true
	}
	if len(ids) != 3 || !ids["ApiFunction"] || !ids["AuthFunction"] || !ids["MainFunction"] {
		t.Fatalf("packages %v, want ApiFunction, AuthFunction and MainFunction", ids)
	}
	for _, want := range []string{
		"Runtime: python3.11",
		"Path: /auth/login\n            Method: post", // the Blueprint's url_prefix
		"Path: /api/users/{id}\n            Method: put",
		"Path: /user/{username}/popup\n            Method: get",
		"Path: /\n            Method: post",
	} {
		if !strings.Contains(tmpl, want) {
			t.Errorf("template.yaml has no %q", want)
		}
	}
	env := templateEnv(t, res.YAML, "MainFunction")
	for k, want := range map[string]string{
		"SECRET_KEY":    "{{resolve:ssm:/microblog/SECRET_KEY}}", // from deploy.env, stored in SSM
		"LOG_TO_STDOUT": "1",
		"DATABASE_URL":  "sqlite:////tmp/microblog.db",
	} {
		if env[k] != want {
			t.Errorf("MainFunction's %s = %q, want %q", k, env[k], want)
		}
	}
	// The env file's secret value reaches neither the template nor a package.
	const secret = "change-me-before-deploying"
	if strings.Contains(tmpl, secret) {
		t.Error("template.yaml holds the SECRET_KEY value of deploy.env")
	}

	// ---- the functions, laid out as Lambda does ---------------------------------
	db := filepath.Join(t.TempDir(), "microblog.db")
	extra := map[string]string{"DATABASE_URL": "sqlite:///" + db, "SECRET_KEY": "e2e-secret"}
	setup := func(id string) *lambda {
		l := newLambda(t, root, res.YAML, id, extra)
		if l.layout.runtime != "python3.11" {
			t.Errorf("%s runs on %s, want python3.11 (deployless.yaml)", id, l.layout.runtime)
		}
		return l
	}
	authFn, mainFn, apiFn := setup("AuthFunction"), setup("MainFunction"), setup("ApiFunction")

	// Neither a package nor a layer holds the value: every file as Lambda
	// gets it (the zips' entries, not their compressed bytes).
	for _, l := range []*lambda{authFn, mainFn, apiFn} {
		for _, dir := range []string{l.dir, l.layout.opt} {
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					if b, _ := os.ReadFile(p); strings.Contains(string(b), secret) {
						t.Errorf("%s of %s holds the SECRET_KEY value of deploy.env", p, l.name)
					}
				}
				return nil
			})
		}
	}
	// The app package ships whole; other features are stand-ins.
	auth := authFn.dir
	for _, p := range []string{"config.py", "app/models.py", "app/errors/handlers.py", "app/templates/base.html",
		"app/templates/auth/login.html", "app/translations/es/LC_MESSAGES/messages.po", "app/static/loading.gif",
		"app/features/auth/forms.py", "app/features/auth/email.py"} {
		if _, err := os.Stat(filepath.Join(auth, p)); err != nil {
			t.Errorf("AuthFunction does not ship %s: %v", p, err)
		}
	}
	for _, p := range []string{"app/features/main/forms.py", "app/features/api/users.py", "app/features/api/auth.py"} {
		if _, err := os.Stat(filepath.Join(auth, p)); err == nil {
			t.Errorf("AuthFunction ships %s, another feature's code", p)
		}
	}
	if b, err := os.ReadFile(filepath.Join(auth, "app/features/main/__init__.py")); err != nil || !strings.Contains(string(b), "a stand-in for feature") {
		t.Errorf("AuthFunction's app/features/main/__init__.py is not a stand-in (%v):\n%s", err, b)
	}

	// The schema, as upstream's boot.sh makes it before serving: `flask db
	// upgrade` with the project's migrations/ (not shipped in the packages),
	// run from the project with one function's interpreter and layer.
	ctx, cancel := context.WithTimeout(context.Background(), invokeTimeout)
	defer cancel()
	migrate := exec.CommandContext(ctx, mainFn.python, "-B", "-m", "flask", "db", "upgrade")
	migrate.Dir = root
	migrate.Env = append(append([]string{}, mainFn.env...), "FLASK_APP=microblog.py", "PYTHONPATH="+strings.Join(mainFn.path, string(os.PathListSeparator)))
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("flask db upgrade: %v\n%s", err, out)
	}

	csrfRE := regexp.MustCompile(`name="csrf_token" type="hidden" value="([^"]+)"`)
	csrf := func(label, html string) string {
		t.Helper()
		m := csrfRE.FindStringSubmatch(html)
		if m == nil {
			t.Fatalf("%s: no CSRF token in the page:\n%s", label, html)
		}
		return m[1]
	}
	// page is a browser's request: HTML, the session cookie, and for a form
	// post the same-origin Referer Flask-WTF requires over HTTPS.
	page := func(method, path, resource string, params map[string]string, cookie string, form url.Values) request {
		h := map[string]string{"Accept": "text/html,application/xhtml+xml", "Accept-Language": "en"}
		if cookie != "" {
			h["Cookie"] = cookie
		}
		r := request{Method: method, Path: path, Resource: resource, PathParams: params, Headers: h}
		if form != nil {
			h["Content-Type"] = "application/x-www-form-urlencoded"
			h["Referer"] = "https://abc123defg.execute-api.us-east-1.amazonaws.com" + path
			r.Body = []byte(form.Encode())
		}
		return r
	}
	redirect := func(r result, want string) apiResponse {
		t.Helper()
		resp := r.response(t)
		if loc, _ := resp.header("Location"); resp.StatusCode != 302 || loc != want {
			t.Fatalf("%s: status %d Location %q, want 302 to %s\n%s", r.label, resp.StatusCode, loc, want, r.raw)
		}
		return resp
	}
	// url_for("main.index") is "/index": the view has two rules and Flask
	// builds the first one registered, the innermost decorator's; main's
	// stand-in registers them in the same order, so every function agrees.
	var gaps []string
	mainIndex := func(r result, standIn bool) apiResponse {
		t.Helper()
		resp := r.response(t)
		if loc, _ := resp.header("Location"); resp.StatusCode != 302 || loc != stage+"/index" {
			t.Fatalf("%s: status %d Location %q, want 302 to %s/index (stand-in: %v)\n%s", r.label, resp.StatusCode, loc, stage, standIn, r.raw)
		}
		return resp
	}
	mainIndexLink := func(label, html string, standIn bool) {
		t.Helper()
		if !strings.Contains(html, `class="navbar-brand" href="`+stage+`/index"`) {
			t.Errorf("%s: no link to /index (url_for(\"main.index\"), stand-in: %v) in:\n%s", label, standIn, html)
		}
	}
	user := func(name string) map[string]string { return map[string]string{"username": name} }

	// 1. The register page (auth): a CSRF token, links to the auth and main
	// features' pages; another feature's route reaching this function gets
	// the app's own 404 page (the errors Blueprint of the app package).
	r := authFn.invoke(t, []string{"GET /auth/register", "GET /explore (in AuthFunction)"}, []any{
		apiEvent(page("GET", "/auth/register", "/auth/register", nil, "", nil)),
		apiEvent(request{Method: "GET", Path: "/explore", Resource: "/{proxy+}", PathParams: map[string]string{"proxy": "explore"},
			Headers: map[string]string{"Accept": "text/html"}}),
	})
	resp := r[0].response(t)
	html := bodyString(t, r[0].label, resp, 200)
	token, cookie := csrf(r[0].label, html), sessionCookie(t, r[0].label, resp)
	wantLinks(t, r[0].label, html, stage+"/explore", stage+"/auth/login")
	mainIndexLink(r[0].label, html, true)
	html = bodyString(t, r[1].label, r[1].response(t), 404)
	if !strings.Contains(html, "<h1>Not Found</h1>") || !strings.Contains(html, `href="`+stage+`/auth/login"`) {
		t.Errorf("%s: not the app's 404 page:\n%s", r[1].label, html)
	}

	// 2. Registering writes the user; without the token the form is shown
	// again and nothing is written.
	reg := func(tok string) url.Values {
		v := url.Values{"username": {"susan"}, "email": {"susan@example.com"}, "password": {"cat"}, "password2": {"cat"}, "submit": {"Register"}}
		if tok != "" {
			v.Set("csrf_token", tok)
		}
		return v
	}
	r = authFn.invoke(t, []string{"POST /auth/register (no CSRF token)", "POST /auth/register"}, []any{
		apiEvent(page("POST", "/auth/register", "/auth/register", nil, cookie, reg(""))),
		apiEvent(page("POST", "/auth/register", "/auth/register", nil, cookie, reg(token))),
	})
	if html := bodyString(t, r[0].label, r[0].response(t), 200); !strings.Contains(html, "<h1>Register</h1>") {
		t.Errorf("%s: the form is not shown again:\n%s", r[0].label, html)
	}
	cookie = sessionCookie(t, r[1].label, redirect(r[1], stage+"/auth/login"))

	// 3. Log in: the flashed message of the previous response, then a
	// redirect to the main feature's index.
	r = authFn.invoke(t, []string{"GET /auth/login"}, []any{apiEvent(page("GET", "/auth/login", "/auth/login", nil, cookie, nil))})
	resp = r[0].response(t)
	html = bodyString(t, r[0].label, resp, 200)
	if !strings.Contains(html, "Congratulations, you are now a registered user!") {
		t.Errorf("%s: no flashed message:\n%s", r[0].label, html)
	}
	wantLinks(t, r[0].label, html, stage+"/auth/register", stage+"/auth/reset_password_request")
	token, cookie = csrf(r[0].label, html), sessionCookie(t, r[0].label, resp)
	login := func(password string) url.Values {
		return url.Values{"username": {"susan"}, "password": {password}, "csrf_token": {token}, "submit": {"Sign In"}}
	}
	r = authFn.invoke(t, []string{"POST /auth/login (wrong password)", "POST /auth/login"}, []any{
		apiEvent(page("POST", "/auth/login", "/auth/login", nil, cookie, login("dog"))),
		apiEvent(page("POST", "/auth/login", "/auth/login", nil, cookie, login("cat"))),
	})
	redirect(r[0], stage+"/auth/login")
	cookie = sessionCookie(t, r[1].label, mainIndex(r[1], true))

	// 4. The session opens the main feature's pages in its own function;
	// Flask-Login sends the anonymous to the auth feature's log-in page.
	r = mainFn.invoke(t, []string{"GET / (anonymous)", "GET /"}, []any{
		apiEvent(page("GET", "/", "/", nil, "", nil)),
		apiEvent(page("GET", "/", "/", nil, cookie, nil)),
	})
	redirect(r[0], stage+"/auth/login?next=%2Fdev%2F")
	html = bodyString(t, r[1].label, r[1].response(t), 200)
	if !strings.Contains(html, "Hi, susan!") {
		t.Errorf("%s: not susan's home page:\n%s", r[1].label, html)
	}
	wantLinks(t, r[1].label, html, stage+"/explore", stage+"/messages", stage+"/user/susan", stage+"/auth/logout", stage+"/search")
	mainIndexLink(r[1].label, html, false)
	token = csrf(r[1].label, html)

	// 5. A post, written to the shared database (langdetect runs on it).
	post := url.Values{"post": {"hello from a Lambda package"}, "csrf_token": {token}, "submit": {"Submit"}}
	r = mainFn.invoke(t, []string{"POST /"}, []any{apiEvent(page("POST", "/", "/", nil, cookie, post))})
	cookie = sessionCookie(t, r[0].label, mainIndex(r[0], false))
	r = mainFn.invoke(t, []string{"GET / (after posting)", "GET /user/susan", "GET /explore"}, []any{
		apiEvent(page("GET", "/", "/", nil, cookie, nil)),
		apiEvent(page("GET", "/user/susan", "/user/{username}", user("susan"), cookie, nil)),
		apiEvent(page("GET", "/explore", "/explore", nil, cookie, nil)),
	})
	for i, res := range r {
		html := bodyString(t, res.label, res.response(t), 200)
		if !strings.Contains(html, "hello from a Lambda package") {
			t.Errorf("%s: the post is not on the page:\n%s", res.label, html)
		}
		if i == 0 && !strings.Contains(html, "Your post is now live!") {
			t.Errorf("%s: no flashed message:\n%s", res.label, html)
		}
		if i == 1 {
			wantLinks(t, res.label, html, stage+"/edit_profile", stage+"/export_posts")
		}
	}

	// Search (Elasticsearch) and translation (Microsoft Translator) are left
	// out by configuration: ELASTICSEARCH_URL and MS_TRANSLATOR_KEY are unset,
	// and the app answers as upstream does without them.
	search := page("GET", "/search", "/search", nil, cookie, nil)
	search.Query = map[string]string{"q": "hello"}
	tr := jsonRequest("POST", "/translate", "/translate", map[string]any{"text": "hola", "source_language": "es", "dest_language": "en"},
		map[string]string{"Cookie": cookie})
	r = mainFn.invoke(t, []string{"GET /search?q=hello", "POST /translate"}, []any{apiEvent(search), apiEvent(tr)})
	html = bodyString(t, r[0].label, r[0].response(t), 200)
	if !strings.Contains(html, "<h1>Search Results</h1>") || strings.Contains(html, "hello from a Lambda package") {
		t.Errorf("%s: want an empty result page without Elasticsearch:\n%s", r[0].label, html)
	}
	_, body := r[1].expect(t, 200)
	wantField(t, r[1].label, body, "text", "Error: the translation service is not configured.")

	// 6. The API (its own function, token auth): a second user, a token for
	// susan, and susan's post count, written by MainFunction.
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("susan:cat"))
	r = apiFn.invoke(t, []string{"POST /api/users", "POST /api/tokens"}, []any{
		apiEvent(jsonRequest("POST", "/api/users", "/api/users", map[string]any{"username": "david", "email": "david@example.com", "password": "dog"}, nil)),
		apiEvent(request{Method: "POST", Path: "/api/tokens", Resource: "/api/tokens", Headers: map[string]string{"Authorization": basic}}),
	})
	resp, body = r[0].expect(t, 201)
	wantHeader(t, r[0].label, resp, "Location", stage+"/api/users/2")
	wantField(t, r[0].label, body, "username", "david")
	_, body = r[1].expect(t, 200)
	bearerToken := mustString(t, r[1].label, field(t, r[1].label, body, "token"))
	one := func(id string, headers map[string]string) request {
		return request{Method: "GET", Path: "/api/users/" + id, Resource: "/api/users/{id}", PathParams: map[string]string{"id": id}, Headers: headers}
	}
	r = apiFn.invoke(t, []string{"GET /api/users/1", "GET /api/users/99", "GET /api/users/1 (no token)"}, []any{
		apiEvent(one("1", bearer(bearerToken))), apiEvent(one("99", bearer(bearerToken))), apiEvent(one("1", nil)),
	})
	_, body = r[0].expect(t, 200)
	wantField(t, r[0].label, body, "username", "susan")
	wantField(t, r[0].label, body, "post_count", float64(1))
	if links, _ := body["_links"].(map[string]any); links == nil || links["followers"] != stage+"/api/users/1/followers" {
		t.Errorf("%s: _links %v, want followers /api/users/1/followers", r[0].label, body["_links"])
	}
	_, body = r[1].expect(t, 404)
	wantField(t, r[1].label, body, "error", "Not Found")
	_, body = r[2].expect(t, 401)
	wantField(t, r[2].label, body, "error", "Unauthorized")

	// 7. susan follows david (a form of the main feature), which the API
	// function then counts.
	r = mainFn.invoke(t, []string{"GET /user/david"}, []any{apiEvent(page("GET", "/user/david", "/user/{username}", user("david"), cookie, nil))})
	html = bodyString(t, r[0].label, r[0].response(t), 200)
	wantLinks(t, r[0].label, html, stage+"/follow/david", stage+"/send_message/david")
	follow := url.Values{"csrf_token": {csrf(r[0].label, html)}, "submit": {"Follow"}}
	r = mainFn.invoke(t, []string{"POST /follow/david"}, []any{apiEvent(page("POST", "/follow/david", "/follow/{username}", user("david"), cookie, follow))})
	redirect(r[0], stage+"/user/david")
	r = apiFn.invoke(t, []string{"GET /api/users/2"}, []any{apiEvent(one("2", bearer(bearerToken)))})
	_, body = r[0].expect(t, 200)
	wantField(t, r[0].label, body, "follower_count", float64(1))

	// 8. Log out (auth) ends the session for the main feature too.
	r = authFn.invoke(t, []string{"GET /auth/logout"}, []any{apiEvent(page("GET", "/auth/logout", "/auth/logout", nil, cookie, nil))})
	cookie = sessionCookie(t, r[0].label, mainIndex(r[0], true))
	r = mainFn.invoke(t, []string{"GET / (after logging out)"}, []any{apiEvent(page("GET", "/", "/", nil, cookie, nil))})
	redirect(r[0], stage+"/auth/login?next=%2Fdev%2F")

	// 9. main's @bp.before_app_request sets g.locale for every page of the
	// app (base.html hands it to moment.js). In the other features'
	// functions main is a stand-in, which carries no hooks: a known gap.
	es := page("GET", "/auth/login", "/auth/login", nil, "", nil)
	es.Headers["Accept-Language"] = "es"
	r = authFn.invoke(t, []string{"GET /auth/login (Accept-Language: es)"}, []any{apiEvent(es)})
	html = bodyString(t, r[0].label, r[0].response(t), 200)
	switch {
	case strings.Contains(html, `moment.locale("es")`):
	case strings.Contains(html, `moment.locale("")`):
		// The build warns about it (W05 at the hook): by design a stand-in
		// carries no code; the app would register the hook in its factory.
		gaps = append(gaps, r[0].label+`: main's @bp.before_app_request did not run in AuthFunction (main is a stand-in without its hooks; W05), so g.locale is unset and the page says moment.locale("")`)
	default:
		t.Errorf("%s: no moment.locale(...) in the page:\n%s", r[0].label, html)
	}

	// Known gaps of the tool on this app are reported, not failed: once
	// fixed, this subtest passes instead of skipping.
	t.Run("known gaps", func(t *testing.T) {
		if len(gaps) > 0 {
			t.Skipf("%d known gap(s) of deployless on this app:\n%s", len(gaps), strings.Join(gaps, "\n"))
		}
	})
}
