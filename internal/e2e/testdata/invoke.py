"""Invoke a built deployless Lambda function locally, the way Lambda would.

Usage:  <venv>/bin/python -I -B invoke.py <task_root> [<path> ...]  < events.json

task_root  the function's code zip, extracted (Lambda's /var/task)
path       more sys.path entries, in order, after the task root: the
           dependency layers' <opt>/python (Lambda's /opt/python)

stdin   a JSON list of Lambda events.
stdout  exactly one JSON list, one entry per event, in order: the value
        bootstrap.handler(event, None) returned, or {"error": "<traceback>"}
        when it raised (or when bootstrap itself failed to import; then every
        entry carries that import traceback). Nothing else is ever written to
        stdout: whatever the package prints (print(), logging, C extensions
        writing to fd 1) goes to stderr.
exit    0 when the JSON list was written; 2 on bad usage or unreadable stdin.

Like the Lambda runtime, the task root is the working directory and the
first entry of sys.path, the paths come next; with -I nothing else but the
standard library and the interpreter's own (an empty venv's) site-packages
is importable. bootstrap must come from the task root.
"""
import decimal
import json
import os
import sys
import traceback


def _lambda_json_default(obj):
    # The Lambda Python runtime serialises Decimal (boto3's DynamoDB numbers).
    if isinstance(obj, decimal.Decimal):
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)


def _usage(msg):
    sys.stderr.write("invoke.py: %s\nusage: python -I -B invoke.py <task_root> [<path> ...] < events.json\n" % msg)
    sys.exit(2)


def setup(argv):
    """Check the arguments and enter the function as Lambda would: the task
    root is the working directory and sys.path[0], the other paths follow;
    whatever the function prints goes to stderr. Returns the real stdout,
    kept for results only."""
    if len(argv) < 2:
        _usage("expected the task root")
    task_root = os.path.abspath(argv[1])
    if not os.path.isfile(os.path.join(task_root, "bootstrap.py")):
        _usage("%s has no bootstrap.py" % task_root)
    paths = [os.path.abspath(p) for p in argv[2:]]
    for p in paths:
        if not os.path.isdir(p):
            _usage("%s is not a folder" % p)
    sys.stdout.flush()
    real_stdout = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    os.chdir(task_root)
    sys.path[0:0] = [task_root] + paths
    os.environ.setdefault("LAMBDA_TASK_ROOT", task_root)
    return real_stdout


def load_bootstrap():
    """Import bootstrap from the task root; returns (module, None) or
    (None, traceback)."""
    try:
        import bootstrap
        where = os.path.dirname(os.path.abspath(bootstrap.__file__))
        if where != sys.path[0]:
            raise ImportError("bootstrap was imported from %s, not from the task root %s" % (where, sys.path[0]))
    except BaseException:
        tb = traceback.format_exc()
        sys.stderr.write(tb)
        return None, tb
    return bootstrap, None


def call(bootstrap, import_error, event):
    """One invocation: the handler's JSON-round-tripped result, or
    {"error": traceback}. The round trip reports an unserialisable result for
    this event, as Lambda would."""
    if bootstrap is None:
        return {"error": import_error}
    try:
        result = bootstrap.handler(event, None)
        return json.loads(json.dumps(result, default=_lambda_json_default))
    except BaseException:
        tb = traceback.format_exc()
        sys.stderr.write(tb)
        return {"error": tb}


def write(real_stdout, value):
    sys.stderr.flush()
    real_stdout.write(json.dumps(value))
    real_stdout.write("\n")
    real_stdout.flush()


def main():
    real_stdout = setup(sys.argv)
    try:
        events = json.load(sys.stdin)
    except ValueError as exc:
        _usage("stdin is not JSON: %s" % exc)
    if not isinstance(events, list):
        _usage("stdin must be a JSON list of events")
    bootstrap, import_error = load_bootstrap()
    write(real_stdout, [call(bootstrap, import_error, event) for event in events])


if __name__ == "__main__":
    main()
