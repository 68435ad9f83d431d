#!/usr/bin/env bash
# `make test`: ruff, the whole suite on SQLite, then the integration suite on PostgreSQL with real Celery
# workers and Redis (tests/integration). Every part runs even when an earlier one failed; the exit code is
# the first failure's. Prints how long each part took.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"
PG_URL=postgresql://postgres@127.0.0.1:5432/smecyber_test

timings=()
status=0
part() {  # part NAME COMMAND...
  local name=$1; shift
  local start=$SECONDS rc=0
  echo "== $name"
  "$@" || rc=$?
  timings+=("$name $((SECONDS - start)) s$([ $rc -ne 0 ] && echo " (FAILED, exit $rc)")")
  [ $status -eq 0 ] && status=$rc
  return 0
}

part "ruff" "$VENV/bin/ruff" check src tests bench tools
part "suite (SQLite)" "$PY" -m pytest -m "not integration"
part "integration (PostgreSQL, Redis, workers)" env SMECYBER_TEST_DATABASE_URL="$PG_URL" \
  "$PY" -m pytest -m integration tests/integration
summary=$(printf '%s, ' "${timings[@]}")
echo "== make test took: ${summary%, }"
exit $status
