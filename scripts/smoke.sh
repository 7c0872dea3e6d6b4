#!/usr/bin/env bash
# Acceptance check of the two README commands from a fresh clone:
#  1. `make run` serves the login page within 3 minutes with no services needed;
#  2. `make test` passes and leaves no PostgreSQL or Redis of its own running.
# Usage: bash scripts/smoke.sh [--skip-test]. Prints the figures; run on purpose.
set -euo pipefail
source_repo=$(cd "$(dirname "$0")/.." && pwd)
clone=$(mktemp -d /tmp/mikrowsparcia-smoke.XXXXXX)
trap 'kill "${server_pid:-0}" 2>/dev/null || true; pkill -f "$clone/.venv/bin/python manage.py runserver" 2>/dev/null || true; rm -rf "$clone"' EXIT

git clone --quiet "$source_repo" "$clone/repo"
cd "$clone/repo"
start=$(date +%s)
setsid make run >"$clone/run.log" 2>&1 &
server_pid=$!
served=""
while [ $(( $(date +%s) - start )) -lt 180 ]; do
  if curl -fsS -o "$clone/login.html" http://127.0.0.1:8000/accounts/login/ 2>/dev/null; then served=1; break; fi
  sleep 2
done
elapsed=$(( $(date +%s) - start ))
kill -- -"$server_pid" 2>/dev/null || true
if [ -z "$served" ]; then
  echo "make run: login page NOT served within 180 s"; tail -20 "$clone/run.log"; exit 1
fi
grep -q '<h1>' "$clone/login.html"
echo "make run: login page served after ${elapsed} s (limit 180 s)"

if [ "${1:-}" != "--skip-test" ]; then
  env -u DATABASE_URL -u CELERY_BROKER_URL make test >"$clone/test.log" 2>&1 || { tail -30 "$clone/test.log"; exit 1; }
  tail -n 1 "$clone/test.log"
  if pgrep -f "mikrowsparcia-test\." >/dev/null; then
    echo "make test left services running:"; pgrep -af "mikrowsparcia-test\."; exit 1
  fi
  echo "make test: no throwaway PostgreSQL or Redis left running"
fi
