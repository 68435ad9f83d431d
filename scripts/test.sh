#!/usr/bin/env bash
# `make test`: ruff, the whole suite on SQLite, then the integration suite on PostgreSQL with real Celery
# workers and Redis (tests/integration). Prints how long each part took.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PG_URL=${SMECYBER_TEST_DATABASE_URL_INTEGRATION:-postgresql://postgres@127.0.0.1:5432/smecyber_test}

timings=()
part() {  # part NAME COMMAND...
  local name=$1; shift
  local start=$SECONDS
  echo "== $name"
  "$@"
  timings+=("$name $((SECONDS - start)) s")
}

part "ruff" "$VENV/bin/ruff" check src tests bench tools
part "suite (SQLite)" "$PY" -m pytest -m "not integration"
part "integration (PostgreSQL, Redis, workers)" env SMECYBER_TEST_DATABASE_URL="$PG_URL" \
  "$PY" -m pytest -m integration tests/integration
summary=$(printf '%s, ' "${timings[@]}")
echo "== make test took: ${summary%, }"
