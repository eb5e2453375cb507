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
# cors, binary_media_types and base_path are read by _deployless_apigw
# (bootstrap_apigw.py), which wraps the app's answers for API Gateway the
# same way for every framework.
# ---------------------------------------------------------------------------
from _deployless_boot import CONFIG as _CONFIG
import importlib as _importlib
import os as _os
import sys as _sys


import flask as _flask  # noqa: E402
from apig_wsgi import make_lambda_handler as _make_lambda_handler  # noqa: E402

from _deployless_apigw import make_handler as _make_handler  # noqa: E402

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
# that carries a Content-Encoding. _deployless_apigw then aligns that with
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


def _serve(event, context, public_prefix):
    global _script_name
    _script_name = public_prefix
    return _apig_handler(event, context)


# Base path, CORS (preflight included) and binary bodies are the API
# Gateway's side, the same for every framework: _deployless_apigw.
handler = _make_handler(_CONFIG, _serve)
