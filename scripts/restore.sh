#!/usr/bin/env bash
# Restores a backup of scripts/backup.sh into an EMPTY database and an EMPTY file
# store, then checks every document's SHA-256 (manage.py documents_verify).
#
# Usage: scripts/restore.sh BACKUP_DIR
# DATABASE_URL names the empty database (created beforehand; in a two-role
# installation the owner role's URL, MIGRATE_DATABASE_URL, then run `manage.py
# db_grants <application role>` as the deployment guide says). The file store is
# DJANGO_MEDIA_ROOT (or DJANGO_VAR_DIR/media); with DJANGO_STORAGE=s3 the files are
# copied to the bucket with the aws CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
backup=${1:?usage: scripts/restore.sh BACKUP_DIR}
: "${DATABASE_URL:?DATABASE_URL must be set}"
PYTHON=${PYTHON:-.venv/bin/python}
media=${DJANGO_MEDIA_ROOT:-${DJANGO_VAR_DIR:-$PWD/var}/media}

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != 0 ]; then
  echo "The database is not empty ($tables tables): restore only into an empty database." >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname "$DATABASE_URL" "$backup/database.dump"

if [ -f "$backup/media.tar.gz" ]; then
  if [ "${DJANGO_STORAGE:-local}" = s3 ]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    tar -C "$scratch" -xzf "$backup/media.tar.gz"
    aws s3 sync ${AWS_S3_ENDPOINT_URL:+--endpoint-url "$AWS_S3_ENDPOINT_URL"} \
      "$scratch" "s3://${AWS_STORAGE_BUCKET_NAME:?}" --only-show-errors
  else
    mkdir -p "$media"
    if [ -n "$(ls -A "$media")" ]; then
      echo "The file store $media is not empty: restore only into an empty one." >&2
      exit 1
    fi
    tar -C "$media" -xzf "$backup/media.tar.gz"
  fi
fi

"$PYTHON" manage.py documents_verify
echo "Restored $backup"
