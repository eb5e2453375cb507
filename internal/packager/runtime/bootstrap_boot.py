# ---------------------------------------------------------------------------
# What every bootstrap module (_deployless_http, _deployless_asgi,
# _deployless_event) does first, shipped as _deployless_boot.py in the
# dependency layer: read _CONFIG back from the generated bootstrap.py (the
# handler module Lambda imported, or __main__ when run as a script), and
# put the task root (bootstrap.py's folder) first on sys.path, as Lambda
# puts it, so the function's own modules win over the layer's.
# ---------------------------------------------------------------------------
import os as _os
import sys as _sys

_bootstrap = _sys.modules.get("bootstrap") or _sys.modules["__main__"]
CONFIG = _bootstrap._CONFIG

_here = _os.path.dirname(_os.path.abspath(_bootstrap.__file__))
if _here in _sys.path:
    _sys.path.remove(_here)
_sys.path.insert(0, _here)
