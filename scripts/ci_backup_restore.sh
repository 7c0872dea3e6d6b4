#!/usr/bin/env bash
# CI: back up a database with documents, restore it into an empty database and an
# empty file store, and check every document's SHA-256 (issue 13, acceptance 4).
#
# Uses the PostgreSQL server of DATABASE_URL (default: the machine's, 127.0.0.1:5432,
# user postgres) to create two scratch databases, which it drops at the end; tasks run
# eagerly (no broker needed): `load_demo` renders the demo's documents in-process.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
base=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${base%/*}
source_db="mw_backup_src_$$"
target_db="mw_backup_dst_$$"
work=$(mktemp -d /tmp/mikrowsparcia-backup.XXXXXX)

cleanup() {
  status=$?
  for db in "$source_db" "$target_db"; do
    psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

psql "$server/postgres" -qc "CREATE DATABASE $source_db"
psql "$server/postgres" -qc "CREATE DATABASE $target_db"

run() {  # run DB MEDIA_DIR COMMAND...: in the embedded mode against that database and store
  local db=$1 media=$2
  shift 2
  env -u CELERY_BROKER_URL -u CACHE_URL DJANGO_ENV=embedded CELERY_TASK_ALWAYS_EAGER=true \
    EMBEDDED_LOOP_SECONDS=0 DATABASE_URL="$server/$db" DJANGO_MEDIA_ROOT="$media" "$@"
}

echo "== a database with documents"
run "$source_db" "$work/source-media" "$PYTHON" manage.py migrate --noinput -v 0
run "$source_db" "$work/source-media" "$PYTHON" manage.py load_demo >"$work/load_demo.log" 2>&1
documents() {
  psql "$server/$1" -tAc "SELECT id || ' ' || sha256 || ' ' || file || ' ' || retain_until FROM documents_document ORDER BY id"
}
documents "$source_db" >"$work/source.txt"
count=$(wc -l <"$work/source.txt")
if [ "$count" -lt 1 ]; then
  echo "load_demo stored no document: nothing to check" >&2
  exit 1
fi
echo "$count documents stored"

echo "== backup"
run "$source_db" "$work/source-media" scripts/backup.sh "$work/backup"

echo "== restore into an empty database and an empty file store"
run "$target_db" "$work/restored-media" scripts/restore.sh "$work/backup"
documents "$target_db" >"$work/target.txt"
diff -u "$work/source.txt" "$work/target.txt"

echo "== a file altered after the restore is found"
first=$(head -n 1 "$work/target.txt" | cut -d' ' -f3)
printf 'altered' >>"$work/restored-media/$first"
if run "$target_db" "$work/restored-media" "$PYTHON" manage.py documents_verify >"$work/verify.log" 2>&1; then
  echo "documents_verify did not notice an altered file" >&2
  exit 1
fi
grep -q "1 missing or altered" "$work/verify.log"
echo "Backup and restore: $count documents restored with their SHA-256 intact."
