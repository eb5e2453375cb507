#!/usr/bin/env python3
"""Benchmark and compatibility driver: ours against the original Python deployless.

Run through bench/run.sh, which prepares bench/.work/ (the original tool's venv,
our binary, the floor tool) and then calls this script with the venv's Python.

Measures, on the same machine, with the two tools interleaved:
  1. build time (clean build: .dist/ and template.yaml moved aside before each run)
     on examples/ums-api and generated projects of 10, 50 and 200 features;
  2. ours: no-op rebuild and one-feature-change rebuild;
  3. cold-start proxy: fresh interpreter (-I -B) to the first response of
     bootstrap.handler for a GET, each package with its own requirements;
  4. package size per function;
  5. scaling of ours (time, peak RSS) beside the read, write and process floors;
and compares both templates into docs/compat.md.

Writes bench/RESULTS.md and docs/compat.md, and prints RESULTS.md.
"""

import argparse
import functools
import glob
import io
import itertools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen  # noqa: E402

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
VENV = WORK / "venv"
OURS = WORK / "deployless"
FLOOR = WORK / "floor"
ORIG = VENV / "bin" / "deployless"
UV = VENV / "bin" / "uv"
# Scratch folder for the projects, the original's bytecode cache and the cold-start venvs;
# main() points it at --workdir (default: bench/.work).
SCRATCH = WORK
EXAMPLE = REPO / "examples" / "ums-api"
TOOLS = ("orig", "ours")
TOOL_NAME = {"orig": "original 0.1.5", "ours": "ours"}
RUN_SH = "bash bench/run.sh"


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Processes and statistics
# ---------------------------------------------------------------------------


def tool_env(tool):
    env = dict(os.environ)
    if tool == "orig-nocache":
        # A project's first build: the project's modules compiled in memory, not cached (the
        # installed packages keep the bytecode pip compiled at install time).
        env.pop("PYTHONPYCACHEPREFIX", None)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    elif tool == "orig":
        # The original imports every routes.py. Let it cache bytecode as a user's
        # repeated builds would (warm, the favourable case for it), but outside the
        # project tree: it copies feature folders whole, __pycache__ included.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(SCRATCH / "pycache")
    if tool.startswith("ours"):
        # Ours builds the dependency layers with uv (the harness venv's) and bytecode with the
        # runtime's Python; both are found on PATH, as a user's would be. The layers, bytecode
        # and zips caches are warm for every run (bench/PACKAGING.md measures them cold).
        env["PATH"] = os.pathsep.join([str(VENV / "bin"), os.path.dirname(runtime_python()), env.get("PATH", "")])
    if tool == "ours":
        # Ours' parse cache (modules by content hash), likewise warmed by the untimed dry run
        # and kept outside the project.
        env["DEPLOYLESS_CACHE_DIR"] = str(SCRATCH / "ours-cache")
    elif tool == "ours-nocache":
        # A project's first build: every file parsed (with DEPLOYLESS_CACHE_DIR=off the layers,
        # bytecode and zips caches are the user's cache folder's).
        env["DEPLOYLESS_CACHE_DIR"] = "off"
    return env


def tool_cmd(tool):
    return [str(ORIG), "build"] if tool.startswith("orig") else [str(OURS), "build"]


def run_measured(cmd, cwd, env, logfile):
    """Run cmd in cwd; return (wall seconds, peak RSS in KiB of that process, exit code).

    Launched through `floor run`, a small Go process that times the command and reads its
    rusage: Linux folds the spawning process's memory into the child's peak RSS, so a child
    spawned straight from this (large) Python process would report at least our own RSS."""
    with open(logfile, "ab") as lf:
        lf.write(f"$ {' '.join(map(str, cmd))}   (cwd {cwd})\n".encode())
    out = subprocess.run([str(FLOOR), "run", str(logfile), *map(str, cmd)], cwd=cwd, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"bench: floor run failed: {out.stderr.strip()}")
    res = json.loads(out.stdout)
    return res["wall_s"], res["maxrss_kib"], res["exit"]


def slug(name):
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


# Nothing is deleted while the harness measures: on this VM's ext4 without a journal, the inode
# allocator skips every inode freed in the last 60 s (more while its inode-table block is dirty),
# so deleting a large tree right before a run slows the next run's file and folder creation.
# Outputs and scratch folders are renamed into a trash folder on the same filesystem instead
# (SCRATCH/trash on disk, <tmpfs root>/trash on tmpfs), emptied once all measurements are done.
_TRASH_SEQ = itertools.count()
TRASH_STAMP = WORK / "trash-emptied"  # time.time() at which the disk trash was last emptied
TRASH_WINDOW = 65  # seconds: ext4's 60 s window for recently freed inodes, plus a margin


def discard(path, trash):
    """Rename a file or folder into trash (same filesystem) under a unique name; no-op if missing."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return
    trash.mkdir(parents=True, exist_ok=True)
    path.rename(trash / f"{next(_TRASH_SEQ):06d}-{path.name}")


def empty_trash(trash):
    """Delete the disk trash, sync, and stamp the time at which the deletion finished."""
    if not trash.exists():
        return
    log(f"emptying {trash}")
    shutil.rmtree(trash, ignore_errors=True)
    os.sync()  # written out, the freed inodes' window is 60 s rather than 360 s
    TRASH_STAMP.write_text(f"{time.time()}\n")


def wait_after_trash():
    """Sleep until the last emptying of the disk trash is TRASH_WINDOW seconds old."""
    try:
        left = float(TRASH_STAMP.read_text()) + TRASH_WINDOW - time.time()
    except (OSError, ValueError):
        return
    if left > 0:
        log(f"the disk trash was emptied {TRASH_WINDOW - left:.0f} s ago: waiting {left:.0f} s for "
            f"ext4's window on recently freed inodes to pass")
        time.sleep(left)


def clean_outputs(proj, trash):
    discard(proj / ".dist", trash)
    discard(proj / "template.yaml", trash)
    os.sync()  # the renames must not be flushed inside the next timing


def stats(xs):
    xs = sorted(xs)
    return {"median": statistics.median(xs), "min": xs[0], "max": xs[-1], "n": len(xs),
            "all": xs}


def fmt_s(s):
    if s >= 10:
        return f"{s:.1f} s"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 0.1:
        return f"{s * 1000:.0f} ms"
    if s >= 0.01:
        return f"{s * 1000:.1f} ms"
    return f"{s * 1000:.2f} ms"


def fmt_stat(st):
    return f"{fmt_s(st['median'])} ({fmt_s(st['min'])}–{fmt_s(st['max'])})"


def fmt_bytes(n):
    if n >= 10 * 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MiB"
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} B"


def fmt_kib(kib):
    return f"{kib / 1024:.0f} MiB"


def cmd_out(cmd, **kw):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True, **kw).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        return f"unavailable ({e})"


# ---------------------------------------------------------------------------
# Machine and versions
# ---------------------------------------------------------------------------


def create_cost(d, trash=None, n=200):
    """Microseconds to create a folder and a 2 KiB file in it (a package's typical pattern),
    median of 5 batches of n, each in a fresh folder under d after a sync. The probe folders
    are moved into trash afterwards (deleted if trash is None: for tmpfs only)."""
    root = Path(d) / f".create-probe-{os.getpid()}"
    per = []
    for b in range(5):
        d = root / f"b{b}"
        d.mkdir(parents=True)
        os.sync()
        t0 = time.perf_counter()
        for i in range(n):
            sub = d / f"d{i}"
            sub.mkdir()
            fd = os.open(sub / "f.py", os.O_CREAT | os.O_WRONLY, 0o644)
            os.write(fd, b"#" * 2048)
            os.close(fd)
        per.append((time.perf_counter() - t0) / n * 1e6)
    if trash is None:
        shutil.rmtree(root, ignore_errors=True)
    else:
        discard(root, trash)
    return statistics.median(per)


def fs_type(path):
    out = cmd_out(["df", "-T", str(path)]).splitlines()
    return out[-1].split()[1] if len(out) > 1 else "unknown"


def journal_state(path):
    """'with a journal' or 'without a journal' for an ext4 path, None if unknown: the block
    device of path's filesystem has an entry in /proc/fs/jbd2/ (named <device>-<n>) or not."""
    try:
        st = os.stat(path)
        dev = Path(os.path.realpath(f"/sys/dev/block/{os.major(st.st_dev)}:{os.minor(st.st_dev)}")).name
        if not (Path("/proc/fs/ext4") / dev).is_dir():
            return None
        journals = [j.name for j in Path("/proc/fs/jbd2").iterdir()]
    except OSError:
        return None
    return "with a journal" if any(j.startswith(dev + "-") for j in journals) else "without a journal"


def disk_probe():
    shm = create_cost("/dev/shm") if os.access("/dev/shm", os.W_OK) else None
    return {"scratch": create_cost(SCRATCH, SCRATCH / "trash"), "shm": shm}


def machine_info():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    commit = cmd_out(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    # The harness's own outputs (RESULTS.md, compat.md) do not make the measured code dirty.
    dirty = cmd_out(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "--", ".",
                     ":(exclude)bench/RESULTS.md", ":(exclude)docs/compat.md"])
    freeze = cmd_out([str(VENV / "bin" / "python"), "-m", "pip", "freeze", "--disable-pip-version-check"])
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem": mem,
        "kernel": platform.release(),
        "fstype": fs_type(SCRATCH),
        "journal": journal_state(SCRATCH),
        "go": cmd_out(["go", "version"]),
        "python": platform.python_version(),
        "ours": cmd_out([str(OURS), "--version"]),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "orig": cmd_out([str(ORIG), "--version"]),
        "freeze": freeze,
    }


# ---------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------

IGNORE = shutil.ignore_patterns(".dist", "template.yaml", "__pycache__", "*.pyc")


def prepare_projects(sizes, root, trash):
    """One pristine copy of every project per tool under root/<name>/<tool>; a previous root
    is moved into trash."""
    if root.exists():
        log(f"moving previous {root} to {trash}")
        discard(root, trash)
    root.mkdir(parents=True)
    projects = {}
    for name in ["ums-api"] + [f"gen-{n}" for n in sizes]:
        src = root / name / "src"
        if name == "ums-api":
            shutil.copytree(EXAMPLE, src, ignore=IGNORE)
        else:
            gen.generate(src, int(name.split("-")[1]))
        projects[name] = {}
        for tool in TOOLS:
            dst = root / name / tool
            shutil.copytree(src, dst)
            projects[name][tool] = dst
    os.sync()
    return projects


# ---------------------------------------------------------------------------
# 1. Build time, interleaved
# ---------------------------------------------------------------------------


def bench_build(name, copies, trash, runs, logdir):
    """Clean builds of one project by both tools, interleaved run by run."""
    series = TOOLS + ("ours-nocache", "orig-nocache")
    res = {t: {"wall": [], "rss": []} for t in series}
    log(f"build {name}: warm-up (--dry-run) + {runs} interleaved runs per tool")
    for tool in TOOLS:
        # Untimed warm-up: page cache, the original's bytecode cache of every routes.py, ours' parse cache.
        _, _, rc = run_measured(tool_cmd(tool) + ["--dry-run"], copies[tool], tool_env(tool),
                                logdir / f"build-{slug(name)}-{tool}.log")
        if rc != 0:
            sys.exit(f"bench: {tool} dry run of {name} failed (exit {rc}); see {logdir}")
    for i in range(runs):
        for tool in (series[::-1] if i % 2 == 0 else series):
            proj = copies["orig" if tool.startswith("orig") else "ours"]
            clean_outputs(proj, trash)
            wall, rss, rc = run_measured(tool_cmd(tool), proj, tool_env(tool),
                                         logdir / f"build-{slug(name)}-{tool}.log")
            if rc != 0:
                sys.exit(f"bench: {tool} build of {name} failed (exit {rc}); see {logdir}")
            res[tool]["wall"].append(wall)
            res[tool]["rss"].append(rss)
            log(f"  {name} {tool} run {i + 1}: {fmt_s(wall)}")
    for tool in series:
        res[tool]["stat"] = stats(res[tool]["wall"])
        res[tool]["peak_rss"] = max(res[tool]["rss"])
    return res


# ---------------------------------------------------------------------------
# 2. Rebuilds (ours)
# ---------------------------------------------------------------------------

# The one-feature change: a configure() memory value toggled between two values,
# so every run sees a real change to one feature's routes.py (its packages and
# the template change, nothing else does).
CHANGE = {
    "ums-api": ("app/features/tenant/routes.py", "memory=256,", "memory=320,"),
    "gen": ("app/features/f000/routes.py", "memory=512,", "memory=768,"),
}


def bench_rebuild(name, copies, trash, runs, logdir):
    if True:
        proj = copies["ours"]
        clean_outputs(proj, trash)
        logf = logdir / f"rebuild-{slug(name)}.log"
        _, _, rc = run_measured(tool_cmd("ours"), proj, tool_env("ours"), logf)
        assert rc == 0
        tmpl = proj / "template.yaml"
        before = tmpl.stat().st_mtime_ns
        noop = []
        for _ in range(runs):
            wall, _, rc = run_measured(tool_cmd("ours"), proj, tool_env("ours"), logf)
            assert rc == 0
            noop.append(wall)
        untouched = tmpl.stat().st_mtime_ns == before
        rel, a, b = CHANGE["ums-api" if name.startswith("ums-api") else "gen"]
        src = proj / rel
        text = src.read_text()
        assert a in text, (name, rel, a)
        change = []
        for i in range(runs):
            cur = src.read_text()
            src.write_text(cur.replace(a, b, 1) if a in cur else cur.replace(b, a, 1))
            os.sync()
            wall, _, rc = run_measured(tool_cmd("ours"), proj, tool_env("ours"), logf)
            assert rc == 0
            change.append(wall)
        src.write_text(text)
        _, _, rc = run_measured(tool_cmd("ours"), proj, tool_env("ours"), logf)
        assert rc == 0
        res = {"noop": stats(noop), "change": stats(change), "noop_untouched": untouched, "change_file": rel}
        log(f"rebuild {name}: no-op {fmt_stat(res['noop'])}, change {fmt_stat(res['change'])}")
    return res


# ---------------------------------------------------------------------------
# 5. Floors
# ---------------------------------------------------------------------------


def floor(mode, path, n, *extra):
    out = subprocess.run([str(FLOOR), mode, str(path), str(n), *map(str, extra)], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def process_floor(cmd, runs):
    """Start-to-exit wall time of a command, launched like the builds (floor run)."""
    walls = [run_measured(cmd, WORK, dict(os.environ), WORK / "logs" / "process-floor.log")[0]
             for _ in range(runs)]
    return stats(walls)


def bench_floor(name, proj, trash, runs):
    res = {"read": floor("read", proj, runs),
           "write": floor("write", proj / ".dist", max(3, runs // 4), trash)}
    log(f"floors {name}: read {fmt_s(res['read']['median_s'])}, write {fmt_s(res['write']['median_s'])}")
    return res


# ---------------------------------------------------------------------------
# 4. Package sizes
# ---------------------------------------------------------------------------


def tree_size(d):
    files, size = 0, 0
    for p in d.rglob("*"):
        if p.is_file():
            files += 1
            size += p.stat().st_size
    return files, size


def zip_size(d):
    """Size of the deployment zip of a package folder (deflate level 6, fixed dates)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for p in sorted(d.rglob("*")):
            if p.is_file():
                info = zipfile.ZipInfo(str(p.relative_to(d)), date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, p.read_bytes())
    return len(buf.getvalue())


def zip_entries(z):
    """Files and unzipped bytes of a zip."""
    with zipfile.ZipFile(z) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
    return len(infos), sum(i.file_size for i in infos)


def dist_total(d):
    """Functions, files and bytes of a .dist/: folders (the original) or zips (ours: entries and
    unzipped bytes; the zips' own size is in `zip`)."""
    zips = sorted(d.glob("*.zip"))
    if zips:
        files = size = 0
        for z in zips:
            f, b = zip_entries(z)
            files, size = files + f, size + b
        return {"files": files, "bytes": size, "zip": sum(z.stat().st_size for z in zips),
                "functions": sum(1 for z in zips if not z.name.endswith("Layer.zip"))}
    files, size = tree_size(d)
    return {"files": files, "bytes": size, "functions": len(list(d.iterdir()))}


def package_size(name, copies, pairs):
    """Per-function sizes (every function of ums-api, feature f000's elsewhere) and .dist totals."""
    res = {"functions": [], "total": {}}
    for tool in TOOLS:
        res["total"][tool] = dist_total(copies[tool] / ".dist")
    for orig_id, ours_id in pairs:
        if name != "ums-api" and feature_of(orig_id or ours_id) != "F000":
            continue
        row = {"orig_id": orig_id, "ours_id": ours_id}
        for tool, fid in (("orig", orig_id), ("ours", ours_id)):
            d = copies[tool] / ".dist" / fid if fid else None
            z = copies[tool] / ".dist" / f"{fid}.zip" if fid else None
            if d and d.is_dir():
                files, size = tree_size(d)
                row[tool] = {"files": files, "bytes": size, "zip": zip_size(d)}
            elif z and z.is_file():
                files, size = zip_entries(z)
                row[tool] = {"files": files, "bytes": size, "zip": z.stat().st_size}
        res["functions"].append(row)
    return res


def _sam_translate():
    """The offline SAM transform the golden tests use (internal/compiler/testdata/sam_translate.py)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "sam_translate", REPO / "internal" / "compiler" / "testdata" / "sam_translate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def sam_resources(path):
    """Number of CloudFormation resources after the offline SAM transform, or the transform's error."""
    try:
        out = _sam_translate().transform_offline(load_template(path))
    except Exception as e:  # the transform rejects the template
        msg = " ".join(str(e).split())
        return {"error": msg[:160] + ("…" if len(msg) > 160 else "")}
    return {"count": len(out.get("Resources", {}))}


def stack_limit_warning(proj_tool):
    """The tool's own diagnostic about CloudFormation's 500-resource stack limit, if it prints one
    (`build --dry-run`, which writes nothing)."""
    tool = "ours" if proj_tool.name == "ours" else "orig"
    out = subprocess.run(tool_cmd(tool) + ["--dry-run"], cwd=proj_tool, env=tool_env(tool),
                         capture_output=True, text=True)
    for line in (out.stdout + out.stderr).splitlines():
        if "500" in line and "resource" in line.lower():
            return line.strip()
    return None


def cfn_lint(path):
    """cfn-lint findings of one template: {rule: count}."""
    p = subprocess.run([str(VENV / "bin" / "cfn-lint"), "--format", "parseable", str(path)],
                       capture_output=True, text=True)
    rules = {}
    for line in p.stdout.splitlines():
        parts = line.split(":")
        if len(parts) > 5 and re.fullmatch(r"[EWI]\d+", parts[5]):
            rules[parts[5]] = rules.get(parts[5], 0) + 1
    return dict(sorted(rules.items()))


# ---------------------------------------------------------------------------
# 3. Cold start proxy
# ---------------------------------------------------------------------------

CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
for i, p in enumerate(sys.argv[3:]):  # layers' python/, after the task root as in Lambda
    sys.path.insert(1 + i, p)
import bootstrap
r = bootstrap.handler(json.loads(sys.argv[2]), None)
sys.stdout.write(json.dumps({"statusCode": r.get("statusCode"), "body": str(r.get("body"))[:120]}) + "\n")
sys.stdout.flush()
"""

FLOOR_CHILD = r"""
import sys
sys.stdout.write("{}\n")
sys.stdout.flush()
"""


def rest_event(path, resource, path_params):
    headers = {"Host": "abc123.execute-api.us-east-1.amazonaws.com", "Accept": "application/json",
               "User-Agent": "deployless-bench", "X-Forwarded-Proto": "https", "X-Forwarded-Port": "443"}
    return {
        "resource": resource, "path": path, "httpMethod": "GET",
        "headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": path_params, "stageVariables": None,
        "requestContext": {"resourcePath": resource, "httpMethod": "GET", "path": "/dev" + path,
                           "stage": "dev", "requestId": "bench", "accountId": "123456789012",
                           "identity": {"sourceIp": "127.0.0.1", "userAgent": "deployless-bench"}},
        "body": None, "isBase64Encoded": False,
    }


COLD = [
    # (project, original's logical ID, ours, event)
    ("ums-api", "TenantFunction", "TenantFunction",
     rest_event("/tenants/t1/files/readme.txt", "/tenants/{tenant_id}/files/{key+}",
                {"tenant_id": "t1", "key": "readme.txt"})),
    ("gen-10", "F000Function", "F000Function", rest_event("/f000", "/f000", None)),
]


def strip_bytecode(d, trash):
    n = 0
    for p in list(d.rglob("__pycache__")):
        n += sum(1 for _ in p.glob("*.pyc"))
        discard(p, trash)
    return n


@functools.lru_cache(maxsize=None)
def runtime_python(version="3.13"):
    """The projects' runtime interpreter (python3.13): on PATH, else pyenv's, else uv's."""
    cands = [shutil.which("python" + version)]
    cands += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}")), reverse=True)
    for c in cands:
        if not c:
            continue
        r = subprocess.run([c, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True)
        if r.returncode == 0 and r.stdout.strip() == version:
            return c
    sys.exit(f"bench: no python{version} (the projects' runtime) on this machine")


def layer_zips(proj_dir, fid):
    """The .dist/ zips of the layers fid's template lists (Ref → LayerVersion → ContentUri)."""
    t = load_template(proj_dir / "template.yaml")
    res = t.get("Resources", {})
    out = []
    for l in (res.get(fid, {}).get("Properties", {}).get("Layers") or []):
        ref = l.get("Ref") if isinstance(l, dict) else None
        uri = res.get(ref, {}).get("Properties", {}).get("ContentUri") if ref else None
        if uri:
            out.append(proj_dir / uri)
    return out


def setup_cold(projects, trash):
    """One function per tool laid out to run as Lambda would, with the runtime's Python
    (python3.13) in an empty virtualenv: the original's package folder with its requirements.txt
    installed into the venv; ours' code zip extracted to a task root and its dependency layer
    zip extracted beside it (its python/ on the path, after the task root). Every .pyc is removed
    from both: this section compares the packages without bytecode (bench/PACKAGING.md measures
    ours with and without)."""
    root = SCRATCH / "coldstart"
    discard(root, trash)
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never")
    python = runtime_python()
    subjects = []
    for proj, orig_id, ours_id, event in COLD:
        if proj not in projects:
            continue
        for tool, fid in (("orig", orig_id), ("ours", ours_id)):
            base = root / f"{proj}-{fid}-{tool}"
            pkg = base / "pkg"
            venv = base / "venv"
            subprocess.run([str(UV), "venv", "-q", "--python", python, str(venv)], env=env, check=True)
            extra = []
            src = projects[proj][tool] / ".dist"
            if (src / f"{fid}.zip").is_file():
                with zipfile.ZipFile(src / f"{fid}.zip") as z:
                    z.extractall(pkg)
                for i, lz in enumerate(layer_zips(projects[proj][tool], fid)):
                    opt = base / f"opt{i}"
                    with zipfile.ZipFile(lz) as z:
                        z.extractall(opt)
                    extra.append(str(opt / "python"))
                reqs = sorted(p.name.split(".dist-info")[0].replace("-", "==", 1)
                              for e in extra for p in Path(e).glob("*.dist-info"))
                log(f"cold start: {tool} {proj}/{fid}: code zip + layer ({', '.join(reqs)})")
            else:
                shutil.copytree(src / fid, pkg)
                reqs = (pkg / "requirements.txt").read_text().split()
                log(f"cold start: venv for {tool} {proj}/{fid}: {reqs}")
                subprocess.run([str(UV), "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
                                "-r", str(pkg / "requirements.txt")], env=env, check=True)
            strip_bytecode(venv, trash)
            strip_bytecode(pkg, trash)
            for e in extra:
                strip_bytecode(Path(e), trash)
            freeze = subprocess.run([str(UV), "pip", "freeze", "--python", str(venv / "bin" / "python")],
                                    env=env, capture_output=True, text=True, check=True).stdout.split()
            subjects.append({"proj": proj, "fid": fid, "tool": tool, "pkg": pkg, "venv": venv, "extra": extra,
                             "event": event, "freeze": freeze, "requirements": reqs})
    return subjects


def cold_once(python, code, args, cwd):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"}
    t0 = time.perf_counter()
    p = subprocess.Popen([str(python), "-I", "-B", "-c", code, *args], cwd=cwd, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline()
    wall = time.perf_counter() - t0
    p.stdout.close()
    p.wait()
    return wall, line.decode().strip(), p.returncode


def bench_cold(subjects, runs):
    for s in subjects:
        s["walls"] = []
        s["bytecode_cached"] = sum(1 for _ in s["venv"].rglob("*.pyc")) + sum(1 for _ in s["pkg"].rglob("*.pyc"))
    groups = {}
    for s in subjects:
        groups.setdefault((s["proj"], s["fid"]), []).append(s)
    for i in range(runs):
        for _, pair in groups.items():
            for s in (pair if i % 2 == 0 else pair[::-1]):
                wall, line, rc = cold_once(s["venv"] / "bin" / "python", CHILD,
                                           [str(s["pkg"]), json.dumps(s["event"]), *s["extra"]], s["pkg"])
                resp = json.loads(line) if line else {}
                if str(resp.get("statusCode")) != "200":  # aws-wsgi answers the string "200"
                    sys.exit(f"bench: cold start of {s['tool']} {s['fid']} answered {line!r} (exit {rc})")
                s["walls"].append(wall)
                s["response"] = resp
    for s in subjects:
        s["stat"] = stats(s["walls"])
        log(f"cold start {s['tool']} {s['proj']}/{s['fid']}: {fmt_stat(s['stat'])}")
    interp = process_floor_cold(subjects[0], runs) if subjects else None
    return subjects, interp


def route_checks(subjects):
    """Invoke each cold-start package once per path its template routes, as API Gateway would send it."""
    checks = []
    wanted = {("ums-api", "TenantFunction"): [("/tenants/", "/tenants/"), ("/tenants", "/tenants")]}
    for s in subjects:
        for path, resource in wanted.get((s["proj"], s["fid"]), []):
            ev = rest_event(path, resource, None)
            _, line, _ = cold_once(s["venv"] / "bin" / "python", CHILD, [str(s["pkg"]), json.dumps(ev), *s["extra"]], s["pkg"])
            resp = json.loads(line) if line else {}
            checks.append({"tool": s["tool"], "fid": s["fid"], "path": path,
                           "status": str(resp.get("statusCode", "no response"))})
    return checks


def process_floor_cold(s, runs):
    walls = []
    for _ in range(runs):
        wall, _, _ = cold_once(s["venv"] / "bin" / "python", FLOOR_CHILD, [], s["pkg"])
        walls.append(wall)
    return stats(walls)


# ---------------------------------------------------------------------------
# Compatibility: both templates side by side
# ---------------------------------------------------------------------------


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that accepts CloudFormation short-form tags (!Ref, !GetAtt, !Sub...)."""


def _cfn_tag(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        val = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        val = loader.construct_sequence(node, deep=True)
    else:
        val = loader.construct_mapping(node, deep=True)
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    return {name: val}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_template(path):
    with open(path) as f:
        return yaml.load(f, Loader=CfnLoader)


def _ref_target(v):
    """The first logical ID a value refers to (Ref / Fn::GetAtt / Fn::Sub), else a literal."""
    if isinstance(v, dict):
        if "Ref" in v:
            return str(v["Ref"])
        if "Fn::GetAtt" in v:
            ga = v["Fn::GetAtt"]
            return str(ga[0] if isinstance(ga, list) else str(ga).split(".")[0])
        for x in v.values():
            t = _ref_target(x)
            if t:
                return t
    if isinstance(v, list):
        for x in v:
            t = _ref_target(x)
            if t:
                return t
    if isinstance(v, str):
        return v
    return None


def policy_sig(p):
    """A short, comparable name for one entry of a function's Policies."""
    if isinstance(p, dict) and "Statement" in p:
        sts = p["Statement"] if isinstance(p["Statement"], list) else [p["Statement"]]
        actions, target = set(), None
        for st in sts:
            a = st.get("Action", [])
            actions.update(a if isinstance(a, list) else [a])
            target = target or _ref_target(st.get("Resource"))
        return f"statement {{{', '.join(sorted(actions))}}} on {target}"
    if isinstance(p, dict) and len(p) == 1:
        name, arg = next(iter(p.items()))
        return f"{name}({_ref_target(arg) or ''})"
    return str(p)


def summarize_template(t):
    res = t.get("Resources", {})
    gfn = (t.get("Globals") or {}).get("Function") or {}
    genv = set(((gfn.get("Environment") or {}).get("Variables") or {}).keys())
    funcs, others = {}, {}
    for lid, r in res.items():
        if not isinstance(r, dict) or not str(r.get("Type", "")).startswith(("AWS::", "Custom::")):
            others[lid] = "(not a resource)"  # a key written at the wrong level
            continue
        if r.get("Type") != "AWS::Serverless::Function":
            others[lid] = r.get("Type")
            continue
        p = r.get("Properties") or {}
        events, schedules = set(), []
        for ev in (p.get("Events") or {}).values():
            ep = ev.get("Properties") or {}
            if ev.get("Type") == "Api":
                events.add((str(ep.get("Method", "")).upper(), ep.get("Path")))
            elif ev.get("Type") == "Schedule":
                schedules.append(ep.get("Schedule"))
        env = set(((p.get("Environment") or {}).get("Variables") or {}).keys())
        funcs[lid] = {
            "events": events, "schedules": sorted(schedules), "env": genv | env,
            "memory": p.get("MemorySize", gfn.get("MemorySize")),
            "timeout": p.get("Timeout", gfn.get("Timeout")),
            "policies": sorted({policy_sig(x) for x in (p.get("Policies") or [])}),
        }
    return {"functions": funcs, "resources": others, "globals_env": genv}


def _norm_path(p):
    return (p or "").rstrip("/").replace("+}", "}") or "/"


def match_functions(orig, ours):
    """Pairs (orig_id, ours_id): same logical ID first, then same events or schedules."""
    common = set(orig) & set(ours)
    pairs = [(lid, lid) for lid in sorted(common)]
    left_o, left_u = set(orig) - common, set(ours) - common

    def sig(f):
        return {(m, _norm_path(p)) for m, p in f["events"]} | {("SCHEDULE", s) for s in f["schedules"]}

    for o in sorted(left_o):
        best, score = None, 0
        for u in sorted(left_u):
            s = len(sig(orig[o]) & sig(ours[u]))
            if s > score:
                best, score = u, s
        if best:
            pairs.append((o, best))
            left_u.discard(best)
        else:
            pairs.append((o, None))
    for u in sorted(left_u):
        pairs.append((None, u))
    return pairs


def feature_of(lid):
    m = re.search(r"F(\d{3})", lid or "")
    return m.group(0) if m else None


def pattern(text):
    """Collapse generated feature numbers so one difference repeated per feature groups."""
    text = re.sub(r"F\d{3}", "F###", text)
    text = re.sub(r"f\d{3}", "f###", text)
    return text


SPLIT_DOT = re.compile(r"^[A-Za-z0-9]+\.[A-Za-z0-9]+Function")


def classify(kind, fn_kind, orig_val, ours_val):
    """(classification, explanation) for one difference; unknown ones are flagged."""
    if kind == "function-id" and orig_val and ours_val and SPLIT_DOT.match(orig_val):
        return ("original bug fixed",
                "the original names a `@pc.route` split after its Flask endpoint (`blueprint.function`), so "
                "the logical ID contains a dot. CloudFormation logical IDs must be alphanumeric: cfn-lint "
                "reports E3001 and the SAM transform refuses the template (\"Logical ids must be "
                "alphanumeric\", see the summary), so it cannot be deployed. Ours uses Pascal(python "
                "function name) + `Function` (SPEC.md §4).")
    if kind == "resource-id" and fn_kind == "stray":
        return ("original bug fixed",
                "a `pc.SSMParameter` in `resources=`: the original merges the parameter's `Type` and "
                "`Properties` straight into `Resources` (no logical ID) while the env var `Ref`s a parameter "
                "that does not exist: an invalid template (cfn-lint errors, see the summary). Ours writes "
                "the parameter under its logical ID (SPEC.md §4).")
    if kind == "resource-id" and isinstance(orig_val, str) and ours_val and SPLIT_DOT.match(orig_val):
        return ("original bug fixed", "the split's log group carries the split's invalid logical ID in the "
                "original (same cause as the function).")
    if kind == "resource-id" and isinstance(orig_val, str) and ours_val and orig_val.endswith("DLQueue"):
        return ("gap of ours",
                "the dead-letter queue of `pc.SQS(..., dlq=True)`: the original names it `<Name>DLQueue`, ours "
                "`<Name>DeadLetterQueue` (our README; neither the seed nor SPEC.md names it). Same resource, "
                "but a stack deployed with the original would have CloudFormation replace the DLQ, and drop "
                "the messages in it, on its first deploy with ours. Keep the original's ID.")
    if kind == "resource-id" and isinstance(orig_val, str) and ours_val and orig_val.endswith("KeyAlias"):
        return ("gap of ours",
                "the alias of `pc.KMS(alias=...)`: the original names it `<Name>KeyAlias`, ours `<Name>Alias` "
                "(our README; neither the seed nor SPEC.md names it). A stack deployed with the original has "
                "the alias replaced on its first deploy with ours (harmless for the key itself). Keep the "
                "original's ID.")
    if kind == "resource-id" and fn_kind == "AWS::DynamoDB::Table" and orig_val and not ours_val:
        return ("gap of ours",
                "auto-detection: a `pc.DynamoDB` declared at module level in the feature (or imported into "
                "its routes.py) but not listed in `resources=`. The original 0.1.5 creates it, injects its "
                "env var and grants CRUD on it (`1 auto-detected` in its verbose output); ours drops it "
                "silently: no table, no env var, no policy, no warning. The seed documents only "
                "`resources=`, SPEC.md is silent; at least a warning is due, or the original's behaviour.")
    if kind == "event" and orig_val and ours_val and orig_val[0] == ours_val[0]:
        o, u = orig_val[1], ours_val[1]
        if o.endswith("/") and o.rstrip("/") == u:
            return ("original bug fixed",
                    "Flask's rule is `prefix/` (route `\"/\"` under a url_prefix). The original writes the "
                    "trailing slash into the API Gateway path; SAM then deploys a Lambda permission that does "
                    "not match the resource and the route answers 500 (aws/serverless-application-model#665). "
                    "Ours routes the prefix itself, and its bootstrap turns off Flask's strict slashes so the "
                    "rule still matches (the harness checks: see \"Routes answered\" below).")
        if "+}" in u and u.replace("+}", "}") == o:
            return ("SPEC.md decision (§2)",
                    "`<path:key>` becomes the greedy `{key+}` (last segment only). The original writes `{key}`, "
                    "which API Gateway matches for one segment only, so a request whose rest has a `/` (as "
                    "`<path:>` is meant for) never reaches Flask: an original bug as well.")
    if kind == "event" and orig_val and not ours_val:
        return ("original bug fixed",
                "a nested blueprint (`parent.register_blueprint(child)`) that is also a module-level name: "
                "the original registers every module-level Blueprint at the root as well, so it adds the "
                "child's routes without the parent's prefix, a route the app never serves. Ours follows "
                "`register_blueprint` (SPEC.md §2).")
    if kind == "env" and orig_val and not ours_val and fn_kind == "http":
        return ("gap of ours",
                "auto-detection (see the table in Resources): the env var of a resource the feature declares "
                "but does not list in `resources=`; the original injects it, ours does not.")
    if (kind == "policies" and orig_val and ours_val
            and all(x.startswith("SSMParameterReadPolicy(") for x in orig_val + ours_val)):
        return ("original bug fixed",
                "the read grant on a `pc.SSMParameter`: the original passes `Ref` of the parameter, i.e. its "
                "name with the leading `/`, and SAM's template builds `…:parameter/${ParameterName}`, so the "
                "grant names `parameter//probe/db/host` and reading the parameter is denied "
                "(aws/serverless-application-model#1112). Ours passes the name without the leading slash.")
    if kind == "policies" and orig_val and not ours_val and all(x.startswith("statement {kms:") for x in orig_val):
        return ("original bug fixed",
                "the original 0.1.5 grants kms:Encrypt/Decrypt/GenerateDataKey/DescribeKey on every key a "
                "function receives, although its README says the Lambda does NOT have permissions to use the "
                "key by default and must be granted them with `policies=`; ours follows the README.")
    if kind == "policies" and orig_val and not ours_val:
        return ("gap of ours",
                "the original 0.1.5 adds a CRUD-level policy for every resource a function receives (listed "
                "in `resources=` or auto-detected); ours grants only `policies=`. A project that relied on "
                "the implicit grants gets AccessDenied after switching.")
    if kind == "env" and ours_val and not orig_val:
        names = ", ".join(f"`{n}`" for n in ours_val)
        if fn_kind == "split":
            return ("SPEC.md decision (§3); original bug fixed",
                    f"a `@pc.route` split inherits everything of its feature. The original gives the split no "
                    f"`Environment` at all, so {names} (the feature's resource env vars and `env=`) are missing "
                    f"and the split's code cannot find its table or bucket.")
        if fn_kind == "cron":
            return ("SPEC.md decision (§3)",
                    f"a `@pc.cron` inherits the feature's env as well as its resource env vars; the original "
                    f"gives a cron only the env vars of the resources it finds in the module, so {names} "
                    f"(the feature's `env=`) is missing.")
    if kind == "policies" and fn_kind == "split" and ours_val and not orig_val:
        return ("SPEC.md decision (§3); original bug fixed",
                "the split inherits its feature's policies; the original's split has no `Policies`, so its "
                "role cannot reach the feature's table or bucket.")
    return ("UNCLASSIFIED", "not explained yet: investigate (possibly a gap of ours).")


def compare(orig_t, ours_t):
    o, u = summarize_template(orig_t), summarize_template(ours_t)
    pairs = match_functions(o["functions"], u["functions"])
    rows, diffs = [], []

    def add(kind, fn_kind, where, ov, uv):
        cls, why = classify(kind, fn_kind, ov, uv)
        diffs.append({"kind": kind, "where": where, "orig": ov, "ours": uv, "class": cls, "why": why})

    renamed = {}
    for oid, uid in pairs:
        fo = o["functions"].get(oid) if oid else None
        fu = u["functions"].get(uid) if uid else None
        f = fu or fo
        # In these projects a function with API events that the tools name differently is a
        # @pc.route split (a feature function is Pascal(feature) + Function in both).
        if f["schedules"]:
            fn_kind = "cron"
        elif not f["events"]:
            fn_kind = "standalone"
        else:
            fn_kind = "http" if oid and oid == uid else "split"
        rows.append((oid, uid, fo, fu, fn_kind))
        where = uid or oid
        if oid != uid:
            add("function-id", fn_kind, where, oid, uid)
            if oid and uid:
                renamed[oid] = uid
        if not (fo and fu):
            continue
        only_o, only_u = sorted(fo["events"] - fu["events"]), sorted(fu["events"] - fo["events"])
        for ev in list(only_o):  # the same route with a different path form is one difference
            match = [x for x in only_u if x[0] == ev[0] and _norm_path(x[1]) == _norm_path(ev[1])]
            if match:
                add("event", fn_kind, where, ev, match[0])
                only_o.remove(ev)
                only_u.remove(match[0])
        for ev in only_o:
            add("event", fn_kind, where, ev, None)
        for ev in only_u:
            add("event", fn_kind, where, None, ev)
        if fo["schedules"] != fu["schedules"]:
            add("schedule", fn_kind, where, fo["schedules"], fu["schedules"])
        if fo["env"] - fu["env"]:
            add("env", fn_kind, where, sorted(fo["env"] - fu["env"]), None)
        if fu["env"] - fo["env"]:
            add("env", fn_kind, where, None, sorted(fu["env"] - fo["env"]))
        for key in ("memory", "timeout"):
            if fo[key] != fu[key]:
                add(key, fn_kind, where, fo[key], fu[key])
        po, pu = set(fo["policies"]), set(fu["policies"])
        ssm_o = {x for x in po - pu if x.startswith("SSMParameterReadPolicy(")}
        ssm_u = {x for x in pu - po if x.startswith("SSMParameterReadPolicy(")}
        if ssm_o and ssm_u:  # the same grant written two ways is one difference
            add("policies", fn_kind, where, sorted(ssm_o), sorted(ssm_u))
            po, pu = po - ssm_o, pu - ssm_u
        kms = sorted(x for x in po - pu if x.startswith("statement {kms:"))
        if kms:
            add("policies", fn_kind, where, kms, None)
        if po - pu - set(kms):
            add("policies", fn_kind, where, sorted(po - pu - set(kms)), None)
        if pu - po:
            add("policies", fn_kind, where, None, sorted(pu - po))
    ro, ru = o["resources"], u["resources"]
    only_o = {k: v for k, v in ro.items() if k not in ru}
    only_u = {k: v for k, v in ru.items() if k not in ro}
    for lid in sorted(set(ro) & set(ru)):
        if ro[lid] != ru[lid]:
            add("resource-type", None, lid, ro[lid], ru[lid])
    # Keys the original wrote straight under Resources (no logical ID) pair with ours' SSM parameters.
    stray = sorted(k for k, v in only_o.items() if v == "(not a resource)")
    if stray:
        ssm = sorted(k for k, v in only_u.items() if v == "AWS::SSM::Parameter")
        add("resource-id", "stray", ", ".join(ssm) or "Resources", stray, ssm or None)
        for k in stray:
            del only_o[k]
        for k in ssm:
            del only_u[k]
    for lid in sorted(only_o):
        # A resource named after a renamed function (its log group) is one rename, and so are
        # the original's names for a queue's DLQ and a key's alias.
        base = next((oid for oid in renamed if lid.startswith(oid) and lid != oid), None)
        twin = renamed[base] + lid[len(base):] if base else None
        if lid.endswith("DLQueue"):
            twin = lid[: -len("DLQueue")] + "DeadLetterQueue"
        elif lid.endswith("KeyAlias"):
            twin = lid[: -len("KeyAlias")] + "Alias"
        if twin in only_u and ro[lid] == only_u[twin]:
            add("resource-id", ro[lid], twin, lid, twin)
            del only_u[twin]
        else:
            add("resource-id", ro[lid], lid, lid, None)
    for lid in sorted(only_u):
        add("resource-id", ru[lid], lid, None, lid)
    return {"o": o, "u": u, "pairs": pairs, "rows": rows, "diffs": diffs}


def fmt_events(evs):
    return "<br>".join(f"{m} {p}" for m, p in sorted(evs, key=lambda e: (e[1], e[0]))) or "—"


def fmt_env(names):
    return ", ".join(sorted(names)) or "—"


def fmt_val(v):
    if v is None:
        return "—"
    if isinstance(v, tuple):
        return f"`{v[0]} {v[1]}`"
    if isinstance(v, list):
        return ", ".join(f"`{x}`" for x in v) or "—"
    return f"`{v}`"


def compat_side_by_side(c, lines, only_feature=None):
    lines.append("| function (original) | function (ours) | API events (original) | API events (ours) | "
                 "schedule (orig / ours) | env var names (original) | env var names (ours) | "
                 "memory, timeout, policies (orig / ours) |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for oid, uid, fo, fu, _ in c["rows"]:
        if only_feature and feature_of(uid or oid) != only_feature:
            continue
        so = ", ".join(fo["schedules"]) if fo else "—"
        su = ", ".join(fu["schedules"]) if fu else "—"
        sched = "—" if so == su == "" else (so or "—") if so == su else f"{so or '—'} / {su or '—'}"
        mo = f"{fo['memory']}, {fo['timeout']}, {len(fo['policies'])}" if fo else "—"
        mu = f"{fu['memory']}, {fu['timeout']}, {len(fu['policies'])}" if fu else "—"
        lines.append(
            f"| {oid or '—'} | {uid or '—'} | {fmt_events(fo['events']) if fo else '—'} | "
            f"{fmt_events(fu['events']) if fu else '—'} | {sched} | "
            f"{fmt_env(fo['env']) if fo else '—'} | {fmt_env(fu['env']) if fu else '—'} | "
            f"{mo if mo == mu else f'{mo} / {mu}'} |")


def compat_resources(c, lines, only_feature=None):
    """Resources side by side; with only_feature, that feature's and the project-level ones."""
    ro, ru = c["o"]["resources"], c["u"]["resources"]
    lines.append("| resource (original) | resource (ours) | type |")
    lines.append("|---|---|---|")
    for lid in sorted(set(ro) | set(ru), key=lambda x: (x not in ru, x)):
        if only_feature and feature_of(lid) not in (None, only_feature):
            continue
        typ = ru.get(lid) or ro.get(lid)
        if lid in ro and lid in ru and ro[lid] != ru[lid]:
            typ = f"{ro[lid]} / {ru[lid]}"
        lines.append(f"| {lid if lid in ro else '—'} | {lid if lid in ru else '—'} | {typ} |")


def compat_diff_list(c, lines, grouped):
    if not c["diffs"]:
        lines.append("No differences.")
        return
    if grouped:
        groups = {}
        for d in c["diffs"]:
            key = (d["kind"], pattern(d["where"] or ""), pattern(fmt_val(d["orig"])),
                   pattern(fmt_val(d["ours"])), d["class"], pattern(d["why"]))
            groups.setdefault(key, 0)
            groups[key] += 1
        lines.append("| # | what | where | original | ours | count | classification | why |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for i, ((kind, where, ov, uv, cls, why), n) in enumerate(groups.items(), 1):
            lines.append(f"| {i} | {kind} | {where} | {ov} | {uv} | {n} | **{cls}** | {why} |")
    else:
        lines.append("| # | what | where | original | ours | classification | why |")
        lines.append("|---|---|---|---|---|---|---|")
        for i, d in enumerate(c["diffs"], 1):
            lines.append(f"| {i} | {d['kind']} | {d['where']} | {fmt_val(d['orig'])} | {fmt_val(d['ours'])} | "
                         f"**{d['class']}** | {d['why']} |")


def counts(s):
    f = s["functions"]
    return {"functions": len(f), "API events": sum(len(x["events"]) for x in f.values()),
            "schedules": sum(len(x["schedules"]) for x in f.values()),
            "resources (non-function)": len(s["resources"]),
            "distinct env var names": len(set().union(*(x["env"] for x in f.values())) if f else set())}


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------


def write_compat(comps, results, info, cmdline, path):
    L = []
    L.append("# Compatibility with the original Python deployless")
    L.append("")
    L.append(f"Generated by `{cmdline}` (bench/bench.py) on {info['date']}: ours "
             f"(`{info['ours']}`, commit {info['commit']}) and the original "
             f"(`{info['orig']}`, from PyPI, run as a black box in `bench/.work/venv`) built the same "
             "projects; this page compares the two `template.yaml` files. Do not edit by hand: rerun the "
             "harness.")
    L.append("")
    L.append("Compared: functions (logical IDs), API events (method + path), schedules, environment "
             "variable names per function (Globals included), memory/timeout/number of policies, and every "
             "other resource (logical ID + type). Functions are paired by logical ID, else by their events "
             "or schedule. Every difference is listed and classified as **original bug fixed**, "
             "**SPEC.md decision (§n)** (`../shared/SPEC.md`) or **gap of ours**; anything the harness "
             "cannot explain is printed as **UNCLASSIFIED**.")
    L.append("")
    L.append("Projects: `examples/ums-api`; `bench/gen.py` projects of N features (the benchmark's), each "
             "feature with five routes (GET/POST `/fNNN`, GET/PUT/DELETE `/fNNN/<item_id>`), a `@pc.route` "
             "split (POST `/fNNN/export`), a `@pc.cron`, a `pc.DynamoDB` table and a `pc.S3` bucket in "
             "`resources=`, two policies and one `env=` variable; and `probes` (`bench/gen.py`, compared "
             "only, not timed): every resource kind in `resources=` (SQS with a DLQ, KMS with an alias, "
             "SSMParameter, S3, DynamoDB), a `@pc.lambda_function`, route forms (`<int:>`, `<path:>`, "
             "`<uuid:>`, `add_url_rule`, two methods on one rule, a nested blueprint), a cron in a feature "
             "with `env=`, and a table the feature declares but does not list in `resources=`.")
    L.append("")
    L.append("## Summary")
    L.append("")
    L.append("| project | functions (orig / ours) | API events | schedules | resources | differences | unclassified | cfn-lint findings: original | cfn-lint findings: ours | resources after the SAM transform (orig / ours) |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")

    def fmt_sam(x):
        if "count" in x:
            return f"{x['count']:,}"
        bad = sorted(re.findall(r"Exception\('([^']*)', '([^']*)'\)", x["error"]))
        if bad:
            return f"transform fails: {bad[0][1]} (`{bad[0][0]}`{', …' if len(bad) > 1 else ''})"
        return f"transform fails: {x['error']}"


    def fmt_lint(rules):
        return ", ".join(f"{k} × {v}" for k, v in rules.items()) or "none"

    for name, c in comps.items():
        co, cu = counts(c["o"]), counts(c["u"])
        unc = sum(1 for d in c["diffs"] if d["class"] == "UNCLASSIFIED")
        lint = results["lint"][name]
        L.append(f"| {name} | {co['functions']} / {cu['functions']} | {co['API events']} / {cu['API events']} | "
                 f"{co['schedules']} / {cu['schedules']} | {co['resources (non-function)']} / "
                 f"{cu['resources (non-function)']} | {len(c['diffs'])} | {unc} | {fmt_lint(lint['orig'])} | "
                 f"{fmt_lint(lint['ours'])} | {fmt_sam(results['sam'][name]['orig'])} / "
                 f"{fmt_sam(results['sam'][name]['ours'])} |")
    L.append("")
    L.append("cfn-lint (the harness venv's, default rules) on each `template.yaml`: in the original's, "
             "E3001/E6001 are the split's logical ID (and its log group's and output's) containing a dot, "
             "W3011 a `DeletionPolicy` without the matching `UpdateReplacePolicy` (ours writes both, as its "
             "README states), and the probes' other errors come from the stray SSM parameter (see probes). "
             "E3010/E6010 (both tools, largest project): more than 500 resources / 200 outputs in the "
             "template as written.")
    L.append("")
    sam = results["sam"]
    pts = sorted((int(n.split("-")[1]), sam[n]["ours"]["count"]) for n in sam
                 if n.startswith("gen-") and "count" in sam[n]["ours"])
    if len(pts) >= 2:
        (n0, c0), (n1, c1) = pts[0], pts[-1]
        per = (c1 - c0) / (n1 - n0)
        base = c0 - per * n0
        limit = int((500 - base) // per)
        warned = results.get("limit_warning", {})
        over = [n for n in sam if "count" in sam[n]["ours"] and sam[n]["ours"]["count"] > 500]
        ours_w = [n for n in over if (warned.get(n) or {}).get("ours")]
        orig_w = [n for n in over if (warned.get(n) or {}).get("orig")]
        text = (f"**Deployability.** CloudFormation accepts at most 500 resources per stack, counted after "
                f"the SAM transform, which adds a role per function and a Lambda permission per API event: "
                f"ours' templates hold {per:.0f} resources per generated feature (+{base:.0f}), so a single "
                f"stack of this shape stops deploying past {limit} features (over the limit here: "
                f"{', '.join(over) or 'none'}). cfn-lint counts the template as written and flags "
                f"{', '.join(n for n in results['lint'] if 'E3010' in results['lint'][n]['ours']) or 'none of them'}. ")
        if over and set(ours_w) == set(over):
            text += (f"Ours warns at build time on each of them (`{warned[over[0]]['ours']}`); "
                     f"the original {'does too' if set(orig_w) == set(over) else 'says nothing'}.")
        else:
            text += ("**Gap of ours:** ours says nothing at build time"
                     f"{' on ' + ', '.join(sorted(set(over) - set(ours_w))) if ours_w else ''}, nor does "
                     "the original; a diagnostic on the transformed count (or a split into nested stacks) "
                     "is missing.")
        text += " The 50- and 200-feature projects are timing subjects, not deployable stacks."
        L.append(text)
        L.append("")
    if results.get("routes"):
        L.append("Routes answered: ums-api's `TenantFunction` of each tool, invoked with the REST event API "
                 "Gateway sends for the index route under both path forms (same venvs as the cold-start "
                 "runs of bench/RESULTS.md):")
        L.append("")
        L.append("| tool | GET path | status |")
        L.append("|---|---|---|")
        for ch in results["routes"]:
            L.append(f"| {TOOL_NAME[ch['tool']]} | `{ch['path']}` | {ch['status']} |")
        L.append("")
    all_cls = {}
    for c in comps.values():
        for d in c["diffs"]:
            all_cls[d["class"]] = all_cls.get(d["class"], 0) + 1
    for k in ("original bug fixed", "gap of ours", "UNCLASSIFIED"):
        all_cls.setdefault(k, 0)
    L.append("Differences by classification (all projects; one per function, resource or event that "
             "differs): " + ", ".join(f"{k}: {v}" for k, v in sorted(all_cls.items())) +
             ". The deployability gap above is not a difference between the tools and is not counted.")
    L.append("")
    for name, c in comps.items():
        gen_proj = name.startswith("gen-")
        L.append(f"## {name}")
        L.append("")
        if gen_proj:
            L.append("Every feature produces the same shape, so the side-by-side tables show feature `f000` "
                     "(and the project-level resources); the difference list covers the whole project, "
                     "grouped by pattern (`###` = any feature number) with the number of occurrences.")
            L.append("")
        L.append("### Functions")
        L.append("")
        compat_side_by_side(c, L, only_feature="F000" if gen_proj else None)
        L.append("")
        L.append("### Resources")
        L.append("")
        compat_resources(c, L, only_feature="F000" if gen_proj else None)
        L.append("")
        L.append("### Differences")
        L.append("")
        compat_diff_list(c, L, grouped=gen_proj)
        L.append("")
    L.append("## Not compared")
    L.append("")
    L.append("Outside the list above the templates also differ in form, which this page does not compare: "
             "event logical IDs, `Description` texts (the original also copies a cron's description onto its "
             "`Schedule` event), where `Handler` is written (ours: `Globals`), the `EndpointConfiguration` "
             "form, Outputs (named after the function IDs; ours' `ApiUrl` uses `${AWS::URLSuffix}`), and the "
             "packages' contents (bench/RESULTS.md §4: the original ships a stub `routes.py` of every other "
             "feature in every package).")
    L.append("")
    L.append("See [migrating.md](migrating.md) for what a stack first deployed with the original keeps when "
             "ours deploys over it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(L))


def speed_table(L, builds, PK, floors=None):
    head = ("| project | functions | original | ours | speedup (median) | speedup (worst: orig min / ours max) "
            "| first build: original | first build: ours | first-build speedup (median) |")
    sep = "|---|---|---|---|---|---|---|---|---|"
    if floors:
        head += " ours' write floor here |"
        sep += "---|"
    L.append(head + " runs |")
    L.append(sep + "---|")
    for name, b in builds.items():
        so, su = b["orig"]["stat"], b["ours"]["stat"]
        nf = PK[name]["total"]["ours"]["functions"]
        oc, uc = b["orig-nocache"]["stat"], b["ours-nocache"]["stat"]
        row = (f"| {name} | {nf} | {fmt_stat(so)} | {fmt_stat(su)} | **{so['median'] / su['median']:.1f}×** | "
               f"{so['min'] / su['max']:.1f}× | {fmt_stat(oc)} | {fmt_stat(uc)} | "
               f"**{oc['median'] / uc['median']:.1f}×** |")
        if floors:
            row += f" {fmt_s(floors[name]['write']['median_s'])} |"
        L.append(row + f" {su['n']} |")
    L.append("")


def write_results(r, info, cmdline, path, elapsed):
    L = []
    D, T, PK, CS = r["disk"], r.get("tmpfs"), r["packages"], r["cold"]
    L.append("# Benchmark: ours vs the original Python deployless")
    L.append("")
    L.append(f"Generated by `{cmdline}` (bench/run.sh → bench/bench.py) on {info['date']}; "
             f"the whole harness took {elapsed / 60:.1f} min. Do not edit by hand: rerun the harness.")
    L.append("")
    L.append("## Machine and versions")
    L.append("")
    L.append(f"- CPU: {info['cpu']}, `nproc` = {info['nproc']}; memory {info['mem']}; "
             f"Linux {info['kernel']}")
    L.append(f"- ours: `{info['ours']}`, commit {info['commit']}, {info['go']}")
    L.append(f"- original: `{info['orig']}` (PyPI `deployless==0.1.5`), Python {info['python']}")
    L.append("- harness venv (`bench/.work/venv`): " + ", ".join(f"`{x}`" for x in info["freeze"].split()))
    p0, p1 = r["probe_start"], r["probe_end"]
    where = os.path.relpath(r["scratch"], REPO) if r["scratch"].startswith(str(REPO)) else r["scratch"]
    fs = info["fstype"] + (f" {info['journal']}" if info.get("journal") else "")
    L.append(f"- disk: projects built in `{where}/projects` ({fs} on the VM's virtual disk); "
             f"creating a folder with a 2 KiB file in it took {p0['scratch']:.0f} µs at the start of the "
             f"harness and {p1['scratch']:.0f} µs at the end" +
             (f"; {p0['shm']:.0f} µs on tmpfs (`/dev/shm`)" if p0.get("shm") else ""))
    L.append("")
    L.append("The original imports every `routes.py`, so it runs in a virtualenv with Flask 3.1.3 (what "
             "the projects pin) and its own dependencies (click, PyYAML). It may cache bytecode as a user's "
             "repeated builds would (`PYTHONPYCACHEPREFIX` outside the project, warmed by an untimed "
             "`build --dry-run`), the favourable case for it. Ours needs nothing but its binary.")
    L.append("")
    L.append("Projects: `examples/ums-api` (3 features, 5 functions) and `bench/gen.py` projects of N "
             "features, each with five routes, a `@pc.route` split, a `@pc.cron`, a DynamoDB table, an S3 "
             "bucket, policies and env (3 functions per feature). Each tool builds its own copy.")
    L.append("")

    L.append("## 1. Build time (clean build)")
    L.append("")
    L.append("`deployless build` in the project folder; `.dist/` and `template.yaml` moved aside (and the disk "
             "synced) before every run, outside the timing. Wall time of the whole process, measured by the "
             "harness. Per project: one untimed `build --dry-run` per tool, then the tools alternate run "
             "by run (original, ours, ours' first build, original's first build, then the reverse order, …). "
             "Median (min–max). Like the original's bytecode cache, ours keeps a parse cache (each file's "
             "parsed module by the SHA-256 of its content, in `DEPLOYLESS_CACHE_DIR`, here "
             "`bench/.work/ours-cache`), warmed by the same untimed dry run: the first columns are a "
             "developer's repeated builds. The *first build* columns are a project's very first build: the "
             "original with `PYTHONDONTWRITEBYTECODE=1` and no cache prefix (its dependencies keep the "
             "bytecode pip compiled at install; the project's modules are compiled on every run), ours with "
             "`DEPLOYLESS_CACHE_DIR=off` (every file parsed).")
    L.append("")
    if T:
        L.append(f"### On tmpfs (`{r['tmpfs_root']}`): the tools' own cost, repeatable")
        L.append("")
        speed_table(L, T["builds"], PK)
    L.append("### On disk (`" + where + "/projects`): end to end on this VM, noisy")
    L.append("")
    speed_table(L, D["builds"], PK, D["floors"])
    L.append("On disk both tools also pay for creating their `.dist/` files (the last column: ours' files "
             "written once by `bench/floor write`, measured right after that project's builds), and the "
             "disk's speed varies with the VM's other I/O, so ranges are wider than on tmpfs; the tools are "
             "interleaved run by run, so they see the same conditions. The previous run's outputs "
             "(and the write floor's copies) are moved aside, renamed into a trash folder on the same "
             "filesystem (emptied after all measurements), rather than deleted: " +
             ("on this VM's ext4 without a journal" if info.get("journal") == "without a journal"
              else "on ext4 without a journal") +
             ", the inode allocator skips every inode freed in the last 60 s, so deleting a tree before a "
             "run would charge its cleanup to the next run's file creation (the original's largest "
             f"`.dist/` is {max(pk['total']['orig']['files'] for pk in PK.values()):,} files).")
    L.append("")

    L.append("## 2. Rebuilds (ours)")
    L.append("")
    L.append("No-op: `deployless build` again with nothing changed (ours compares the result with what is "
             "on disk and writes nothing). One-feature change: one `pc.configure(memory=…)` value toggled "
             "in one feature's `routes.py` before each run (`tenant` in ums-api, `f000` in the generated "
             "projects), so the template and that feature's packages change. The original has no "
             "incremental mode: each of its builds is a clean build (§1).")
    L.append("")
    cols = [("tmpfs", T)] if T else []
    cols.append(("disk", D))
    L.append("| project | " + " | ".join(f"{c}: clean build | {c}: no-op rebuild | {c}: one-feature change"
                                          for c, _ in cols) + " | no-op left the template untouched | runs |")
    L.append("|---|" + "---|---|---|" * len(cols) + "---|---|")
    for name in D["rebuilds"]:
        cells = []
        for _, X in cols:
            rb = X["rebuilds"][name]
            cells.append(f"{fmt_s(X['builds'][name]['ours']['stat']['median'])} | {fmt_stat(rb['noop'])} | "
                         f"{fmt_stat(rb['change'])}")
        untouched = all(X["rebuilds"][name]["noop_untouched"] for _, X in cols)
        L.append(f"| {name} | " + " | ".join(cells) +
                 f" | {'yes' if untouched else 'NO'} | {D['rebuilds'][name]['noop']['n']} |")
    L.append("")

    L.append("## 3. Cold start proxy")
    L.append("")
    L.append("The same function built by both tools; each package gets a fresh virtualenv (uv) with exactly "
             "its own `requirements.txt`, and every `.pyc` is removed from the venv and the package. Each "
             "run starts `python -I -B -c …` in the package folder (no bytecode cache, nothing written), "
             "imports `bootstrap` and calls `bootstrap.handler` with an API Gateway REST (v1) GET event; "
             "the time is from process start to the response line on stdout, measured by the harness. "
             "The tools alternate run by run. Both answered 200.")
    L.append("")
    L.append("| function | event | original | ours | ours − original | requirements (original / ours) | runs |")
    L.append("|---|---|---|---|---|---|---|")
    by = {}
    for sj in CS["subjects"]:
        by.setdefault((sj["proj"], sj["fid"]), {})[sj["tool"]] = sj
    for (proj, fid), d in by.items():
        o, u = d["orig"], d["ours"]
        delta = u["stat"]["median"] - o["stat"]["median"]
        L.append(f"| {proj} {fid} | GET {u['event']['path']} | {fmt_stat(o['stat'])} | {fmt_stat(u['stat'])} | "
                 f"{'+' if delta >= 0 else '−'}{fmt_s(abs(delta))} | {', '.join(o['requirements'])} / "
                 f"{', '.join(u['requirements'])} | {u['stat']['n']} |")
    if CS["interp"]:
        L.append("")
        L.append(f"Interpreter floor (the same `python -I -B` printing one line, no imports): "
                 f"{fmt_stat(CS['interp'])}. Bytecode files present during the runs: "
                 f"{sum(sj['bytecode_cached'] for sj in CS['subjects'])}. Installed: " +
                 "; ".join(f"{TOOL_NAME[sj['tool']]} {sj['fid']}: {' '.join(sj['freeze'])}"
                           for sj in CS["subjects"] if sj["proj"] == "ums-api") + ".")
    L.append("")

    L.append("## 4. Package size per function")
    L.append("")
    L.append("Files and bytes of each function's package without its dependencies: the original's "
             "`.dist/<LogicalId>/` folder (what `sam build` starts from) and the size of its zip (deflate, "
             "level 6, made here); ours' `.dist/<LogicalId>.zip` (its entries, their unzipped bytes, "
             "bytecode included when the runtime's Python was found, and the zip itself). For the "
             "generated projects, the three functions of feature `f000`.")
    L.append("")
    L.append("| project | function (original / ours) | original: files, bytes, zip | ours: files, bytes, zip |")
    L.append("|---|---|---|---|")
    for name, pk in PK.items():
        for row in pk["functions"]:
            o, u = row.get("orig"), row.get("ours")
            fo = f"{o['files']}, {fmt_bytes(o['bytes'])}, {fmt_bytes(o['zip'])}" if o else "—"
            fu = f"{u['files']}, {fmt_bytes(u['bytes'])}, {fmt_bytes(u['zip'])}" if u else "—"
            ids = row["orig_id"] if row["orig_id"] == row["ours_id"] else f"{row['orig_id']} / {row['ours_id']}"
            L.append(f"| {name} | {ids} | {fo} | {fu} |")
    L.append("")
    L.append("Whole `.dist/` (ours: function zips and dependency layer zips, entries and unzipped bytes):")
    L.append("")
    L.append("| project | original: functions, files, bytes | ours: functions, files, bytes |")
    L.append("|---|---|---|")
    for name, pk in PK.items():
        o, u = pk["total"]["orig"], pk["total"]["ours"]
        L.append(f"| {name} | {o['functions']}, {o['files']:,}, {fmt_bytes(o['bytes'])} | "
                 f"{u['functions']}, {u['files']:,}, {fmt_bytes(u['bytes'])} |")
    L.append("")
    L.append("Ours ships the feature's whole folder, `app/shared/`, the `deployless.py` runtime and a "
             "bootstrap (SPEC.md §7), so its small packages are larger; the original copies a stub "
             "`routes.py` of every other feature (and its `__init__.py`) into every HTTP package, so its "
             "packages, and its `.dist/` as a whole, grow with the number of features (quadratically for "
             "`.dist/`).")
    L.append("")

    S = T or D
    where5 = f"tmpfs (`{r['tmpfs_root']}`)" if T else "disk"
    L.append("## 5. Scaling (ours) and the physical floors")
    L.append("")
    L.append(f"Measured on {where5}: clean-build time and peak RSS (of the build process, from its rusage) "
             "from §1, beside the floors measured on the same copies: **read** = read and SHA-256 every "
             "source file of the project once (warm page cache: the least any build must do to see the "
             "project); **write** = create the same folders and files as ours' `.dist/` once, sequentially, "
             "hard-linking the files ours links "
             "(`bench/floor write`); **Go process** = start and exit a minimal Go program (`bench/floor "
             "exit`); **ours startup** = `deployless --version` (the Go runtime plus our packages' "
             "initialisation). The last column is what is left for parsing (or decoding cached parses), evaluating, checking, "
             "rendering and comparing.")
    L.append("")
    L.append("| project | source files, bytes | ours build | ours peak RSS | original build | original peak RSS | read floor | write floor (files) | Go process | ours startup | ours − (startup + write) |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    pf, st = r["process_floor"], r["ours_startup"]
    for name, b in S["builds"].items():
        fl = S["floors"][name]
        su = b["ours"]["stat"]["median"]
        rest = su - fl["write"]["median_s"] - st["median"]
        L.append(f"| {name} | {fl['read']['files']}, {fmt_bytes(fl['read']['bytes'])} | {fmt_s(su)} | "
                 f"{fmt_kib(b['ours']['peak_rss'])} | {fmt_s(b['orig']['stat']['median'])} | "
                 f"{fmt_kib(b['orig']['peak_rss'])} | {fmt_s(fl['read']['median_s'])} | "
                 f"{fmt_s(fl['write']['median_s'])} ({fl['write']['files']:,}) | {fmt_s(pf['median'])} | "
                 f"{fmt_s(st['median'])} | {'−' if rest < 0 else ''}{fmt_s(abs(rest))} |")
    L.append("")
    gens = sorted((int(n.split("-")[1]), S["builds"][n]) for n in S["builds"] if n.startswith("gen-"))
    if len(gens) >= 2:
        (n0, b0), (n1, b1) = gens[0], gens[-1]
        dt = (b1["ours"]["stat"]["median"] - b0["ours"]["stat"]["median"]) / (n1 - n0)
        dm = (b1["ours"]["peak_rss"] - b0["ours"]["peak_rss"]) / (n1 - n0)
        dto = (b1["orig"]["stat"]["median"] - b0["orig"]["stat"]["median"]) / (n1 - n0)
        dmo = (b1["orig"]["peak_rss"] - b0["orig"]["peak_rss"]) / (n1 - n0)
        fl0, fl1 = S["floors"][f"gen-{n0}"], S["floors"][f"gen-{n1}"]
        L.append(f"From {n0} to {n1} features ours grows by {dt * 1000:.2f} ms and {dm / 1024:.2f} MiB per "
                 f"feature (3 functions and 5 source files each), linearly; the original by "
                 f"{dto * 1000:.0f} ms and {dmo / 1024:.2f} MiB per feature. The read floor grows by "
                 f"{(fl1['read']['median_s'] - fl0['read']['median_s']) / (n1 - n0) * 1e6:.0f} µs per "
                 f"feature and the write floor by "
                 f"{(fl1['write']['median_s'] - fl0['write']['median_s']) / (n1 - n0) * 1000:.2f} ms: at "
                 f"{n1} features ours takes {b1['ours']['stat']['median'] / fl1['read']['median_s']:.0f}× "
                 f"the read floor and {b1['ours']['stat']['median'] / fl1['write']['median_s']:.1f}× the "
                 f"write floor.")
        L.append("")
    L.append("## How to reproduce")
    L.append("")
    L.append(f"`{RUN_SH}` from a clean clone (Go 1.26+ with cgo, Python 3.11+, PyPI reachable). Options: "
             "`bash bench/run.sh --help`. Logs of every build: `bench/.work/logs/`.")
    L.append("")
    path.write_text("\n".join(L))


# ---------------------------------------------------------------------------


def main():
    global SCRATCH
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9, help="interleaved build runs per tool and project (9)")
    ap.add_argument("--runs-large", type=int, default=3,
                    help="runs for the largest generated project, whose original build takes ~30 s (3)")
    ap.add_argument("--rebuild-runs", type=int, default=10, help="no-op and one-change rebuild runs (10)")
    ap.add_argument("--cold-runs", type=int, default=25, help="cold-start runs per tool and function (25)")
    ap.add_argument("--sizes", default="10,50,200", help="generated project sizes (10,50,200)")
    ap.add_argument("--no-tmpfs", action="store_true", help="skip the build-time rerun on tmpfs")
    ap.add_argument("--workdir", default=str(SCRATCH),
                    help="scratch folder for the projects and cold-start venvs (default: %(default)s)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: sizes 10,50, 2 runs, 5 cold runs; writes to bench/.work/ only")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.runs_large, args.rebuild_runs, args.cold_runs = 2, 2, 3, 5
        args.sizes = "10,50"
    sizes = [int(x) for x in args.sizes.split(",") if x]
    largest = f"gen-{max(sizes)}" if sizes else None
    cmdline = RUN_SH + ("" if len(sys.argv) == 1 else " " + " ".join(sys.argv[1:]))

    SCRATCH = Path(args.workdir).resolve()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    for p in (OURS, ORIG, FLOOR, UV):
        if not p.exists():
            sys.exit(f"bench: {p} is missing: run bench/run.sh, not bench.py directly")
    (SCRATCH / "pycache").mkdir(parents=True, exist_ok=True)
    logdir = WORK / "logs"
    shutil.rmtree(logdir, ignore_errors=True)
    logdir.mkdir(parents=True)
    # Delete a disk trash left by an aborted run, then let ext4's window on recently freed
    # inodes pass (see discard) before anything is measured.
    trash = SCRATCH / "trash"
    empty_trash(trash)
    wait_after_trash()
    try:
        info = machine_info()

        def runs_for(name):
            return args.runs_large if name == largest and len(sizes) > 1 else args.runs

        projects = prepare_projects(sizes, SCRATCH / "projects", trash)
        results = {"scratch": str(SCRATCH), "packages": {}, "lint": {}, "sam": {}, "limit_warning": {}}
        results["probe_start"] = disk_probe()
        comps = {}
        results["process_floor"] = process_floor([str(FLOOR), "exit"], 20)
        results["ours_startup"] = process_floor([str(OURS), "--version"], 20)

        def phase(projs, trash, label, first):
            """Builds, floors and rebuilds, project by project (smallest first), so each project's
            floors and rebuilds are measured right after, under the same conditions as its builds."""
            out = {"builds": {}, "floors": {}, "rebuilds": {}}
            for name, copies in projs.items():
                out["builds"][name] = bench_build(f"{name} ({label})", copies, trash, runs_for(name), logdir)
                if first:
                    # The last clean build of each tool is on disk: compare, size and lint it.
                    comps[name] = compare(load_template(copies["orig"] / "template.yaml"),
                                          load_template(copies["ours"] / "template.yaml"))
                    results["packages"][name] = package_size(name, copies, comps[name]["pairs"])
                    log(f"cfn-lint and SAM transform {name}")
                    results["lint"][name] = {t: cfn_lint(copies[t] / "template.yaml") for t in TOOLS}
                    results["sam"][name] = {t: sam_resources(copies[t] / "template.yaml") for t in TOOLS}
                    results["limit_warning"][name] = {t: stack_limit_warning(copies[t]) for t in TOOLS}
                out["floors"][name] = bench_floor(f"{name} ({label})", copies["ours"], trash, 20)
                out["rebuilds"][name] = bench_rebuild(f"{name} ({label})", copies, trash, args.rebuild_runs,
                                                      logdir)
            return out

        results["disk"] = phase(projects, trash, "disk", True)

        # The probes project: compared only (one build per tool, not timed).
        probes = {}
        for tool in TOOLS:
            probes[tool] = SCRATCH / "projects" / "probes" / tool
            gen.generate_probes(probes[tool])
            _, _, rc = run_measured(tool_cmd(tool), probes[tool], tool_env(tool), logdir / f"build-probes-{tool}.log")
            if rc != 0:
                sys.exit(f"bench: {tool} build of the probes project failed (exit {rc}); see {logdir}")
        comps["probes"] = compare(load_template(probes["orig"] / "template.yaml"),
                                  load_template(probes["ours"] / "template.yaml"))
        results["lint"]["probes"] = {t: cfn_lint(probes[t] / "template.yaml") for t in TOOLS}
        results["sam"]["probes"] = {t: sam_resources(probes[t] / "template.yaml") for t in TOOLS}

        subjects = setup_cold(projects, trash)
        subj, interp = bench_cold(subjects, args.cold_runs)
        results["cold"] = {"subjects": subj, "interp": interp}
        results["routes"] = route_checks(subj)

        shm = Path("/dev/shm")
        if not args.no_tmpfs and shm.is_dir() and os.access(shm, os.W_OK) and fs_type(SCRATCH) != "tmpfs":
            st = os.statvfs(shm)
            if st.f_bavail * st.f_frsize > 4 * 1024 ** 3:
                troot = shm / f"deployless-bench-{os.getpid()}"
                try:
                    results["tmpfs"] = phase(prepare_projects(sizes, troot / "projects", troot / "trash"),
                                             troot / "trash", "tmpfs", False)
                    results["tmpfs_root"] = "/dev/shm"
                finally:
                    shutil.rmtree(troot, ignore_errors=True)

        results["probe_end"] = disk_probe()
        elapsed = time.perf_counter() - t_start
        if args.quick:
            out_results, out_compat = WORK / "RESULTS.quick.md", WORK / "compat.quick.md"
        else:
            out_results, out_compat = BENCH / "RESULTS.md", REPO / "docs" / "compat.md"
        write_compat(comps, results, info, cmdline, out_compat)
        write_results(results, info, cmdline, out_results, elapsed)
        print(out_results.read_text())
        unc = sum(1 for c in comps.values() for d in c["diffs"] if d["class"] == "UNCLASSIFIED")
        log(f"wrote {out_results} and {out_compat} in {elapsed / 60:.1f} min; "
            f"{sum(len(c['diffs']) for c in comps.values())} compat differences, {unc} unclassified")
    finally:
        # After all measurements and the results (or an abort): nothing is timed any more.
        empty_trash(trash)


if __name__ == "__main__":
    main()
