"""Drive one warm deployless Lambda package event by event.

Usage:  <venv>/bin/python -I -B warm.py <package_dir>

invoke.py takes the whole batch of events up front, so a later event cannot
use a value an earlier response generated (a random user_id, say). This
helper keeps one process -- one warm container, one in-memory store -- and
speaks line by line: each stdin line is one JSON event, each stdout line is
the JSON result of bootstrap.handler(event, None), or {"error": "<traceback>"}.
The environment is the same as invoke.py's (it reuses invoke.py's JSON
encoding): the package dir is the working directory and sys.path[0], and
whatever the package prints goes to stderr.
"""
import importlib.util
import json
import os
import sys
import traceback

_spec = importlib.util.spec_from_file_location(
    "_deployless_invoke", os.path.join(os.path.dirname(os.path.abspath(__file__)), "invoke.py"))
_invoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_invoke)


def main():
    if len(sys.argv) != 2:
        _invoke._usage("expected exactly one argument")
    package_dir = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(package_dir, "bootstrap.py")):
        _invoke._usage("%s has no bootstrap.py" % package_dir)

    sys.stdout.flush()
    real_stdout = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    os.chdir(package_dir)
    sys.path.insert(0, package_dir)
    os.environ.setdefault("LAMBDA_TASK_ROOT", package_dir)

    try:
        import bootstrap
    except BaseException:
        bootstrap = None
        import_error = traceback.format_exc()
        sys.stderr.write(import_error)

    for line in sys.stdin:
        if not line.strip():
            continue
        if bootstrap is None:
            result = {"error": import_error}
        else:
            try:
                result = bootstrap.handler(json.loads(line), None)
                result = json.loads(json.dumps(result, default=_invoke._lambda_json_default))
            except BaseException:
                tb = traceback.format_exc()
                sys.stderr.write(tb)
                result = {"error": tb}
        sys.stderr.flush()
        real_stdout.write(json.dumps(result))
        real_stdout.write("\n")
        real_stdout.flush()


if __name__ == "__main__":
    main()
