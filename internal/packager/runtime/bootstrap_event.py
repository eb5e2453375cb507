# ---------------------------------------------------------------------------
# Event bootstrap (@pc.cron and @pc.lambda_function functions).
#
# bootstrap.py (generated per function) defines _CONFIG, then imports this
# module, the same in every package (so it is compressed and compiled once
# per build, not once per function); _CONFIG is read back from it:
#   module    dotted path of the feature's routes module
#   function  name of the module-level function with the (event, context)
#             signature to call
#   factory   "module:function" of the app factory, or "": its app's
#             context is pushed around each call
#   init_app  dotted hooks called with that app at cold start
# ---------------------------------------------------------------------------
from _deployless_boot import CONFIG as _CONFIG
import importlib as _importlib
import os as _os
import sys as _sys


_FACTORY = _CONFIG.get("factory") or ""
_app = None
if _FACTORY:
    # The function runs inside the app's context, as a Flask CLI command
    # or a request would: extensions (a database session, config) work.
    _factory_module, _, _factory_name = _FACTORY.partition(":")
    _app = getattr(_importlib.import_module(_factory_module), _factory_name)()
for _hook in _CONFIG.get("init_app") or ():
    if _app is None:
        break
    _hook_module, _, _hook_name = _hook.rpartition(".")
    getattr(_importlib.import_module(_hook_module), _hook_name)(_app)

_module = _importlib.import_module(_CONFIG["module"])
_function = getattr(_module, _CONFIG["function"], None)
if not callable(_function):
    raise RuntimeError(
        "deployless bootstrap: %s has no function named %r"
        % (_CONFIG["module"], _CONFIG["function"]))


def handler(event, context):
    if _app is None:
        return _function(event, context)
    with _app.app_context():
        return _function(event, context)
