#!/usr/bin/env bash
# Run the whole test suite: create/refresh the pinned Python test tools in
# .venv (scripts/testenv.sh), then `go test ./...` with every tool required
# (a missing tool fails instead of skipping). Extra arguments go to go test.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$repo"
command -v go >/dev/null || { echo "test.sh: Go 1.26+ is required" >&2; exit 1; }
venv="$(bash scripts/testenv.sh | tail -n 1)"
export DEPLOYLESS_TEST_VENV="$venv" DEPLOYLESS_REQUIRE_TOOLS=1 CGO_ENABLED=1
go vet ./...
go tool staticcheck ./...
go test -count=1 "$@" ./...
