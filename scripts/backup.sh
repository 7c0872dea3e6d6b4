#!/usr/bin/env bash
# Backs up the database and the document store into one directory:
#   database.dump   pg_dump's custom format (pg_restore reads it; compressed)
#   media.tar.gz    the local file store (documents, exports), when DJANGO_STORAGE=local
#   SHA256SUMS      the hashes of both, checked by scripts/restore.sh
#
# Usage: scripts/backup.sh [DEST]   (default var/backups/<UTC time>)
# Reads DATABASE_URL, DJANGO_STORAGE, DJANGO_MEDIA_ROOT (or DJANGO_VAR_DIR), like the
# settings. The dump is taken first, then the files: a file is written before its row
# commits and never changed, so every document in the dump has its file in the archive.
#
# S3 (DJANGO_STORAGE=s3): the documents are in the bucket. Keep the bucket versioned
# and replicated by the provider; with the aws CLI present this script also copies the
# bucket into DEST/media (`aws s3 sync`), which restore.sh copies back.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must be set}"
dest=${1:-var/backups/$(date -u +%Y%m%dT%H%M%SZ)}
media=${DJANGO_MEDIA_ROOT:-${DJANGO_VAR_DIR:-$PWD/var}/media}
mkdir -p "$dest"
umask 077

pg_dump --format=custom --no-owner --no-privileges --file "$dest/database.dump" "$DATABASE_URL"

if [ "${DJANGO_STORAGE:-local}" = s3 ]; then
  if command -v aws >/dev/null 2>&1; then
    aws s3 sync ${AWS_S3_ENDPOINT_URL:+--endpoint-url "$AWS_S3_ENDPOINT_URL"} \
      "s3://${AWS_STORAGE_BUCKET_NAME:?}" "$dest/media" --only-show-errors
    tar -C "$dest/media" -czf "$dest/media.tar.gz" . && rm -rf "$dest/media"
  else
    echo "DJANGO_STORAGE=s3: the documents stay in the bucket ${AWS_STORAGE_BUCKET_NAME:-}; back it up by the provider's versioning and replication (no aws CLI here to copy it)." >&2
  fi
else
  mkdir -p "$media"
  tar -C "$media" -czf "$dest/media.tar.gz" .
fi

(cd "$dest" && sha256sum database.dump $( [ -f media.tar.gz ] && echo media.tar.gz ) > SHA256SUMS)
echo "Backup written to $dest"
