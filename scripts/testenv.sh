#!/usr/bin/env bash
# Create (or reuse) the two test virtualenvs:
#   <repo>/.venv      the pinned test tools of scripts/requirements-test.txt
#   <repo>/.venv-sam  the AWS SAM CLI of scripts/requirements-sam.txt (its
#                     boto3/botocore pins conflict with the test tools', so it
#                     gets a venv of its own; the deploy test puts its bin/
#                     first on PATH)
# Idempotent: a venv's install is skipped while <venv>/.requirements.sha256
# holds the sha256 of its requirements file and the venv's python still runs.
# Progress goes to stderr; the .venv path is the only thing printed on stdout
# (last line), so `VENV=$(scripts/testenv.sh)` works.
#
# Env: PYTHON  interpreter used to create the venvs (default: python3)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
python="${PYTHON:-python3}"

log() { printf 'testenv: %s\n' "$*" >&2; }

# ensure VENV REQUIREMENTS: create or refresh one venv.
ensure() {
  local venv="$1" req="$2"
  local stamp="$venv/.requirements.sha256" want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  mkdir -p "$venv"
  (
    # Serialise concurrent runs (parallel go test packages, CI steps).
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$venv/.testenv.lock"
      flock 9
    fi
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] &&
       "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
      log "up to date ($venv)"
      exit 0
    fi
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
    log "ready ($venv)"
  )
}

ensure "$repo/.venv" "$repo/scripts/requirements-test.txt"
ensure "$repo/.venv-sam" "$repo/scripts/requirements-sam.txt"

printf '%s\n' "$repo/.venv"
