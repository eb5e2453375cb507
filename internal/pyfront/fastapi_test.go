package pyfront

import (
	"strings"
	"testing"
	"testing/fstest"
)

// analyzeFiles analyzes a project of files and dumps its facts and sorted
// diagnostics (with notes).
func analyzeFiles(t *testing.T, files map[string]string) (*Project, string) {
	t.Helper()
	fsys := fstest.MapFS{}
	for p, src := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(src)}
	}
	proj, diags := Analyze(fsys, Options{FeaturesDir: "app/features"})
	var lines []string
	for _, d := range diags.Sorted() {
		lines = append(lines, d.String())
		for _, n := range d.Notes {
			lines = append(lines, "  note: "+n.Span.String()+": "+n.Message)
		}
	}
	return proj, featureDump(proj, strings.Join(lines, "\n"))
}

// TestFastAPIShapes pins what the front end reads of FastAPI's shapes:
// routers across the feature's modules, prefixes joined as FastAPI joins
// them (include_router's before the router's own), path convertors, the
// decorators and add_api_route, a split written above a FastAPI decorator,
// and every shape it refuses, with its position.
func TestFastAPIShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{{
		name: "nested routers across modules",
		files: map[string]string{
			"app/features/shop/routes.py": `import deployless as pc
from fastapi import APIRouter, Depends
from .items import items
from . import orders

router = APIRouter(prefix="/shop", tags=["shop"], dependencies=[Depends(lambda: 1)])

@router.get("/")
def index(): pass

@pc.route(memory=512)
@router.get("/files/{p:path}", name="file")
def files(p: str): pass

router.include_router(items, prefix="/v1")
router.include_router(orders.router)

@pc.cron("rate(1 hour)")
def refresh(event, context): pass
`,
			"app/features/shop/items.py": `from fastapi import APIRouter
items = APIRouter(prefix="/items")

@items.api_route("/{item_id:int}", methods=["GET", "HEAD", "put"])
async def item(item_id: int): pass

def delete_item(item_id: int): pass
items.add_api_route("/{item_id}", delete_item, methods=["DELETE"])
items.add_api_route("", list_items := None) if False else None
`,
			"app/features/shop/orders.py": `import fastapi
router = fastapi.APIRouter()

@router.post("/orders", status_code=201)
def create(): pass

@router.head("/orders")
def probe(): pass
`,
		},
		want: `feature shop
  blueprint router name="router" prefix="/shop" parent="" at app/features/shop/routes.py:6:10
  blueprint items name="items" prefix="/items" parent="router" at app/features/shop/items.py:2:9
  blueprint router name="router" prefix="" parent="router" at app/features/shop/orders.py:2:10
  route GET /shop/ /shop -> index (router) at app/features/shop/routes.py:8:2
  route GET /shop/files/{p:path} /shop/files/{p+} -> files (router) at app/features/shop/routes.py:12:2
  route GET,PUT /shop/v1/items/{item_id:int} /shop/v1/items/{item_id} -> item (app.features.shop.items:items) at app/features/shop/items.py:4:2
  route DELETE /shop/v1/items/{item_id} /shop/v1/items/{item_id} -> delete_item (app.features.shop.items:items) at app/features/shop/items.py:8:1
  route POST /shop/orders /shop/orders -> create (app.features.shop.orders:router) at app/features/shop/orders.py:4:2
  route HEAD /shop/orders /shop/orders -> probe (app.features.shop.orders:router) at app/features/shop/orders.py:7:2
  function route files call=route at app/features/shop/routes.py:13:5 routes=1
  function cron refresh call=cron at app/features/shop/routes.py:19:5 routes=0`,
	}, {
		name: "refused shapes",
		files: map[string]string{
			"app/features/bad/routes.py": `from fastapi import APIRouter, FastAPI
from .child import child
router = APIRouter(prefix="/bad/")
other = APIRouter(prefix="nope")
router.include_router(child)

@child.get("/late")
def late(): pass

@router.get("/a/{rest:path}/b")
def a(): pass

@router.get("/x{y}")
def b(): pass

@router.get("/{v:slug}")
def c(): pass

@router.websocket("/ws")
async def ws(): pass

router.mount("/static", None)
router.get("/stmt")

for p in ["/one", "/two"]:
    router.add_api_route(p, a)

def make():
    return APIRouter()

router.add_api_route("/lambda", lambda: 1)
router.include_router(child, prefix="/again")

@router.api_route("/m", methods=["TRACE"])
def m(): pass

@router.get
def bare(): pass
`,
			"app/features/bad/child.py": `from fastapi import APIRouter
child = APIRouter()
`,
		},
		want: `feature bad
  blueprint router name="router" prefix="" parent="" at app/features/bad/routes.py:3:10
  blueprint other name="other" prefix="" parent="" at app/features/bad/routes.py:4:9
  blueprint child name="child" prefix="" parent="router" at app/features/bad/child.py:2:9
  route GET /late /late -> late (app.features.bad.child:child) at app/features/bad/routes.py:7:2
app/features/bad/routes.py:3:27: E10 APIRouter prefix "/bad/" must not end with "/" (FastAPI refuses it at import)
app/features/bad/routes.py:4:26: E10 APIRouter prefix "nope" must start with "/" (FastAPI refuses it at import)
app/features/bad/routes.py:10:2: E34 {rest:path} must be the last segment of "/a/{rest:path}/b" (API Gateway's {rest+} is)
app/features/bad/routes.py:13:2: E34 segment "x{y}" of "/x{y}" mixes text and a path parameter, which API Gateway cannot route
app/features/bad/routes.py:16:2: E34 path convertor "slug" in "/{v:slug}" is not supported (use str, int, float, uuid or path)
app/features/bad/routes.py:19:2: E10 @router.websocket(...) adds a WebSocket route, which API Gateway's REST API cannot carry
app/features/bad/routes.py:22:1: E10 router.mount(...) adds a mounted app, whose routes deployless cannot see, so the template would have no path for them; serve its files from S3 or declare its routes on the router
app/features/bad/routes.py:23:1: E10 router.get(...) called as a statement registers nothing; use it as a decorator (@router.get(...)) or call add_api_route
app/features/bad/routes.py:26:5: E10 router.add_api_route(...) is inside a for loop: deployless reads routes without running the code, so it cannot know what this registers; write each registration at module level, with a literal path
app/features/bad/routes.py:29:12: E10 APIRouter(...) is inside the body of function make: deployless reads routers without running the code; define it at module level (router = APIRouter(...))
app/features/bad/routes.py:31:33: E10 add_api_route() endpoint must be a function's name; deployless cannot see which function this is (bind it to a name first)
app/features/bad/routes.py:32:1: E10 router child is included twice; deployless serves each router at one prefix (define a second router for the other)
  note: app/features/bad/routes.py:5:1: first include_router
app/features/bad/routes.py:34:34: E10 method TRACE is not one API Gateway routes
app/features/bad/routes.py:37:2: E10 @router.get without arguments: a route needs its path, @router.get("/path")`,
	}, {
		name: "mixed feature and empty FastAPI feature",
		files: map[string]string{
			"app/features/mix/routes.py":  "from flask import Blueprint\nfrom fastapi import APIRouter\nbp = Blueprint('b', __name__)\nrouter = APIRouter()\n@router.get('/x')\ndef x(): pass\n",
			"app/features/none/routes.py": "from fastapi import APIRouter\n",
		},
		want: `feature mix
  blueprint bp name="b" prefix="" parent="" at app/features/mix/routes.py:3:6
feature none
app/features/mix/routes.py:3:6: E10 Blueprint bp has no routes
app/features/mix/routes.py:4:10: E10 feature mix defines both a Flask Blueprint and a FastAPI router; a feature is one framework's (its functions serve one app): move one of them to its own feature
  note: app/features/mix/routes.py:3:6: the Blueprint
app/features/none/routes.py:1:1: E10 no Flask Blueprint or FastAPI APIRouter found: routes.py must define one (bp = Blueprint(...) or router = APIRouter(...)) with at least one route, or a @cron/@lambda_function`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			_, got := analyzeFiles(t, tc.files)
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestFastAPIApp: a module-level FastAPI app of the app package is found,
// its include_router prefixes apply to the features' root routers (added
// before the router's own), a route on the app itself is refused, and a
// factory's include_router prefixes are read from its body.
func TestFastAPIApp(t *testing.T) {
	feature := "from fastapi import APIRouter\nrouter = APIRouter(prefix=\"/items\")\n@router.get(\"/{id}\")\ndef one(id: int): pass\n"
	proj, got := analyzeFiles(t, map[string]string{
		"app/__init__.py": "",
		"app/main.py": `from fastapi import FastAPI
from app.features.items.routes import router as items_router
from app.features.tools import routes as tools
app = FastAPI(title="x")
app.include_router(items_router, prefix="/api")
app.include_router(tools.router, prefix="/t")

@app.get("/health")
def health(): pass
`,
		"app/features/items/routes.py": feature,
		"app/features/tools/routes.py": "from fastapi import FastAPI\nrouter = FastAPI()\n@router.get(\"/ping\")\ndef ping(): pass\n",
	})
	want := `feature items
  blueprint router name="router" prefix="/items" parent="" at app/features/items/routes.py:2:10
  route GET /api/items/{id} /api/items/{id} -> one (router) at app/features/items/routes.py:3:2
feature tools
  blueprint router name="router" prefix="" parent="" at app/features/tools/routes.py:2:10
  route GET /t/ping /t/ping -> ping (router) at app/features/tools/routes.py:3:2
app/main.py:8:2: E10 app.get(...) adds a route to the FastAPI app itself, which belongs to no feature, so no function would ever be sent its requests; define it on a feature's APIRouter (app/features/<name>/routes.py)`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if proj.App == nil || proj.App.Dotted() != "app.main.app" || proj.Factory != nil {
		t.Errorf("app = %v, factory = %v; want app.main.app and no factory", proj.App, proj.Factory)
	}

	proj, got = analyzeFiles(t, map[string]string{
		"app/__init__.py": `from fastapi import FastAPI

def create_app():
    from app.features.items.routes import router
    app = FastAPI()
    app.include_router(router, prefix="/v2")
    return app
`,
		"app/other.py":                 "from fastapi import FastAPI\nsecond = FastAPI()\n",
		"app/features/items/routes.py": feature,
	})
	want = `feature items
  blueprint router name="router" prefix="/items" parent="" at app/features/items/routes.py:2:10
  route GET /v2/items/{id} /v2/items/{id} -> one (router) at app/features/items/routes.py:3:2`
	if got != want {
		t.Errorf("factory: got:\n%s\nwant:\n%s", got, want)
	}
	if proj.Factory == nil || proj.Factory.Dotted() != "app.create_app" || proj.App != nil {
		t.Errorf("factory = %v, app = %v; want app.create_app and no app", proj.Factory, proj.App)
	}

	_, got = analyzeFiles(t, map[string]string{
		"app/__init__.py":              "from fastapi import FastAPI\napp = FastAPI()\n",
		"app/main.py":                  "from fastapi import FastAPI\napi = FastAPI()\n",
		"app/features/items/routes.py": feature,
	})
	if !strings.Contains(got, "app/main.py:2:1: E32 the app package defines more than one FastAPI app (app.app and app.main.api)") {
		t.Errorf("two apps: got:\n%s", got)
	}
}

// TestFastAPIGatheringRouter: FastAPI's "bigger applications" shape, an
// api_router of the app package that includes the features' routers and
// is included in the app with a prefix, would give the template paths
// without those prefixes; deployless refuses it at each call, and tells
// the factory's framework.
func TestFastAPIGatheringRouter(t *testing.T) {
	proj, got := analyzeFiles(t, map[string]string{
		"app/__init__.py": `import fastapi
from app.api import api_router


def create_app():
    app = fastapi.FastAPI()
    app.include_router(api_router, prefix="/api/v1")
    return app
`,
		"app/api.py": `from fastapi import APIRouter
from app.features.items.routes import router as items

api_router = APIRouter()
api_router.include_router(items, prefix="/items")
`,
		"app/features/items/routes.py": "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get(\"/\")\ndef index(): pass\n",
	})
	want := `feature items
  blueprint router name="router" prefix="" parent="" at app/features/items/routes.py:2:10
  route GET / / -> index (router) at app/features/items/routes.py:3:2
app/__init__.py:7:5: E10 the app includes app.api.api_router with prefix="/api/v1", but it is no feature's root router, so the template's paths would not carry the prefix; include each feature's router in the app itself, with its full prefix (app.include_router(items_router, prefix="/api/v1"))
app/api.py:5:1: E10 api_router.include_router(...) adds to api_router, a router of the app package, which belongs to no feature: its routes would be served by no function, and the features' routers it gathers would be served without its prefix; include each feature's router in the app itself, with its full prefix (app.include_router(items_router, prefix="/api/v1"))`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if proj.Factory == nil || proj.Factory.Framework != "fastapi" {
		t.Errorf("factory = %+v, want create_app making a FastAPI app", proj.Factory)
	}
	proj, _ = analyzeFiles(t, map[string]string{
		"app/__init__.py":              "from flask import Flask\n\ndef create_app():\n    return Flask(__name__)\n",
		"app/features/items/routes.py": "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get(\"/x\")\ndef x(): pass\n",
	})
	if proj.Factory == nil || proj.Factory.Framework != "flask" {
		t.Errorf("factory = %+v, want create_app making a Flask app", proj.Factory)
	}
}
