#!/usr/bin/env bash
# Benchmark and compatibility harness: ours against the original Python
# deployless (PyPI 0.1.5, used only as a black box).
#
#   bash bench/run.sh [bench.py options]     (bench/bench.py --help)
#
# Idempotent. Sets up everything under bench/.work/ (gitignored):
#   venv/        the original deployless + Flask (it imports routes.py) + PyYAML + uv,
#                from bench/requirements.txt; reused while that file is unchanged
#   deployless   our binary (go build ./cmd/deployless)
#   floor        bench/floor (read and write floors)
#   projects/    examples/ums-api and generated projects of 10, 50 and 200 features,
#                one copy per tool
#   coldstart/   one package + virtualenv per (tool, function)
# then runs bench/bench.py, which prints the markdown tables and writes
# bench/RESULTS.md and docs/compat.md.
#
# Needs: Go 1.26+ with cgo, Python 3.11+, network access to PyPI (first run).
# Env: PYTHON  interpreter for the harness venv (default: python3)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$repo"
work="bench/.work"
python="${PYTHON:-python3}"
log() { printf 'bench: %s\n' "$*" >&2; }

command -v go >/dev/null || { echo "bench: Go 1.26+ is required" >&2; exit 1; }
mkdir -p "$work"

# 1. The harness venv with the original tool.
venv="$work/venv"
want="$(sha256sum bench/requirements.txt | cut -d' ' -f1)"
stamp="$venv/.requirements.sha256"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && "$venv/bin/deployless" --version >/dev/null 2>&1; then
  log "venv up to date ($venv)"
else
  log "creating $venv with $("$python" --version 2>&1)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
  echo "$want" >"$stamp"
fi

# 2. Our binary and the floor tool.
log "building $work/deployless and $work/floor"
CGO_ENABLED=1 go build -o "$work/deployless" ./cmd/deployless
go build -o "$work/floor" ./bench/floor

# 3. Measure, compare, write bench/RESULTS.md and docs/compat.md.
exec "$venv/bin/python" bench/bench.py "$@"
