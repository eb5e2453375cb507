"""Invoke a built deployless Lambda package locally, the way Lambda would.

Usage:  <venv>/bin/python -I -B invoke.py <package_dir>  < events.json

stdin   a JSON list of Lambda events.
stdout  exactly one JSON list, one entry per event, in order: the value
        bootstrap.handler(event, None) returned, or {"error": "<traceback>"}
        when it raised (or when bootstrap itself failed to import; then every
        entry carries that import traceback). Nothing else is ever written to
        stdout: whatever the package prints (print(), logging, C extensions
        writing to fd 1) goes to stderr.
exit    0 when the JSON list was written; 2 on bad usage or unreadable stdin.

Like the Lambda runtime, the package dir is the working directory and the
first entry of sys.path; with -I nothing else but the interpreter's own
site-packages is importable.
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
    sys.stderr.write("invoke.py: %s\nusage: python -I -B invoke.py <package_dir> < events.json\n" % msg)
    sys.exit(2)


def main():
    if len(sys.argv) != 2:
        _usage("expected exactly one argument")
    package_dir = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(package_dir, "bootstrap.py")):
        _usage("%s has no bootstrap.py" % package_dir)
    try:
        events = json.load(sys.stdin)
    except ValueError as exc:
        _usage("stdin is not JSON: %s" % exc)
    if not isinstance(events, list):
        _usage("stdin must be a JSON list of events")

    # Keep the real stdout for the result only; send fd 1 and sys.stdout to
    # stderr while package code runs.
    sys.stdout.flush()
    real_stdout = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    os.chdir(package_dir)
    sys.path.insert(0, package_dir)
    os.environ.setdefault("LAMBDA_TASK_ROOT", package_dir)

    results = []
    try:
        import bootstrap
    except BaseException:
        tb = traceback.format_exc()
        sys.stderr.write(tb)
        results = [{"error": tb} for _ in events]
    else:
        for event in events:
            try:
                result = bootstrap.handler(event, None)
                # Round-trip now so an unserialisable result is reported for
                # this event, as Lambda would, instead of losing the batch.
                result = json.loads(json.dumps(result, default=_lambda_json_default))
            except BaseException:
                tb = traceback.format_exc()
                sys.stderr.write(tb)
                result = {"error": tb}
            results.append(result)

    sys.stderr.flush()
    real_stdout.write(json.dumps(results))
    real_stdout.write("\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
