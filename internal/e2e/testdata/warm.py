"""Drive one warm deployless Lambda package event by event.

Usage:  <venv>/bin/python -I -B warm.py <task_root> [<path> ...]

invoke.py takes the whole batch of events up front, so a later event cannot
use a value an earlier response generated (a random user_id, say). This
helper keeps one process -- one warm container, one in-memory store -- and
speaks line by line: each stdin line is one JSON event, each stdout line is
the JSON result of bootstrap.handler(event, None), or {"error": "<traceback>"}.
The environment is the same as invoke.py's (it reuses invoke.py's JSON
encoding): the task root is the working directory and sys.path[0], the
paths (the layers' <opt>/python) follow, and whatever the function prints
goes to stderr.
"""
import importlib.util
import json
import os
import sys

_spec = importlib.util.spec_from_file_location(
    "_deployless_invoke", os.path.join(os.path.dirname(os.path.abspath(__file__)), "invoke.py"))
_invoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_invoke)


def main():
    real_stdout = _invoke.setup(sys.argv)
    bootstrap, import_error = _invoke.load_bootstrap()
    for line in sys.stdin:
        if line.strip():
            _invoke.write(real_stdout, _invoke.call(bootstrap, import_error, json.loads(line)))


if __name__ == "__main__":
    main()
