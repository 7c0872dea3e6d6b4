#!/usr/bin/env bash
# CI: starts the production stack the documented way (Procfile run by honcho: gunicorn,
# a Celery worker, celery beat and the outbox relay, production settings, PostgreSQL
# and Redis), waits
# for /health/ to answer 200 (database, migrations, cache, storage, broker, worker),
# loads the demo data (its documents are rendered by the worker), signs in through
# HTTP as the demo official, downloads a PDF the worker rendered and checks its
# SHA-256, then stops the stack (issue 13, acceptance 3). Finishes in under 90 s.
#
# PostgreSQL: the server of DATABASE_URL (default the machine's, 127.0.0.1:5432, user
# postgres); a scratch database is created and dropped. Redis: CELERY_BROKER_URL's
# server with database STACK_REDIS_DB (default 15), emptied before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
started=$SECONDS
base=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${base%/*}
broker=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
redis_url="${broker%/*}/${STACK_REDIS_DB:-15}"
db="mw_stack_$$"
work=$(mktemp -d /tmp/mikrowsparcia-stack.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
honcho_pid=""

cleanup() {
  status=$?
  if [ -n "$honcho_pid" ] && kill -0 "$honcho_pid" 2>/dev/null; then
    kill -TERM "$honcho_pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$honcho_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$honcho_pid" 2>/dev/null || true
  fi
  if [ "$status" != 0 ] && [ -f "$work/stack.log" ]; then
    echo "--- the stack's output (last 60 lines) ---" >&2
    tail -n 60 "$work/stack.log" >&2
  fi
  redis-cli -u "$redis_url" flushdb >/dev/null 2>&1 || true
  psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

export DJANGO_ENV=production
export DJANGO_SECRET_KEY="ci-stack-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
export DATABASE_URL="$server/$db"
export CELERY_BROKER_URL="$redis_url"
export CACHE_URL="$redis_url"
export ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECURE_SSL_REDIRECT=false  # no TLS proxy in CI: plain HTTP on loopback
# The journey signs in as a demo official with a password; two-factor login, which
# production requires of staff, has its own browser test (test_self_administration).
export STAFF_MFA_REQUIRED=false
export DJANGO_MEDIA_ROOT="$work/media"
export GUNICORN_BIND="127.0.0.1:$port"
export WEB_CONCURRENCY=2
export PATH="$PWD/.venv/bin:$PATH"

psql "$server/postgres" -qc "CREATE DATABASE $db"
redis-cli -u "$redis_url" flushdb >/dev/null
"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" manage.py collectstatic --noinput -v 0 >/dev/null
echo "migrated in $((SECONDS - started)) s"

honcho -f Procfile start >"$work/stack.log" 2>&1 &
honcho_pid=$!

# The demo data, with the stack running: its documents go through the broker to the worker.
"$PYTHON" manage.py load_demo >"$work/load_demo.log" 2>&1 &
demo_pid=$!

"$PYTHON" - "$port" <<'PY'
import hashlib, http.client, json, re, subprocess, sys, time, urllib.parse, os

port = int(sys.argv[1])
deadline = time.monotonic() + 75


def request(method, path, body=None, cookies=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "127.0.0.1", **(headers or {})}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and cookies is not None:
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    return response, data


def wait(what, check):
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.5)
    sys.exit(f"timed out waiting for {what}")


def healthy():
    response, data = request("GET", "/health/?format=json")
    if response.status == 200:
        return json.loads(data)
    return None


checks = wait("/health/ to answer 200", healthy)
print("healthy:", ", ".join(sorted(checks)))
assert any(name.startswith("Ping(") for name in checks), checks  # the worker answered

cookies = {}
wait("the demo official", lambda: subprocess.run(
    ["psql", os.environ["DATABASE_URL"], "-tAc",
     "SELECT 1 FROM accounts_user WHERE email = 'urzednik@example.org'"],
    capture_output=True, text=True).stdout.strip() == "1")
response, page = request("GET", "/accounts/login/", cookies=cookies)
token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
response, _ = request(
    "POST", "/accounts/login/", cookies=cookies,
    body={"login": "urzednik@example.org", "password": "demo-mikrowsparcia",
          "csrfmiddlewaretoken": token},
)
assert response.status == 302 and "sessionid" in cookies, (response.status, cookies)
response, _ = request("GET", "/", cookies=cookies)
assert response.status == 200, response.status
print("signed in as the demo official")


def rendered_pdf():
    rows = subprocess.run(
        ["psql", os.environ["DATABASE_URL"], "-tAc",
         "SELECT id || ' ' || sha256 FROM documents_document ORDER BY id"],
        capture_output=True, text=True, check=True,
    ).stdout.split("\n")
    for row in filter(None, rows):
        pk, sha256 = row.split()
        response, data = request("GET", f"/documents/{pk}/download/", cookies=cookies)
        if response.status == 200:
            return pk, sha256, response, data
    return None


pk, sha256, response, data = wait("a PDF rendered by the worker", rendered_pdf)
assert response.getheader("Content-Type") == "application/pdf"
assert data.startswith(b"%PDF-"), data[:20]
assert hashlib.sha256(data).hexdigest() == sha256
print(f"document {pk}: {len(data)} bytes of PDF, rendered by the worker, SHA-256 intact")
PY

kill -TERM "$honcho_pid"
wait "$honcho_pid" || true
honcho_pid=""
kill "$demo_pid" 2>/dev/null || true
wait "$demo_pid" 2>/dev/null || true
grep -q "Booting worker" "$work/stack.log"
grep -q "celery@.* ready" "$work/stack.log"
grep -q "beat: Starting" "$work/stack.log"
# The demo's documents went to the worker through the relay, not beat's minute flush.
grep -q "outbox relay: [0-9]* messages published" "$work/stack.log"
echo "Production stack: web, worker, beat and the outbox relay ran under honcho; $((SECONDS - started)) s."
