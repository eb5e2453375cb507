#!/usr/bin/env bash
# Create (or reuse) <repo>/.venv with the pinned test tools of
# scripts/requirements-test.txt. Idempotent: the install is skipped while
# .venv/.requirements.sha256 holds the sha256 of that file and the venv's
# python still runs. Progress goes to stderr; the venv path is the only thing
# printed on stdout (last line), so `VENV=$(scripts/testenv.sh)` works.
#
# Env: PYTHON  interpreter used to create the venv (default: python3)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
req="$repo/scripts/requirements-test.txt"
venv="$repo/.venv"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

log() { printf 'testenv: %s\n' "$*" >&2; }

want="$(sha256sum "$req" | cut -d' ' -f1)"

mkdir -p "$venv"
# Serialise concurrent runs (parallel go test packages, CI steps).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$venv/.testenv.lock"
  flock 9
fi

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] &&
   "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
  log "up to date ($venv)"
else
  if ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "creating $venv with $("$python" --version 2>&1)"
    # Keep the lock file; rebuild everything else.
    find "$venv" -mindepth 1 -maxdepth 1 ! -name .testenv.lock -exec rm -rf {} +
    "$python" -m venv "$venv"
  fi
  rm -f "$stamp"
  log "installing $req"
  "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$req" >&2
  printf '%s\n' "$want" >"$stamp"
  log "ready"
fi

printf '%s\n' "$venv"
