#!/usr/bin/env bash
# Packaging benchmark: from an edit to deployable artifacts, ours (`deployless build`: zips,
# uv-built layers, .pyc) against the original Python deployless 0.1.5 + `sam build` +
# `sam package`, with uploads counted on a local moto_server.
#
#   bash bench/packaging.sh [packaging.py options]     (bash bench/packaging.sh --help)
#
# Idempotent. Sets up, then runs bench/packaging.py, which writes bench/PACKAGING.md:
#   bench/.work/venv/      the original deployless + Flask + uv (bench/requirements.txt), the same
#                          venv bench/run.sh makes; reused while that file is unchanged
#   .venv/, .venv-sam/     moto_server and the SAM CLI (scripts/testenv.sh, idempotent)
#   bench/.work/deployless our binary (go build ./cmd/deployless)
#   bench/.work/packaging/ projects, caches, logs, cold-start layouts (scratch)
# `sam build` needs the runtime's Python: python3.13 is looked up on PATH, else among pyenv's
# versions (PY313=/path/to/python3.13 overrides both).
#
# Needs: Go 1.26+ with cgo, Python 3.11+, python3.13, network access to PyPI. About 30 minutes.
# Env: PYTHON  interpreter for the harness venv (default: python3); PY313 (see above)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$repo"
work="bench/.work"
python="${PYTHON:-python3}"
log() { printf 'packaging: %s\n' "$*" >&2; }

for a in "$@"; do
  if [[ "$a" == "-h" || "$a" == "--help" ]]; then
    if [[ -x "$work/venv/bin/python" ]]; then
      exec "$work/venv/bin/python" bench/packaging.py --help
    fi
    sed -n '2,17p' "${BASH_SOURCE[0]}"
    exit 0
  fi
done

command -v go >/dev/null || { echo "packaging: Go 1.26+ is required" >&2; exit 1; }
mkdir -p "$work"

# 1. The harness venv with the original tool and uv (the same stamp logic as bench/run.sh).
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

# 2. moto_server (.venv) and the SAM CLI (.venv-sam).
bash scripts/testenv.sh >/dev/null
for tool in .venv/bin/moto_server .venv-sam/bin/sam; do
  [[ -x "$tool" ]] || { echo "packaging: $tool is missing after scripts/testenv.sh" >&2; exit 1; }
done

# 3. The runtime's Python (the real binary, not a pyenv shim).
py313="${PY313:-}"
if [[ -z "$py313" ]]; then
  if command -v python3.13 >/dev/null 2>&1 && python3.13 -c 'import sys' >/dev/null 2>&1; then
    py313="$(python3.13 -c 'import sys; print(sys.executable)')"
  elif command -v pyenv >/dev/null 2>&1; then
    v="$(pyenv versions --bare 2>/dev/null | grep -E '^3\.13(\.[0-9]+)?$' | sort -V | tail -1 || true)"
    if [[ -n "$v" ]]; then
      py313="$(PYENV_VERSION="$v" pyenv which python3.13)"
    fi
  fi
fi
if [[ -z "$py313" || ! -x "$py313" ]]; then
  echo "packaging: python3.13 not found (sam build needs it for runtime python3.13); set PY313=/path/to/python3.13" >&2
  exit 1
fi
log "python3.13: $py313 ($("$py313" --version 2>&1))"

# 4. Our binary.
log "building $work/deployless"
CGO_ENABLED=1 go build -o "$work/deployless" ./cmd/deployless

# 5. Measure and write bench/PACKAGING.md.
exec "$venv/bin/python" bench/packaging.py --python313 "$py313" "$@"
