#!/usr/bin/env python3
"""Packaging benchmark: from an edit to deployable artifacts, ours against the SAM path.

Run through bench/packaging.sh, which prepares bench/.work/ (the original tool's venv with uv,
our binary, the SAM CLI and moto_server venvs, python3.13) and then calls this script with the
harness venv's Python.

Two paths, side by side in one run, on examples/ums-api and a bench/gen.py project of 50
features with realistic requirements (flask, pydantic, requests, orjson):

  SAM path   the original Python deployless 0.1.5 (`deployless build`: template.yaml and one
             .dist/<Id>/ folder per function with a requirements.txt), then `sam build` (pip once
             per function, with the runtime's python3.13 from PATH) and `sam package` (zips every
             built folder and uploads what the bucket lacks).
  ours       `deployless build` (template.yaml, .dist/<FunctionId>.zip per function and
             .dist/<LayerId>.zip per dependency layer, installed by uv, with .pyc), then
             `sam package --template-file template.yaml` for the upload.

Measured per project, the paths interleaved round by round:
  cold     SAM: empty .aws-sam and pip cache (1 run); ours: fresh DEPLOYLESS_CACHE_DIR and
           UV_CACHE_DIR
  warm     SAM: .aws-sam removed, pip cache kept; ours: outputs removed, caches kept
  change   a one-line change to one feature's routes.py; SAM: `sam build --cached --parallel`;
           ours: `deployless build` with its outputs in place
  uploads  bytes `sam package` puts into an S3 bucket on a local moto_server (the bucket listed
           before and after): first upload, no change, after the change
  sizes    package bytes on disk (.aws-sam/build vs ours' .dist)
  cold start of one function laid out as Lambda does (code zip in a task root, each layer zip's
           python/ on the path), with ours' .pyc and with every .pyc removed, fresh python3.13

Writes bench/PACKAGING.md (and bench/.work/packaging/results.json), and prints PACKAGING.md.
"""

import argparse
import hashlib
import itertools
import json
import os
import platform
import re
import resource
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
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
ORIG = VENV / "bin" / "deployless"
UV = VENV / "bin" / "uv"
SAM = REPO / ".venv-sam" / "bin" / "sam"
SAM_PY = REPO / ".venv-sam" / "bin" / "python"
MOTO = REPO / ".venv" / "bin" / "moto_server"
EXAMPLE = REPO / "examples" / "ums-api"
PK = WORK / "packaging"  # scratch: projects, caches, logs, cold-start layouts, trash
RUN_SH = "bash bench/packaging.sh"

# Which feature gets the one-line change, and which function's cold start is measured with which
# API Gateway REST v1 GET event (path, resource, path parameters; bench.py's choices), per project;
# "gen" is the generated project.
FEATURE = {"ums-api": "tenant", "gen": "f000"}
COLD = {"ums-api": ("TenantFunction", "/tenants/t1/files/readme.txt", "/tenants/{tenant_id}/files/{key+}",
                    {"tenant_id": "t1", "key": "readme.txt"}),
        "gen": ("F000Function", "/f000", "/f000", None)}


def log(msg):
    print(f"packaging: {msg}", file=sys.stderr, flush=True)


def die(msg):
    print(f"packaging: FAILED: {msg}", file=sys.stderr, flush=True)
    raise SystemExit(1)


# ---------------------------------------------------------------------------
# Statistics and formatting
# ---------------------------------------------------------------------------


def stats(xs):
    xs = sorted(xs)
    return {"median": statistics.median(xs), "min": xs[0], "max": xs[-1], "n": len(xs), "all": xs}


def fmt_s(s):
    if s >= 100:
        return f"{s:.0f} s"
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
    if st is None:
        return "—"
    if st["n"] == 1:
        return f"{fmt_s(st['median'])} (1 run)"
    return f"{fmt_s(st['median'])} ({fmt_s(st['min'])}–{fmt_s(st['max'])})"


def fmt_bytes(n):
    if n is None:
        return "—"
    if n >= 1024 ** 3:
        return f"{n / 1024 ** 3:.2f} GiB"
    if n >= 10 * 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MiB"
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} B"


def fmt_x(r):
    if r is None:
        return "—"
    return f"{r:,.0f}×" if r >= 10 else f"{r:.1f}×"


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def rel(p):
    s = str(p)
    for base, name in ((str(PK), "$PK"), (str(REPO), ".")):
        if s == base:
            return name
        if s.startswith(base + os.sep):
            return (name + s[len(base):]) if name == "$PK" else s[len(base) + 1:]
    return s


# ---------------------------------------------------------------------------
# Processes: every command is logged, timed and checked
# ---------------------------------------------------------------------------

COMMANDS = {}  # step -> {"argv", "cwd", "env"} (first occurrence), for the report
LOGDIR = PK / "logs"
_LOGSEQ = itertools.count(1)


def show_env(env_over):
    return " ".join(f"{k}={rel(v)}" for k, v in env_over.items())


# The machine's CPU time used by anything but the measured process tree (and moto_server, which
# serves the uploads), per timed step: other load on the machine shows up here (§ machine).
FOREIGN = []  # (step, wall seconds, foreign CPU seconds)
_HZ = os.sysconf("SC_CLK_TCK")


def _cpu_snapshot():
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        busy = (sum(v) - v[3] - v[4]) / _HZ  # all but idle and iowait
    except (OSError, ValueError, IndexError):
        return None
    mine = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        mine += ru.ru_utime + ru.ru_stime
    if MOTO_SRV is not None:
        try:
            f = Path(f"/proc/{MOTO_SRV.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            mine += (int(f[11]) + int(f[12])) / _HZ
        except (OSError, ValueError, IndexError):
            pass
    return busy, mine


def busy_share(seconds=2.0):
    """Share of the machine's CPU time that was busy (not idle or iowait) over `seconds`."""
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        return sum(v) - v[3] - v[4], sum(v)
    try:
        b0, t0 = snap()
        time.sleep(seconds)
        b1, t1 = snap()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (b1 - b0) / max(1, t1 - t0)


IDLE_TIMEOUT = 900.0
WAITS = []  # (label, seconds waited, busy share when it gave up or 0)


def wait_idle(label, limit=0.15):
    """Before a measured round: wait (up to IDLE_TIMEOUT) until other processes leave the machine
    idle, so that a test run elsewhere on the machine does not land in the timings."""
    t0 = time.time()
    share = busy_share()
    if share <= limit:
        return
    log(f"the machine is {share * 100:.0f}% busy with other processes before {label}: waiting for it to settle")
    while share > limit and time.time() - t0 < IDLE_TIMEOUT:
        time.sleep(10)
        share = busy_share(3.0)
    waited = time.time() - t0
    WAITS.append((label, waited, share if share > limit else 0.0))
    log(f"waited {waited:.0f} s" + (f"; still {share * 100:.0f}% busy, going on" if share > limit else ""))


def foreign_since(i0):
    """CPU share of other processes over the run() steps recorded since FOREIGN index i0."""
    xs = FOREIGN[i0:]
    w = sum(x[1] for x in xs)
    return sum(x[2] for x in xs) / (w * (os.cpu_count() or 1)) if w else 0.0


def run(step, cmd, cwd, env, env_over=None, check=True, timeout=3600, stdin=None):
    """Run cmd in cwd with env; return (wall seconds, CompletedProcess). The command line and its
    whole output go to a numbered log file; a non-zero exit stops the harness with the tail of
    the output, unless check is False."""
    cmd = [str(c) for c in cmd]
    if step not in COMMANDS:
        COMMANDS[step] = {"argv": " ".join(shlex.quote(rel(c)) for c in cmd), "cwd": rel(cwd),
                          "env": show_env(env_over or {})}
    logf = LOGDIR / f"{next(_LOGSEQ):04d}-{re.sub(r'[^A-Za-z0-9]+', '-', step).strip('-')}.log"
    c0 = _cpu_snapshot()
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, errors="replace", timeout=timeout, input=stdin)
    except subprocess.TimeoutExpired as e:
        die(f"{step}: timed out after {timeout} s: {' '.join(cmd)} (cwd {cwd})\n{(e.stdout or '')[-3000:]}")
    except OSError as e:
        die(f"{step}: cannot run {cmd[0]}: {e}")
    wall = time.perf_counter() - t0
    c1 = _cpu_snapshot()
    if c0 and c1:
        foreign = max(0.0, (c1[0] - c0[0]) - (c1[1] - c0[1]))
        FOREIGN.append((step, wall, foreign))
        if wall >= 1 and foreign / (wall * (os.cpu_count() or 1)) > 0.15:
            log(f"note: other processes used {foreign / wall:.2f} of a CPU during `{step}` ({fmt_s(wall)})")
    with open(logf, "w") as f:
        f.write(f"$ {' '.join(shlex.quote(c) for c in cmd)}\n# cwd {cwd}\n# env {show_env(env_over or {})}\n"
                f"# exit {p.returncode} in {wall:.3f} s\n--- stdout\n{p.stdout}\n--- stderr\n{p.stderr}\n")
    if check and p.returncode != 0:
        out = (p.stdout + "\n" + p.stderr).strip().splitlines()
        die(f"{step} exited {p.returncode}: {' '.join(cmd)}\n  (cwd {cwd}; log {logf})\n--- last 40 lines:\n"
            + "\n".join(out[-40:]))
    return wall, p


# Nothing is deleted while the harness measures (see bench.py's discard: on this VM's ext4
# without a journal, freshly freed inodes slow the next file creations down). Outputs and old
# caches are renamed into a trash folder on the same filesystem, emptied at the end.
_TRASH_SEQ = itertools.count()


def discard(path):
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return
    trash = PK / "trash"
    trash.mkdir(parents=True, exist_ok=True)
    path.rename(trash / f"{next(_TRASH_SEQ):06d}-{path.name}")


def empty_trash():
    trash = PK / "trash"
    if trash.exists():
        log(f"emptying {rel(trash)}")
        shutil.rmtree(trash, ignore_errors=True)
        os.sync()
        (PK / "trash-emptied").write_text(f"{time.time()}\n")


def wait_after_trash(window=65):
    try:
        left = float((PK / "trash-emptied").read_text()) + window - time.time()
    except (OSError, ValueError):
        return
    if left > 0:
        log(f"waiting {left:.0f} s for ext4's window on recently freed inodes to pass")
        time.sleep(left)


def cmd_out(cmd, env=None):
    try:
        p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=120)
        return (p.stdout.strip() or p.stderr.strip()) if p.returncode == 0 else f"unavailable (exit {p.returncode})"
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unavailable ({e})"


# ---------------------------------------------------------------------------
# moto_server (S3) and bucket listings
# ---------------------------------------------------------------------------


class Moto:
    def __init__(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        d = PK / "moto"
        d.mkdir(parents=True, exist_ok=True)
        self.logf = open(d / "moto_server.log", "w")
        env = dict(aws_dummy_env(), PATH=os.environ.get("PATH", "/usr/bin:/bin"))
        self.proc = subprocess.Popen([str(MOTO), "-H", "127.0.0.1", "-p", str(self.port)], cwd=d, env=env,
                                     stdout=self.logf, stderr=subprocess.STDOUT, start_new_session=True)
        COMMANDS["moto_server"] = {"argv": f"{rel(MOTO)} -H 127.0.0.1 -p {self.port}", "cwd": rel(d), "env": ""}
        self.direct = f"http://127.0.0.1:{self.port}"
        # localhost, not 127.0.0.1: the form internal/e2e/deploy_test.go uses (moto reads a
        # CreateChangeSet TemplateURL as path-style only with "localhost").
        self.endpoint = f"http://localhost:{self.port}"
        for _ in range(200):
            if self.proc.poll() is not None:
                die(f"moto_server exited {self.proc.returncode}; see {d / 'moto_server.log'}")
            try:
                urllib.request.urlopen(self.direct + "/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            die("moto_server did not answer within 20 s")
        log(f"moto_server (pid {self.proc.pid}) at {self.endpoint}")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)  # its own process group (start_new_session): ours only
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        self.logf.close()

    def create_bucket(self, name):
        req = urllib.request.Request(f"{self.direct}/{name}", method="PUT")
        with urllib.request.urlopen(req, timeout=30) as r:
            if r.status != 200:
                die(f"creating bucket {name} on moto: HTTP {r.status}")

    def list(self, bucket):
        """{key: size} of every object in bucket (all pages of ListObjectsV2)."""
        keys, token = {}, None
        while True:
            q = {"list-type": "2"}
            if token:
                q["continuation-token"] = token
            with urllib.request.urlopen(f"{self.direct}/{bucket}?{urllib.parse.urlencode(q)}", timeout=120) as r:
                root = ET.fromstring(r.read())
            ns = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
            for c in root.findall(f"{ns}Contents"):
                keys[c.findtext(f"{ns}Key")] = int(c.findtext(f"{ns}Size"))
            if root.findtext(f"{ns}IsTruncated") == "true":
                token = root.findtext(f"{ns}NextContinuationToken")
            else:
                return keys


MOTO_SRV = None


def aws_dummy_env():
    home = PK / "home"
    return {"HOME": str(home), "LANG": "C.UTF-8",
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(home / "aws-config"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true"}


# ---------------------------------------------------------------------------
# Environments of the tools
# ---------------------------------------------------------------------------

PY313 = None      # the real python3.13 binary (not a pyenv shim)
BIN313 = None     # a folder holding only a python3.13 symlink, put on PATH for sam and ours
UVSHIM = None     # a folder holding a `uv` that logs each call and runs the venv's uv
UVLOG = None


def base_env():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "PYTHON", "DEPLOYLESS_", "UV_", "VIRTUAL_ENV", "SAM_"))}
    env.update(aws_dummy_env())
    return env


def orig_env():
    over = {"PYTHONPYCACHEPREFIX": str(PK / "pycache")}
    # The original imports every routes.py; like bench.py, its bytecode is cached outside the
    # project (a user's repeated builds), the favourable case for it.
    return dict(base_env(), **over), over


def sam_env(pip_cache):
    over = {"PATH": f"{BIN313}{os.pathsep}{os.environ.get('PATH', '')}", "PIP_CACHE_DIR": str(pip_cache),
            "SAM_CLI_TELEMETRY": "0", "AWS_ENDPOINT_URL": MOTO_SRV.endpoint if MOTO_SRV else ""}
    return dict(base_env(), **over), {k: v for k, v in over.items() if k != "PATH"} | {"PATH": f"{rel(BIN313)}:$PATH"}


def ours_env(cache, uv_cache):
    over = {"PATH": f"{UVSHIM}{os.pathsep}{BIN313}{os.pathsep}{os.environ.get('PATH', '')}",
            "DEPLOYLESS_CACHE_DIR": str(cache), "UV_CACHE_DIR": str(uv_cache)}
    return dict(base_env(), **over), {"PATH": f"{rel(UVSHIM)}:{rel(BIN313)}:$PATH",
                                      "DEPLOYLESS_CACHE_DIR": str(cache), "UV_CACHE_DIR": str(uv_cache)}


def uv_calls():
    try:
        return UVLOG.read_text().splitlines()
    except OSError:
        return []


def setup_tools(py313):
    global PY313, BIN313, UVSHIM, UVLOG
    PY313 = Path(py313)
    if not PY313.is_file():
        die(f"python3.13 not found at {py313} (packaging.sh finds it with pyenv)")
    BIN313 = PK / "bin313"
    BIN313.mkdir(parents=True, exist_ok=True)
    link = BIN313 / "python3.13"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(PY313)
    UVSHIM = PK / "uvshim"
    UVSHIM.mkdir(parents=True, exist_ok=True)
    UVLOG = PK / "uv-calls.log"
    shim = UVSHIM / "uv"
    shim.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> {shlex.quote(str(UVLOG))}\nexec {shlex.quote(str(UV))} \"$@\"\n")
    shim.chmod(0o755)
    for p, what in ((OURS, "our binary"), (ORIG, "the original deployless"), (UV, "uv"), (SAM, "the SAM CLI"),
                    (MOTO, "moto_server")):
        if not p.exists():
            die(f"{what} is missing at {p}: run bench/packaging.sh, not packaging.py directly")


# ---------------------------------------------------------------------------
# Projects, templates, artifacts
# ---------------------------------------------------------------------------


class CfnLoader(yaml.SafeLoader):
    pass


def _cfn_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        v = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        v = loader.construct_sequence(node)
    else:
        v = loader.construct_mapping(node)
    return {("Ref" if suffix == "Ref" else "Fn::" + suffix): v}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_template(path):
    with open(path) as f:
        return yaml.load(f, Loader=CfnLoader)


def inventory(proj):
    """Functions and layers of a template: {"functions": {id: {"uri", "layers"}}, "layers": {id: uri}}."""
    t = load_template(proj / "template.yaml")
    res = t.get("Resources") or {}
    glob_uri = ((t.get("Globals") or {}).get("Function") or {}).get("CodeUri")
    fns, layers = {}, {}
    for lid, r in res.items():
        props = r.get("Properties") or {}
        if r.get("Type") == "AWS::Serverless::Function":
            refs = []
            for l in props.get("Layers") or []:
                if isinstance(l, dict) and "Ref" in l:
                    refs.append(l["Ref"])
            fns[lid] = {"uri": props.get("CodeUri", glob_uri), "layers": refs}
        elif r.get("Type") == "AWS::Serverless::LayerVersion":
            layers[lid] = props.get("ContentUri")
    return {"functions": fns, "layers": layers}


def artifacts(proj, inv):
    """{id: path} of every zip the template points at; dies when the build wrote none or some are missing."""
    out, missing, folders = {}, [], []
    for kind, items in (("function", {k: v["uri"] for k, v in inv["functions"].items()}), ("layer", inv["layers"])):
        for lid, uri in items.items():
            if not isinstance(uri, str):
                missing.append(f"{lid} ({kind}: CodeUri/ContentUri {uri!r} is not a local path)")
                continue
            p = proj / uri
            if uri.endswith(".zip") and p.is_file():
                out[lid] = p
            elif p.is_dir() or (proj / ".dist" / lid).is_dir():
                folders.append(lid)
            else:
                missing.append(f"{lid} ({kind}: {uri})")
    if folders and not out:
        die(f"`deployless build` in {proj} wrote .dist/<Id>/ folders, not zips ({len(folders)} of them, e.g. "
            f"{folders[0]}): the zip packaging (issue 12) has not landed in this binary")
    if missing or folders:
        die(f"artifacts missing in {proj}/.dist after `deployless build`: " + ", ".join((missing + folders)[:10]))
    return out


def sha256(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def digests(arts):
    return {lid: sha256(p) for lid, p in arts.items()}


def tree_size(d):
    files = size = 0
    for root, _, names in os.walk(d):
        for n in names:
            p = os.path.join(root, n)
            if os.path.isfile(p) and not os.path.islink(p):
                files += 1
                size += os.path.getsize(p)
    return files, size


def distinct_size(d):
    """Bytes of distinct file contents under d (each content counted once)."""
    seen, size = set(), 0
    for root, _, names in os.walk(d):
        for n in names:
            p = os.path.join(root, n)
            if os.path.isfile(p) and not os.path.islink(p):
                h = sha256(p)
                if h not in seen:
                    seen.add(h)
                    size += os.path.getsize(p)
    return size


def zip_unzipped(p):
    with zipfile.ZipFile(p) as z:
        return sum(i.file_size for i in z.infolist()), len(z.infolist())


def pyc_kinds(p):
    """Count of .pyc entries in a zip by invalidation mode (PEP 552 flags)."""
    kinds = {}
    with zipfile.ZipFile(p) as z:
        for i in z.infolist():
            if i.filename.endswith(".pyc"):
                with z.open(i) as f:
                    head = f.read(8)
                flags = int.from_bytes(head[4:8], "little") if len(head) == 8 else -1
                k = {0: "timestamp", 1: "unchecked-hash", 3: "checked-hash"}.get(flags, f"flags {flags}")
                kinds[k] = kinds.get(k, 0) + 1
    return kinds


def copy_project(name, dst, features, requirements):
    if dst.exists():
        discard(dst)
    if name == "ums-api":
        shutil.copytree(EXAMPLE, dst, ignore=shutil.ignore_patterns(
            ".dist", ".aws-sam", "template.yaml", "__pycache__", "*.pyc", "samconfig.toml"))
    else:
        gen.generate(dst, features, requirements)


_EDIT_SEQ = itertools.count(1)
EDIT_RE = re.compile(r"(?m)^_BENCH_EDIT = \d+\n\Z")


def edit_feature(proj, feature):
    """The one-line change: the last line of the feature's routes.py becomes `_BENCH_EDIT = <n>`
    (appended the first time, then rewritten), n unique in this run so every edit is new content."""
    p = proj / "app" / "features" / feature / "routes.py"
    text = p.read_text()
    line = f"_BENCH_EDIT = {next(_EDIT_SEQ)}\n"
    if EDIT_RE.search(text):
        text = EDIT_RE.sub(line, text)
    else:
        text = (text if text.endswith("\n") else text + "\n") + line
    p.write_text(text)


def sanitize_orig(proj):
    """The original names a @pc.route split after its Flask endpoint (`UserBp.exportUsersRoute...`):
    a logical ID with a dot, which the SAM transform rejects ("Logical ids must be alphanumeric"),
    so `sam build` cannot run on its template at all (docs/compat.md). Drop the dots from every
    such key (and its references, and the .dist folder named after it), the least change that lets
    SAM build it. Returns the renamed IDs."""
    tp = proj / "template.yaml"
    t = tp.read_text()
    keys = sorted(set(re.findall(r"(?m)^\s+([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+):\s*$", t)), key=len, reverse=True)
    for k in keys:
        t = t.replace(k, k.replace(".", ""))
    tp.write_text(t)
    for d in (proj / ".dist").iterdir():
        if "." in d.name:
            d.rename(d.with_name(d.name.replace(".", "")))
    return keys


# ---------------------------------------------------------------------------
# The SAM path
# ---------------------------------------------------------------------------


def sam_package(step, proj, template, bucket, env, over):
    """`sam package` into bucket; returns timing and what the bucket gained (new keys, bytes)."""
    before = MOTO_SRV.list(bucket)
    out_t = PK / "packaged" / f"{proj.parent.name}-{proj.name}-{next(_LOGSEQ)}.yaml"
    out_t.parent.mkdir(parents=True, exist_ok=True)
    wall, p = run(step, [SAM, "package", "--template-file", template, "--s3-bucket", bucket,
                         "--output-template-file", out_t, "--region", "us-east-1"], proj, env, over)
    after = MOTO_SRV.list(bucket)
    new = {k: v for k, v in after.items() if k not in before and not k.endswith(".template")}
    text = p.stdout + p.stderr
    uploading = len(set(re.findall(r"Uploading to (\S+)", text)))
    skipped = len(set(re.findall(r"File with same data already exists at (\S+), skipping upload", text)))
    return {"wall": wall, "objects": len(new), "bytes": sum(new.values()), "keys": sorted(new),
            "uploading_lines": uploading, "skipped_lines": skipped}


class SamPath:
    def __init__(self, name, proj, bucket):
        self.name, self.proj, self.bucket = name, proj, bucket
        self.pip_cache = PK / "caches" / f"{name}-pip"
        self.res = {"cold": [], "warm": [], "warm_parallel": [], "change": [], "renamed": []}

    def orig_build(self, step):
        discard(self.proj / ".dist")
        discard(self.proj / "template.yaml")
        env, over = orig_env()
        wall, _ = run(f"original deployless build ({step})", [ORIG, "build"], self.proj, env, over)
        self.res["renamed"] = sanitize_orig(self.proj)
        return wall

    def sam_build(self, step, cached):
        env, over = sam_env(self.pip_cache)
        cmd = [SAM, "build", "--template-file", "template.yaml"] + (["--cached", "--parallel"] if cached else [])
        wall, _ = run(f"sam build{' --cached --parallel' if cached else ''} ({step})", cmd, self.proj, env, over)
        return wall

    def package(self, step):
        env, over = sam_env(self.pip_cache)
        return sam_package(f"sam package, SAM path ({step})", self.proj, ".aws-sam/build/template.yaml",
                           self.bucket, env, over)

    def cold(self):
        log(f"{self.name}: SAM path, cold (empty .aws-sam and pip cache)")
        discard(self.pip_cache)
        discard(self.proj / ".aws-sam")
        wait_idle(f"{self.name} SAM cold")
        i0 = len(FOREIGN)
        r = {"orig": self.orig_build("cold")}
        r["build"] = self.sam_build("cold", False)
        self.res["build_size"] = tree_size(self.proj / ".aws-sam" / "build")
        self.res["build_distinct"] = distinct_size(self.proj / ".aws-sam" / "build")
        self.res["orig_dist_size"] = tree_size(self.proj / ".dist")
        self.res["functions"] = len(inventory(self.proj)["functions"])
        self.res["pip_cache"] = tree_size(self.pip_cache) if self.pip_cache.exists() else (0, 0)
        r["package"] = self.package("cold: first upload")
        r["foreign"] = foreign_since(i0)
        self.res["cold"].append(r)
        log(f"{self.name}: SAM cold: original {fmt_s(r['orig'])}, sam build {fmt_s(r['build'])}, "
            f"sam package {fmt_s(r['package']['wall'])} ({r['package']['objects']} objects, "
            f"{fmt_bytes(r['package']['bytes'])})")

    def warm(self, i):
        discard(self.proj / ".aws-sam")
        wait_idle(f"{self.name} SAM warm #{i}")
        i0 = len(FOREIGN)
        r = {"orig": self.orig_build("warm")}
        r["build"] = self.sam_build("warm", False)
        r["package"] = self.package("warm: no-change redeploy")
        r["foreign"] = foreign_since(i0)
        self.res["warm"].append(r)
        log(f"{self.name}: SAM warm #{i}: original {fmt_s(r['orig'])}, sam build {fmt_s(r['build'])}, "
            f"sam package {fmt_s(r['package']['wall'])} ({r['package']['objects']} new objects)")

    def warm_parallel(self):
        # `--cached` needs .aws-sam/cache, which only a --cached build writes: a full
        # `sam build --cached --parallel` from an empty .aws-sam (pip cache kept) fills it, and is
        # measured too: SAM's fastest full build.
        discard(self.proj / ".aws-sam")
        wait_idle(f"{self.name} SAM warm --cached --parallel")
        i0 = len(FOREIGN)
        r = {"orig": self.orig_build("warm, parallel")}
        r["build"] = self.sam_build("warm, empty .aws-sam: fills .aws-sam/cache", True)
        r["package"] = self.package("warm, parallel: no-change redeploy")
        r["foreign"] = foreign_since(i0)
        self.res["warm_parallel"].append(r)
        log(f"{self.name}: SAM warm --cached --parallel from an empty .aws-sam: original {fmt_s(r['orig'])}, "
            f"sam build {fmt_s(r['build'])}, sam package {fmt_s(r['package']['wall'])} "
            f"({r['package']['objects']} new objects)")

    def change(self, i, feature):
        wait_idle(f"{self.name} SAM change #{i}")
        edit_feature(self.proj, feature)
        i0 = len(FOREIGN)
        r = {"orig": self.orig_build("one-line change")}
        r["build"] = self.sam_build("one-line change", True)
        r["package"] = self.package("after the one-line change")
        r["foreign"] = foreign_since(i0)
        self.res["change"].append(r)
        log(f"{self.name}: SAM change #{i}: original {fmt_s(r['orig'])}, sam build --cached --parallel "
            f"{fmt_s(r['build'])}, sam package {fmt_s(r['package']['wall'])} ({r['package']['objects']} new "
            f"objects, {fmt_bytes(r['package']['bytes'])})")


# ---------------------------------------------------------------------------
# Ours
# ---------------------------------------------------------------------------


class OursPath:
    def __init__(self, name, proj, bucket):
        self.name, self.proj, self.bucket = name, proj, bucket
        self.cache = self.uv_cache = None
        self.res = {"cold": [], "warm": [], "noop": [], "change": [], "uploads": {"first": None, "noop": [],
                                                                                   "change": []},
                    "uv_calls": {"cold": [], "warm": [], "noop": [], "change": []}, "digests": []}
        self.last_digests = None
        self.feature_fns = None

    def build(self, step, kind):
        env, over = ours_env(self.cache, self.uv_cache)
        n0 = len(uv_calls())
        wall, p = run(f"deployless build ({step})", [OURS, "build"], self.proj, env, over)
        self.res["uv_calls"][kind].append(len(uv_calls()) - n0)
        inv = inventory(self.proj)
        arts = artifacts(self.proj, inv)
        d = digests(arts)
        self.res["digests"].append({"kind": kind, "digests": d})
        prev, self.last_digests = self.last_digests, d
        self.inv, self.arts = inv, arts
        return wall, prev, d

    def clean(self):
        discard(self.proj / ".dist")
        discard(self.proj / "template.yaml")

    def cold(self, i):
        wait_idle(f"{self.name} ours cold #{i}")
        root = PK / "caches" / f"{self.name}-ours-cold-{i}"
        discard(root)
        self.cache, self.uv_cache = root / "deployless", root / "uv"
        self.clean()
        wall, _, _ = self.build("cold: fresh DEPLOYLESS_CACHE_DIR and UV_CACHE_DIR", "cold")
        self.res["cold"].append(wall)
        log(f"{self.name}: ours cold #{i}: {fmt_s(wall)} ({self.res['uv_calls']['cold'][-1]} uv calls)")

    def first_upload(self):
        env, over = sam_env(PK / "caches" / "unused-pip")
        u = sam_package("sam package, ours (first upload)", self.proj, "template.yaml", self.bucket, env, over)
        self.res["uploads"]["first"] = u
        self.res["sizes"] = self.sizes()
        log(f"{self.name}: ours first upload: {u['objects']} objects, {fmt_bytes(u['bytes'])}, {fmt_s(u['wall'])}")

    def warm(self, i):
        self.clean()
        wall, _, _ = self.build("warm: outputs removed, caches kept", "warm")
        self.res["warm"].append(wall)
        log(f"{self.name}: ours warm #{i}: {fmt_s(wall)} ({self.res['uv_calls']['warm'][-1]} uv calls)")

    def noop_and_upload(self):
        wall, prev, d = self.build("no-op: nothing changed, outputs in place", "noop")
        self.res["noop"].append(wall)
        env, over = sam_env(PK / "caches" / "unused-pip")
        u = sam_package("sam package, ours (no change)", self.proj, "template.yaml", self.bucket, env, over)
        self.res["uploads"]["noop"].append(u)
        log(f"{self.name}: ours no-op build {fmt_s(wall)}; sam package {fmt_s(u['wall'])}: {u['objects']} new objects")

    def expected_change(self, feature):
        """Artifacts that hold the feature's routes.py: those a change to it must re-upload."""
        want = f"app/features/{feature}/routes.py"
        out = set()
        for lid, p in self.arts.items():
            with zipfile.ZipFile(p) as z:
                if want in z.namelist():
                    out.add(lid)
        return sorted(out)

    def change(self, i, feature):
        if self.feature_fns is None:
            self.feature_fns = self.expected_change(feature)
        edit_feature(self.proj, feature)
        wall, prev, d = self.build("one-line change, outputs in place", "change")
        changed = sorted(k for k in d if prev is None or prev.get(k) != d[k])
        env, over = sam_env(PK / "caches" / "unused-pip")
        u = sam_package("sam package, ours (after the one-line change)", self.proj, "template.yaml", self.bucket,
                        env, over)
        u["changed_artifacts"] = changed
        self.res["change"].append(wall)
        self.res["uploads"]["change"].append(u)
        log(f"{self.name}: ours change #{i}: {fmt_s(wall)}; changed {changed}; sam package {fmt_s(u['wall'])}: "
            f"{u['objects']} new objects, {fmt_bytes(u['bytes'])}")

    def sizes(self):
        d = self.proj / ".dist"
        files, size = tree_size(d)
        fz = [self.arts[k] for k in self.inv["functions"]]
        lz = [self.arts[k] for k in self.inv["layers"]]
        layer_info = {}
        for k in self.inv["layers"]:
            unz, n = zip_unzipped(self.arts[k])
            layer_info[k] = {"zip": self.arts[k].stat().st_size, "unzipped": unz, "entries": n,
                             "pyc": pyc_kinds(self.arts[k])}
        fn0 = next(iter(self.inv["functions"]))
        return {"dist_files": files, "dist_bytes": size,
                "function_zips": len(fz), "function_zip_bytes": sum(p.stat().st_size for p in fz),
                "layer_zips": len(lz), "layer_zip_bytes": sum(p.stat().st_size for p in lz),
                "layers": layer_info, "function_pyc": pyc_kinds(self.arts[fn0]), "pyc_sample": fn0,
                "folders": sorted(p.name for p in d.iterdir() if p.is_dir())}


# ---------------------------------------------------------------------------
# Cold start with and without bytecode
# ---------------------------------------------------------------------------

CHILD = r"""
import json, sys
import bootstrap
r = bootstrap.handler(json.loads(sys.argv[1]), None)
sys.stdout.write(json.dumps({"statusCode": r.get("statusCode"), "body": str(r.get("body"))[:160]}) + "\n")
sys.stdout.flush()
import os
root = os.environ["BENCH_ROOT"] + os.sep
mods = [m for m in list(sys.modules.values())
        if isinstance(getattr(m, "__file__", None), str) and os.path.abspath(m.__file__).startswith(root)]
pyc = [m for m in mods if isinstance(getattr(m, "__cached__", None), str) and os.path.exists(m.__cached__)]
sys.stdout.write(json.dumps({"modules": len(sys.modules), "from_package": len(mods),
                             "package_with_pyc": len(pyc)}) + "\n")
"""

FLOOR_CHILD = "import sys; sys.stdout.write('{}\\n'); sys.stdout.flush()"


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


def strip_bytecode(d):
    n = 0
    for p in list(d.rglob("__pycache__")):
        n += sum(1 for _ in p.glob("*.pyc"))
        shutil.rmtree(p)  # not timed: the cold-start runs come later
    for p in list(d.rglob("*.pyc")):
        p.unlink()
        n += 1
    return n


def cold_once(s, code, args):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "AWS_REGION": "us-east-1",
           "AWS_DEFAULT_REGION": "us-east-1", "LAMBDA_TASK_ROOT": str(s["task"]), "BENCH_ROOT": str(s["root"])}
    if s["pythonpath"]:
        env["PYTHONPATH"] = os.pathsep.join(s["pythonpath"])
    env.update(s.get("env") or {})  # e.g. the function's template variables (bench/coldstart.py)
    t0 = time.perf_counter()
    # -S: no `site`, so none of this interpreter's own site-packages (here: a sandbox .pth that
    # imports certifi at start-up whenever a layer makes it importable, ~24 ms); -B: nothing written.
    p = subprocess.Popen([str(PY313), "-S", "-B", "-c", code, *args], cwd=s["task"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = p.stdout.readline()
    wall = time.perf_counter() - t0
    rest, err = p.communicate()
    return wall, line.decode().strip(), rest.decode().strip(), err.decode(), p.returncode


def setup_cold_subjects(name, ours, sam, fid, event):
    """Three layouts of one function: ours with its .pyc, ours with every .pyc removed, and the SAM
    path's built folder (as `sam build` ships it: dependencies inside, no .pyc)."""
    root = PK / "coldstart" / f"{name}-{fid}"
    discard(root)
    subjects = []
    inv, arts = ours.inv, ours.arts
    for mode in ("pyc", "nopyc"):
        base = root / mode
        task = base / "task"
        task.mkdir(parents=True)
        with zipfile.ZipFile(arts[fid]) as z:
            z.extractall(task)
        pp = []
        for i, lid in enumerate(inv["functions"][fid]["layers"]):
            if lid not in arts:
                die(f"{fid}'s layer {lid} has no zip")
            opt = base / f"opt-{i}-{lid}"
            opt.mkdir()
            with zipfile.ZipFile(arts[lid]) as z:
                z.extractall(opt)
            # Lambda's order: /opt/python/lib/python3.x/site-packages, then /opt/python.
            pp += [str(opt / "python" / "lib" / "python3.13" / "site-packages"), str(opt / "python")]
        stripped = strip_bytecode(base) if mode == "nopyc" else 0
        pyc = sum(1 for _ in base.rglob("*.pyc"))
        subjects.append({"label": f"ours, {'with .pyc' if mode == 'pyc' else 'every .pyc removed'}", "mode": mode,
                         "task": task, "root": base, "pythonpath": pp, "pyc_files": pyc, "stripped": stripped,
                         "layers": inv["functions"][fid]["layers"], "walls": []})
    if sam is not None:
        src = sam.proj / ".aws-sam" / "build" / fid
        if src.is_dir():
            base = root / "sam"
            shutil.copytree(src, base / "task")
            subjects.append({"label": "SAM path (`sam build` output: dependencies inside, no .pyc)", "mode": "sam",
                             "task": base / "task", "root": base, "pythonpath": [],
                             "pyc_files": sum(1 for _ in base.rglob("*.pyc")), "stripped": 0, "layers": [],
                             "walls": []})
    return subjects


def bench_cold(name, subjects, event, runs, before_round=None):
    """Every layout, and the interpreter floor (the same interpreter and environment printing one
    line), once per iteration, in a rotating order. A subject with an "event_json" is sent that
    instead of event, and before_round(i) is called before each round (bench/coldstart.py: it mixes
    functions and waits for an idle machine round by round)."""
    ev = json.dumps(event)
    os.sync()  # the builds' writeback must not overlap the runs
    wait_idle(f"{name} cold starts")
    floor = {"label": "floor", "walls": []}
    every = subjects + [floor]
    for i in range(runs):
        if before_round:
            before_round(i)
        order = every[i % len(every):] + every[:i % len(every)]
        if i % 2:
            order = order[::-1]
        for s in order:
            if s is floor:
                wall, _, _, _, _ = cold_once(subjects[0], FLOOR_CHILD, [])
                floor["walls"].append(wall)
                continue
            wall, line, rest, err, rc = cold_once(s, CHILD, [s.get("event_json", ev)])
            try:
                resp = json.loads(line) if line else {}
            except ValueError:
                resp = {}
            if str(resp.get("statusCode")) != "200":
                die(f"cold start of {name} {s['label']} answered {line!r} (exit {rc})\n--- stderr tail:\n"
                    + "\n".join(err.strip().splitlines()[-30:]))
            s["walls"].append(wall)
            s["response"] = resp
            try:
                s["modules"] = json.loads(rest.splitlines()[0])
            except (ValueError, IndexError):
                s["modules"] = {}
    for s in subjects:
        s["stat"] = stats(s["walls"])
        log(f"cold start {name} {s['label']}: {fmt_stat(s['stat'])}")
    COMMANDS["cold start"] = {
        "argv": f"{rel(PY313)} -S -B -c <import bootstrap; bootstrap.handler(event)> '<API Gateway REST v1 GET event>'",
        "cwd": "$PK/coldstart/<project>-<function>/<layout>/task",
        "env": "only PATH=/usr/bin:/bin LANG AWS_REGION AWS_DEFAULT_REGION LAMBDA_TASK_ROOT "
               "PYTHONPATH=<each layer>/python/lib/python3.13/site-packages:<each layer>/python"}
    return {"subjects": [{k: (str(v) if isinstance(v, Path) else v) for k, v in s.items()} for s in subjects],
            "floor": stats(floor["walls"]), "event": event}


# ---------------------------------------------------------------------------
# Machine and versions (no git: the commit is read from .git's files)
# ---------------------------------------------------------------------------


def head_commit():
    try:
        g = REPO / ".git"
        if g.is_file():
            g = (REPO / g.read_text().split(":", 1)[1].strip()).resolve()
        head = (g / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head[5:]
        p = g / ref
        if p.is_file():
            return f"{p.read_text().strip()[:12]} ({ref.rsplit('/', 1)[-1]})"
        for line in (g / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return f"{line.split()[0][:12]} ({ref.rsplit('/', 1)[-1]})"
    except OSError:
        pass
    return "unknown"


def machine_info():
    cpu, mem = "unknown", "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    df = cmd_out(["df", "-T", str(PK)]).splitlines()
    sam_freeze = cmd_out([SAM_PY, "-m", "pip", "freeze", "--disable-pip-version-check"]).split()
    pick = lambda freeze, names: ", ".join(x for x in freeze if x.split("==")[0].lower() in names)  # noqa: E731
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(), "cpu": cpu, "mem": mem, "kernel": platform.release(),
        "fstype": df[-1].split()[1] if len(df) > 1 else "unknown",
        "ours": cmd_out([OURS, "--version"]), "ours_sha256": sha256(OURS)[:16], "commit": head_commit(),
        "go": cmd_out(["go", "version"]),
        "orig": cmd_out([ORIG, "--version"]),
        "sam": cmd_out([SAM, "--version"]),
        "sam_libs": pick(sam_freeze, {"aws-sam-cli", "aws-lambda-builders", "aws-sam-translator", "boto3"}),
        "moto": pick(cmd_out([REPO / ".venv" / "bin" / "python", "-m", "pip", "freeze",
                              "--disable-pip-version-check"]).split(), {"moto"}),
        "uv": cmd_out([UV, "--version"]),
        "py313": f"{cmd_out([PY313, '--version'])} ({PY313}), {cmd_out([PY313, '-m', 'pip', '--version']).split(' from ')[0]}",
        "harness_python": platform.python_version(),
        "py313_path": str(PY313),
        "pip_env": ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("PIP_")) or "none",
    }


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


def sums(rounds, parts=("orig", "build", "package")):
    return [sum(r[p]["wall"] if p == "package" else r[p] for p in parts) for r in rounds]


def med(xs):
    return statistics.median(xs) if xs else None


def ratio(a, b):
    return a / b if a is not None and b else None


def write_report(R, info, cmdline, path, elapsed):
    L = []
    A = L.append
    A("# Packaging benchmark: edit → deployable artifacts, ours vs original deployless + `sam build`")
    A("")
    A(f"Generated by `{cmdline}` (bench/packaging.sh → bench/packaging.py) on {info['date']}; the whole "
      f"harness took {elapsed / 60:.1f} min. Do not edit by hand: rerun the harness.")
    A("")
    A("## Machine and versions")
    A("")
    A(f"- CPU: {info['cpu']}, `nproc` = {info['nproc']}; memory {info['mem']}; Linux {info['kernel']}; "
      f"projects built on {info['fstype']} (`bench/.work/packaging/`)")
    A(f"- ours: `{info['ours']}` (binary sha256 {info['ours_sha256']}…), work tree at commit {info['commit']} "
      f"(uncommitted changes not checked: the harness runs no git), {info['go']}")
    A(f"- original: `{info['orig']}` (PyPI `deployless==0.1.5`, in `bench/.work/venv`, Python "
      f"{info['harness_python']})")
    A(f"- SAM CLI: `{info['sam']}` ({info['sam_libs']}); moto_server: {info['moto']}; uv: `{info['uv']}`")
    A(f"- runtime Python for `sam build` and ours' bytecode: {info['py313']}; pip settings from the "
      f"environment: {info['pip_env']}")
    fg = R.get("foreign") or {}
    if fg:
        names = {"sam": "the SAM path's steps", "ours": "ours' builds", "ours_pkg": "ours' `sam package` runs"}
        A("- other load: CPU time used by processes other than the measured ones (and moto_server) during the "
          "timed steps, as a share of the machine's " + str(info["nproc"]) + " CPUs (from `/proc/stat` less the "
          "measured processes' rusage; kernel writeback of the tools' own files counts here too): " +
          "; ".join(f"{names[g]} {v['share'] * 100:.1f}%" + (
              f" (worst step of 1 s or more: {v['worst_share'] * 100:.0f}%, `{v['worst_step']}`)"
              if "worst_step" in v else "") for g, v in fg.items()))
    A("")
    A("## What is measured")
    A("")
    A("- **SAM path**: the original deployless (`deployless build`: `template.yaml` plus one `.dist/<Id>/` "
      "folder per function holding the code and a `requirements.txt`), then `sam build` (pip once per "
      "function, python3.13 from PATH), then `sam package --s3-bucket …` (zips every built folder, uploads "
      "what the bucket lacks). *Cold*: `.aws-sam/` and `PIP_CACHE_DIR` empty (1 run). *Warm*: `.aws-sam/` "
      "removed, pip cache kept. *One-line change*: `sam build --cached --parallel` after one line of one "
      "feature's `routes.py` changed; `.aws-sam/cache` is filled by the "
      "warm round that runs `sam build --cached --parallel` from an empty `.aws-sam` (SAM's fastest full "
      "build). The original's bytecode cache is warm (`PYTHONPYCACHEPREFIX` outside the project, "
      "as in bench/RESULTS.md).")
    A("- **ours**: `deployless build` writes `template.yaml`, `.dist/<FunctionId>.zip` per function and "
      "`.dist/<LayerId>.zip` per dependency layer (installed by uv, `.pyc` compiled with python3.13). "
      "*Cold*: fresh `DEPLOYLESS_CACHE_DIR` and `UV_CACHE_DIR`, no outputs. *Warm*: outputs removed, caches "
      "kept. *No-op*: built again, nothing changed. *One-line change*: the same edit as the SAM path's, "
      "outputs in place. Uploads: `sam package --template-file template.yaml --s3-bucket …` of ours' output.")
    A("- The edit: the last line of the feature's `routes.py` becomes `_BENCH_EDIT = <n>` (n new every time: "
      f"new content, never a revert). Features: " + ", ".join(f"{n}: `{f}`" for n, f in R["features"].items()) + ".")
    A("- Uploads: each path packages into its own bucket on a local moto_server (S3 at "
      "`AWS_ENDPOINT_URL=http://localhost:<port>`); *uploaded* = objects the bucket gained (listed before and "
      "after, `.template` keys left out) and their bytes. SAM names a zip `CodeUri` by the MD5 of its bytes "
      "and a folder by an MD5 over its files, and skips keys that exist (docs/packaging-design.md F1–F7).")
    A("- Every timing is the wall time of the whole process, measured by the harness. The paths alternate "
      "round by round (SAM round, then ours' runs, then the reverse order). Median (min–max).")
    renamed = {n: r["sam"]["renamed"] for n, r in R["projects"].items() if r.get("sam") and r["sam"]["renamed"]}
    if renamed:
        A("- The original's templates cannot be built by SAM as written: it names a `@pc.route` split after its "
          "Flask endpoint, a logical ID with a dot, which the SAM transform rejects (`Logical ids must be "
          "alphanumeric`; docs/compat.md). After each original build the harness drops the dots from those IDs "
          "(and their references and `.dist/` folders; untimed, a few ms): " +
          "; ".join(f"{n}: {', '.join('`' + k + '`' for k in ks[:2])}{' …' if len(ks) > 2 else ''} "
                    f"({len(ks)} IDs)" for n, ks in renamed.items()) + ".")
    pipc = {n: r["sam"]["pip_cache"] for n, r in R["projects"].items() if r.get("sam")}
    if pipc and all(v[0] == 0 for v in pipc.values()):
        A("- **pip's cache stays empty on this machine**: `PIP_CACHE_DIR` held 0 files after the cold "
          "`sam build`. The network path here serves PyPI without caching headers (no `Cache-Control`, "
          "`x-cache-status: BYPASS`), so pip's HTTP cache stores nothing and the *warm* `sam build` downloads "
          "every wheel again, like the cold one. Where a pip cache works, a warm `sam build` saves those "
          "downloads; pip's start-up and install per function remain.")
    elif pipc:
        A("- pip cache after the cold `sam build`: " + "; ".join(
            f"{n}: {v[0]:,} files, {fmt_bytes(v[1])}" for n, v in pipc.items()) + ".")
    A("")

    # --- 1. time
    A("## 1. Edit → deployable artifacts: time")
    A("")
    A("SAM path = original `deployless build` + `sam build` + `sam package` (its upload included); ours = "
      "`deployless build` alone (its zips are the deployable artifacts), and then with the `sam package` of its "
      "output that uploads them (the median of that case's `sam package` runs: the first upload for cold, the "
      "no-change one for warm; most of it is the SAM CLI's own start-up, about 1.5 s).")
    A("")
    busy_rows = []
    A("| project | case | original build | `sam build` | `sam package` | SAM path total | ours `deployless build` | speedup | ours + its `sam package` | speedup |")
    A("|---|---|---|---|---|---|---|---|---|---|")
    for n, r in R["projects"].items():
        S, O = r.get("sam"), r["ours"]
        rows = [("cold", "cold", "cold"), ("warm", "warm", "warm"),
                ("warm, `sam build --cached --parallel` from an empty `.aws-sam`", "warm_parallel", "warm"),
                ("one-line change", "change", "change")]
        for label, sk, ok in rows:
            so = stats([x["orig"] for x in S[sk]]) if S and S[sk] else None
            sb = stats([x["build"] for x in S[sk]]) if S and S[sk] else None
            sp = stats([x["package"]["wall"] for x in S[sk]]) if S and S[sk] else None
            tot = stats(sums(S[sk])) if S and S[sk] else None
            fr = max((x.get("foreign", 0) for x in S[sk]), default=0) if S and S[sk] else 0
            if fr > 0.15:
                busy_rows.append(f"{n} {label}: {fr * 100:.0f}%")
            ours = stats(O[ok]) if O[ok] else None
            upk = {"cold": [O["uploads"]["first"]] if O["uploads"]["first"] else [],
                   "warm": O["uploads"]["noop"], "change": O["uploads"]["change"]}[ok]
            withup = (ours["median"] + med([u["wall"] for u in upk])) if ours and upk else None
            if S is None and sk == "warm_parallel":
                continue
            A(f"| {n} | {label} | {fmt_stat(so)} | {fmt_stat(sb)}{' (`--cached --parallel`)' if sk == 'change' else ''} | "
              f"{fmt_stat(sp)} | {fmt_stat(tot)} | {fmt_stat(ours)} | "
              f"{fmt_x(ratio(tot and tot['median'], ours and ours['median']))} | "
              f"{fmt_s(withup) if withup else '—'} | {fmt_x(ratio(tot and tot['median'], withup))} |")
        if O["noop"]:
            A(f"| {n} | nothing changed (ours: no-op rebuild) | — | — | — | — | {fmt_stat(stats(O['noop']))} | — | "
              f"{fmt_s(med(O['noop']) + med([u['wall'] for u in O['uploads']['noop']]))} | — |")
    A("")
    A("`sam package` always re-zips every built folder before it can skip an upload (F7), so it costs the "
      "same with or without changes.")
    if busy_rows:
        A("")
        A("**Other load during SAM rounds** (CPU share of other processes, worst round; those rounds are slower "
          "than on an idle machine): " + "; ".join(busy_rows) + ".")
    waits = R.get("waits") or []
    if waits:
        A("")
        A("The harness waited for other load to settle before: " + "; ".join(
            f"{l} ({w:.0f} s{f', gave up at {b * 100:.0f}% busy' if b else ''})" for l, w, b in waits) + ".")
    A("")

    # --- 2. uploads
    A("## 2. Bytes uploaded")
    A("")
    A("| project | path | first upload | no-change redeploy | after the one-line change | artifacts re-uploaded after the change |")
    A("|---|---|---|---|---|---|")
    for n, r in R["projects"].items():
        S, O = r.get("sam"), r["ours"]

        def up(us):
            if not us:
                return "—"
            objs = sorted({u["objects"] for u in us})
            byts = stats([u["bytes"] for u in us])
            o = "/".join(map(str, objs))
            b = fmt_bytes(byts["median"]) if fmt_bytes(byts["min"]) == fmt_bytes(byts["max"]) else \
                f"{fmt_bytes(byts['median'])} ({fmt_bytes(byts['min'])}–{fmt_bytes(byts['max'])})"
            return f"{o} object{'' if objs == [1] else 's'}, {b}"
        if S:
            A(f"| {n} | SAM path (`sam package` of `.aws-sam/build`) | {up([S['cold'][0]['package']])} | "
              f"{up([x['package'] for x in S['warm'] + S['warm_parallel']])} (after a warm `sam build`) | "
              f"{up([x['package'] for x in S['change']])} | — |")
        fu = O["uploads"]
        ch = sorted({tuple(u["changed_artifacts"]) for u in fu["change"]})
        A(f"| {n} | ours (`sam package` of `template.yaml`) | {up([fu['first']] if fu['first'] else [])} | "
          f"{up(fu['noop'])} | {up(fu['change'])} | "
          f"{'; '.join(', '.join(c) for c in ch) if ch else '—'} |")
    A("")
    A("The SAM path's no-change redeploy follows a warm `sam build` (all of `.aws-sam/build` made again from "
      "scratch); ours' follows a no-op `deployless build`. Ours' uploads count every zip of the template: "
      "function code and dependency layers.")
    pk = []
    for n, r in R["projects"].items():
        S, O = r.get("sam"), r["ours"]
        ou = O["uploads"]["noop"] + O["uploads"]["change"]
        if not ou or not O.get("sizes"):
            continue
        z = O["sizes"]
        t = (f"{n}: ours' `sam package` takes {fmt_stat(stats([u['wall'] for u in ou]))} for "
             f"{z['function_zips'] + z['layer_zips']} zips")
        if S:
            su = [x["package"] for x in S["warm"] + S["warm_parallel"] + S["change"]]
            t += (f", the SAM path's {fmt_stat(stats([u['wall'] for u in su]))} for {S['functions']} folders "
                  f"(it zips each before it can skip it)")
        pk.append(t)
    if pk:
        A("")
        A("Time of `sam package` itself when little or nothing is uploaded (SAM CLI start-up, an MD5 and an S3 "
          "`HeadObject` per artifact): " + "; ".join(pk) + ".")
    A("")

    # --- 3. sizes
    A("## 3. Package bytes on disk")
    A("")
    A("| project | functions | SAM path: original's `.dist/` | SAM path: `.aws-sam/build` (distinct content) | "
      "ours: `.dist/` | ours: function zips | ours: layer zips (unzipped) |")
    A("|---|---|---|---|---|---|---|")
    for n, r in R["projects"].items():
        S, O = r.get("sam"), r["ours"]
        z = O.get("sizes")
        if not z:
            continue
        lay = "; ".join(f"{k}: {fmt_bytes(v['zip'])} ({fmt_bytes(v['unzipped'])}, {v['entries']:,} entries)"
                        for k, v in z["layers"].items()) or "none"
        sam_b = (f"{S['build_size'][0]:,} files, {fmt_bytes(S['build_size'][1])} "
                 f"({fmt_bytes(S['build_distinct'])})") if S else "—"
        sam_d = f"{S['orig_dist_size'][0]:,} files, {fmt_bytes(S['orig_dist_size'][1])}" if S else "—"
        A(f"| {n} | {z['function_zips']} | {sam_d} | {sam_b} | {z['dist_files']:,} files, "
          f"{fmt_bytes(z['dist_bytes'])} | {z['function_zips']}, {fmt_bytes(z['function_zip_bytes'])} | {lay} |")
    A("")
    for n, r in R["projects"].items():
        z = r["ours"].get("sizes")
        if z:
            pyc_l = "; ".join(f"{k}: {', '.join(f'{c} {m}' for m, c in v['pyc'].items()) or 'no .pyc'}"
                              for k, v in z["layers"].items())
            pyc_f = ", ".join(f"{c} {m}" for m, c in z["function_pyc"].items()) or "no .pyc"
            A(f"- {n}: bytecode in ours' zips: {z['pyc_sample']}.zip: {pyc_f}; {pyc_l or 'no layers'}. "
              f"Unzipped folders left in `.dist/`: {len(z['folders'])}"
              f"{' (' + ', '.join(z['folders'][:3]) + (' …' if len(z['folders']) > 3 else '') + ')' if z['folders'] else ''}.")
    A("")

    # --- 4. cold start
    A("## 4. Cold start with and without bytecode")
    A("")
    A("One function laid out as Lambda does: its code zip extracted to a task-root folder (the working "
      "folder), each layer zip extracted to an `/opt`-like folder whose `python/` (and "
      "`python/lib/python3.13/site-packages`) goes on `PYTHONPATH`. Each run starts "
      f"`{rel(info.get('py313_path', PY313))} -S -B -c …` (nothing written; an environment of PATH, LANG, "
      "region, `LAMBDA_TASK_ROOT` and `PYTHONPATH` only; `-S` keeps this interpreter's own site-packages "
      "out: on this machine it holds a sandbox `.pth` that imports `certifi` at start-up whenever a layer "
      "makes it importable, about 24 ms that Lambda's runtime does not spend), imports `bootstrap` and calls `bootstrap.handler` with an "
      "API Gateway REST (v1) GET event; the time is from process start to the response line on stdout. "
      "*with .pyc*: ours' zips as built; *every .pyc removed*: the same folders with every `__pycache__` and "
      "`.pyc` deleted from code and layers. The SAM path's package (`.aws-sam/build/<Id>`, dependencies "
      "inside, no `.pyc`) is run the same way for reference. The layouts alternate run by run; all answered 200.")
    A("")
    A("| function | event | layout | cold start | .pyc files | package modules imported (with a .pyc) | runs |")
    A("|---|---|---|---|---|---|---|")
    for n, r in R["projects"].items():
        C = r.get("cold")
        if not C:
            continue
        for s in C["subjects"]:
            m = s.get("modules", {})
            A(f"| {n} {C['fid']} | GET {C['event']['path']} | {s['label']} | {fmt_stat(s['stat'])} | "
              f"{s['pyc_files']:,} | {m.get('from_package', '?')} ({m.get('package_with_pyc', '?')}) | {s['stat']['n']} |")
        by = {s["mode"]: s for s in C["subjects"]}
        if "pyc" in by and "nopyc" in by:
            A(f"| {n} {C['fid']} | | with / without .pyc | "
              f"**{by['pyc']['stat']['median'] / by['nopyc']['stat']['median']:.2f}×** | | | |")
        A(f"| {n} | | interpreter floor (`-S -B`, one print) | {fmt_stat(C['floor'])} | | | {C['floor']['n']} |")
    A("")

    # --- 5. targets
    A("## 5. Issue 12's targets")
    A("")
    A("The targets are set on the 50-feature project; ums-api's ratios are shown for reference.")
    A("")
    A("| project | target | measured | met |")
    A("|---|---|---|---|")
    for n, r in sorted(R["projects"].items(), key=lambda kv: kv[0] == "ums-api"):
        S, O = r.get("sam"), r["ours"]
        tg = R["targets"].get(n, {})
        is_target = n != "ums-api"
        for key, label, want in (
                ("warm", "warm full build: (original + `sam build` warm + `sam package`) / ours warm", 100),
                ("change", "one-line change: (`sam build --cached --parallel` + `sam package`) / ours change", 200),
                ("upload", "bytes uploaded after the change: SAM / ours", 100),
                ("coldstart", "cold start with .pyc / without", 0.5)):
            v = tg.get(key)
            if v is None:
                continue
            ok = v <= want if key == "coldstart" else v >= want
            shown = f"{v:.2f}×" if key == "coldstart" else fmt_x(v)
            A(f"| {n} | {label} {'≤' if key == 'coldstart' else '≥'} {want}{'' if key == 'coldstart' else '×'} | "
              f"{shown} | {('yes' if ok else '**no**') if is_target else '(no target)'} |")
        extra = tg.get("change_with_orig")
        if extra is not None:
            A(f"| {n} | (for reference) one-line change with the original's build counted: (original + `sam build "
              f"--cached --parallel` + `sam package`) / ours | {fmt_x(extra)} | |")
        extra = tg.get("warm_parallel")
        if extra is not None:
            A(f"| {n} | (for reference) warm, SAM's fastest full build: (original + `sam build --cached --parallel` "
              f"from an empty `.aws-sam` + `sam package`) / ours warm | {fmt_x(extra)} | |")
        extra = tg.get("warm_with_upload")
        if extra is not None:
            A(f"| {n} | (for reference) warm, ours' upload counted: SAM path / (ours warm + ours' no-change "
              f"`sam package`) | {fmt_x(extra)} | |")
    for n, r in R["projects"].items():
        tg, c = R["targets"].get(n, {}), r["ours"].get("composition")
        up = r["ours"]["uploads"]["change"]
        if n == "ums-api" or tg.get("upload") is None or tg["upload"] >= 100 or not c or not up:
            continue
        objs = up[-1]["objects"]
        A("")
        A(f"Why the upload target is missed on {n}: after the change ours uploads {objs} function zips (every "
          f"function of the feature carries its `routes.py`) where SAM uploads "
          f"{r['sam']['change'][-1]['package']['objects']} objects (the original's packages of the feature's "
          f"route function and its split are identical, so SAM stores them once). Each of ours' zips is "
          f"about {fmt_bytes(c['size'])}, of which {fmt_bytes(c['other'])} are files outside `app/` ("
          f"{', '.join('`' + x + '`' for x in c['biggest'])}), the same in {c['identical']} of the {c['zips']} "
          f"function zips; the feature's own code is "
          f"{fmt_bytes(c['app'])} per zip. (§6)")
    A("")

    # --- 6. checks
    A("## 6. Checks on ours' outputs")
    A("")
    for n, r in R["projects"].items():
        for c in r["checks"]:
            A(f"- {n}: {c}")
        c = r["ours"].get("composition")
        if c:
            same = (f"; they are the same (name and CRC-32) in {c['identical']} of the {c['zips']} function zips"
                    if c["identical"] > 1 else "")
            A(f"- {n}: what a one-feature change re-uploads: {c['fid']}.zip, {fmt_bytes(c['size'])} "
              f"({c.get('entries', '?')} entries): the files under `app/` take {fmt_bytes(c['app'])} compressed, "
              f"the {c['other_entries']} other files ({', '.join('`' + b + '`' for b in c['biggest'])}) "
              f"{fmt_bytes(c['other'])}{same}; the rest is zip headers and directory")
    A("")

    # --- commands
    A("## Commands")
    A("")
    A("Every command the harness ran, one line per kind (`$PK` = `bench/.work/packaging`; the full output of "
      "each run is in `bench/.work/packaging/logs/`). Project copies are in `$PK/projects/<project>/{sam,ours}`; "
      "every tool gets `HOME=$PK/home` and dummy AWS credentials (region us-east-1).")
    A("")
    A("| step | command | in | environment |")
    A("|---|---|---|---|")
    for step, c in COMMANDS.items():
        A(f"| {step} | `{c['argv']}` | `{c['cwd']}` | {('`' + c['env'] + '`') if c['env'] else ''} |")
    A("")
    A("## How to reproduce")
    A("")
    A(f"`{RUN_SH}` (options: `bash bench/packaging.sh --help`). It reuses or creates `bench/.work/venv` "
      "(bench/requirements.txt), `.venv` and `.venv-sam` (`scripts/testenv.sh`), builds "
      "`bench/.work/deployless`, and needs python3.13 (pyenv's 3.13.0 here) and network access to PyPI.")
    A("")
    path.write_text("\n".join(L))


def foreign_summary():
    """CPU used by other processes during the timed steps, as a share of the machine, for the SAM
    path's steps, ours' builds and ours' `sam package` runs."""
    ncpu = os.cpu_count() or 1
    groups = {"sam": lambda st: st.startswith(("sam build", "sam package, SAM", "original")),
              "ours": lambda st: st.startswith("deployless build"),
              "ours_pkg": lambda st: st.startswith("sam package, ours")}
    out = {}
    for g, f in groups.items():
        xs = [(st, w, c) for st, w, c in FOREIGN if f(st)]
        if xs:
            tot_w = sum(w for _, w, _ in xs)
            out[g] = {"share": sum(c for _, _, c in xs) / (tot_w * ncpu), "wall": tot_w, "steps": len(xs)}
            long = [x for x in xs if x[1] >= 1]
            if long:
                worst = max(long, key=lambda x: x[2] / x[1])
                out[g].update(worst_step=worst[0], worst_share=worst[2] / (worst[1] * ncpu))
    return out


def compute_targets(R):
    for n, r in R["projects"].items():
        S, O = r.get("sam"), r["ours"]
        t = {}
        if S and S["warm"] and O["warm"]:
            t["warm"] = ratio(med(sums(S["warm"])), med(O["warm"]))
            if S["warm_parallel"]:
                t["warm_parallel"] = ratio(med(sums(S["warm_parallel"])), med(O["warm"]))
            if O["uploads"]["noop"]:
                t["warm_with_upload"] = ratio(med(sums(S["warm"])),
                                              med(O["warm"]) + med([u["wall"] for u in O["uploads"]["noop"]]))
        if S and S["change"] and O["change"]:
            t["change"] = ratio(med(sums(S["change"], ("build", "package"))), med(O["change"]))
            t["change_with_orig"] = ratio(med(sums(S["change"])), med(O["change"]))
            sb = med([x["package"]["bytes"] for x in S["change"]])
            ob = med([u["bytes"] for u in O["uploads"]["change"]])
            t["upload"] = (sb / ob) if ob else (float("inf") if sb else None)
        C = r.get("cold")
        if C:
            by = {s["mode"]: s for s in C["subjects"]}
            if "pyc" in by and "nopyc" in by:
                t["coldstart"] = by["pyc"]["stat"]["median"] / by["nopyc"]["stat"]["median"]
        R["targets"][n] = t


def composition(O):
    """Of the last changed function zip: compressed bytes under app/ and outside it, and in how many
    function zips the entries outside app/ (runtime, bootstrap) are the same (name + CRC-32)."""
    ups = O.res["uploads"]["change"]
    fns = [k for k in (ups[-1]["changed_artifacts"] if ups else []) if k in O.inv["functions"]]
    if not fns:
        return None
    fid = fns[0]

    def split(path):
        app = other = 0
        rest, big = set(), []
        with zipfile.ZipFile(path) as z:
            for e in z.infolist():
                if e.is_dir():
                    continue
                if e.filename.startswith("app/"):
                    app += e.compress_size
                else:
                    other += e.compress_size
                    rest.add((e.filename, e.CRC))
                    big.append((e.compress_size, e.filename))
        return app, other, frozenset(rest), [n for _, n in sorted(big, reverse=True)[:4]]
    app, other, rest, big = split(O.arts[fid])
    same = sum(1 for k in O.inv["functions"] if split(O.arts[k])[2] == rest)
    with zipfile.ZipFile(O.arts[fid]) as z:
        entries = len(z.infolist())
    c = {"fid": fid, "size": O.arts[fid].stat().st_size, "app": app, "other": other, "other_entries": len(rest),
         "entries": entries,
         "biggest": big, "identical": same, "zips": len(O.inv["functions"])}
    O.res["composition"] = c
    return c


def checks(name, O, S):
    out = []
    ds = O.res["digests"]
    full = [d["digests"] for d in ds if d["kind"] in ("cold", "warm", "noop")]
    if full:
        diff = sorted({k for d in full for k in d if d[k] != full[0].get(k)})
        out.append(f"{len(full)} builds of the unchanged project (cold with fresh caches, warm, no-op) gave "
                   + ("byte-identical zips (sha256) every time" if not diff else
                      f"**different zips** for {', '.join(diff[:8])}{' …' if len(diff) > 8 else ''}"))
    for kind in ("warm", "noop", "change"):
        calls = O.res["uv_calls"][kind]
        if calls:
            out.append(f"uv calls per {kind} build: {', '.join(map(str, calls))}"
                       + ("" if not any(calls) else " (**expected 0**: the layer inputs did not change)"))
    if O.res["uv_calls"]["cold"]:
        out.append(f"uv calls per cold build: {', '.join(map(str, O.res['uv_calls']['cold']))}")
    nu = [u["objects"] for u in O.res["uploads"]["noop"]]
    if nu:
        out.append(f"no-change redeploys uploaded {', '.join(map(str, nu))} objects (each after a no-op build)"
                   + ("" if not any(nu) else " (**expected 0**)"))
    want = O.feature_fns or []
    layers = set(O.inv["layers"]) if O.inv else set()
    for i, u in enumerate(O.res["uploads"]["change"], 1):
        ch = set(u["changed_artifacts"])
        notes = []
        if ch != set(want):
            notes.append(f"**expected exactly the zips holding the feature's routes.py: {', '.join(want)}**")
        if ch & layers:
            notes.append("**a layer changed**")
        if u["objects"] != len(ch):
            notes.append(f"**{u['objects']} objects uploaded for {len(ch)} changed zips**")
        out.append(f"change #{i}: zips that changed: {', '.join(sorted(ch)) or 'none'}; uploaded "
                   f"{plural(u['objects'], 'object')}, {fmt_bytes(u['bytes'])}"
                   + (" — " + "; ".join(notes) if notes else " (as expected)"))
    composition(O)  # rendered by write_report
    if S and S.res["warm"]:
        nn = [x["package"]["objects"] for x in S.res["warm"] + S.res["warm_parallel"]]
        out.append(f"SAM path: no-change redeploys after a warm `sam build` uploaded {', '.join(map(str, nn))} objects")
    return out


# ---------------------------------------------------------------------------


def main():
    global MOTO_SRV
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--python313", help="path of the runtime's python3.13 (packaging.sh finds it)")
    ap.add_argument("--features", type=int, default=50, help="features of the generated project (50)")
    ap.add_argument("--projects", default="ums-api,gen", help="ums-api and/or gen (default: both)")
    ap.add_argument("--sam-runs", type=int, default=3, help="SAM path one-line-change rounds (3)")
    ap.add_argument("--sam-warm-runs", type=int, default=1,
                    help="SAM path warm rounds with plain `sam build` (1; each is ~8 min on the 50-feature "
                         "project here), followed by one `sam build --cached --parallel` from an empty .aws-sam")
    ap.add_argument("--ours-runs", type=int, default=5, help="ours' runs per case (5)")
    ap.add_argument("--cold-runs", type=int, default=20, help="cold-start runs per layout (20)")
    ap.add_argument("--no-sam", action="store_true", help="ours only (no SAM path, no ratios)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: 5 features, 1 SAM round, 2 of ours, 5 cold starts; writes "
                         "bench/.work/packaging/PACKAGING.quick.md")
    ap.add_argument("--idle-timeout", type=float, default=900,
                    help="seconds to wait, before each measured round, for other processes to leave the machine "
                         "idle (900; 0: do not wait)")
    ap.add_argument("--rerender", metavar="RESULTS_JSON",
                    help="write the report again from a previous run's results.json (no measurement)")
    args = ap.parse_args()
    if args.rerender:
        saved = json.loads(Path(args.rerender).read_text())
        COMMANDS.update(saved["commands"])
        out = Path(saved["out"])
        write_report(saved["R"], saved["info"], saved["cmdline"], out, saved["elapsed"])
        print(out.read_text())
        return
    global IDLE_TIMEOUT
    IDLE_TIMEOUT = args.idle_timeout
    if not args.python313:
        ap.error("--python313 is required (bench/packaging.sh passes it)")
    if args.quick:
        args.features, args.sam_runs, args.sam_warm_runs, args.ours_runs, args.cold_runs = 5, 1, 1, 2, 5
    shown, skip = [], False
    for a in sys.argv[1:]:
        if skip or a.startswith("--python313"):
            skip = a == "--python313"
            continue
        shown.append(a)
    cmdline = " ".join([RUN_SH] + shown)
    t_start = time.perf_counter()

    PK.mkdir(parents=True, exist_ok=True)
    empty_trash()
    wait_after_trash()
    if LOGDIR.exists():
        discard(LOGDIR)
    LOGDIR.mkdir(parents=True)
    for d in ("projects", "caches", "coldstart", "packaged", "pycache", "home"):
        discard(PK / d)
    (PK / "home").mkdir()
    (PK / "pycache").mkdir()
    setup_tools(args.python313)
    if UVLOG.exists():
        UVLOG.unlink()
    info = machine_info()

    names = []
    for p in args.projects.split(","):
        p = p.strip()
        if p == "ums-api":
            names.append("ums-api")
        elif p == "gen":
            names.append(f"gen-{args.features}")
        elif p:
            die(f"unknown project {p!r} (ums-api, gen)")
    R = {"projects": {}, "targets": {}, "features": {}}
    MOTO_SRV = Moto()
    try:
        for name in names:
            kind = "ums-api" if name == "ums-api" else "gen"
            feature = FEATURE[kind]
            R["features"][name] = feature
            base = PK / "projects" / name
            S = None
            if not args.no_sam:
                copy_project(name, base / "sam", args.features, "realistic")
                S = SamPath(name, base / "sam", f"pk-{name}-sam")
                MOTO_SRV.create_bucket(S.bucket)
            copy_project(name, base / "ours", args.features, "realistic")
            O = OursPath(name, base / "ours", f"pk-{name}-ours")
            MOTO_SRV.create_bucket(O.bucket)
            reqs = (base / "ours" / "requirements.txt").read_text().split()
            log(f"{name}: {reqs}")
            n = args.ours_runs
            # Ours' runs spread over the SAM rounds: k[i] of ours after (or before) SAM round i.
            R_ = max(1, args.sam_runs)
            k = [n // R_ + (1 if i < n % R_ else 0) for i in range(R_)]

            # 1. cold
            half = (n + 1) // 2
            for i in range(half):
                O.cold(i + 1)
            if S:
                S.cold()
            for i in range(half, n):
                O.cold(i + 1)
            O.first_upload()
            # 2. warm: W plain `sam build` rounds, then one `sam build --cached --parallel` from an
            # empty .aws-sam (it fills the cache the one-line changes need)
            W = max(1, args.sam_warm_runs) + 1
            kw = [n // W + (1 if i < n % W else 0) for i in range(W)]
            for i in range(W if S else 1):
                steps = ([lambda i=i: S.warm(i + 1)] if i < W - 1 else [S.warm_parallel]) if S else []
                ours = [lambda j=j: O.warm(j + 1) for j in range(sum(kw[:i]), sum(kw[:i + 1]) if S else n)]
                for f in (steps + ours if i % 2 == 0 else ours + steps):
                    f()
                O.noop_and_upload()
            # 3. one-line change
            for i in range(R_ if S else 1):
                steps = [lambda i=i: S.change(i + 1, feature)] if S else []
                ours = [lambda j=j: O.change(j + 1, feature) for j in range(sum(k[:i]), sum(k[:i + 1]) if S else n)]
                for f in (steps + ours if i % 2 == 0 else ours + steps):
                    f()
            # 4. cold start
            fid, path, resource, params = COLD[kind]
            if fid not in O.inv["functions"]:
                die(f"{name}: ours has no {fid} (functions: {', '.join(O.inv['functions'])})")
            event = rest_event(path, resource, params)
            subjects = setup_cold_subjects(name, O, S, fid, event)
            log(f"{name}: cold start of {fid}, {args.cold_runs} runs per layout")
            cold = bench_cold(name, subjects, event, args.cold_runs)
            cold["fid"] = fid
            R["projects"][name] = {"sam": S.res if S else None, "ours": O.res, "cold": cold,
                                   "checks": checks(name, O, S)}
        compute_targets(R)
    finally:
        MOTO_SRV.stop()
    elapsed = time.perf_counter() - t_start
    R["foreign"] = foreign_summary()
    R["waits"] = WAITS
    out = PK / "PACKAGING.quick.md" if args.quick or args.no_sam or args.projects != "ums-api,gen" \
        or args.features != 50 else BENCH / "PACKAGING.md"
    (PK / "results.json").write_text(json.dumps({"R": R, "info": info, "commands": COMMANDS, "cmdline": cmdline,
                                                 "elapsed": elapsed, "out": str(out)}, indent=1, default=str))
    write_report(R, info, cmdline, out, elapsed)
    print(out.read_text())
    log(f"wrote {rel(out)} and {rel(PK / 'results.json')} in {elapsed / 60:.1f} min")
    empty_trash()


if __name__ == "__main__":
    main()
