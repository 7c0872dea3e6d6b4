"""gunicorn's settings for the web process (``Procfile``, ``deploy/mikrowsparcia-web.service``).

Read from the environment so that one file serves every machine:
``GUNICORN_BIND`` (default ``127.0.0.1:$PORT``, ``PORT`` being set by honcho, else 8000),
``WEB_CONCURRENCY`` (worker processes, default 2 per core plus one) and
``GUNICORN_TIMEOUT`` (seconds, default 60). Requests are logged by the application
itself, one JSON object a line (``config.logging``), so gunicorn's access log is off.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
threads = 1
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
# Recycle a worker now and then, so that a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
# Behind the reverse proxy (deploy/Caddyfile, deploy/nginx.conf) on the same machine or
# network: it sets X-Forwarded-Proto, which Django reads (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
