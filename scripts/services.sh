#!/usr/bin/env bash
# Makes sure the services of the integration tests answer: PostgreSQL on 127.0.0.1:5432 and Redis on
# 127.0.0.1:6379. Starts whichever is not running (Debian's packages, as root) and waits until it answers.
# With CI=true a service that cannot be started is an error (exit 1); otherwise a warning, and the
# integration tests skip with the reason.
set -uo pipefail

WAIT_SECONDS=${SMECYBER_SERVICES_WAIT:-30}
ci=false
[ "${CI:-}" = "true" ] && ci=true
failed=()

say() { echo "services: $*"; }

wait_for() {  # wait_for NAME COMMAND...: until COMMAND succeeds or WAIT_SECONDS pass
  local name=$1; shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      return 1
    fi
    sleep 0.5
  done
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

# --- PostgreSQL -----------------------------------------------------------------------------------------
if ! command -v pg_isready >/dev/null 2>&1; then
  failed+=("PostgreSQL (not installed: apt-get install postgresql)")
elif pg_up; then
  say "PostgreSQL answers on 127.0.0.1:5432"
else
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  if [ -z "$version" ]; then
    failed+=("PostgreSQL (no cluster in /etc/postgresql)")
  else
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    if wait_for postgresql pg_up; then
      say "PostgreSQL answers on 127.0.0.1:5432"
    else
      failed+=("PostgreSQL (started but does not answer on 127.0.0.1:5432 within ${WAIT_SECONDS} s)")
    fi
  fi
fi

# --- Redis ----------------------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null 2>&1; then
  failed+=("Redis (not installed: apt-get install redis-server)")
elif redis_up; then
  say "Redis answers on 127.0.0.1:6379"
else
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  if wait_for redis redis_up; then
    say "Redis answers on 127.0.0.1:6379"
  else
    failed+=("Redis (started but does not answer on 127.0.0.1:6379 within ${WAIT_SECONDS} s; see /var/log/redis/ci.log)")
  fi
fi

if [ ${#failed[@]} -gt 0 ]; then
  for f in "${failed[@]}"; do
    echo "services: not available: $f" >&2
  done
  if $ci; then
    echo "services: CI=true: the integration tests need these services; failing" >&2
    exit 1
  fi
  echo "services: the integration tests will skip" >&2
fi
exit 0
