# ---------------------------------------------------------------------------
# HTTP bootstrap (Flask on API Gateway REST v1 proxy events, via apig-wsgi).
#
# bootstrap.py (generated per function) defines _CONFIG, then imports this
# module, the same in every package (so it is compressed and compiled once
# per build, not once per function); _CONFIG is read back from it:
#   module              dotted path of the feature's routes module
#   blueprints          the root Flask Blueprints, "module:variable" each
#   cors                None, or {allow_origins, allow_methods, allow_headers,
#                       max_age, allow_credentials, preflight[, expose_headers]}
#   binary_media_types  MIME types answered base64-encoded ("type/*", "*/*" ok)
#   base_path           custom-domain base path to strip ("" or "/v1")
#   factory             "module:function" of the app factory, or "": then
#                       the blueprints are registered on a bare Flask app
#   init_app            dotted hooks called with the app at cold start
#   routes              [method, rule] pairs the template sends here
#   known_rules         every feature's rules (with a factory)
# ---------------------------------------------------------------------------
import json as _json  # noqa: F401 (kept for the body)
import sys as _sys_cfg

_CONFIG = (_sys_cfg.modules.get("bootstrap") or _sys_cfg.modules["__main__"])._CONFIG
import base64 as _base64
import binascii as _binascii
import importlib as _importlib
import os as _os
import sys as _sys

# The task root (bootstrap.py's folder; this module is in the dependency
# layer under /opt/python) comes first on sys.path, as Lambda puts it.
_HERE = _os.path.dirname(_os.path.abspath((_sys_cfg.modules.get("bootstrap") or _sys_cfg.modules["__main__"]).__file__))
if _HERE in _sys.path:
    _sys.path.remove(_HERE)
_sys.path.insert(0, _HERE)

import flask as _flask  # noqa: E402
from apig_wsgi import make_lambda_handler as _make_lambda_handler  # noqa: E402

_FACTORY = _CONFIG.get("factory") or ""


def _blueprint(key):
    """The Blueprint a "module:var" key names (the module that defines it)."""
    module_name, _, var = key.partition(":")
    bp = getattr(_importlib.import_module(module_name), var, None)
    if not isinstance(bp, _flask.Blueprint):
        raise RuntimeError(
            "deployless bootstrap: %s has no Blueprint named %r" % (module_name, var))
    return bp


def _call_factory(spec):
    module_name, function_name = spec.split(":")
    factory = getattr(_importlib.import_module(module_name), function_name)
    # Whatever the factory raises propagates: the function fails its cold
    # start with the traceback, never serves a bare app in its place.
    app = factory()
    if not isinstance(app, _flask.Flask):
        raise TypeError(
            "deployless bootstrap: %s() returned %s, not a Flask app"
            % (spec, type(app).__name__))
    return app


if _FACTORY:
    # The feature's module first, as deployless read it: every module it
    # imports has added its routes to the Blueprints before the factory
    # registers them. Then the app as its author wrote it: config,
    # extensions, error handlers, before_request hooks and middleware,
    # created once per cold start.
    _importlib.import_module(_CONFIG["module"])
    flask_app = _call_factory(_FACTORY)
    for _bp_key in _CONFIG.get("blueprints") or ():
        _bp = _blueprint(_bp_key)
        if _bp.name not in flask_app.blueprints:
            raise RuntimeError(
                "deployless bootstrap: %s() does not register Blueprint %s;"
                " its routes are in the template, so the app must serve them"
                % (_FACTORY, _bp_key.replace(":", ".")))
    # API Gateway paths never end in "/" (see below).
    flask_app.url_map.strict_slashes = False
    for _rule in flask_app.url_map.iter_rules():
        _rule.strict_slashes = False
else:
    _importlib.import_module(_CONFIG["module"])
    flask_app = _flask.Flask(__name__)
    # API Gateway paths never end in "/", so a Flask rule "/users/" (an
    # empty rule under a prefix ending in "/") must match "/users" without
    # the 308 redirect Flask would otherwise answer. Set before the
    # blueprints register.
    flask_app.url_map.strict_slashes = False
    for _bp_key in _CONFIG.get("blueprints") or ():
        flask_app.register_blueprint(_blueprint(_bp_key))

# init_app hooks (deployless.yaml), each called with the app, in order.
for _hook in _CONFIG.get("init_app") or ():
    _hook_module, _, _hook_name = _hook.rpartition(".")
    getattr(_importlib.import_module(_hook_module), _hook_name)(flask_app)


def _check_routes(app):
    """The template and the served routes must agree: every route the
    template sends here must be one of the app's rules, and (with a
    factory) the app must have no rule that no feature declares, since no
    function would ever be sent its requests."""
    rules = {}
    for rule in app.url_map.iter_rules():
        rules.setdefault(rule.rule, set()).update(rule.methods or ())
    missing = [
        "%s %s" % (method, rule)
        for method, rule in _CONFIG.get("routes") or ()
        if method not in rules.get(rule, ())]
    if missing:
        raise RuntimeError(
            "deployless bootstrap: the app does not serve %s, which the template"
            " routes to this function (was a Blueprint registered with another"
            " url_prefix?)" % ", ".join(missing))
    if _FACTORY:
        known = set(_CONFIG.get("known_rules") or ())
        static = app.static_url_path
        extra = sorted(
            r for r in rules
            if r not in known and not (static and r.startswith(static + "/")))
        if extra:
            raise RuntimeError(
                "deployless bootstrap: %s() adds routes that no feature declares,"
                " so API Gateway would never send them to any function: %s; define"
                " them on a feature's Blueprint" % (_FACTORY, ", ".join(extra)))


_check_routes(flask_app)

# binary_support=True: apig-wsgi base64-encodes every response whose
# Content-Type does not start with text/, application/json,
# application/problem+json or application/vnd.api+json, and every response
# that carries a Content-Encoding. _fix_binary() below then aligns that with
# the API's binary_media_types.
# The URLs the app builds (url_for, redirects) must carry the prefix the
# client sees and API Gateway removes before the event: the stage on the
# execute-api domain (https://abc.execute-api.us-east-1.amazonaws.com/dev/…),
# or a custom domain's base path. apig-wsgi leaves SCRIPT_NAME empty, so this
# middleware sets it per request (one request at a time per process, as
# Lambda runs them); Flask then routes on PATH_INFO and prefixes its URLs.
_script_name = ""


class _ScriptName(object):
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if _script_name:
            environ["SCRIPT_NAME"] = _script_name
        return self.app(environ, start_response)


flask_app.wsgi_app = _ScriptName(flask_app.wsgi_app)
_apig_handler = _make_lambda_handler(flask_app, binary_support=True)


def _normalize_base_path(value):
    value = (value or "").strip()
    if not value:
        return ""
    if not value.startswith("/"):
        value = "/" + value
    return value.rstrip("/")


_BASE_PATH = _normalize_base_path(_CONFIG.get("base_path"))
_BINARY_TYPES = tuple(
    str(t).replace("~1", "/").split(";")[0].strip().lower()
    for t in (_CONFIG.get("binary_media_types") or ())
    if t)
_CORS = _CONFIG.get("cors") or None
if _CORS:
    _ORIGINS = _CORS.get("allow_origins") or ()
    if isinstance(_ORIGINS, str):
        _ORIGINS = [_ORIGINS]
    _ORIGINS = [str(o).strip() for o in _ORIGINS]
    _WILDCARD = "*" in _ORIGINS
    _ORIGINS_LOWER = set(o.rstrip("/").lower() for o in _ORIGINS if o != "*")
    _CREDENTIALS = bool(_CORS.get("allow_credentials"))
    _PREFLIGHT = bool(_CORS.get("preflight"))
    _METHODS = ",".join(str(m).upper() for m in (_CORS.get("allow_methods") or ()))
    _HEADERS = ",".join(str(h) for h in (_CORS.get("allow_headers") or ()))
    _EXPOSE = ",".join(str(h) for h in (_CORS.get("expose_headers") or ()))
    _MAX_AGE = _CORS.get("max_age")
    # A wildcard cannot carry credentials (E04); should it happen anyway,
    # reflect the request origin like an explicit list would.
    _REFLECT = not _WILDCARD or _CREDENTIALS


# ---- event / response header helpers (case-insensitive, both forms) ------

def _event_header(event, name):
    name = name.lower()
    single = event.get("headers") or {}
    for key, value in single.items():
        if key.lower() == name and value is not None:
            return value
    multi = event.get("multiValueHeaders") or {}
    for key, values in multi.items():
        if key.lower() == name and values:
            return values[0] if isinstance(values, list) else values
    return None


def _response_header(response, name):
    name = name.lower()
    found = None
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name and values:
            found = values[-1] if isinstance(values, list) else values
    if found is None:
        for key, value in (response.get("headers") or {}).items():
            if key.lower() == name and value is not None:
                found = value
    return found


def _set_response_header(response, name, value):
    """Set one header, replacing any same-named header in any case.

    The value goes into multiValueHeaders when the response uses that form,
    else into headers, and is removed from the other form so API Gateway never
    merges two copies."""
    lower = name.lower()
    multi = response.get("multiValueHeaders")
    single = response.get("headers")
    if isinstance(multi, dict):
        for key in [k for k in multi if k.lower() == lower]:
            del multi[key]
        multi[name] = [value]
        if isinstance(single, dict):
            for key in [k for k in single if k.lower() == lower]:
                del single[key]
    else:
        if not isinstance(single, dict):
            single = response["headers"] = {}
        for key in [k for k in single if k.lower() == lower]:
            del single[key]
        single[name] = value


def _add_vary_origin(response):
    tokens = []
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == "vary":
            for v in (values if isinstance(values, list) else [values]):
                tokens.extend(t.strip() for t in str(v).split(","))
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == "vary" and value is not None:
            tokens.extend(t.strip() for t in str(value).split(","))
    tokens = [t for t in tokens if t]
    lowered = [t.lower() for t in tokens]
    if "origin" in lowered or "*" in lowered:
        return
    tokens.append("Origin")
    _set_response_header(response, "Vary", ", ".join(tokens))


# ---- CORS -----------------------------------------------------------------

def _allow_origin_value(origin):
    """The Access-Control-Allow-Origin value for this request, or None."""
    if _WILDCARD and not _REFLECT:
        return "*"
    if not origin:
        return None
    if _WILDCARD or origin.rstrip("/").lower() in _ORIGINS_LOWER:
        return origin
    return None


def _http_method(event):
    method = event.get("httpMethod")
    if not method:
        method = ((event.get("requestContext") or {}).get("http") or {}).get("method")
    return (method or "").upper()


def _preflight_response(event, origin):
    headers = {"Vary": "Origin"}
    allow = _allow_origin_value(origin)
    if allow is not None:
        headers["Access-Control-Allow-Origin"] = allow
        methods = _METHODS or _event_header(event, "access-control-request-method")
        if methods:
            headers["Access-Control-Allow-Methods"] = methods
        allow_headers = _HEADERS or _event_header(event, "access-control-request-headers")
        if allow_headers:
            headers["Access-Control-Allow-Headers"] = allow_headers
        if _MAX_AGE is not None:
            headers["Access-Control-Max-Age"] = str(_MAX_AGE)
        if _CREDENTIALS:
            headers["Access-Control-Allow-Credentials"] = "true"
    response = {"statusCode": 204, "body": "", "isBase64Encoded": False}
    if "multiValueHeaders" in event and "version" not in event:
        response["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
    else:
        response["headers"] = headers
    return response


def _add_cors(response, origin):
    if _response_header(response, "access-control-allow-origin") is not None:
        return  # the application answered CORS itself: leave it alone
    allow = _allow_origin_value(origin)
    if allow is not None:
        _set_response_header(response, "Access-Control-Allow-Origin", allow)
        if _CREDENTIALS:
            _set_response_header(response, "Access-Control-Allow-Credentials", "true")
        if _EXPOSE:
            _set_response_header(response, "Access-Control-Expose-Headers", _EXPOSE)
    if _REFLECT:
        # The answer depends on Origin (even when it is missing or not
        # allowed), so caches must key on it.
        _add_vary_origin(response)


# ---- binary bodies ----------------------------------------------------------

def _is_binary_type(content_type):
    media = (content_type or "").split(";")[0].strip().lower()
    if not media:
        return False
    for t in _BINARY_TYPES:
        if t == "*/*" or t == media:
            return True
        if t.endswith("/*") and media.startswith(t[:-1]):
            return True
    return False


def _fix_binary(response):
    body = response.get("body")
    if body is None:
        return
    if _is_binary_type(_response_header(response, "content-type")):
        if not response.get("isBase64Encoded"):
            response["body"] = _base64.b64encode(body.encode("utf-8")).decode("ascii")
            response["isBase64Encoded"] = True
        return
    if response.get("isBase64Encoded") and not _response_header(response, "content-encoding"):
        # Not a binary media type of the API: API Gateway would hand the
        # base64 text to the client as is. Send text when it is text.
        try:
            text = _base64.b64decode(body).decode("utf-8")
        except (ValueError, _binascii.Error, UnicodeDecodeError):
            return
        response["body"] = text
        response["isBase64Encoded"] = False


# ---- entry point --------------------------------------------------------------

def _strip_base_path(event):
    """The event without the custom domain's base path, and whether it had it."""
    if not _BASE_PATH:
        return event, False
    stripped = False
    for key in ("path", "rawPath"):
        path = event.get(key)
        if isinstance(path, str) and (
                path == _BASE_PATH or path.startswith(_BASE_PATH + "/")):
            event = dict(event)
            event[key] = path[len(_BASE_PATH):] or "/"
            stripped = True
    return event, stripped


def _public_prefix(event, stripped):
    """The prefix of the URL the client used, before the app's path."""
    if stripped:
        return _BASE_PATH
    ctx = event.get("requestContext") or {}
    domain = str(ctx.get("domainName") or _event_header(event, "host") or "").lower()
    stage = ctx.get("stage")
    if stage and ".execute-api." in domain and domain.endswith(".amazonaws.com"):
        return "/" + str(stage)
    return ""


def handler(event, context):
    global _script_name
    event, stripped = _strip_base_path(event)
    _script_name = _public_prefix(event, stripped)
    origin = _event_header(event, "origin") if _CORS else None
    if (_CORS and _PREFLIGHT and origin and _http_method(event) == "OPTIONS"
            and _event_header(event, "access-control-request-method")):
        return _preflight_response(event, origin)
    response = _apig_handler(event, context)
    _fix_binary(response)
    if _CORS:
        _add_cors(response, origin)
    return response
