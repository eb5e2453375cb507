# ---------------------------------------------------------------------------
# Event bootstrap (@pc.cron and @pc.lambda_function functions).
#
# The generated header above this body defines _json and _CONFIG:
#   module    dotted path of the feature's routes module
#   function  name of the module-level function with the (event, context)
#             signature to call
# ---------------------------------------------------------------------------
import importlib as _importlib
import os as _os
import sys as _sys

_HERE = _os.path.dirname(_os.path.abspath(__file__))
if _HERE in _sys.path:
    _sys.path.remove(_HERE)
_sys.path.insert(0, _HERE)

_module = _importlib.import_module(_CONFIG["module"])  # noqa: F821
_function = getattr(_module, _CONFIG["function"], None)  # noqa: F821
if not callable(_function):
    raise RuntimeError(
        "deployless bootstrap: %s has no function named %r"
        % (_CONFIG["module"], _CONFIG["function"]))  # noqa: F821


def handler(event, context):
    return _function(event, context)
