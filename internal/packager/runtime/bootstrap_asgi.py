# ---------------------------------------------------------------------------
# HTTP bootstrap for FastAPI (API Gateway REST v1 proxy events, via Mangum).
#
# bootstrap.py (generated per function) defines _CONFIG, then imports this
# module, the same in every package; _CONFIG is read back from it:
#   framework           "fastapi"
#   module              dotted path of the feature's routes module
#   routers             the feature's root routers, "module:variable" each: a
#                       fastapi.APIRouter or a fastapi.FastAPI each
#   factory             "module:function" of the app factory, or ""
#   app                 "module:variable" of a module-level FastAPI app, or ""
#                       (at most one of factory and app is set; with
#                       neither, the routers are served as described below)
#   init_app            dotted hooks called with the app at cold start
#   routes              [method, path] pairs the template sends here, the
#                       path as FastAPI writes it, prefixes applied
#   known_rules         every feature's paths (with a factory or an app)
#   cors, binary_media_types, base_path
#                       read by _deployless_apigw (bootstrap_apigw.py), as
#                       for Flask
# Once per cold start: the app is built, checked against the template, and
# its lifespan startup runs; every request is then served by Mangum with
# lifespan="off".
# ---------------------------------------------------------------------------
from _deployless_boot import CONFIG as _CONFIG
import asyncio as _asyncio
import atexit as _atexit
import importlib as _importlib
import os as _os
import re as _re
import sys as _sys


import fastapi as _fastapi  # noqa: E402
import fastapi.routing as _fastapi_routing  # noqa: E402
import starlette as _starlette  # noqa: E402
from mangum import Mangum as _Mangum  # noqa: E402
from mangum.protocols import LifespanCycle as _LifespanCycle  # noqa: E402
from starlette.applications import Starlette as _Starlette  # noqa: E402
from starlette.routing import Host as _Host  # noqa: E402
from starlette.routing import Mount as _Mount  # noqa: E402
from starlette.routing import Route as _Route  # noqa: E402
from starlette.routing import compile_path as _compile_path  # noqa: E402

from _deployless_apigw import make_handler as _make_handler  # noqa: E402

_FACTORY = _CONFIG.get("factory") or ""
_APP = _CONFIG.get("app") or ""
if _FACTORY and _APP:
    raise RuntimeError(
        "deployless bootstrap: both an app factory (%s) and an app (%s) are set;"
        " serve one of them" % (_FACTORY, _APP))
_MISSING = object()


def _attribute(key):
    module_name, _, var = key.partition(":")
    return module_name, var, getattr(_importlib.import_module(module_name), var, _MISSING)


def _router(key):
    """The APIRouter or FastAPI app a "module:var" key names."""
    module_name, var, router = _attribute(key)
    if not isinstance(router, (_fastapi.APIRouter, _fastapi.FastAPI)):
        raise RuntimeError(
            "deployless bootstrap: %s has no APIRouter or FastAPI app named %r"
            % (module_name, var))
    return router


def _check_app(app, what):
    # Starlette, not only FastAPI: a FastAPI app is one, and an author may
    # serve FastAPI routers from a plain Starlette app.
    if not isinstance(app, _Starlette):
        raise TypeError(
            "deployless bootstrap: %s is %s, not a FastAPI app" % (what, type(app).__name__))
    return app


def _call_factory(spec):
    module_name, function_name = spec.split(":")
    factory = getattr(_importlib.import_module(module_name), function_name)
    # Whatever the factory raises propagates: the function fails its cold
    # start with the traceback, never serves a bare app in its place.
    return _check_app(factory(), "what %s() returned" % spec)


# The feature's module first, as deployless read it: every module it imports
# has added its routes to the routers before the app includes them.
_importlib.import_module(_CONFIG["module"])
_ROOTS = [(key, _router(key)) for key in _CONFIG.get("routers") or ()]
if _FACTORY:
    # The app as its author wrote it: settings, middleware, exception
    # handlers, lifespan, dependency overrides, created once per cold start.
    app = _call_factory(_FACTORY)
elif _APP:
    _app_module, _app_var, app = _attribute(_APP)
    if app is _MISSING:
        raise RuntimeError(
            "deployless bootstrap: %s has no FastAPI app named %r" % (_app_module, _app_var))
    _check_app(app, _APP.replace(":", "."))
elif len(_ROOTS) == 1 and isinstance(_ROOTS[0][1], _fastapi.FastAPI):
    app = _ROOTS[0][1]  # the feature's own app, middleware and all
else:
    app = _fastapi.FastAPI()
    for _key, _root in _ROOTS:
        # A FastAPI root brings its routes (its .router); its middleware and
        # exception handlers stay its own, as include_router does anywhere.
        app.include_router(_root.router if isinstance(_root, _fastapi.FastAPI) else _root)

# init_app hooks (deployless.yaml), each called with the app, in order.
# Before the first call: Starlette builds its middleware stack then.
for _hook in _CONFIG.get("init_app") or ():
    _hook_module, _, _hook_name = _hook.rpartition(".")
    getattr(_importlib.import_module(_hook_module), _hook_name)(app)


# ---- the template and the served routes must agree ---------------------------

def _walk(routes, prefix="", mounted=False):
    """(path, methods, endpoint, mounted) for every HTTP route under routes.

    methods is None for a route that takes every method. FastAPI releases
    that include routers lazily (app.routes then holds the included routers,
    not copies of their routes) have fastapi.routing.iter_route_contexts to
    read the routes as served, prefixes applied; earlier ones copy the routes
    into app.routes. Mounts (sub-apps, static files) and hosts are walked too,
    under their path, and flagged."""
    contexts = getattr(_fastapi_routing, "iter_route_contexts", None)
    for item in (contexts(routes) if contexts is not None else routes):
        route = getattr(item, "original_route", item)
        path = getattr(item, "path", None)
        if isinstance(route, _Mount):
            for found in _walk(getattr(item, "routes", None) or (), prefix + (path or ""), True):
                yield found
        elif isinstance(route, _Host):
            for found in _walk(getattr(item, "routes", None) or (), prefix, True):
                yield found
        elif isinstance(route, _Route) and path is not None:
            # APIRoute is a Route; websocket routes are not (API Gateway's
            # REST APIs never send them).
            yield prefix + path, getattr(item, "methods", None), getattr(item, "endpoint", None), mounted


def _check_routes(app):
    """Every route the template sends here must be served by the app; with
    a factory or an app, every root router must be in it and the app must
    have no route that no feature declares, since no function would ever be
    sent its requests."""
    def ident(endpoint):  # an endpoint may be an unhashable callable object
        try:
            hash(endpoint)
        except TypeError:
            return id(endpoint)
        return endpoint

    served = {}
    endpoints = set()
    for path, methods, endpoint, _ in _walk(app.routes):
        served.setdefault(path, set()).update(methods if methods is not None else ("*",))
        if endpoint is not None:
            endpoints.add(ident(endpoint))

    def serves(method, path):
        methods = served.get(path, ())
        # GET implies HEAD: Starlette's Route adds HEAD itself, and _asgi()
        # below answers HEAD on FastAPI's GET-only routes.
        return "*" in methods or method in methods or (method == "HEAD" and "GET" in methods)

    if _FACTORY or _APP:
        what = "%s()" % _FACTORY if _FACTORY else _APP.replace(":", ".")
        for key, root in _ROOTS:
            for _, _, endpoint, _ in _walk(root.routes):
                if endpoint is not None and ident(endpoint) not in endpoints:
                    raise RuntimeError(
                        "deployless bootstrap: %s does not include router %s (its route"
                        " to %s is not served); its routes are in the template, so the"
                        " app must serve them"
                        % (what, key.replace(":", "."), getattr(endpoint, "__qualname__", endpoint)))
    missing = [
        "%s %s" % (method, path)
        for method, path in _CONFIG.get("routes") or ()
        if not serves(method, path)]
    if missing:
        raise RuntimeError(
            "deployless bootstrap: the app does not serve %s, which the template"
            " routes to this function (was a router included with another"
            " prefix?)" % ", ".join(missing))
    if _FACTORY or _APP:
        known = set(_CONFIG.get("known_rules") or ())
        # FastAPI's own pages (OpenAPI schema, Swagger UI, ReDoc) and mounts
        # (static files, sub-apps) are not the features' routes.
        own = set(filter(None, (getattr(app, name, None) for name in (
            "openapi_url", "docs_url", "redoc_url", "swagger_ui_oauth2_redirect_url"))))
        extra = sorted(set(
            path for path, _, _, mounted in _walk(app.routes)
            if not mounted and path not in known and path not in own))
        if extra:
            raise RuntimeError(
                "deployless bootstrap: %s adds routes that no feature declares,"
                " so API Gateway would never send them to any function: %s; define"
                " them on a feature's router" % (what, ", ".join(extra)))


_check_routes(app)


# ---- lifespan: startup once per cold start -------------------------------------
# Mangum's lifespan="auto" runs the app's startup and shutdown around every
# invocation (mangum issue #342), so what a lifespan builds (pools, clients)
# would be rebuilt per request. Instead Mangum's own LifespanCycle, in its
# "auto" mode (an app without lifespan support is served all the same),
# runs the startup here, once, on an event loop kept for the process: the
# lifespan task stays pending on it between invocations, and Mangum's
# asyncio.get_event_loop() finds the same loop for every request.
# A failed startup fails the cold start, the app's traceback in the message.
# The shutdown runs when the interpreter exits normally (local runs, tests);
# Lambda freezes and then ends its processes without that.
_loop = _asyncio.new_event_loop()
_asyncio.set_event_loop(_loop)
_lifespan = _LifespanCycle(app, "auto")
try:
    _lifespan.__enter__()
except BaseException as exc:
    # Mangum raises LifespanFailure(LifespanFailure(<the app's traceback as
    # text>)); the app's own exception is the context of the inner one (it
    # was being handled when Starlette reported the failure). Chain from it,
    # so the traceback shows the app's frames and the message its error.
    _cause = exc
    _inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    if _inner is not None and _inner.__context__ is not None:
        _cause = _inner.__context__
    raise RuntimeError(
        "deployless bootstrap: the app's lifespan startup failed: %s%s"
        % ("" if _cause is exc else type(_cause).__name__ + ": ", _cause)) from _cause


def _shutdown():
    if not _loop.is_closed():
        try:
            _lifespan.__exit__(None, None, None)
        finally:
            _loop.close()


_atexit.register(_shutdown)


# ---- per request ------------------------------------------------------------------
# The URLs the app builds (request.url_for, redirects, the OpenAPI servers of
# /docs) must carry the prefix the client sees and API Gateway removes before
# the event: the stage on the execute-api domain, or a custom domain's base
# path. Mangum leaves root_path empty, so _asgi() sets it per request (one
# request at a time per process, as Lambda runs them). Starlette 0.35 and
# later follow the ASGI spec: the path includes root_path, and routing takes
# root_path off it, so the path is prefixed too; before 0.35 the path went
# without it (0.33 and 0.34 route either way, but build request.url from
# root_path + path). Not when the app sets a root_path of its own
# (FastAPI(root_path=...)), which replaces the scope's.
_root_path = ""
_APP_ROOT_PATH = bool(getattr(app, "root_path", ""))
_version = _re.match(r"(\d+)\.(\d+)", _starlette.__version__)
_PATH_HAS_ROOT = _version is None or (int(_version.group(1)), int(_version.group(2))) >= (0, 35)


def _allows_get(message):
    for key, value in message.get("headers") or ():
        if bytes(key).lower() == b"allow":
            methods = set(m.strip().upper() for m in bytes(value).decode("latin-1").split(","))
            return "GET" in methods and "HEAD" not in methods
    return False


# API Gateway paths never end in "/" (the template drops the slash of a
# FastAPI path such as "/items/", the usual `@router.get("/")` under a
# prefix), and API Gateway passes the path as the client wrote it, with or
# without the slash. FastAPI answers a path that differs from its route's
# only by that slash with a 307 (redirect_slashes), which API Gateway would
# hand to the client, for every request: so the path is fitted to the routes
# the template sends here, the slash given or taken, as Flask's
# strict_slashes=False does for the Flask bootstrap.
_SLASHED, _UNSLASHED = [], []
for _method, _path in _CONFIG.get("routes") or ():
    (_SLASHED if len(_path) > 1 and _path.endswith("/") else _UNSLASHED).append(_compile_path(_path)[0])


def _fit_slash(path):
    def matches(regexes, p):
        return any(r.match(p) for r in regexes)
    if len(path) > 1 and path.endswith("/"):
        if not matches(_SLASHED, path) and matches(_UNSLASHED, path[:-1]):
            return path[:-1]
    elif not matches(_UNSLASHED, path) and matches(_SLASHED, path + "/"):
        return path + "/"
    return path


async def _asgi(scope, receive, send):
    if scope["type"] == "http":
        # The lifespan's state (Starlette's `yield {...}`), a shallow copy
        # per request as uvicorn gives it: request.state.
        scope["state"] = dict(_lifespan.lifespan_state)
        scope["path"] = _fit_slash(scope["path"])
        if _root_path and not _APP_ROOT_PATH:
            scope["root_path"] = _root_path
            if _PATH_HAS_ROOT:
                scope["path"] = _root_path + scope["path"]
        if scope["method"] == "HEAD":
            await _head(scope, receive, send)
            return
    await app(scope, receive, send)


async def _head(scope, receive, send):
    """HEAD without a body; as GET without the body where only GET is served.

    FastAPI's routes answer exactly their methods: a GET route answers HEAD
    with 405, where Starlette's Route (and Flask) serve it as a GET. The
    route check counts GET as serving HEAD, so a 405 whose Allow has GET but
    not HEAD is answered again as a GET, its body dropped."""
    original = dict(scope)  # routing adds keys to scope: retry on a clean copy
    retry = []

    async def bodiless(message):
        # A response to HEAD has no body, whoever answered it (an explicit
        # HEAD route, an error handler): its headers say what GET would send.
        if message["type"] == "http.response.body":
            message = dict(message, body=b"")
        await send(message)

    async def first(message):
        if message["type"] == "http.response.start" and message.get("status") == 405 \
                and _allows_get(message):
            retry.append(True)
        if not retry:
            await bodiless(message)

    await app(scope, receive, first)
    if not retry:
        return
    scope = dict(original, method="GET", state=dict(_lifespan.lifespan_state))
    sent = []

    async def again():
        # The request (HEAD has no body) once; then what Mangum says next
        # (http.disconnect once the response is complete).
        if not sent:
            sent.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        return await receive()

    await app(scope, again, bodiless)


# lifespan="off": the startup ran above. api_gateway_base_path stays "/":
# _deployless_apigw strips the base path (at a segment boundary, which
# Mangum's plain prefix test does not check), the same for every framework.
# Mangum base64-encodes every body whose Content-Type is none of its
# text_mime_types; _deployless_apigw then aligns that with the API's
# binary_media_types.
_mangum = _Mangum(_asgi, lifespan="off")


def _serve(event, context, public_prefix):
    global _root_path
    _root_path = public_prefix
    return _mangum(event, context)


handler = _make_handler(_CONFIG, _serve)
