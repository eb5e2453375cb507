#!/usr/bin/env python3
"""Cold start of FastAPI features beside Flask ones, with and without bytecode, in one run.

    python3 bench/coldstart.py [--runs 25] [--subjects a,b] [--quick]

Builds our binary (`go build ./cmd/deployless` into bench/.work/coldstart/), copies each example
project and builds it with `deployless build -C <copy>` (a warm DEPLOYLESS_CACHE_DIR kept in
bench/.work/coldstart/cache between runs; uv's own cache is the user's), then lays each measured
function out as Lambda does and times it with bench/packaging.py's cold-start helpers
(setup_cold_subjects, cold_once, bench_cold): the function's code zip extracted to a task root
(the working folder), its layer zip's python/ on PYTHONPATH, a fresh `python3.13 -S -B -c …` that
imports `bootstrap` and calls `bootstrap.handler` with an API Gateway REST v1 GET event; the time
runs from process start to the response line on stdout, and every response must be a 200.
Two layouts per function: the zips as built (with .pyc) and the same folders with every .pyc
removed (packaging.py's strip_bytecode; one build, so only the bytecode differs). Every layout of
every function and the bare-interpreter floor (the same interpreter and environment printing one
line) run once per round, in a rotating order, for --runs rounds. An untimed pass with
PYTHONPROFILEIMPORTTIME=1 splits the import time (stdlib / dependencies / app).

Needs Go 1.26+ with cgo, python3.13 (--python313, else $PY313, python3.13 on PATH or pyenv's), uv
(--uv, else bench/.work/venv/bin/uv, .venv/bin/uv or uv on PATH) and PyYAML in the Python running
this (bench/.work/venv has it). Writes bench/COLDSTART.md (and bench/.work/coldstart/results.json).
"""

import argparse
import glob
import json
import os
import re
import shutil
import statistics
import sys
import time
import types
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import packaging as pk  # noqa: E402  (bench/packaging.py, not PyPI's `packaging`)

if Path(pk.__file__).resolve().parent != BENCH:
    raise SystemExit(f"coldstart: `import packaging` found {pk.__file__}, not bench/packaging.py")

REPO = BENCH.parent
CS = BENCH / ".work" / "coldstart"  # scratch: binary, projects, cache, layouts, logs, trash
OUT = BENCH / "COLDSTART.md"
CMD = "python3 bench/coldstart.py"

# Reuse packaging.py's scratch-relative machinery (discard, logs, rel) in our own folder.
pk.PK = CS
pk.LOGDIR = CS / "logs"
pk.OURS = CS / "deployless"

# key: (project, framework, function, path, resource, path parameters, extra request headers)
SUBJECTS = {
    "ums-tenant": ("ums-api", "Flask", *pk.COLD["ums-api"], {}),
    "notes-accounts": ("notes-app", "Flask + SQLAlchemy, Login, WTF", "AccountsFunction",
                       "/accounts/login", "/accounts/login", None, {}),
    "shop-items": ("fastapi-shop", "FastAPI", "ItemsFunction", "/api/items", "/api/items", None,
                   {"X-Api-Token": "shop-dev-token"}),
    "shop-reports": ("fastapi-shop", "FastAPI", "ReportsFunction", "/api/reports/status",
                     "/api/reports/status", None, {}),
}
IMPORTTIME_RUNS = 3
IMPORT_RE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)\s*$")


def log(msg):
    print(f"coldstart: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Tools and builds
# ---------------------------------------------------------------------------


def find_python313(given):
    cands = [given, os.environ.get("PY313"), shutil.which("python3.13")]
    cands += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python3.13")), reverse=True)
    for c in cands:
        if c and Path(c).is_file():
            real = pk.cmd_out([c, "-c", "import sys; print(sys.executable)"])  # the binary, not a shim
            if Path(real).is_file():
                return Path(real)
    pk.die("python3.13 not found: pass --python313 /path/to/python3.13 (or set PY313)")


def find_uv(given):
    for c in (given, pk.UV, REPO / ".venv" / "bin" / "uv", shutil.which("uv")):
        if c and Path(c).is_file():
            return Path(c)
    pk.die("uv not found: pass --uv /path/to/uv")


def tool_env(uv):
    """The caller's environment without DEPLOYLESS_* / UV_* settings, a folder with only `uv` and
    `python3.13` first on PATH (ours finds both there), and our warm cache."""
    bindir = CS / "bin"
    bindir.mkdir(parents=True, exist_ok=True)
    for name, target in (("uv", uv), ("python3.13", pk.PY313)):
        link = bindir / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    over = {"PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", "DEPLOYLESS_CACHE_DIR": str(CS / "cache"),
            "CGO_ENABLED": "1"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOYLESS_", "UV_", "VIRTUAL_ENV"))}
    return dict(env, **over), {"PATH": f"{pk.rel(bindir)}:$PATH", "DEPLOYLESS_CACHE_DIR": pk.rel(CS / "cache")}


def build_project(project, env, over):
    proj = CS / "projects" / project
    shutil.copytree(REPO / "examples" / project, proj, ignore=shutil.ignore_patterns(
        ".dist", ".aws-sam", "template.yaml", "__pycache__", "*.pyc", "samconfig.toml", "*.db"))
    wall, _ = pk.run(f"deployless build ({project})", [pk.OURS, "build", "-C", proj], REPO, env, over)
    inv = pk.inventory(proj)
    log(f"built {project} in {pk.fmt_s(wall)}: {', '.join(inv['functions'])}")
    return types.SimpleNamespace(proj=proj, inv=inv, arts=pk.artifacts(proj, inv),
                                 template=pk.load_template(proj / "template.yaml"), wall=wall)


def function_env(built, fid):
    """The function's environment variables from the template (Globals, then its own). A value that
    is not a literal (a Ref to a table, say) gets a placeholder: Lambda would resolve it. /tmp in a
    value becomes $PK/tmp/ (the function's own /tmp; notes-app keeps its sqlite file there)."""
    t = built.template
    fn = ((t.get("Resources") or {}).get(fid) or {}).get("Properties") or {}
    glob_ = (t.get("Globals") or {}).get("Function") or {}
    out, placeholders = {}, []
    for src in (glob_, fn):
        for k, v in ((src.get("Environment") or {}).get("Variables") or {}).items():
            if isinstance(v, (str, int, float, bool)):
                out[k] = str(v).replace("/tmp/", f"{CS}/tmp/")
            else:
                out[k] = f"bench-placeholder-{k.lower()}"
                placeholders.append(k)
    return out, placeholders


# ---------------------------------------------------------------------------
# Layouts, checks, import times
# ---------------------------------------------------------------------------


def make_subjects(key, built):
    project, framework, fid, path, resource, params, headers = SUBJECTS[key]
    if fid not in built.inv["functions"]:
        pk.die(f"{project}: no {fid} in the template (functions: {', '.join(built.inv['functions'])})")
    event = pk.rest_event(path, resource, params)
    for k, v in headers.items():
        event["headers"][k] = v
        event["multiValueHeaders"][k] = [v]
    env, placeholders = function_env(built, fid)
    subjects = pk.setup_cold_subjects(key, built, None, fid, event)
    for s in subjects:
        s.update(key=key, project=project, framework=framework, fid=fid, event_json=json.dumps(event),
                 request=f"GET {path}" + (f" ({', '.join(headers)})" if headers else ""), env=env,
                 placeholders=placeholders, pyc_in_zip=pk.pyc_kinds(built.arts[fid]),
                 layer_names=layer_names(s), label=f"{key} {'with .pyc' if s['mode'] == 'pyc' else 'without .pyc'}")
    by = {s["mode"]: s for s in subjects}
    if by["pyc"]["pyc_files"] == 0:
        pk.die(f"{project}: the build shipped no .pyc for {fid}: bytecode was skipped (is python3.13 found?)")
    return subjects


def layer_names(s):
    """Top-level module names the layers provide (their python/ entries), for the import split."""
    names = set()
    for p in s["pythonpath"]:
        if os.path.isdir(p):
            names.update(n[:-3] if n.endswith(".py") else n for n in os.listdir(p)
                         if not n.endswith((".dist-info", ".pth")) and n != "__pycache__")
    return names


def import_split(s):
    """Median over IMPORTTIME_RUNS untimed runs with PYTHONPROFILEIMPORTTIME=1: total self time of
    the imports split by where the module comes from, and the biggest dependency imports
    (cumulative: a package includes what it imports first)."""
    runs = []
    for _ in range(IMPORTTIME_RUNS):
        t = dict(s, env=dict(s["env"], PYTHONPROFILEIMPORTTIME="1"))
        wall, line, rest, err, rc = pk.cold_once(t, pk.CHILD, [s["event_json"]])
        mods = {}
        for ln in err.splitlines():
            m = IMPORT_RE.match(ln)
            if m:
                mods.setdefault(m.group(4), (int(m.group(1)), int(m.group(2)), len(m.group(3))))
        runs.append(mods)
    deps, app = s["layer_names"], {"app", "bootstrap"}

    def where(name):
        root = name.split(".")[0]
        return "app" if root in app else "deps" if root in deps else "stdlib"
    split = {k: statistics.median(sum(v[0] for n, v in r.items() if where(n) == k) for r in runs) / 1e6
             for k in ("stdlib", "deps", "app")}
    top = {}
    for r in runs:
        for n, v in r.items():
            if "." not in n and where(n) == "deps" and not n.startswith("_deployless"):
                top.setdefault(n, []).append(v[1] / 1e6)
    top = sorted(((n, statistics.median(v)) for n, v in top.items()), key=lambda x: -x[1])[:5]
    return {"split": split, "top": top, "modules": statistics.median(len(r) for r in runs)}


class Rounds:
    """bench_cold's before_round: waits for an idle machine before every round but the first
    (bench_cold waited for that one), and records the CPU other processes used during each round."""

    def __init__(self, runs):
        self.runs, self.snap, self.shares = runs, None, []

    def _close(self):
        c1, t1 = pk._cpu_snapshot(), time.perf_counter()
        if self.snap and self.snap[0] and c1:
            (b0, m0), t0 = self.snap
            self.shares.append(max(0.0, (c1[0] - b0) - (c1[1] - m0)) / ((t1 - t0) * (os.cpu_count() or 1)))

    def before(self, i):
        if i:
            self._close()
            if i < self.runs:
                pk.wait_idle(f"round {i + 1}")
        self.snap = (pk._cpu_snapshot(), time.perf_counter())

    def summary(self):
        xs = self.shares or [0.0]
        return {"median": statistics.median(xs), "max": max(xs), "worst": xs.index(max(xs)) + 1,
                "over": sum(1 for x in xs if x > 0.15), "n": len(self.shares)}


def pstats(xs):
    q = statistics.quantiles(xs, n=10, method="inclusive") if len(xs) > 1 else [xs[0]] * 9
    return {"median": statistics.median(xs), "p10": q[0], "p90": q[-1], "n": len(xs)}


def fmt_p(st):
    return f"{pk.fmt_s(st['median'])} ({pk.fmt_s(st['p10'])}–{pk.fmt_s(st['p90'])})"


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


def waits_line(waits):
    if not waits:
        return "no waits were needed"
    gave_up = [f"{lab} ({b * 100:.0f}% busy)" for lab, _, b in waits if b]
    return (f"{len(waits)} waits for other load, {sum(w for _, w, _ in waits):.0f} s in all (before "
            + ", ".join(lab for lab, _, _ in waits) + ")"
            + (f"; gave up waiting before {', '.join(gave_up)}" if gave_up else ""))


def write_report(R, info, cmdline, path):
    L = []
    A = L.append
    fl = R["floor"]
    A("# Cold start: FastAPI features beside Flask ones, with and without bytecode")
    A("")
    A(f"Generated by `{cmdline}` on {info['date']} ({R['elapsed'] / 60:.1f} min). Do not edit by hand: rerun it.")
    A("")
    A("## Machine and versions")
    A("")
    A(f"- {info['virt']}: {info['cpu']}, `nproc` = {info['nproc']}, {info['mem']}, Linux {info['kernel']}; "
      f"layouts on {info['fstype']} (`bench/.work/coldstart/`). A shared VM: timings move with its neighbours.")
    A(f"- ours: `{info['ours']}` (binary sha256 {info['ours_sha256']}…, built by the run), work tree at commit "
      f"{info['commit']} (uncommitted changes not checked: the harness runs no git); {info['go']}; uv `{info['uv']}`")
    A(f"- runtime: {info['py313'].split(', pip')[0]}")
    fg = R["foreign"]
    A(f"- other load: before each round the harness waited for the machine to be idle (≤ 15% busy over 2 s; "
      f"packaging.py's wait_idle); during a round, processes other than the measured ones used a median "
      f"{fg['median'] * 100:.1f}% of the machine's CPU (worst round, #{fg['worst']}: {fg['max'] * 100:.0f}%; "
      f"{fg['over']} of {fg['n']} rounds above 15%); " + waits_line(R["waits"]))
    A("")
    A("## What is measured")
    A("")
    A("Each function laid out as Lambda does: its code zip extracted to a task root (the working folder), "
      "its layer zip's `python/` (and `python/lib/python3.13/site-packages`) on `PYTHONPATH`. A run is a fresh "
      f"`python3.13 -S -B -c …` (bench/packaging.py's `cold_once`: `-S` keeps this interpreter's own "
      "site-packages out, `-B` writes nothing; the environment is PATH, LANG, region, `LAMBDA_TASK_ROOT`, "
      "`PYTHONPATH` and the function's variables from template.yaml) that imports `bootstrap` and calls "
      "`bootstrap.handler` with an API Gateway REST v1 GET event; the time is from process start to the "
      "response line on stdout, every response a 200. *with .pyc*: the zips as `deployless build` wrote them; "
      "*without .pyc*: the same folders with every `__pycache__`/`.pyc` deleted (one build: only the bytecode "
      "differs). *floor*: the same interpreter and environment printing one line "
      f"({fmt_p(fl)}). All {len(R['subjects']) * 2} layouts and the floor run once per round, in a rotating "
      f"order (reversed every other round), for {R['runs']} rounds.")
    A("")
    A("Included: interpreter start, every import (stdlib, dependency layer, app), the app's construction "
      "(Flask app / FastAPI app with its lifespan startup), one request through the adapter (apig-wsgi / "
      "Mangum) and JSON out. Not included: Lambda's own init (sandbox, fetching and unpacking the code and "
      "layers, the runtime interface client), network, a cold page cache (the files were just extracted), "
      "Lambda's CPU share at 256 MB (well below a full core).")
    A("")
    A("| subject | framework | with .pyc (median, p10–p90) | without .pyc | with / without | "
      "floor-subtracted: with / without (ratio) |")
    A("|---|---|---|---|---|---|")
    for key, r in R["subjects"].items():
        w, wo = r["pyc"]["stat"], r["nopyc"]["stat"]
        fw, fwo = w["median"] - fl["median"], wo["median"] - fl["median"]
        A(f"| {r['project']} {r['fid']} (`{r['request']}`) | {r['framework']} | {fmt_p(w)} | {fmt_p(wo)} | "
          f"{w['median'] / wo['median']:.2f}× | {pk.fmt_s(fw)} / {pk.fmt_s(fwo)} ({fw / fwo:.2f}×) |")
    A(f"| floor (`python3.13 -S -B`, one print) | | {fmt_p(fl)} | | | |")
    A("")
    A(f"## Import time split (untimed pass, `PYTHONPROFILEIMPORTTIME=1`, median of {IMPORTTIME_RUNS} runs)")
    A("")
    A("Self time of every import summed by origin (the profiler's overhead included, so the sum exceeds the "
      "plain timings' share), and the biggest top-level dependency imports by cumulative time (a package "
      "includes whatever it imports first).")
    A("")
    A("| subject | .pyc | modules | stdlib | dependencies | app | biggest dependency imports (cumulative) |")
    A("|---|---|---|---|---|---|---|")
    for key, r in R["subjects"].items():
        for mode in ("pyc", "nopyc"):
            it = r[mode]["imports"]
            sp = it["split"]
            A(f"| {r['project']} {r['fid']} | {'with' if mode == 'pyc' else 'without'} | {it['modules']:.0f} | "
              f"{pk.fmt_s(sp['stdlib'])} | {pk.fmt_s(sp['deps'])} | {pk.fmt_s(sp['app'])} | "
              + ", ".join(f"{n} {pk.fmt_s(v)}" for n, v in it["top"]) + " |")
    A("")
    A("## Subjects")
    A("")
    for key, r in R["subjects"].items():
        p, n = r["pyc"], r["nopyc"]
        m = p.get("modules") or {}
        body = " ".join(str(p["response"].get("body", "")).split())[:70].replace("`", "'")
        A(f"- `{key}`: {r['project']} {r['fid']}, `{r['request']}`, answered {p['response'].get('statusCode')} "
          f"`{body}`; layers {', '.join(p['layers'])}; .pyc files in the layout "
          f"{p['pyc_files']} ({', '.join(f'{v} {k}' for k, v in p['pyc_in_zip'].items())} in the code zip), "
          f"{n['stripped']} removed for *without*; {m.get('modules', '?')} modules loaded, "
          f"{m.get('from_package', '?')} from the package ({m.get('package_with_pyc', '?')} with a .pyc; without: "
          f"{(n.get('modules') or {}).get('package_with_pyc', '?')}); variables "
          + ", ".join(f"`{k}`" for k in p["env"])
          + (f" ({', '.join(p['placeholders'])}: a placeholder for a Ref)" if p["placeholders"] else "")
          + ("; `/tmp/` in a value is `$PK/tmp/`" if any(f"{CS}/tmp/" in v for v in p["env"].values()) else ""))
    A("")
    A("## Commands")
    A("")
    A("`$PK` = `bench/.work/coldstart`; each command's output is in `$PK/logs/`.")
    A("")
    for step, c in R["commands"].items():
        A(f"- {step}: `{c['argv']}` in `{c['cwd']}`" + (f", `{c['env']}`" if c["env"] else ""))
    A(f"- cold start: `{info['py313_path']} -S -B -c <import bootstrap; print(bootstrap.handler(event))> "
      "'<event>'` in `$PK/coldstart/<subject>-<function>/{pyc,nopyc}/task`")
    A("")
    path.write_text("\n".join(L))


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=25, help="timed rounds (25); each runs every layout and the floor once")
    ap.add_argument("--subjects", default=",".join(SUBJECTS), help=f"comma-separated, of {', '.join(SUBJECTS)} (all)")
    ap.add_argument("--python313", help="the runtime's python3.13 (default: $PY313, PATH, pyenv)")
    ap.add_argument("--uv", help="uv for ours' layers (default: bench/.work/venv/bin/uv, .venv/bin/uv, PATH)")
    ap.add_argument("--quick", action="store_true", help="3 rounds, report to bench/.work/coldstart/COLDSTART.quick.md")
    ap.add_argument("--out", type=Path, help="report path (default: bench/COLDSTART.md)")
    ap.add_argument("--idle-timeout", type=float, default=900,
                    help="seconds to wait for other processes to leave the machine idle before measuring (900)")
    args = ap.parse_args()
    keys = [k.strip() for k in args.subjects.split(",") if k.strip()]
    for k in keys:
        if k not in SUBJECTS:
            ap.error(f"unknown subject {k!r} (of {', '.join(SUBJECTS)})")
    if args.quick:
        args.runs = 3
    out = args.out or (CS / "COLDSTART.quick.md" if args.quick else OUT)
    cmdline = " ".join([CMD] + sys.argv[1:])
    pk.IDLE_TIMEOUT = args.idle_timeout
    t_start = time.perf_counter()

    CS.mkdir(parents=True, exist_ok=True)
    pk.empty_trash()
    pk.wait_after_trash()
    for d in ("logs", "projects", "coldstart", "tmp"):
        pk.discard(CS / d)
    pk.LOGDIR.mkdir()
    (CS / "tmp").mkdir(exist_ok=True)
    pk.PY313 = find_python313(args.python313)
    pk.UV = find_uv(args.uv)
    env, over = tool_env(pk.UV)
    pk.run("go build", ["go", "build", "-o", pk.OURS, "./cmd/deployless"], REPO, env, {"CGO_ENABLED": "1"})
    info = pk.machine_info()
    virt = pk.cmd_out(["systemd-detect-virt"])
    hyper = "hypervisor" in Path("/proc/cpuinfo").read_text()
    info["virt"] = ("VM" if hyper else "machine") + (f" (`systemd-detect-virt`: {virt})" if virt else "")
    log(f"python3.13 {pk.PY313}; uv {pk.UV}; ours {pk.rel(pk.OURS)}")

    built, subjects = {}, []
    for k in keys:
        project = SUBJECTS[k][0]
        if project not in built:
            built[project] = build_project(project, env, over)
        subjects += make_subjects(k, built[project])
    log(f"{len(subjects)} layouts and the floor, {args.runs} rounds")
    rounds = Rounds(args.runs)
    cold = pk.bench_cold("coldstart", subjects, None, args.runs, rounds.before)
    rounds.before(args.runs)  # closes the last round
    foreign = rounds.summary()
    pk.COMMANDS.pop("cold start", None)  # described by write_report
    pk.wait_idle("the import-time pass")
    for s in subjects:  # after the timed rounds, whose first one checked every response is a 200
        s["imports"] = import_split(s)
        sp = s["imports"]["split"]
        log(f"{s['label']}: imports stdlib {pk.fmt_s(sp['stdlib'])}, deps {pk.fmt_s(sp['deps'])}, "
            f"app {pk.fmt_s(sp['app'])}")

    R = {"runs": args.runs, "floor": pstats(cold["floor"]["all"]), "foreign": foreign, "waits": pk.WAITS,
         "commands": pk.COMMANDS, "subjects": {}}
    for s in subjects:
        r = R["subjects"].setdefault(s["key"], {k: s[k] for k in ("project", "framework", "fid", "request")})
        r[s["mode"]] = {k: (str(v) if isinstance(v, Path) else v) for k, v in s.items()
                        if k not in ("layer_names", "event_json")}
        r[s["mode"]]["stat"] = pstats(s["walls"])
    R["elapsed"] = time.perf_counter() - t_start
    (CS / "results.json").write_text(json.dumps({"R": R, "info": info, "cmdline": cmdline}, indent=1, default=str))
    write_report(R, info, cmdline, out)
    print(out.read_text())
    log(f"wrote {pk.rel(out)} and {pk.rel(CS / 'results.json')} in {R['elapsed'] / 60:.1f} min")
    pk.empty_trash()


if __name__ == "__main__":
    main()
