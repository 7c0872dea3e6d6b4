#!/usr/bin/env bash
# Runs the whole test suite in production mode, against PostgreSQL and Redis.
#
# With DATABASE_URL and CELERY_BROKER_URL set, it uses them. Otherwise it starts a
# throwaway PostgreSQL cluster and a Redis server on free loopback ports, in a
# temporary directory, and stops and removes them when it ends, whatever the outcome.
# Missing system packages (postgresql, redis-server, chromium, libharfbuzz-subset0,
# poppler-utils) are installed with apt-get when it runs as root.
# Arguments are passed to pytest.
#
# With TEST_FAKETIME set (e.g. "2027-01-02 12:00:00"), pytest runs under libfaketime
# (Debian's faketime) with its clock starting at that moment, to show that no test
# depends on the day it runs; the database and Redis keep the real clock.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}

is_root() { [ "$(id -u)" = 0 ]; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ -n "${TEST_FAKETIME:-}" ] && ! command -v faketime >/dev/null 2>&1; then missing+=(faketime); fi
if [ -z "${DATABASE_URL:-}" ] && [ -z "$(pg_bin)" ]; then missing+=(postgresql); fi
if [ -z "${CELERY_BROKER_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if ! is_root; then
    echo "Missing system packages: ${missing[*]}. Install them (as root: apt-get install ${missing[*]})." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} with apt-get ..."
  # Keep the packages' own services from starting: this script starts its own.
  policy=/usr/sbin/policy-rc.d
  made_policy=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; made_policy=1; fi
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  [ -n "$made_policy" ] && rm -f "$policy"
fi

workdir=$(mktemp -d /tmp/mikrowsparcia-test.XXXXXX)
chmod 755 "$workdir"
# Files the tests store (documents, exports) go to this run's own directory, so that two
# runs at once (CI runs two passes side by side) never write into the same one.
export DJANGO_VAR_DIR="${DJANGO_VAR_DIR:-$workdir/var}"
export DJANGO_MEDIA_ROOT="${DJANGO_MEDIA_ROOT:-$workdir/var/media}"
pg_data="$workdir/pg"
pg_started=""
redis_started=""
as_pg=()

cleanup() {
  status=$?
  if [ -n "$pg_started" ]; then
    "${as_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$redis_started" ] && [ -f "$workdir/redis.pid" ]; then
    redis_pid=$(cat "$workdir/redis.pid")
    kill "$redis_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$workdir"
  exit "$status"
}
trap cleanup EXIT INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

if [ -z "${DATABASE_URL:-}" ]; then
  port=$(free_port)
  mkdir -p "$pg_data" "$workdir/pg-socket"
  if is_root; then
    chown postgres "$pg_data" "$workdir/pg-socket"
    as_pg=(runuser -u postgres --)  # initdb refuses to run as root
  fi
  "${as_pg[@]}" "$(pg_bin)/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$workdir/initdb.log"
  pg_started=1
  "${as_pg[@]}" "$(pg_bin)/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" \
    -o "-p $port -k $workdir/pg-socket -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/mikrowsparcia"
  echo "Started a throwaway PostgreSQL on 127.0.0.1:$port"
fi

if [ -z "${CELERY_BROKER_URL:-}" ]; then
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$workdir/redis.pid" --dir "$workdir" --logfile "$workdir/redis.log"
  redis_started=1
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export CELERY_BROKER_URL="redis://127.0.0.1:$port/0"
  echo "Started a throwaway Redis on 127.0.0.1:$port"
fi

# With COVERAGE=1 the suite runs under coverage.py and fails below the floor set in
# pyproject.toml ([tool.coverage.report] fail_under).
runner=("$PYTHON" -m pytest)
if [ "${COVERAGE:-}" = 1 ]; then
  "$PYTHON" -m coverage erase
  runner=("$PYTHON" -m coverage run -m pytest)
fi

if [ -n "${TEST_FAKETIME:-}" ]; then
  echo "Running the suite with the clock of the test process at $TEST_FAKETIME (libfaketime)"
  # (FAKETIME_DONT_FAKE_MONOTONIC would break time.sleep: libfaketime 0.9.10 then
  # answers Python's absolute monotonic sleep with EINVAL.)
  faketime "$TEST_FAKETIME" "${runner[@]}" "$@"
else
  "${runner[@]}" "$@"
fi
if [ "${COVERAGE:-}" = 1 ]; then
  "$PYTHON" -m coverage report
fi
