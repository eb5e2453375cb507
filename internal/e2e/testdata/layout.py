"""Invoke a laid-out function like invoke.py, then report where its modules
came from.

Usage:  <venv>/bin/python -I -B layout.py <task_root> [<path> ...]  < events.json

stdin   a JSON list of Lambda events, run as invoke.py runs them.
stdout  one JSON object:
          results      invoke.py's list, one entry per event
          sys_path     sys.path after the import of bootstrap
          base_prefix  sys.base_prefix (the interpreter's standard library)
          prefix       sys.prefix (the empty venv)
          magic        importlib.util.MAGIC_NUMBER, hex
          dont_write_bytecode  sys.flags.dont_write_bytecode (-B)
          boto3        whether boto3 imports (it must not: nothing but the
                       task root, the layers and the standard library is
                       importable)
          modules      {name: {"file": __file__, "cached": __cached__}}
                       for every module of sys.modules with a __file__
                       once the events ran
          from_bytecode  the .pyc files the import system loaded code from
          from_source    the .py files it compiled instead (no usable .pyc)

Both lists come from the import system itself: before bootstrap is
imported, importlib's SourceLoader.source_to_code (called only when no
valid .pyc is found) and _compile_bytecode (called for a .pyc it accepts)
are wrapped to record their paths.
"""
import importlib.util
import json
import os
import sys

_spec = importlib.util.spec_from_file_location(
    "_deployless_invoke", os.path.join(os.path.dirname(os.path.abspath(__file__)), "invoke.py"))
_invoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_invoke)


def record_imports():
    """Wrap the import system's two ways of getting a module's code; returns
    the lists they fill."""
    ext = sys.modules["_frozen_importlib_external"]
    from_bytecode, from_source = [], []
    compile_bytecode = ext._compile_bytecode

    def _compile_bytecode(data, name=None, bytecode_path=None, source_path=None):
        from_bytecode.append(bytecode_path)
        return compile_bytecode(data, name, bytecode_path, source_path)

    ext._compile_bytecode = _compile_bytecode
    source_to_code = ext.SourceLoader.source_to_code

    def recording_source_to_code(self, data, path, *args, **kwargs):
        from_source.append(path)
        return source_to_code(self, data, path, *args, **kwargs)

    ext.SourceLoader.source_to_code = recording_source_to_code
    return from_bytecode, from_source


def main():
    real_stdout = _invoke.setup(sys.argv)
    events = json.load(sys.stdin)
    from_bytecode, from_source = record_imports()
    bootstrap, import_error = _invoke.load_bootstrap()
    results = [_invoke.call(bootstrap, import_error, event) for event in events]
    path = list(sys.path)
    modules = {}
    for name, module in sorted(sys.modules.items()):
        f = getattr(module, "__file__", None)
        if not isinstance(f, str) or name == "_deployless_invoke":
            continue
        modules[name] = {"file": f, "cached": getattr(module, "__cached__", None)}
    try:
        import boto3  # noqa: F401
        has_boto3 = True
    except ImportError:
        has_boto3 = False
    _invoke.write(real_stdout, {
        "results": results,
        "sys_path": path,
        "base_prefix": sys.base_prefix,
        "prefix": sys.prefix,
        "magic": importlib.util.MAGIC_NUMBER.hex(),
        "dont_write_bytecode": bool(sys.flags.dont_write_bytecode),
        "boto3": has_boto3,
        "modules": modules,
        "from_bytecode": from_bytecode,
        "from_source": from_source,
    })


if __name__ == "__main__":
    main()
